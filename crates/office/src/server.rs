//! «Сервер»: the district's or region's shared server this office syncs with — the invitation
//! loaded, a sync now, how often the window syncs by itself, and how the last sync went.

use std::path::Path;

use mestno_core::{Error, Store, Text};
use mestno_server::{Invitation, LastSync, Report};
use serde::{Deserialize, Serialize};

/// The setting holding how often the window syncs by itself, in minutes (none: only by hand).
const AUTO: &str = "server_auto_minutes";

/// The server as the window shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServerStatus {
    /// The server joined, if any: its address.
    pub server: Option<String>,
    /// This office's login there.
    pub login: Option<String>,
    /// This office's name there.
    pub office: Option<String>,
    /// Sync by itself every so many minutes while the window is open (none: only by hand).
    pub auto_minutes: Option<u32>,
    /// How the last sync went.
    pub last: Option<LastSync>,
}

fn refused(e: mestno_server::ServerError) -> Error {
    Error::from(e)
}

/// The server's state.
pub async fn status(store: &Store) -> Result<ServerStatus, Error> {
    let joined = mestno_server::joined(store).await.map_err(refused)?;
    let auto_minutes = store.setting(AUTO).await?.and_then(|s| s.parse().ok()).filter(|m| *m > 0);
    Ok(ServerStatus {
        server: joined.as_ref().map(|i| format!("{}:{}", i.host, i.port)),
        login: joined.as_ref().map(|i| i.login.clone()),
        office: joined.as_ref().map(|i| i.office.clone()),
        auto_minutes,
        last: mestno_server::last_sync(store).await.map_err(refused)?,
    })
}

/// Joins the server whose invitation file is at `path`.
pub async fn join(store: &Store, path: &Path) -> Result<ServerStatus, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::Refused(Text::new(
            format!("не удалось прочитать приглашение {}: {e}", path.display()),
            format!("could not read the invitation {}: {e}", path.display()),
        ))
    })?;
    let invitation = Invitation::parse(&text).map_err(refused)?;
    mestno_server::join(store, &invitation).await.map_err(refused)?;
    status(store).await
}

/// Leaves the server (what was synced stays).
pub async fn leave(store: &Store) -> Result<ServerStatus, Error> {
    mestno_server::leave(store).await.map_err(refused)?;
    status(store).await
}

/// Syncs with the server now.
pub async fn sync_now(store: &Store) -> Result<Report, Error> {
    mestno_server::sync_joined(store).await.map_err(refused)
}

/// Keeps how often the window syncs by itself (none or 0: only by hand; at most once a day).
pub async fn save_auto(store: &Store, minutes: Option<u32>) -> Result<ServerStatus, Error> {
    let minutes = minutes.filter(|m| *m > 0).map(|m| m.min(24 * 60));
    store.set_setting(AUTO, &minutes.map(|m| m.to_string()).unwrap_or_default()).await?;
    status(store).await
}
