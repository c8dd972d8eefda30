//! The database file under the store and the vault: how a connection to it is made (SQLCipher's
//! key first, then WAL, foreign keys, a busy timeout and page caches), what its first bytes say,
//! and the files kept beside it.
//!
//! The [`Store`](crate::Store) opens an office through [`session`]; the vault (unlocking,
//! encrypting, backups and restoring) works on files through [`connect`] and [`attach_keyed`].
//! This module uses neither of them: the store sits on it, and the vault on both.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, SqliteConnection};

use crate::error::{Error, Result};
use crate::secret::DatabaseKey;

/// The first 16 bytes of every unencrypted SQLite file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// How much memory an open store keeps for the database's pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Footprint {
    /// Large page caches (an encrypted file: 128 MB a connection; an unencrypted one: mapped into
    /// memory): the command line's bulk loads and reports, and the benchmark's figures.
    #[default]
    Large,
    /// Small page caches (8 MB a reader, 32 MB for the writer) and no memory map: the desktop
    /// app, which keeps the office open all day beside a browser engine and reads what one
    /// screen needs; pages it no longer holds are read again from the OS cache.
    Small,
}

impl Footprint {
    /// `PRAGMA cache_size` of the readers and of the writer (negative: KiB).
    fn cache_kib(self, encrypted: bool) -> (i64, i64) {
        match (self, encrypted) {
            (Footprint::Large, true) => (131_072, 131_072),
            (Footprint::Large, false) => (32_768, 131_072),
            (Footprint::Small, _) => (8_192, 32_768),
        }
    }
}

/// A connection's options to the file at `path`, with SQLCipher's `key` when there is one. sqlx
/// runs `PRAGMA key` before every other pragma of a new connection; statements are then not
/// logged, as that one carries the key. OpenSSL and SQLite's allocator are set up first (see
/// [`crate::crypto::init`] and [`crate::allocator::route_sqlite`]).
fn keyed(path: &Path, key: Option<&DatabaseKey>) -> SqliteConnectOptions {
    crate::crypto::init();
    crate::allocator::route_sqlite();
    let options = SqliteConnectOptions::new().filename(path);
    match key {
        Some(key) => options.pragma("key", key.pragma_value().expose().clone()).disable_statement_logging(),
        None => options,
    }
}

/// The options of an open office's connections: the one writer's and the readers'.
pub(crate) struct Session {
    /// The writer: WAL, and the bigger page cache (bulk loads update large indexes).
    pub(crate) writer: SqliteConnectOptions,
    /// The readers: read-only; they take the file in the journal mode the writer set (WAL) rather
    /// than ask for it, since a read-only connection cannot set one.
    pub(crate) reader: SqliteConnectOptions,
}

/// How the store connects to the office database at `path` (created if missing), encrypted with
/// `key` or in the clear: every change synced to disk before it counts, foreign keys enforced, a
/// 10 s wait for a lock, temporary tables in memory, and page caches as `footprint` says.
pub(crate) fn session(path: &Path, key: Option<&DatabaseKey>, footprint: Footprint) -> Session {
    let mut options = keyed(path, key)
        .create_if_missing(true)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("temp_store", "memory");
    if footprint == Footprint::Large {
        // Memory-mapped reads: the reader connections share the OS cache instead of copying
        // pages. SQLCipher reads encrypted pages the ordinary way and ignores this.
        options = options.pragma("mmap_size", "1073741824");
    }
    let (reader_cache, writer_cache) = footprint.cache_kib(key.is_some());
    Session {
        writer: options.clone().journal_mode(SqliteJournalMode::Wal).pragma("cache_size", format!("-{writer_cache}")),
        reader: options.read_only(true).pragma("cache_size", format!("-{reader_cache}")),
    }
}

/// One connection to the file at `path`, in the clear or with `key`, never creating it and
/// without foreign keys (for copying a file whole). Statements are not logged: `PRAGMA key`
/// carries the key.
pub(crate) async fn connect(path: &Path, key: Option<&DatabaseKey>) -> Result<SqliteConnection> {
    let options = keyed(path, key).create_if_missing(false).foreign_keys(false);
    let mut conn = options.disable_statement_logging().connect().await?;
    // SQLCipher reads nothing until asked: ask, so a wrong key shows here.
    let read: std::result::Result<i64, _> =
        sqlx::query_scalar("SELECT count(*) FROM sqlite_master").fetch_one(&mut conn).await;
    match read {
        Ok(_) => Ok(conn),
        Err(e) if key.is_some() && is_not_a_database(&e) => Err(Error::WrongKey),
        Err(e) => Err(e.into()),
    }
}

/// Attaches the database at `path` to `conn` as `alias`, encrypted with `key` (a new one if the
/// file is empty). The key goes as a bound value, never into the statement's text.
pub(crate) async fn attach_keyed(
    conn: &mut SqliteConnection,
    path: &Path,
    alias: &str,
    key: &DatabaseKey,
) -> Result<()> {
    let text = path.to_str().ok_or_else(|| {
        Error::refused("путь к базе данных содержит недопустимые символы", "the database path is not valid text")
    })?;
    sqlx::query(&format!("ATTACH DATABASE ? AS {alias} KEY ?"))
        .bind(text)
        .bind(key.sqlcipher_literal().expose().as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// "File is not a database" from a connection given a key: the key does not open the file (or it
/// is damaged; SQLCipher cannot tell the two apart).
pub(crate) fn wrong_key(e: sqlx::Error) -> Error {
    if is_not_a_database(&e) { Error::WrongKey } else { Error::Database(e) }
}

fn is_not_a_database(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.message().contains("file is not a database"))
}

/// What the first bytes of a file say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileState {
    Missing,
    Empty,
    /// "SQLite format 3": an unencrypted database.
    Plain,
    /// Anything else: an encrypted database, or not a database at all.
    Other,
}

/// What the first bytes of the file at `path` say.
pub(crate) fn state(path: &Path) -> Result<FileState> {
    use std::io::Read;
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileState::Missing),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut head = Vec::with_capacity(16);
    file.by_ref().take(16).read_to_end(&mut head).map_err(|e| Error::io(path, e))?;
    Ok(match head.as_slice() {
        [] => FileState::Empty,
        h if h == SQLITE_HEADER => FileState::Plain,
        _ => FileState::Other,
    })
}

/// Whether the file at `path` is an unencrypted SQLite database.
pub(crate) fn is_plain_sqlite(path: &Path) -> Result<bool> {
    Ok(state(path)? == FileState::Plain)
}

/// `<path>.<suffix>` in the same folder.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    companion(path, &format!(".{suffix}"))
}

/// `<path><suffix>` in the same folder: SQLite's `-wal`, `-shm` and `-journal` files.
pub(crate) fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// The folder `path` lies in: its parent, or the current folder for a bare file name.
pub fn folder_of(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Makes a rename inside `path`'s folder durable.
pub(crate) fn sync_dir(path: &Path) -> Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Removes a file if it is there.
pub(crate) fn remove_if_there(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}
