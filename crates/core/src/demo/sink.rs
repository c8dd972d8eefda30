//! Where generated rows go: multi-row `INSERT`s, made on the generator's thread and passed to
//! the task that writes them, so that making the next rows and storing the last ones overlap.

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::error::BoxDynError;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, Encode, Sqlite, Type};
use tokio::sync::mpsc::Sender;

use super::DemoProgress;
use crate::error::{Error, Result};
use crate::model::Id;

/// Bound values per statement: below SQLite's limit of 32 766, and large enough that the cost of
/// a statement (about 16 µs in sqlx) is spread over thousands of rows.
pub(crate) const MAX_BINDS: usize = 30_000;

/// The change-history entry every demo record gets.
pub(crate) const HISTORY_ACTOR: &str = "демо-данные";
const HISTORY_CHANGES: &str = r#"{"source":{"new":"demo"}}"#;

/// `text` as an SQL string literal.
pub(crate) fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// What the generator hands to the writer, in order.
pub(crate) enum Message {
    /// One statement, its values, and the rows it inserts.
    Insert { sql: Arc<str>, values: SqliteArguments<'static>, rows: u64 },
    /// How far the generator has got; reported once everything before it is written.
    Progress(DemoProgress),
}

/// The writer's queue, the device that stamps the rows, and what has been sent so far.
pub(crate) struct Sink {
    queue: Sender<Message>,
    /// This laptop's id, for `updated_by` and the history.
    pub device: String,
    /// Rows sent so far, every table.
    pub rows: u64,
    /// `INSERT … VALUES (?, …), …` by head and row count: a handful of shapes, made once.
    statements: HashMap<(String, usize), Arc<str>>,
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

/// The values of the rows of one statement, bound in column order.
pub(crate) struct Values {
    args: SqliteArguments<'static>,
    error: Option<BoxDynError>,
}

impl Values {
    /// Binds the next column's value.
    pub(crate) fn bind<V>(&mut self, value: V) -> &mut Self
    where
        V: Encode<'static, Sqlite> + Type<Sqlite> + 'static,
    {
        if let Err(e) = self.args.add(value) {
            self.error.get_or_insert(e);
        }
        self
    }
}

impl Sink {
    pub(crate) fn new(queue: Sender<Message>, device: String) -> Self {
        Sink { queue, device, rows: 0, statements: HashMap::new() }
    }

    /// Tells the caller how far `stage` has got, once the rows made so far are written.
    pub(crate) fn report(&self, stage: &'static str, done: usize, total: usize) -> Result<()> {
        self.send(Message::Progress(DemoProgress { stage, done: done as u64, total: total as u64 }))
    }

    /// Inserts `rows` with `head` (`INSERT INTO t(a, b, c) `), `columns` values a row, binding
    /// each row's values with `bind`, in as few statements as the bind limit allows.
    ///
    /// Statements come in a few fixed sizes (as many rows as the limit allows, then 512, 32 and
    /// 1), so that sqlx's statement cache serves them all: preparing a statement of thousands of
    /// values anew for every odd-sized remainder would cost more than running it.
    pub(crate) fn insert<T>(
        &mut self,
        head: &str,
        columns: usize,
        rows: impl IntoIterator<Item = T, IntoIter: ExactSizeIterator>,
        bind: impl FnMut(&mut Values, T),
    ) -> Result<()> {
        self.insert_fixed(head, columns, "", rows, bind)
    }

    /// [`Sink::insert`] where the last columns of `head` take the same value in every row:
    /// `fixed` lists them as SQL literals (`, 'create', 'демо-данные'`), written into the
    /// statement once instead of bound for every row.
    pub(crate) fn insert_fixed<T>(
        &mut self,
        head: &str,
        columns: usize,
        fixed: &str,
        rows: impl IntoIterator<Item = T, IntoIter: ExactSizeIterator>,
        mut bind: impl FnMut(&mut Values, T),
    ) -> Result<()> {
        let full = (MAX_BINDS / columns.max(1)).max(1);
        let mut rows = rows.into_iter();
        while rows.len() > 0 {
            let size = [full, 512, 32, 1].into_iter().find(|&n| n <= full && n <= rows.len()).unwrap_or(1);
            let mut values = Values { args: SqliteArguments::default(), error: None };
            for row in rows.by_ref().take(size) {
                bind(&mut values, row);
            }
            if let Some(e) = values.error {
                return Err(Error::Database(sqlx::Error::Encode(e)));
            }
            debug_assert_eq!(values.args.len(), size * columns, "{head}: every row binds every column");
            let sql = self.statement(head, columns, fixed, size);
            self.send(Message::Insert { sql, values: values.args, rows: size as u64 })?;
            self.rows += size as u64;
        }
        Ok(())
    }

    /// `, '<device>'`: this laptop's id as the literal last column of a statement.
    pub(crate) fn device_column(&self) -> String {
        format!(", {}", literal(&self.device))
    }

    /// One `create` history entry per record, naming the demo generator as the actor.
    pub(crate) fn history(&mut self, entity: &'static str, created: Vec<Created>) -> Result<()> {
        let fixed = format!(
            ", {}, 'create', {}, {}, {}",
            literal(entity),
            literal(&self.device),
            literal(HISTORY_ACTOR),
            literal(HISTORY_CHANGES)
        );
        self.insert_fixed(
            "INSERT INTO history(id, entity_id, at, entity, op, device, actor, changes) ",
            3,
            &fixed,
            created,
            |b, c| {
                b.bind(c.id).bind(c.entity_id).bind(c.at);
            },
        )
    }

    fn statement(&mut self, head: &str, columns: usize, fixed: &str, rows: usize) -> Arc<str> {
        let key = (format!("{head}\u{0}{fixed}"), rows);
        if let Some(sql) = self.statements.get(&key) {
            return sql.clone();
        }
        let row = format!("({}{fixed})", vec!["?"; columns].join(", "));
        let sql: Arc<str> = format!("{head}VALUES {}", vec![row; rows].join(", ")).into();
        self.statements.insert(key, sql.clone());
        sql
    }

    fn send(&self, message: Message) -> Result<()> {
        // The writer hangs up only when it has failed or was dropped: its own error is the one
        // that counts, and the generator just stops.
        self.queue
            .blocking_send(message)
            .map_err(|_| Error::refused("запись демо-данных прервана", "writing the demo data was interrupted"))
    }
}
