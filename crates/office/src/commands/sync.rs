//! «Обмен данными»: the office's card, pairing, packages, and the conflicts journal.

use std::path::PathBuf;

use mestno_core::model::Id;
use mestno_core::store::SyncConflict;
use mestno_sync::exchange::Loaded;

use super::{Call, Reply};
use crate::sync::{self, PartnerView, SyncStatus, Written};

pub(super) async fn sync_status(call: Call<'_>) -> Reply<SyncStatus> {
    Ok(sync::status(call.store()?).await?)
}

pub(super) async fn sync_write_card(call: Call<'_>, territory: Option<Id>, path: PathBuf) -> Reply<Written> {
    Ok(sync::write_card(call.store()?, territory, &path).await?)
}

pub(super) async fn sync_pair(call: Call<'_>, path: PathBuf, territory: Option<Id>) -> Reply<PartnerView> {
    Ok(sync::pair(call.store()?, &path, territory).await?)
}

pub(super) async fn sync_export(call: Call<'_>, partner: String, path: PathBuf, files: bool) -> Reply<Written> {
    Ok(sync::export(call.store()?, &partner, &path, files).await?)
}

pub(super) async fn sync_load(call: Call<'_>, path: PathBuf, dry_run: bool) -> Reply<Loaded> {
    Ok(sync::load(call.store()?, &path, dry_run).await?)
}

pub(super) async fn sync_conflicts(call: Call<'_>, open_only: bool) -> Reply<Vec<SyncConflict>> {
    Ok(call.store()?.conflicts(open_only).await?)
}

pub(super) async fn sync_take_other(call: Call<'_>, id: Id) -> Reply<()> {
    Ok(call.store()?.take_other_value(id).await?)
}

pub(super) async fn sync_keep_value(call: Call<'_>, id: Id) -> Reply<()> {
    Ok(call.store()?.keep_value(id).await?)
}
