//! An unencrypted office database becomes an encrypted one, in place and without loss.
//!
//! SQLCipher's `sqlcipher_export` copies the schema and every row into a new encrypted file
//! beside the old one (`<database>.encrypting`), which is checked (integrity, and every table's
//! rows counted against the original) and then renamed over it. The key file is written before
//! the rename. A crash at any point leaves the unencrypted database whole (and the next start
//! encrypts it again, with a new key) or the encrypted one with its key file; the unencrypted
//! file does not outlive the rename. The old file is held exclusively throughout: another
//! program with the database open makes this fail, before anything is written.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sqlx::{Connection, SqliteConnection};

use super::{KeyFile, check_integrity, key_file, row_counts};
use crate::error::{Error, Result};
use crate::file::{attach_keyed, companion, connect, remove_if_there, sibling, sync_dir};
use crate::secret::DatabaseKey;

/// What encrypting an unencrypted database did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EncryptReport {
    /// Tables copied.
    pub tables: usize,
    /// Rows copied, every table counted, all found again in the encrypted file.
    pub rows: i64,
}

/// An unencrypted Mestno database, held exclusively by this connection.
pub(crate) struct PlainDatabase {
    conn: SqliteConnection,
    path: PathBuf,
}

impl PlainDatabase {
    /// Opens the unencrypted database at `path` and takes it for itself. Refused if it is another
    /// program's database, or if anyone else has it open.
    pub(crate) async fn take(path: &Path) -> Result<PlainDatabase> {
        let mut conn = connect(path, None).await?;
        let tables: Vec<String> =
            sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'").fetch_all(&mut conn).await?;
        if !tables.is_empty() && !tables.iter().any(|t| t == "_sqlx_migrations") {
            return Err(Error::refused(
                format!("файл «{}» — база данных другой программы; Mestno не будет её менять", path.display()),
                format!("«{}» is another program's database; Mestno will not change it", path.display()),
            ));
        }
        // Leaving WAL needs every other connection gone; it also copies the log into the file.
        sqlx::query("PRAGMA busy_timeout = 2000").execute(&mut conn).await?;
        let mode: std::result::Result<String, _> =
            sqlx::query_scalar("PRAGMA journal_mode = DELETE").fetch_one(&mut conn).await;
        let exclusive = match mode {
            Ok(mode) if mode.eq_ignore_ascii_case("delete") => {
                // From here on this connection keeps the lock it takes until it is closed.
                sqlx::query("PRAGMA locking_mode = EXCLUSIVE").execute(&mut conn).await?;
                sqlx::query("BEGIN EXCLUSIVE").execute(&mut conn).await.is_ok()
                    && sqlx::query("COMMIT").execute(&mut conn).await.is_ok()
            }
            _ => false,
        };
        if !exclusive {
            return Err(in_use(path));
        }
        Ok(PlainDatabase { conn, path: path.to_path_buf() })
    }

    /// Copies the database into a new file encrypted with `key`, checks the copy, writes
    /// `key_file` and puts the copy in the database's place.
    pub(crate) async fn encrypt(mut self, key: &DatabaseKey, key_file: &KeyFile) -> Result<EncryptReport> {
        let path = self.path.clone();
        let part = sibling(&path, "encrypting");
        // Left by an attempt that crashed: the unencrypted database is still the real one.
        remove_if_there(&part)?;
        remove_if_there(&companion(&part, "-journal"))?;
        let before = row_counts(&mut self.conn, "main").await?;
        // An empty file is a new database to SQLite: the connection (opened not to create files)
        // can attach it.
        std::fs::File::create(&part).map_err(|e| Error::io(&part, e))?;
        attach_keyed(&mut self.conn, &part, "encrypted", key).await?;
        let exported = export(&mut self.conn, "encrypted").await;
        let detached = sqlx::query("DETACH DATABASE encrypted").execute(&mut self.conn).await;
        exported?;
        detached?;

        // Checked through a connection of its own with the key, as the store will open it.
        let mut copy = connect(&part, Some(key)).await?;
        check_integrity(&mut copy, "main", &part).await?;
        let after = row_counts(&mut copy, "main").await?;
        copy.close().await?;
        if after != before {
            remove_if_there(&part)?;
            return Err(Error::refused(
                "зашифрованная копия базы данных не совпала с исходной; база оставлена как была",
                "the encrypted copy of the database did not match the original; the database was left as it was",
            ));
        }
        std::fs::File::open(&part).and_then(|f| f.sync_all()).map_err(|e| Error::io(&part, e))?;

        self.conn.close().await?;
        // Out of WAL mode and closed: no log is left, and the shared-memory file (if any) is stale.
        let wal = companion(&path, "-wal");
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            return Err(in_use(&path));
        }
        remove_if_there(&wal)?;
        remove_if_there(&companion(&path, "-shm"))?;
        key_file::write(&path, key_file)?;
        std::fs::rename(&part, &path).map_err(|e| Error::io(&path, e))?;
        sync_dir(&path)?;
        Ok(EncryptReport { tables: before.len(), rows: before.iter().map(|(_, n)| n).sum() })
    }
}

/// `sqlcipher_export` into the attached database `schema`: a new file of our own until it is
/// checked, synced and renamed into place, so it is written without a journal or a sync per
/// table (a crash leaves a broken copy, which the next attempt removes).
pub(crate) async fn export(conn: &mut SqliteConnection, schema: &str) -> std::result::Result<(), sqlx::Error> {
    sqlx::query(&format!("PRAGMA \"{schema}\".journal_mode = OFF")).execute(&mut *conn).await?;
    sqlx::query(&format!("PRAGMA \"{schema}\".synchronous = OFF")).execute(&mut *conn).await?;
    sqlx::query(&format!("SELECT sqlcipher_export('{schema}')")).execute(&mut *conn).await?;
    Ok(())
}

fn in_use(path: &Path) -> Error {
    Error::refused(
        format!(
            "база данных «{}» открыта в другой программе или в окне Mestno; закройте её и повторите",
            path.display()
        ),
        format!(
            "the database «{}» is open in another program or a Mestno window; close it and try again",
            path.display()
        ),
    )
}
