//! The office database: one SQLite file, opened in one place.
//!
//! [`Store::open_with`] sets the SQLCipher key, WAL, foreign keys and a busy timeout, and brings
//! the schema up to date with the embedded, append-only migrations. Writes go through a single connection, so they
//! never fight over SQLite's write lock; reads use a small pool and see the last committed state.
//! Every write runs in one transaction: a failure or a crash leaves the file as it was.

mod appeals;
mod attachments;
mod bulk;
mod consents;
mod contacts;
mod erasure;
mod events;
mod funds;
mod history;
mod initiatives;
mod maintenance;
mod mentions;
mod page;
mod person;
mod profile;
mod programs;
mod report_data;
mod search;
mod stages;
mod stats;
mod sync;
mod territories;
mod writer_cache;

pub use attachments::Attachment;
pub use bulk::{
    Batch, BatchIds, BatchProblem, BatchProgress, ContactKey, FillProgress, Filler, InitiativeUpdate, NewContact,
    NewInitiative, NewTerritory, RecordKey, StageMove, rows,
};
pub use contacts::{ContactActivity, ContactEvent, ContactInitiative, ContactQuery, ContactRow, ContactSort};
pub use events::{EventQuery, EventRow, EventSort};
pub use history::{HistoryEntry, Op};
pub use initiatives::{InitiativeCheck, InitiativeQuery, InitiativeRow, InitiativeSort, SourceShare};
pub use maintenance::CheckReport;
pub use page::{Cursor, Direction, MAX_PAGE, Page};
pub use person::{PersonAppeal, PersonData, PersonEvent, PersonInitiative, PersonMention};
pub use report_data::{
    EngagementFigures, PERSONAL_INITIATORS, REPORT_BATCH, RegistryRow, ReportContact, ReportScope, TerritoryEvents,
    TerritoryFigure, TerritoryFunds,
};
pub use search::{SearchHit, search_terms};
pub use stats::{Stats, StatsFilter};
pub use sync::{
    Applied, ConflictState, FileToSend, FilesFor, Holdings, Missing, Partner, Scope, SyncConflict, erased_digest,
};
pub use territories::TerritoryNode;

pub use crate::file::Footprint;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use sqlx::sqlite::SqlitePoolOptions;
use sqlx::{Row, SqliteConnection, SqlitePool};

use crate::clock::Clock;
use crate::error::{Entity, Error, Result};
use crate::file;
use crate::model::Id;
use crate::secret::DatabaseKey;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// An open office database.
#[derive(Clone, Debug)]
pub struct Store {
    read: SqlitePool,
    write: SqlitePool,
    clock: Arc<dyn Clock>,
    device: String,
    /// Shared by the store's clones: who works at the computer can change while it is open.
    actor: Arc<std::sync::RwLock<String>>,
    path: PathBuf,
    encrypted: bool,
    hlc: Arc<Mutex<i64>>,
    /// Held by a large write while it runs (see [`Store::large_write`]).
    large_writes: Arc<tokio::sync::Mutex<()>>,
}

/// How the database file is read: in the clear, or through SQLCipher with a key.
#[derive(Clone, Debug)]
pub enum Access {
    /// An unencrypted SQLite file: tests, tools, and the benchmark's yardstick. The app and the
    /// `mestno` command never open the office this way.
    Plain,
    /// An encrypted file (or a new one, created encrypted) and its key, from
    /// [`vault::unlock`](crate::vault::unlock).
    Key(DatabaseKey),
}

impl Store {
    /// Opens the unencrypted database at `path`, creating it if there is none; see
    /// [`Store::open_with`]. The office itself is opened encrypted, with a key from
    /// [`vault::unlock`](crate::vault::unlock).
    pub async fn open(path: &Path, clock: Arc<dyn Clock>, actor: impl Into<String>) -> Result<Store> {
        Store::open_with(path, Access::Plain, clock, actor).await
    }

