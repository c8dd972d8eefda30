//! Where generated rows go: multi-row `INSERT`s on the caller's transaction, counted and reported.

use sqlx::query_builder::Separated;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::DemoProgress;
use crate::error::Result;
use crate::model::Id;

/// Bound values per statement: below SQLite's limit of 32 766, and large enough that the cost of
/// a statement (about 16 µs in sqlx) is spread over thousands of rows.
pub(crate) const MAX_BINDS: usize = 30_000;

/// The change-history entry every demo record gets.
pub(crate) const HISTORY_ACTOR: &str = "демо-данные";
const HISTORY_CHANGES: &str = r#"{"source":{"new":"demo"}}"#;

/// The transaction rows are written to, the device that stamps them, and the progress callback.
pub(crate) struct Sink<'a> {
    conn: &'a mut SqliteConnection,
    /// This laptop's id, for `updated_by` and the history.
    pub device: &'a str,
    progress: &'a (dyn Fn(DemoProgress) + Send + Sync),
    /// Rows inserted so far, every table.
    pub rows: u64,
}

/// A record's creation, for the `history` table.
pub(crate) struct Created {
    /// The history entry's own id.
    pub id: Id,
    /// The record.
    pub entity_id: Id,
    /// When, ms since the epoch.
    pub at: i64,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(
        conn: &'a mut SqliteConnection,
        device: &'a str,
        progress: &'a (dyn Fn(DemoProgress) + Send + Sync),
    ) -> Self {
        Sink { conn, device, progress, rows: 0 }
    }

    /// Tells the caller how far `stage` has got.
    pub(crate) fn report(&self, stage: &'static str, done: usize, total: usize) {
        (self.progress)(DemoProgress { stage, done: done as u64, total: total as u64 });
    }

    /// Inserts `rows` with `head` (`INSERT INTO t(a, b, c) `), `columns` values a row, binding
    /// each row's values with `bind`, in as few statements as the bind limit allows.
    ///
    /// Statements come in a few fixed sizes (as many rows as the limit allows, then 512, 32 and
    /// 1), so that sqlx's statement cache serves them all: preparing a statement of thousands of
    /// values anew for every odd-sized remainder would cost more than running it.
    pub(crate) async fn insert<'r, T>(
        &mut self,
        head: &'static str,
        columns: usize,
        rows: &'r [T],
        bind: impl Fn(&mut Separated<'_, 'r, Sqlite, &'static str>, &'r T),
    ) -> Result<()> {
        let full = (MAX_BINDS / columns.max(1)).max(1);
        let mut rest = rows;
        while !rest.is_empty() {
            let size = [full, 512, 32, 1].into_iter().find(|&n| n <= full && n <= rest.len()).unwrap_or(1);
            let (batch, after) = rest.split_at(size);
            let mut qb = QueryBuilder::<'r, Sqlite>::new(head);
            qb.push_values(batch, |mut b, row| bind(&mut b, row));
            qb.build().execute(&mut *self.conn).await?;
            self.rows += batch.len() as u64;
            rest = after;
        }
        Ok(())
    }

    /// One `create` history entry per record, naming the demo generator as the actor.
    pub(crate) async fn history(&mut self, entity: &'static str, created: &[Created]) -> Result<()> {
        let device = self.device;
        self.insert(
            "INSERT INTO history(id, entity, entity_id, op, at, device, actor, changes) ",
            8,
            created,
            |b, c| {
                b.push_bind(c.id)
                    .push_bind(entity)
                    .push_bind(c.entity_id)
                    .push_bind("create")
                    .push_bind(c.at)
                    .push_bind(device)
                    .push_bind(HISTORY_ACTOR)
                    .push_bind(HISTORY_CHANGES);
            },
        )
        .await
    }
}
