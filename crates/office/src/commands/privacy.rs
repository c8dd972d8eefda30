//! A resident's requests under 152-ФЗ: everything held about one person in an Excel file, and
//! erasure on request with the act of destruction; the erasure log and its acts.

use std::path::PathBuf;

use mestno_core::model::{ErasureLogEntry, ErasureRequest, Id};

use super::{Call, Reply};
use crate::erasure::{self, Erased};

pub(super) async fn export_person(call: Call<'_>, id: Id, path: PathBuf) -> Reply<u64> {
    Ok(mestno_reports::person_export(call.store()?, id, &path).await?)
}

pub(super) async fn erase_person(call: Call<'_>, id: Id, request: ErasureRequest, act: PathBuf) -> Reply<Erased> {
    Ok(erasure::erase_person(call.store()?, id, request, &act).await?)
}

pub(super) async fn erasure_log(call: Call<'_>) -> Reply<Vec<ErasureLogEntry>> {
    Ok(call.store()?.erasure_log().await?)
}

pub(super) async fn erasure_act(call: Call<'_>, id: Id, path: PathBuf) -> Reply<()> {
    Ok(mestno_reports::erasure_act(call.store()?, id, &path).await?)
}