    /// Opens the database at `path` with `access`, creating it if there is none, and migrates it.
    ///
    /// `actor` is the person the change history names (the logged-in user); time comes from
    /// `clock`. A file that is not a Mestno database is refused, not written to; a key that does
    /// not open the file is [`Error::WrongKey`], and the file is left as it was.
    pub async fn open_with(
        path: &Path,
        access: Access,
        clock: Arc<dyn Clock>,
        actor: impl Into<String>,
    ) -> Result<Store> {
        Store::open_sized(path, access, Footprint::Large, clock, actor).await
    }

    /// [`Store::open_with`], keeping as much memory for pages as `footprint` says.
    pub async fn open_sized(
        path: &Path,
        access: Access,
        footprint: Footprint,
        clock: Arc<dyn Clock>,
        actor: impl Into<String>,
    ) -> Result<Store> {
        let key = match &access {
            Access::Plain => None,
            Access::Key(key) => {
                if file::is_plain_sqlite(path)? {
                    return Err(Error::refused(
                        format!("база данных «{}» ещё не зашифрована; её шифрует vault::unlock", path.display()),
                        format!("the database «{}» is not encrypted yet; vault::unlock encrypts it", path.display()),
                    ));
                }
                Some(key)
            }
        };
        let encrypted = key.is_some();
        let session = file::session(path, key, footprint);
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .connect_with(session.writer)
            .await
            .map_err(|e| if encrypted { file::wrong_key(e) } else { Error::Database(e) })?;
        refuse_foreign_database(&write, path).await?;
        MIGRATOR.run(&write).await.map_err(|e| match e {
            sqlx::migrate::MigrateError::VersionMissing(_) => Error::refused(
                "база данных создана более новой версией Mestno; обновите программу",
                "the database was made by a newer version of Mestno; update the app",
            ),
            other => Error::Migration(other),
        })?;
        let device = ensure_device_id(&write).await?;
        let hlc = sqlx::query_scalar("SELECT coalesce(max(hlc), 0) FROM history").fetch_one(&write).await?;
        // Refresh the planner's statistics where they are missing or stale (cheap: sampled).
        sqlx::query("PRAGMA analysis_limit = 1000").execute(&write).await?;
        sqlx::query("PRAGMA optimize = 0x10002").execute(&write).await?;
        // Readers take the file in the journal mode the writer set (WAL) rather than ask for it:
        // a read-only connection cannot set a journal mode, and asking fails while the demo load
        // has the file in rollback-journal mode (see `Store::fill_empty`).
        // An unencrypted file's pages are read through the memory map, from the OS cache every
        // connection shares. An encrypted one's are decrypted into each connection's own page
        // cache: fewer readers, each with room for a large office's indexes and kept open (with
        // what it has decrypted) for the whole session.
        let read = if encrypted {
            SqlitePoolOptions::new()
                .max_connections(2)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(session.reader)
                .await?
        } else {
            SqlitePoolOptions::new().max_connections(4).connect_with(session.reader).await?
        };
        let hlc = Arc::new(Mutex::new(hlc));
        Ok(Store {
            read,
            write,
            clock,
            device,
            actor: Arc::new(std::sync::RwLock::new(actor.into())),
            path: path.to_path_buf(),
            encrypted,
            hlc,
            large_writes: Arc::default(),
        })
    }

    /// Whether the file is encrypted (opened with a key).
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// Closes every connection, checkpointing the write-ahead log into the file.
    pub async fn close(self) {
        self.read.close().await;
        // The last connection to close copies the log into the file, but a reader's close can lag
        // behind the pool's (sqlx finishes it on a task of its own), and a read-only connection
        // cannot: the writer empties the log itself. Best effort: a failure leaves the log, which
        // the next open reads.
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.write).await;
        self.write.close().await;
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder beside the database where attachments are kept.
    pub fn files_dir(&self) -> PathBuf {
        let mut name = self.path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        name.push(".files");
        self.path.with_file_name(name)
    }

