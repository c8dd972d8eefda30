//! «Обмен данными»: the office's card, pairing with other offices, packages made and loaded,
//! and what waits for each partner — one workflow for the window and the `mestno sync` command.

use std::path::Path;

use mestno_core::model::Id;
use mestno_core::store::FileToSend;
use mestno_core::{Error, Store, Text};
pub use mestno_sync::exchange::FILES_PER_PACKAGE;
use mestno_sync::exchange::{self, Files, Loaded};
use mestno_sync::package::{MAX_PAYLOAD, PairingCard};
use serde::{Deserialize, Serialize};

/// A paired office as the window lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PartnerView {
    /// Its replica id.
    pub replica: String,
    /// Its name.
    pub office: String,
    /// The territory it answers for.
    pub territory_name: String,
    /// Its card's code, to compare over the phone.
    pub code: String,
    /// When the offices paired, ms since the epoch.
    pub paired_at: i64,
    /// When a package was last made for it.
    pub sent_at: Option<i64>,
    /// When a package from it was last loaded.
    pub received_at: Option<i64>,
    /// About how many changes a package for it would hold now: those it has not acknowledged,
    /// within its territory (see `Store::count_changes_within`).
    pub waiting: u64,
    /// Attached files whose content a package for it would carry if asked to.
    pub files_waiting: u64,
    /// Their size in bytes.
    pub files_waiting_bytes: u64,
    /// Attached files waiting for it that are too large for any package (see
    /// `exchange::FILES_PER_PACKAGE`): they go to it some other way.
    pub files_too_large: u64,
    /// Their size in bytes.
    pub files_too_large_bytes: u64,
}

/// The exchange as the window shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncStatus {
    /// This office's replica id.
    pub replica: String,
    /// This office's card code, once it has a sync identity.
    pub code: Option<String>,
    /// The territory this office answers for, once set.
    pub territory_name: Option<String>,
    /// The paired offices.
    pub partners: Vec<PartnerView>,
    /// Open entries of the conflicts journal.
    pub open_conflicts: u64,
    /// The largest file a package carries, in bytes ([`FILES_PER_PACKAGE`]).
    pub files_per_package: u64,
}

/// A card or package written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Written {
    /// Where.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Changes it holds (a package), or 0 (a card).
    pub changes: u64,
    /// The card's code (a card), or empty.
    pub code: String,
    /// Attached files whose content it carries (a package made with files).
    pub files: u64,
    /// Their size in bytes.
    pub files_bytes: u64,
    /// Attached files waiting for the partner that it does not carry but a later package with
    /// files will (made without files, or they did not fit).
    pub files_left: u64,
    /// Their size in bytes.
    pub files_left_bytes: u64,
    /// Attached files waiting for the partner that are too large for any package.
    pub files_too_large: u64,
    /// Their size in bytes.
    pub files_too_large_bytes: u64,
    /// Attached files waiting for the partner whose content is damaged or gone on this disk.
    pub files_damaged: u64,
}

/// The exchange's state.
pub async fn status(store: &Store) -> Result<SyncStatus, Error> {
    let card = match store.setting("sync_identity").await? {
        Some(_) => Some(exchange::card(store, None).await?),
        None => None,
    };
    let mut partners = Vec::new();
    for p in store.partners().await? {
        let card: Option<PairingCard> = serde_json::from_value(p.card.clone()).ok();
        // As a package for it is cut: the shared directories and its territory's records.
        let scope = exchange::scope_within(store, card.as_ref().map_or(Id::nil(), |c| c.territory)).await?;
        let files = exchange::files_waiting_within(store, &p, &scope).await.unwrap_or_default();
        partners.push(PartnerView {
            files_waiting: files.files.len() as u64,
            files_waiting_bytes: total(&files.files),
            files_too_large: files.too_large.len() as u64,
            files_too_large_bytes: total(&files.too_large),
            office: card.as_ref().map(|c| c.office.clone()).unwrap_or_default(),
            territory_name: card.as_ref().map(|c| c.territory_name.clone()).unwrap_or_default(),
            code: p
                .card
                .get("code")
                .and_then(|c| c.as_str())
                .map(str::to_owned)
                .or_else(|| card.as_ref().map(PairingCard::code))
                .unwrap_or_default(),
            waiting: store.count_changes_within(&p.acked, &scope).await?,
            replica: p.replica,
            paired_at: p.paired_at,
            sent_at: p.sent_at,
            received_at: p.received_at,
        });
    }
    Ok(SyncStatus {
        replica: store.replica().to_owned(),
        code: card.as_ref().map(PairingCard::code),
        territory_name: card.map(|c| c.territory_name),
        partners,
        open_conflicts: store.conflicts(true).await?.len() as u64,
        files_per_package: FILES_PER_PACKAGE,
    })
}

