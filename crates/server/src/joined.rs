//! The server an office has joined: its invitation kept in the office database (encrypted with
//! it), syncing with it, and how the last sync went (for the window's status bar).

use mestno_core::{Store, Text};
use serde::{Deserialize, Serialize};

use crate::error::{Result, ServerError};
use crate::invitation::Invitation;
use crate::sync::{Report, sync};

/// The setting holding the invitation.
const INVITATION: &str = "server_invitation";
/// The setting holding how the last sync went.
const LAST: &str = "server_last_sync";

/// How the last sync with the server went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LastSync {
    /// When it ended, ms since the epoch.
    pub at: i64,
    /// What it did, if it succeeded.
    pub report: Option<Report>,
    /// Why it failed, if it did.
    pub error: Option<Text>,
}

/// Joins the server the invitation names: keeps it in the office database. The next sync uses
/// it; a cursor kept for another server is not used with this one.
pub async fn join(store: &Store, invitation: &Invitation) -> Result<()> {
    store.set_setting(INVITATION, &invitation.to_json()).await?;
    Ok(())
}

/// The invitation of the server this office has joined, if any.
pub async fn joined(store: &Store) -> Result<Option<Invitation>> {
    match store.setting(INVITATION).await? {
        Some(text) if !text.is_empty() => Ok(Some(Invitation::parse(&text)?)),
        _ => Ok(None),
    }
}

/// Leaves the server: forgets the invitation (what was synced stays).
pub async fn leave(store: &Store) -> Result<()> {
    store.set_setting(INVITATION, "").await?;
    Ok(())
}

/// Syncs with the joined server and records how it went.
pub async fn sync_joined(store: &Store) -> Result<Report> {
    let Some(invitation) = joined(store).await? else { return Err(ServerError::NotJoined) };
    let outcome = sync(store, &invitation).await;
    let last = LastSync {
        at: store.clock().now().timestamp_millis(),
        report: outcome.as_ref().ok().cloned(),
        error: outcome.as_ref().err().map(ServerError::message),
    };
    store.set_setting(LAST, &serde_json::to_string(&last).unwrap_or_default()).await?;
    outcome
}

/// How the last sync with the server went, if there was one.
pub async fn last_sync(store: &Store) -> Result<Option<LastSync>> {
    Ok(store.setting(LAST).await?.and_then(|s| serde_json::from_str(&s).ok()))
}
