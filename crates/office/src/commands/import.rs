//! The import wizard: a file from the open dialog (or the one the app was started with) → its
//! sheets and columns → the mapping → the check → the import, with progress while records are
//! written.

use std::path::PathBuf;

use mestno_core::Lang;
use mestno_import::{Kind, Mapping};

use super::{Call, Reply};
use crate::Progress;
use crate::error::ui_lang;
use crate::import::{ImportCheck, ImportDone, ImportOpened};

pub(super) async fn take_open_file(call: Call<'_>) -> Reply<Option<String>> {
    Ok(call.shell.take_open_file().map(|p| p.to_string_lossy().into_owned()))
}

pub(super) async fn import_open(call: Call<'_>, path: PathBuf, kind: Kind) -> Reply<ImportOpened> {
    call.office.import().open(call.store()?, path, kind).await
}

pub(super) async fn import_sheet(call: Call<'_>, sheet: String) -> Reply<Mapping> {
    call.office.import().mapping_for(&sheet).await
}

pub(super) async fn import_check(call: Call<'_>, mapping: Mapping) -> Reply<ImportCheck> {
    call.office.import().check(call.store()?, mapping).await
}

pub(super) async fn import_commit(call: Call<'_>, skip_bad: bool) -> Reply<ImportDone> {
    let task = match ui_lang() {
        Lang::Ru => "Загрузка записей",
        Lang::En => "Importing records",
    };
    let report = |done: u64, total: u64| call.shell.progress(Progress { task: task.to_owned(), done, total });
    call.office.import().commit(call.store()?, skip_bad, &report).await
}

pub(super) async fn import_problems(call: Call<'_>, path: PathBuf) -> Reply<()> {
    call.office.import().write_problems(path).await
}

pub(super) async fn import_close(call: Call<'_>) -> Reply<()> {
    call.office.import().close().await;
    Ok(())
}
