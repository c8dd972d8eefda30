//! A resident's requests under 152-ФЗ: everything held about one person in an Excel file, and
//! erasure on request with the act of destruction; the erasure log and its acts.

use std::path::PathBuf;

use mestno_core::model::{ErasureLogEntry, ErasureRequest, Id};
use mestno_reports::Erased;

use super::{OfficeState, Reply};

/// Writes everything held about contact `id` to `path` (from the save dialog); the rows written.
#[tauri::command]
pub async fn export_person(office: OfficeState<'_>, id: Id, path: PathBuf) -> Reply<u64> {
    Ok(mestno_reports::person_export(office.store()?, id, &path).await?)
}

/// Erases contact `id` as `request` asks, and writes the act of destruction to `act`.
#[tauri::command]
pub async fn erase_person(office: OfficeState<'_>, id: Id, request: ErasureRequest, act: PathBuf) -> Reply<Erased> {
    Ok(mestno_reports::erase_person(office.store()?, id, request, &act).await?)
}

/// The erasure log, newest first.
#[tauri::command]
pub async fn erasure_log(office: OfficeState<'_>) -> Reply<Vec<ErasureLogEntry>> {
    Ok(office.store()?.erasure_log().await?)
}

/// Writes the act of destruction of log entry `id` again, to `path`.
#[tauri::command]
pub async fn erasure_act(office: OfficeState<'_>, id: Id, path: PathBuf) -> Reply<()> {
    Ok(mestno_reports::erasure_act(office.store()?, id, &path).await?)
}
