//! The Excel reports: written where the person chose in the save dialog, then shown in the
//! file manager on request.

use std::path::PathBuf;

use mestno_core::ErrorCode;
use mestno_reports::{ReportKind, ReportRequest, ReportSummary};
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_opener::OpenerExt;

use super::{OfficeState, Reply};
use crate::error::ui_lang;
use crate::{AppError, Progress};

/// Writes report `kind` for `request` to `path` (from the save dialog), sending `progress`
/// events as rows are written.
#[tauri::command]
pub async fn export_report<R: Runtime>(
    app: AppHandle<R>,
    office: OfficeState<'_>,
    kind: ReportKind,
    request: ReportRequest,
    path: PathBuf,
) -> Reply<ReportSummary> {
    let task = kind.title_in(ui_lang()).to_owned();
    let report = move |rows: u64| {
        let _ = app.emit("progress", Progress { task: task.clone(), done: rows, total: 0 });
    };
    let store = office.store()?;
    Ok(mestno_reports::write_report_with_progress(store, kind, &request, &path, &report).await?)
}

/// Shows the file at `path` in the system's file manager.
#[tauri::command]
pub async fn reveal<R: Runtime>(app: AppHandle<R>, path: PathBuf) -> Reply<()> {
    app.opener().reveal_item_in_dir(&path).map_err(|e| {
        let mut err = AppError::new(ErrorCode::Io, "Не удалось открыть папку", "Could not open the folder");
        err.message = format!("{}: {e}", err.message);
        err
    })
}
