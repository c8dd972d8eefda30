//! Filling an empty office with many rows at once: what the demo data is written with.
//!
//! [`Store::fill_empty`] runs the caller's maker on a thread of its own; the maker hands its rows
//! to a [`Filler`], which binds them into multi-row `INSERT`s there and passes them on to the
//! store's writer, so that making the next rows and storing the last ones overlap. Everything
//! goes in in one transaction, in the order it was made, with the tables' secondary indexes and
//! search triggers set aside and rebuilt once at the end (see `load.rs`), foreign keys checked
//! once before the commit and, when nothing else has the file open, a rollback journal instead
//! of the write-ahead log: the large demo (about two million rows) takes about ten seconds on
//! two cores.

use sqlx::SqliteConnection;
use tokio::sync::mpsc::Sender;

use super::insert::{Insert, Row, statements};
use super::load::{BulkLoad, dangling_reference};
use crate::error::{Error, Result};
use crate::store::Store;

/// How far [`Store::fill_empty`] has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FillProgress<P> {
    /// What the maker reported through [`Filler::report`], once the rows made before it are
    /// written.
    Made(P),
    /// The indexes and search indexes set aside are being built (`false`), or are built (`true`).
    Indexes(bool),
    /// The rows are checked and committed.
    Saving,
}

/// What the maker hands to the writer, in order.
enum Message<P> {
    Insert(Insert<'static>),
    Progress(P),
}

/// Where the rows of [`Store::fill_empty`] go: the writer's queue, and what has been sent so far.
pub struct Filler<P> {
    queue: Sender<Message<P>>,
    device: String,
    rows: u64,
}

impl<P> Filler<P> {
    /// Inserts `rows`, in their order, in as few statements as the bind limit allows. Tables
    /// that the office keeps in key order go in fastest in that order.
    pub fn insert<R, I>(&mut self, rows: I) -> Result<()>
    where
        R: Row<'static>,
        I: IntoIterator<Item = R, IntoIter: ExactSizeIterator>,
    {
        for insert in statements(rows) {
            let insert = insert?;
            self.rows += insert.rows;
            self.send(Message::Insert(insert))?;
        }
        Ok(())
    }

    /// Passes `progress` on to the caller of [`Store::fill_empty`] once the rows inserted so far
    /// are written.
    pub fn report(&self, progress: P) -> Result<()> {
        self.send(Message::Progress(progress))
    }

    /// Rows inserted so far, every table.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The store's device: what stamps the rows (`updated_by`, the history's `device`).
    pub fn device(&self) -> &str {
        &self.device
    }

