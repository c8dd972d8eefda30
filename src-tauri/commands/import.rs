//! The import wizard: a file from the open dialog (or the one the app was started with) → its
//! sheets and columns → the mapping → the check → the import, with `progress` events while
//! records are written.

use std::path::PathBuf;

use mestno_import::{Kind, Mapping};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::{OfficeState, Reply};
use crate::error::ui_lang;
use crate::import::{ImportCheck, ImportDone, ImportOpened};
use crate::{AppError, OpenFile, Progress};

/// The spreadsheet the app was started with (`mestno-app реестр.xlsx`), the first time it is
/// asked for; then none.
#[tauri::command]
pub fn take_open_file(file: State<'_, OpenFile>) -> Reply<Option<String>> {
    Ok(file.take().map(|p| p.to_string_lossy().into_owned()))
}

/// Opens the file at `path` to import records of `kind`.
#[tauri::command]
pub async fn import_open(office: OfficeState<'_>, path: PathBuf, kind: Kind) -> Reply<ImportOpened> {
    office.import().open(office.store()?, path, kind).await
}

/// The mapping for another sheet of the open file.
#[tauri::command]
pub async fn import_sheet(office: OfficeState<'_>, sheet: String) -> Reply<Mapping> {
    office.import().mapping_for(&sheet).await
}

/// Checks every row of the open file with `mapping`; writes nothing.
#[tauri::command]
pub async fn import_check(office: OfficeState<'_>, mapping: Mapping) -> Reply<ImportCheck> {
    office.import().check(office.store()?, mapping).await
}

/// Imports the checked rows in one transaction, sending `progress` events.
#[tauri::command]
pub async fn import_commit<R: Runtime>(
    app: AppHandle<R>,
    office: OfficeState<'_>,
    skip_bad: bool,
) -> Reply<ImportDone> {
    let task = match ui_lang() {
        mestno_core::Lang::Ru => "Загрузка записей",
        mestno_core::Lang::En => "Importing records",
    };
    let report = move |done: u64, total: u64| {
        let _ = app.emit("progress", Progress { task: task.to_owned(), done, total });
    };
    office.import().commit(office.store()?, skip_bad, &report).await
}

/// Saves the last check's problems as an .xlsx at `path` (from the save dialog).
#[tauri::command]
pub async fn import_problems(office: OfficeState<'_>, path: PathBuf) -> Reply<()> {
    office.import().write_problems(path).await
}

/// Closes the wizard's file without importing.
#[tauri::command]
pub async fn import_close(office: OfficeState<'_>) -> Reply<()> {
    office.import().close().await;
    Ok::<(), AppError>(())
}
