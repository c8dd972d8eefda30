//! A backup put back in the office database's place.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use sqlx::Connection;

use super::{Unlock, check_integrity, existing_key, key_file, new_key, row_counts, unlock};
use crate::error::{Error, Result, Text};
use crate::file::{self, FileState, attach_keyed, companion, connect, remove_if_there, sibling, sync_dir};
use crate::{Access, Clock, DatabaseKey, Store};

/// What a restore did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RestoreReport {
    /// The database, now holding the backup's data.
    pub path: PathBuf,
    /// Where the database it replaced was moved (with its key file), if there was one.
    pub previous: Option<PathBuf>,
    /// Rows restored, every table counted.
    pub rows: i64,
    /// Acts of destruction the replaced database records and the backup predates: done again on
    /// the people the backup brought back (see [`Store::erase_again_after_restore`]).
    pub erasures_redone: Vec<String>,
}

/// Puts the backup at `backup` in the place of the database at `target`.
///
/// The backup is unlocked as its own key file says — `backup_unlock` gives its password, or the
/// OS store its key — and checked (a Mestno database, whole) before anything is replaced: a wrong
/// password or a damaged backup changes nothing. Its data is then copied into a new file
/// encrypted with the target's key (unlocked with `target_unlock`; a new key if there is no
/// database there yet), checked again, and renamed into place. The database that was there is
/// kept as `<database>.before-restore`, with its key file. The backup file itself is only read.
/// Nothing may have the target open meanwhile (close the app first).
///
/// A person erased after the backup was made stays erased: the replaced database's acts of
/// destruction are carried into the restored one and done again there, by `actor` at the time of
/// `clock`.
pub async fn restore(
    backup: &Path,
    backup_unlock: &Unlock,
    target: &Path,
    target_unlock: &Unlock,
    clock: Arc<dyn Clock>,
    actor: &str,
) -> Result<RestoreReport> {
    let backup_key = match file::state(backup)? {
        FileState::Missing => return Err(Error::io(backup, std::io::ErrorKind::NotFound.into())),
        FileState::Empty => return Err(not_a_backup(backup)),
        FileState::Plain => None,
        FileState::Other => {
            let file = key_file::read(backup)?.ok_or_else(|| super::no_key_file(backup))?;
            Some(existing_key(&file, backup_unlock).await?)
        }
    };
    // Read from a copy: the backup may be on a read-only stick, and is never written to.
    let copy = sibling(target, "restoring-backup");
    std::fs::copy(backup, &copy).map_err(|e| Error::io(backup, e))?;
    let restored = copy_into_place(&copy, backup_key.as_ref(), target, target_unlock, (clock, actor)).await;
    for leftover in [copy.clone(), companion(&copy, "-journal"), companion(&copy, "-wal"), companion(&copy, "-shm")] {
        remove_if_there(&leftover)?;
    }
    restored
}

/// Opens the restored copy at `part` and erases again there whom the database at `target` (to be
/// replaced) erased after the backup was made: before the swap, so a failure replaces nothing.
async fn erase_again(part: &Path, target: &Path, key: &DatabaseKey, by: (Arc<dyn Clock>, &str)) -> Result<Vec<String>> {
    let store = Store::open_with(part, Access::Key(key.clone()), by.0, by.1).await?;
    let redone = store.erase_again_after_restore(target, key).await;
    store.close().await;
    let redone = redone?;
    // Back to a single file: the write-ahead log goes into it (or the restore stops here), so the
    // copy renamed into place holds every change.
    let mut conn = connect(part, Some(key)).await?;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode = DELETE").fetch_one(&mut conn).await?;
    conn.close().await?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(Error::refused(
            "восстановленную копию не удалось закрыть; база данных оставлена как была",
            "the restored copy could not be closed; the database was left as it was",
        ));
    }
    Ok(redone)
}

