//! «Сервер»: the shared server this office syncs with.

use std::path::PathBuf;

use mestno_server::Report as ServerSyncReport;

use super::{Call, Reply};
use crate::server::{self, ServerStatus};

pub(super) async fn server_status(call: Call<'_>) -> Reply<ServerStatus> {
    Ok(server::status(call.store()?).await?)
}

pub(super) async fn server_join(call: Call<'_>, path: PathBuf) -> Reply<ServerStatus> {
    Ok(server::join(call.store()?, &path).await?)
}

pub(super) async fn server_leave(call: Call<'_>) -> Reply<ServerStatus> {
    Ok(server::leave(call.store()?).await?)
}

pub(super) async fn server_sync_now(call: Call<'_>) -> Reply<ServerSyncReport> {
    Ok(server::sync_now(call.store()?).await?)
}

pub(super) async fn server_save_auto(call: Call<'_>, minutes: Option<u32>) -> Reply<ServerStatus> {
    Ok(server::save_auto(call.store()?, minutes).await?)
}