    /// The person the change history names for changes made through this store.
    pub fn actor(&self) -> String {
        self.actor.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Names `who` in the history of the changes made from now on (the person who has just sat
    /// down at the computer).
    pub fn set_actor(&self, who: impl Into<String>) {
        *self.actor.write().unwrap_or_else(std::sync::PoisonError::into_inner) = who.into();
    }

    /// This laptop's id, stamped on every change it makes.
    pub fn device(&self) -> &str {
        &self.device
    }

    /// The clock the store was opened with.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub(crate) fn reader(&self) -> &SqlitePool {
        &self.read
    }

    pub(crate) fn writer(&self) -> &SqlitePool {
        &self.write
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    /// The next hybrid logical clock for a change made here: `(ms << 16) + counter`, past the
    /// wall clock's millisecond, every clock this replica has made and every one it has seen in
    /// another's change ([`Store::observe_hlc`]). Clocks order changes across replicas: of two
    /// changes to one field the later clock wins, and a change made after seeing another always
    /// has the later clock, whatever the laptops' clocks say.
    pub fn next_hlc(&self) -> i64 {
        self.next_hlcs(1)
    }

    /// The first of `n` consecutive clocks, for a batch of changes.
    pub(crate) fn next_hlcs(&self, n: usize) -> i64 {
        let wall = self.now_ms() << 16;
        let mut last = self.hlc.lock().unwrap_or_else(|p| p.into_inner());
        let first = wall.max(*last + 1);
        *last = first + n.max(1) as i64 - 1;
        first
    }

    /// Moves this replica's clock past `seen`, a clock from another replica's change.
    pub fn observe_hlc(&self, seen: i64) {
        let mut last = self.hlc.lock().unwrap_or_else(|p| p.into_inner());
        *last = (*last).max(seen);
    }

    /// A new UUIDv7 stamped with the store's clock.
    pub fn new_id(&self) -> Id {
        let now = self.clock.now();
        let ts = uuid::Timestamp::from_unix(uuid::NoContext, now.timestamp() as u64, now.timestamp_subsec_nanos());
        Id::new_v7(ts)
    }

    pub(crate) async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.write.begin().await?)
    }

    /// Refreshes the query planner's statistics; worth calling after a bulk load.
    pub async fn analyze(&self) -> Result<()> {
        sqlx::query("PRAGMA analysis_limit = 1000").execute(&self.write).await?;
        sqlx::query("ANALYZE").execute(&self.write).await?;
        Ok(())
    }

    /// Whether the office has no records yet.
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM territories) + (SELECT count(*) FROM contacts)
                  + (SELECT count(*) FROM initiatives) + (SELECT count(*) FROM events)
                  + (SELECT count(*) FROM programs)",
        )
        .fetch_one(&self.read)
        .await?;
        Ok(n == 0)
    }

    /// A setting of the office (its name, its home territory…).
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = ?").bind(key).fetch_optional(&self.read).await?)
    }

    /// Stores a setting of the office.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&self.write)
            .await?;
        Ok(())
    }
}

async fn refuse_foreign_database(pool: &SqlitePool, path: &Path) -> Result<()> {
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'").fetch_all(pool).await?;
    if !tables.is_empty() && !tables.iter().any(|t| t == "_sqlx_migrations") {
        return Err(Error::refused(
            format!("файл «{}» — база данных другой программы; Mestno не будет её менять", path.display()),
            format!("«{}» is another program's database; Mestno will not change it", path.display()),
        ));
    }
    Ok(())
}

async fn ensure_device_id(pool: &SqlitePool) -> Result<String> {
    let candidate = uuid::Uuid::new_v4().to_string();
    sqlx::query("INSERT OR IGNORE INTO meta(key, value) VALUES ('device_id', ?)")
        .bind(&candidate)
        .execute(pool)
        .await?;
    Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = 'device_id'").fetch_one(pool).await?)
}

/// Checks that a record exists, for references given in an input.
pub(crate) async fn exists(conn: &mut SqliteConnection, entity: Entity, id: Id) -> Result<bool> {
    let sql = match entity {
        Entity::Territory => "SELECT 1 FROM territories WHERE id = ?",
        Entity::Program => "SELECT 1 FROM programs WHERE id = ?",
        Entity::Initiative => "SELECT 1 FROM initiatives WHERE id = ?",
        Entity::Contact => "SELECT 1 FROM contacts WHERE id = ?",
        Entity::Event => "SELECT 1 FROM events WHERE id = ?",
        Entity::Appeal => "SELECT 1 FROM appeals WHERE id = ?",
        Entity::Consent => "SELECT 1 FROM consents WHERE id = ?",
        Entity::Attachment => "SELECT 1 FROM attachments WHERE id = ?",
    };
    Ok(sqlx::query(sql).bind(id).fetch_optional(conn).await?.is_some())
}

