//! A backup: a consistent copy of the office database, written while the office keeps working,
//! with its key file beside it — the database's own key, or one derived from a password for
//! another computer. [`restore`](super::restore) puts one back.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{key_file, passphrase_key};
use crate::error::{Error, Result};
use crate::file::{remove_if_there, sibling, sync_dir};
use crate::secret::Sensitive;
use crate::store::Store;

/// What a backup wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackupReport {
    /// The backup file.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
}

/// A backup's path as SQL text, refused if a file is already there.
fn backup_target(target: &Path) -> Result<&str> {
    if target.exists() {
        return Err(Error::refused(
            format!("файл «{}» уже существует; выберите другое имя", target.display()),
            format!("«{}» already exists; choose another name", target.display()),
        ));
    }
    // A folder that is not there is named as such, not as the database failing to open.
    let folder = crate::file::folder_of(target);
    if !folder.is_dir() {
        return Err(Error::refused(
            format!("папки «{}» для копии нет; выберите существующую папку", folder.display()),
            format!("there is no folder «{}» for the copy; choose one that exists", folder.display()),
        ));
    }
    target.to_str().ok_or_else(|| {
        Error::refused("путь к копии содержит недопустимые символы", "the backup path is not valid text")
    })
}

impl Store {
    /// Writes a consistent copy of the database to `target` while the office keeps working.
    /// An existing file is never overwritten. An encrypted database's copy is encrypted with the
    /// same key, and its key file is copied beside it (`<target>.key.json`): on this computer it
    /// opens as the database does; for another, see [`Store::backup_with_passphrase`].
    /// Attachments stay in their folder beside the database and are not part of this file.
    pub async fn backup(&self, target: &Path) -> Result<BackupReport> {
        let target_str = backup_target(target)?;
        // SQLCipher opens the copy with the database's own key.
        sqlx::query("VACUUM INTO ?").bind(target_str).execute(self.writer()).await?;
        let own_key_file = key_file::path_of(self.path());
        if self.is_encrypted() && own_key_file.exists() {
            std::fs::copy(&own_key_file, key_file::path_of(target)).map_err(|e| Error::io(&own_key_file, e))?;
        }
        let bytes = std::fs::metadata(target).map_err(|e| Error::io(target, e))?.len();
        Ok(BackupReport { path: target.to_path_buf(), bytes })
    }

    /// [`Store::backup`], the copy encrypted with a key derived from `passphrase` (a new salt,
    /// written to `<target>.key.json`) instead of the database's own: it opens on any computer
    /// with the password, and `vault::restore` puts it back. The database must be encrypted.
    pub async fn backup_with_passphrase(&self, target: &Path, passphrase: &Sensitive<String>) -> Result<BackupReport> {
        backup_target(target)?;
        if !self.is_encrypted() {
            return Err(Error::refused(
                "база данных не зашифрована: сначала откройте её в Mestno, чтобы она была зашифрована",
                "the database is not encrypted: open it in Mestno first, so that it is encrypted",
            ));
        }
        let (key, new_key_file) = passphrase_key(passphrase).await?;
        let part = sibling(target, "part");
        remove_if_there(&part)?;
        let part_str = backup_target(&part)?;
        sqlx::query("VACUUM INTO ?").bind(part_str).execute(self.writer()).await?;
        // Attached without a key, the copy opens with the database's key; then it gets the new one.
        let mut conn = self.writer().acquire().await?;
        sqlx::query("ATTACH DATABASE ? AS copy").bind(part_str).execute(&mut *conn).await?;
        let rekeyed =
            sqlx::query(&format!("PRAGMA copy.rekey = {}", key.pragma_value().expose())).execute(&mut *conn).await;
        let detached = sqlx::query("DETACH DATABASE copy").execute(&mut *conn).await;
        drop(conn);
        if let Err(e) = rekeyed.map_err(Error::from).and(detached.map_err(Error::from)) {
            remove_if_there(&part)?;
            return Err(e);
        }
        key_file::write(target, &new_key_file)?;
        std::fs::rename(&part, target).map_err(|e| Error::io(target, e))?;
        sync_dir(target)?;
        let bytes = std::fs::metadata(target).map_err(|e| Error::io(target, e))?.len();
        Ok(BackupReport { path: target.to_path_buf(), bytes })
    }
}
