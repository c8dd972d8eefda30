//! Backups from the window's settings: the state and settings, a copy now (where the save dialog
//! said, or into the backup folder), and a restore.

use std::path::PathBuf;

use mestno_core::vault::{BackupReport, RestoreReport};

use super::{Call, Reply};
use crate::backup::{self, BackupSettings, BackupStatus};

pub(super) async fn backup_status(call: Call<'_>) -> Reply<BackupStatus> {
    backup::status(call.office).await
}

pub(super) async fn save_backup_settings(call: Call<'_>, settings: BackupSettings) -> Reply<BackupStatus> {
    backup::save_settings(call.store()?, settings).await?;
    backup::status(call.office).await
}

pub(super) async fn backup_now(call: Call<'_>, path: PathBuf, passphrase: Option<String>) -> Reply<BackupReport> {
    Ok(backup::back_up(call.store()?, &path, passphrase).await?)
}

pub(super) async fn backup_to_folder(call: Call<'_>) -> Reply<BackupStatus> {
    call.office.backup_to_folder().await?;
    backup::status(call.office).await
}

/// Holds no handle on the store: the restore closes it.
pub(super) async fn restore_backup(call: Call<'_>, path: PathBuf, passphrase: Option<String>) -> Reply<RestoreReport> {
    call.office.restore_backup(&path, passphrase).await
}