async fn copy_into_place(
    copy: &Path,
    backup_key: Option<&DatabaseKey>,
    target: &Path,
    target_unlock: &Unlock,
    by: (Arc<dyn Clock>, &str),
) -> Result<RestoreReport> {
    let mut source = connect(copy, backup_key).await?;
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'").fetch_all(&mut source).await?;
    if !tables.iter().any(|t| t == "_sqlx_migrations") {
        return Err(not_a_backup(copy));
    }
    check_integrity(&mut source, "main", copy).await?;
    let before = row_counts(&mut source, "main").await?;

    // The target's key: the one it has (checked against it), or a new one.
    let (key, new_key_file) = match file::state(target)? {
        FileState::Missing | FileState::Empty => {
            let (key, file) = new_key(target, target_unlock).await?;
            (key, Some(file))
        }
        FileState::Plain | FileState::Other => {
            let key = unlock(target, target_unlock).await?.key;
            let mut current = connect(target, Some(&key)).await?;
            // Leaving WAL needs every other connection gone, and copies the log into the file.
            let mode: std::result::Result<String, _> =
                sqlx::query_scalar("PRAGMA journal_mode = DELETE").fetch_one(&mut current).await;
            current.close().await?;
            if !mode.is_ok_and(|m| m.eq_ignore_ascii_case("delete")) {
                return Err(Error::refused(
                    format!(
                        "база данных «{}» открыта в другой программе или в окне Mestno; закройте её и повторите",
                        target.display()
                    ),
                    format!(
                        "the database «{}» is open in another program or a Mestno window; close it and try again",
                        target.display()
                    ),
                ));
            }
            (key, None)
        }
    };

    let part = sibling(target, "restoring");
    remove_if_there(&part)?;
    remove_if_there(&companion(&part, "-journal"))?;
    // An empty file is a new database to SQLite: the connection (opened not to create files) can
    // attach it.
    std::fs::File::create(&part).map_err(|e| Error::io(&part, e))?;
    attach_keyed(&mut source, &part, "restored", &key).await?;
    let exported = super::encrypt::export(&mut source, "restored").await;
    let detached = sqlx::query("DETACH DATABASE restored").execute(&mut source).await;
    source.close().await?;
    exported?;
    detached?;

    let mut check = connect(&part, Some(&key)).await?;
    check_integrity(&mut check, "main", &part).await?;
    let after = row_counts(&mut check, "main").await?;
    check.close().await?;
    if after != before {
        remove_if_there(&part)?;
        return Err(Error::refused(
            "восстановленная копия не совпала с резервной; база данных оставлена как была",
            "the restored copy did not match the backup; the database was left as it was",
        ));
    }
    let erasures_redone = if target.exists() {
        let redone = erase_again(&part, target, &key, by).await;
        if redone.is_err() {
            remove_if_there(&part)?;
        }
        redone?
    } else {
        Vec::new()
    };
    std::fs::File::open(&part).and_then(|f| f.sync_all()).map_err(|e| Error::io(&part, e))?;

    let previous = if target.exists() {
        let aside = sibling(target, "before-restore");
        std::fs::rename(target, &aside).map_err(|e| Error::io(target, e))?;
        for suffix in ["-wal", "-shm"] {
            remove_if_there(&companion(target, suffix))?;
        }
        let key_file = key_file::path_of(target);
        if key_file.exists() {
            std::fs::copy(&key_file, key_file::path_of(&aside)).map_err(|e| Error::io(&key_file, e))?;
        }
        Some(aside)
    } else {
        None
    };
    if let Some(file) = &new_key_file {
        key_file::write(target, file)?;
    }
    std::fs::rename(&part, target).map_err(|e| Error::io(target, e))?;
    sync_dir(target)?;
    let rows = before.iter().map(|(_, n)| n).sum();
    Ok(RestoreReport { path: target.to_path_buf(), previous, rows, erasures_redone })
}

fn not_a_backup(path: &Path) -> Error {
    Error::Storage(Text::new(
        format!("файл «{}» не является резервной копией базы данных Mestno", path.display()),
        format!("«{}» is not a backup of a Mestno database", path.display()),
    ))
}