/// Bumps a record's stamp, checking the caller saw the latest revision.
pub(crate) async fn bump_stamp(
    store: &Store,
    conn: &mut SqliteConnection,
    entity: Entity,
    id: Id,
    rev: i64,
) -> Result<()> {
    let table = table_of(entity);
    let sql = format!("UPDATE {table} SET updated_at = ?, updated_by = ?, rev = rev + 1 WHERE id = ? AND rev = ?");
    let done =
        sqlx::query(&sql).bind(store.now_ms()).bind(&store.device).bind(id).bind(rev).execute(&mut *conn).await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    if exists(conn, entity, id).await? { Err(Error::Conflict { entity }) } else { Err(Error::not_found(entity, id)) }
}

/// Deletes a record, leaving a tombstone and a history entry.
pub(crate) async fn delete_record(store: &Store, entity: Entity, id: Id, snapshot: serde_json::Value) -> Result<()> {
    let mut tx = store.begin().await?;
    delete_in(store, &mut tx, entity, id, history::deleted(&snapshot)).await?;
    tx.commit().await?;
    Ok(())
}

/// [`delete_record`] inside the caller's transaction, with the history entry's `changes` given.
pub(crate) async fn delete_in(
    store: &Store,
    tx: &mut SqliteConnection,
    entity: Entity,
    id: Id,
    changes: serde_json::Value,
) -> Result<()> {
    let sql = format!("DELETE FROM {} WHERE id = ?", table_of(entity));
    let done = sqlx::query(&sql).bind(id).execute(&mut *tx).await.map_err(|e| in_use(e, entity))?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(entity, id));
    }
    sqlx::query("INSERT INTO tombstones(id, entity, deleted_at, device) VALUES (?, ?, ?, ?)")
        .bind(id)
        .bind(entity.as_str())
        .bind(store.now_ms())
        .bind(&store.device)
        .execute(&mut *tx)
        .await?;
    history::record(store, tx, entity, id, Op::Delete, changes).await
}

fn in_use(e: sqlx::Error, entity: Entity) -> Error {
    if e.as_database_error().is_some_and(|d| d.message().contains("FOREIGN KEY")) {
        Error::refused(
            format!("{} используется в других записях; сначала измените их", capitalize(entity.label(crate::Lang::Ru))),
            format!("the {} is used by other records; change them first", entity.label(crate::Lang::En)),
        )
    } else {
        Error::Database(e)
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// A query whose arguments are being bound.
pub(crate) type Query<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

/// `UPDATE table SET field = ?, … WHERE id = ?`, the fields in their `bind_fields` order.
pub(crate) fn update_sql(table: &str, fields: &str) -> String {
    let assignments: Vec<String> = fields.split(',').map(|f| format!("{} = ?", f.trim())).collect();
    format!("UPDATE {table} SET {} WHERE id = ?", assignments.join(", "))
}

pub(crate) fn table_of(entity: Entity) -> &'static str {
    match entity {
        Entity::Territory => "territories",
        Entity::Program => "programs",
        Entity::Initiative => "initiatives",
        Entity::Contact => "contacts",
        Entity::Event => "events",
        Entity::Appeal => "appeals",
        Entity::Consent => "consents",
        Entity::Attachment => "attachments",
    }
}

pub(crate) fn stamp_from(row: &sqlx::sqlite::SqliteRow) -> Result<crate::model::Stamp> {
    Ok(crate::model::Stamp {
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        updated_by: row.try_get("updated_by")?,
        rev: row.try_get("rev")?,
    })
}

/// `{column} IN (…)` when `ids` is given.
pub(crate) fn push_in(qb: &mut sqlx::QueryBuilder<'_, sqlx::Sqlite>, column: &str, ids: Option<&[Id]>) {
    if let Some(ids) = ids {
        qb.push(column).push(" IN (");
        let mut list = qb.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        qb.push(")");
    }
}

#[cfg(test)]
mod tests;