/// Writes this office's card to `path` (made for `territory` on first use).
pub async fn write_card(store: &Store, territory: Option<Id>, path: &Path) -> Result<Written, Error> {
    let card = exchange::card(store, territory).await?;
    let bytes = card.to_file_bytes();
    write_file(path, &bytes)?;
    Ok(Written {
        path: path.display().to_string(),
        bytes: bytes.len() as u64,
        changes: 0,
        code: card.code(),
        files: 0,
        files_bytes: 0,
        files_left: 0,
        files_left_bytes: 0,
        files_too_large: 0,
        files_too_large_bytes: 0,
        files_damaged: 0,
    })
}

/// Pairs with the office whose card is the file at `path`; `territory`, if given, is the one
/// that office answers for here (instead of its card's).
pub async fn pair(store: &Store, path: &Path, territory: Option<Id>) -> Result<PartnerView, Error> {
    let bytes = read_file(path, 64 * 1024)?;
    let card = PairingCard::from_file_bytes(&bytes)?;
    exchange::pair(store, &card, territory).await?;
    let status = status(store).await?;
    let paired = status.partners.into_iter().find(|p| p.replica == card.replica);
    Ok(paired.unwrap_or(PartnerView {
        replica: card.replica.clone(),
        office: card.office.clone(),
        territory_name: card.territory_name.clone(),
        code: card.code(),
        paired_at: 0,
        sent_at: None,
        received_at: None,
        waiting: 0,
        files_waiting: 0,
        files_waiting_bytes: 0,
        files_too_large: 0,
        files_too_large_bytes: 0,
    }))
}

/// Writes a package for `partner` (its replica id or office name) to `path`; with `files`, the
/// content of the files waiting for it too.
pub async fn export(store: &Store, partner: &str, path: &Path, files: bool) -> Result<Written, Error> {
    let partner = exchange::find_partner(store, partner).await?;
    let files = if files { Files::Carry } else { Files::Leave };
    let made = exchange::make(store, &partner, files).await?;
    write_file(path, &made.bytes)?;
    Ok(Written {
        path: path.display().to_string(),
        bytes: made.bytes.len() as u64,
        changes: made.changes,
        code: String::new(),
        files: made.files.len() as u64,
        files_bytes: total(&made.files),
        files_left: made.left.len() as u64,
        files_left_bytes: total(&made.left),
        files_too_large: made.too_large.len() as u64,
        files_too_large_bytes: total(&made.too_large),
        files_damaged: made.damaged.len() as u64,
    })
}

/// The size of `files` together, in bytes.
fn total(files: &[FileToSend]) -> u64 {
    files.iter().map(|f| f.size_bytes.max(0) as u64).sum()
}

/// Loads the package at `path`, or with `dry_run` says what it would do.
pub async fn load(store: &Store, path: &Path, dry_run: bool) -> Result<Loaded, Error> {
    let bytes = read_file(path, MAX_PAYLOAD)?;
    exchange::load(store, &bytes, dry_run).await
}

/// Writes `bytes` to `path` through a temporary file beside it, so that a crash leaves either
/// the old file or the whole new one.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = mestno_core::folder_of(path);
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| io(path, e))?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(|e| io(path, e))?;
    tmp.as_file().sync_all().map_err(|e| io(path, e))?;
    tmp.persist(path).map_err(|e| io(path, e.error))?;
    Ok(())
}

fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, Error> {
    let size = std::fs::metadata(path).map_err(|e| io(path, e))?.len();
    if size > max {
        return Err(Error::Refused(Text::new(
            format!("файл {} слишком велик для пакета обмена ({size} байт)", path.display()),
            format!("the file {} is too large for an exchange package ({size} bytes)", path.display()),
        )));
    }
    std::fs::read(path).map_err(|e| io(path, e))
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io { path: path.to_path_buf(), source }
}