    fn send(&self, message: Message<P>) -> Result<()> {
        // The writer hangs up only when it has failed or was dropped: its own error is the one
        // that counts, and the maker just stops.
        self.queue
            .blocking_send(message)
            .map_err(|_| Error::refused("запись в базу прервана", "writing to the database was interrupted"))
    }
}

const NOT_EMPTY_RU: &str = "база уже содержит данные; заполнить можно только пустую базу";
const NOT_EMPTY_EN: &str = "the database already holds data; only an empty database can be filled";

impl Store {
    /// Fills an empty office with the rows `make` hands to its [`Filler`], and returns what
    /// `make` returns.
    ///
    /// Refused unless the office is empty. `make` runs on a thread of its own while the store's
    /// writer stores the rows it made before; `progress` is called from the calling task. The
    /// rows are written as they are given — the store checks no rule of the model, only, before
    /// the commit, that every reference points to a row — in one transaction: if `make` or
    /// anything else fails, or the process is killed, the office stays as it was. Meanwhile
    /// other writes of this process wait for the writer, and reads see the office as it was
    /// until the commit. When no other connection has the file open, the load takes it for
    /// itself: another process that opens the office meanwhile is told it is busy.
    pub async fn fill_empty<P, T>(
        &self,
        make: impl FnOnce(&mut Filler<P>) -> Result<T> + Send + 'static,
        progress: &(dyn Fn(FillProgress<P>) + Send + Sync),
    ) -> Result<T>
    where
        P: Send + 'static,
        T: Send + 'static,
    {
        if !self.is_empty().await? {
            return Err(Error::refused(NOT_EMPTY_RU, NOT_EMPTY_EN));
        }
        // The writer is set up for the load below and closed afterwards, never handed back to
        // the pool as it is, even if this future is dropped or a callback panics: the pool opens
        // a fresh one when next asked.
        let mut conn = self.writer().acquire().await?;
        conn.close_on_drop();
        let abandoned = Abandoned(Some(self.clone()));
        let loaded = self.load(&mut conn, make, progress).await;
        if loaded.is_err() {
            // Best effort: closing the connection rolls back anyway.
            let _rolled_back = sqlx::query("ROLLBACK").execute(&mut *conn).await;
        }
        // Back to write-ahead logging if the load left it; should this fail (a reader of this
        // process is reading just then), the store's next writer connection puts it back: it
        // asks for WAL as it opens.
        let mode: Result<String, _> = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await;
        if mode.as_deref().is_ok_and(|m| !m.eq_ignore_ascii_case("wal"))
            && let Err(e) = sqlx::query("PRAGMA journal_mode = WAL").execute(&mut *conn).await
        {
            tracing::warn!("the office was filled and left without WAL for now: {e}");
        }
        if let Err(e) = conn.close().await {
            tracing::warn!("closing the connection that filled the office: {e}");
        }
        abandoned.disarm();
        loaded
    }

    /// Writes what `make` makes into the empty office on `conn`, in one transaction.
    ///
    /// The connection checks foreign keys once at the end, by distinct values
    /// (`dangling_reference`), instead of row by row, and sorts for the indexes in blocks of
    /// memory rather than a record at a time (with `temp_store = FILE` SQLite's sorter does so,
    /// and spills to a temporary file only beyond the page cache's size, 128 MB on the writer).
    ///
    /// When no other connection has the file open, the load also leaves write-ahead logging for
    /// a rollback journal until it is done. A transaction that fills an empty database then
    /// writes each page once, straight into the file, and the journal keeps only the few pages
    /// the empty database had; in WAL mode every page goes into the log first and is copied into
    /// the file again afterwards, twice the writing. Leaving WAL needs every other connection
    /// closed: the store's idle readers are closed here (the pool opens new ones when asked); if
    /// any connection, of this process or another, still has the file open, the database stays
    /// in WAL mode and the load goes through the log. Either way it is one transaction with full
    /// sync: a crash leaves a hot journal, or an unfinished log, that SQLite rolls back on the
    /// next open.
    async fn load<P, T>(
        &self,
        conn: &mut SqliteConnection,
        make: impl FnOnce(&mut Filler<P>) -> Result<T> + Send + 'static,
        progress: &(dyn Fn(FillProgress<P>) + Send + Sync),
    ) -> Result<T>
    where
        P: Send + 'static,
        T: Send + 'static,
    {
        // A reader that was just used comes back to the pool a moment later: give the store's
        // readers a little while to come back and be closed, not more.
        let readers = self.reader();
        for _ in 0..200 {
            if readers.size() == 0 {
                break;
            }
            match readers.try_acquire() {
                Some(idle) => idle.close().await?,
                None => tokio::time::sleep(std::time::Duration::from_millis(1)).await,
            }
        }
        // Asked once, without waiting for others to let go: if they hold the file, WAL it is.
        sqlx::query("PRAGMA busy_timeout = 0").execute(&mut *conn).await?;
        let _journal = sqlx::query("PRAGMA journal_mode = DELETE").execute(&mut *conn).await;
        sqlx::query("PRAGMA busy_timeout = 10000").execute(&mut *conn).await?;
        sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await?;
        // Sorting spills to temporary files unencrypted: for made-up data only, never the
        // office's own (the store's connections keep temporary data in memory).
        sqlx::query("PRAGMA temp_store = FILE").execute(&mut *conn).await?;
        sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
        // Checked again under the write lock: nothing can slip in between.
        let records: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM territories) + (SELECT count(*) FROM contacts) + (SELECT count(*) FROM programs)
                  + (SELECT count(*) FROM initiatives) + (SELECT count(*) FROM events)",
        )
        .fetch_one(&mut *conn)
        .await?;
        if records != 0 {
            return Err(Error::refused(NOT_EMPTY_RU, NOT_EMPTY_EN));
        }
        let bulk = BulkLoad::begin(conn, FILLED).await?;
        let made = write(conn, make, self.device().to_string(), progress).await?;
        progress(FillProgress::Indexes(false));
        bulk.finish(conn).await?;
        progress(FillProgress::Indexes(true));
        progress(FillProgress::Saving);
        if let Some(table) = dangling_reference(conn).await? {
            return Err(Error::refused(
                format!("данные не сохранены: запись в таблице {table} ссылается на несуществующую"),
                format!("the data was not saved: a row in {table} refers to a missing record"),
            ));
        }
        sqlx::query("COMMIT").execute(&mut *conn).await?;
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await?;
        if mode.eq_ignore_ascii_case("wal") {
            // Copy the transaction from the log into the file now, and empty the log, rather than
            // leave hundreds of megabytes to the next edit; with readers busy it copies what it can.
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *conn).await?;
        }
        Ok(made)
    }
}

/// The tables that take many rows: their secondary indexes and search triggers are rebuilt once
/// at the end rather than kept up row by row (see `load.rs`).
const FILLED: &[&str] = &[
    "contacts",
    "contact_roles",
    "contact_phones",
    "contact_emails",
    "contact_tags",
    "consents",
    "initiatives",
    "budget_lines",
    "stage_changes",
    "events",
    "event_attendees",
    "event_initiatives",
    "appeals",
    "history",
];

/// Puts write-ahead logging back when [`Store::fill_empty`] stops half-way without finishing its
/// work: its future dropped, or a progress callback panicking. The writer then closes on its own
/// and rolls back; the store's next writer connection asks for WAL as it opens, and this opens
/// it at once.
struct Abandoned(Option<Store>);

impl Abandoned {
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for Abandoned {
    fn drop(&mut self) {
        if let (Some(store), Ok(runtime)) = (self.0.take(), tokio::runtime::Handle::try_current()) {
            runtime.spawn(async move {
                if let Err(e) = store.writer().acquire().await {
                    tracing::warn!("reopening the writer after an abandoned load: {e}");
                }
            });
        }
    }
}

/// Runs `make` on a thread of its own and writes what it makes to `conn`, in order, passing its
/// progress reports on as the rows they count are written.
async fn write<P, T>(
    conn: &mut SqliteConnection,
    make: impl FnOnce(&mut Filler<P>) -> Result<T> + Send + 'static,
    device: String,
    progress: &(dyn Fn(FillProgress<P>) + Send + Sync),
) -> Result<T>
where
    P: Send + 'static,
    T: Send + 'static,
{
    // A few statements' worth of rows ahead of the writer: enough to keep both busy, little memory.
    let (queue, mut made) = tokio::sync::mpsc::channel(4);
    let maker = tokio::task::spawn_blocking(move || {
        let mut filler = Filler { queue, device, rows: 0 };
        make(&mut filler).map(|made| (made, filler.rows))
    });
    let mut written = 0;
    while let Some(message) = made.recv().await {
        match message {
            Message::Insert(insert) => {
                written += insert.rows;
                insert.execute(&mut *conn).await?;
            }
            Message::Progress(p) => progress(FillProgress::Made(p)),
        }
    }
    // The queue closes when the maker is done, or has failed: its own result says which.
    let (made, rows) = match maker.await {
        Ok(made) => made?,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => {
            return Err(Error::refused(
                format!("заполнение базы прервано: {e}"),
                format!("filling the database was interrupted: {e}"),
            ));
        }
    };
    debug_assert_eq!(written, rows, "every row made was written");
    Ok(made)
}
