//! The exchange of packages between an office's store and its paired offices: this office's
//! identity and card, pairing, making a package for a partner and loading one from it.

use serde::{Deserialize, Serialize};

use std::collections::HashSet;

use mestno_core::model::Id;
use mestno_core::store::{Applied, FileToSend, FilesFor, Holdings, Missing, Partner, Scope};
use mestno_core::sync::{Body, RawChange};
use mestno_core::{Entity, Error, Result, Store};

use crate::package::{self, Header, Identity, PairingCard};

/// The setting that holds this office's sync identity (its secret keys: the office database
/// itself is encrypted).
const IDENTITY: &str = "sync_identity";

/// What a package carries inside its envelope. The changes' bodies stay the text they travel
/// as: written as the history keeps them, and read, each record's alone, only as the loading
/// comes to that record.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    /// What the sender holds: the acknowledgement that makes the recipient's next package to
    /// it incremental.
    holdings: Holdings,
    /// The changes the recipient has not acknowledged.
    changes: Vec<RawChange>,
    /// Whether they are only the records within the recipient's territory, a part of the tree:
    /// records may then name people and projects from elsewhere that never come, and the
    /// recipient stores them without those links ([`Missing::LeaveOut`]). Packages made before
    /// this was written say nothing: the recipient then waits for what they name.
    #[serde(default)]
    cut: bool,
    /// The content of attached files, when the package was made to carry them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    files: Vec<PackedFile>,
    /// The files the sender holds the description of but not the content: the recipient's next
    /// package with files brings them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    wanted: Vec<String>,
}

/// An attached file's content in a package, under the SHA-256 its description names.
#[derive(Debug, Serialize, Deserialize)]
struct PackedFile {
    sha256: String,
    #[serde(with = "base64_text")]
    content: Vec<u8>,
}

/// Bytes as base64 text inside the payload's JSON.
mod base64_text {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        STANDARD.decode(text.as_bytes()).map_err(serde::de::Error::custom)
    }
}

/// About how many bytes of files' content one package carries (512 MiB, a quarter of what a
/// package may hold): a package is made and loaded in memory, and an office's laptop has little.
/// A larger file does not travel in packages at all.
pub const FILES_PER_PACKAGE: u64 = package::MAX_PAYLOAD / 4;

/// Whether a package carries the content of the files attached to the records it brings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Files {
    /// Only their descriptions (the partner asks for the content later).
    #[default]
    Leave,
    /// Their content too (the size shown first: [`files_waiting`]).
    Carry,
}

/// A package made for a partner.
#[derive(Debug)]
pub struct Made {
    /// The package file's bytes.
    pub bytes: Vec<u8>,
    /// How many changes it holds.
    pub changes: u64,
    /// The files whose content it carries.
    pub files: Vec<FileToSend>,
    /// The files waiting for the partner that it does not carry but a later package with files
    /// will: it was made without files, or they did not fit in it.
    pub left: Vec<FileToSend>,
    /// The files waiting for the partner that no package carries: each larger than
    /// [`FILES_PER_PACKAGE`]. They go to the partner some other way.
    pub too_large: Vec<FileToSend>,
    /// The files waiting for the partner whose content is damaged or gone on this disk (sent,
    /// they would have the whole package refused).
    pub damaged: Vec<FileToSend>,
}

/// The files waiting for a partner ([`files_waiting`]).
#[derive(Debug, Default)]
pub struct Waiting {
    /// Those a package made with files carries: the next package, or the ones after it for what
    /// does not fit in one.
    pub files: Vec<FileToSend>,
    /// Those larger than [`FILES_PER_PACKAGE`], which no package carries.
    pub too_large: Vec<FileToSend>,
    /// Those attached here whose content is gone from this disk, which cannot be sent.
    pub gone: Vec<FileToSend>,
}

impl Waiting {
    fn of(found: FilesFor) -> Waiting {
        let (files, too_large) = found.held.into_iter().partition(|f| f.size_bytes.max(0) as u64 <= FILES_PER_PACKAGE);
        Waiting { files, too_large, gone: found.gone }
    }
}

/// A package loaded, or previewed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Loaded {
    /// The office that sent it.
    pub from_office: String,
    /// Its number among that office's packages to this one.
    pub seq: u64,
    /// What it did (or, in a preview, would do).
    pub applied: Applied,
    /// The attached files whose content it brought (or, in a preview, carries).
    #[serde(default)]
    pub files: u64,
    /// Their size in bytes.
    #[serde(default)]
    pub files_bytes: u64,
}

/// This office's sync identity, made on first use for the territory it answers for: the one
/// given, else the office's own top territory. A new office with no territories yet (a
/// settlement whose district sends it the territories) makes its card without one: the office
/// it pairs with says which territory it answers for.
pub async fn identity(store: &Store, territory: Option<Id>) -> Result<Identity> {
    if let Some(secret) = store.setting(IDENTITY).await? {
        let mut me = Identity::from_secret(&secret)?;
        // Named after its first card was made, the office shows its name on the next.
        let name = store.office_profile().await?.name;
        if !name.trim().is_empty() && name != me.office {
            me.office = name;
            store.set_setting(IDENTITY, &me.to_secret()).await?;
        }
        return Ok(me);
    }
    let territory = match territory {
        Some(t) => {
            store.territory(t).await?;
            t
        }
        None => {
            let tops: Vec<Id> =
                store.territories().await?.into_iter().filter(|t| t.parent_id.is_none()).map(|t| t.id).collect();
            if tops.len() == 1 { tops[0] } else { Id::nil() }
        }
    };
    let office = store.office_profile().await?.name;
    let me = Identity::generate(store.replica(), office, territory);
    store.set_setting(IDENTITY, &me.to_secret()).await?;
    Ok(me)
}

/// This office's pairing card, for the other office to load.
pub async fn card(store: &Store, territory: Option<Id>) -> Result<PairingCard> {
    let me = identity(store, territory).await?;
    let mut card = me.card();
    card.territory_name = store.territory(card.territory).await.map(|t| t.input.name).unwrap_or_default();
    Ok(card)
}

/// Pairs with the office whose card this is; `territory`, if given, is the one it answers
/// for here (a settlement's office pairing with its district before it has the territories).
pub async fn pair(store: &Store, card: &PairingCard, territory: Option<Id>) -> Result<()> {
    card.check()?;
    // The code the other office reads out is its card's, whatever territory it answers for here.
    let code = card.code();
    let mut card = card.clone();
    if let Some(t) = territory {
        card.territory = t;
        card.territory_name = store.territory(t).await?.input.name;
    }
    let mut json = serde_json::to_value(&card)
        .map_err(|e| Error::Storage(mestno_core::Text::new(e.to_string(), e.to_string())))?;
    json["code"] = serde_json::Value::String(code);
    store.add_partner(&card.replica, &json).await
}

/// The paired office `replica`'s card.
pub async fn partner_card(store: &Store, replica: &str) -> Result<Option<PairingCard>> {
    let partners = store.partners().await?;
    Ok(partners.into_iter().find(|p| p.replica == replica).and_then(|p| serde_json::from_value(p.card).ok()))
}

/// The paired office named `who`: its replica id, or its office name.
pub async fn find_partner(store: &Store, who: &str) -> Result<Partner> {
    let partners = store.partners().await?;
    let office = |p: &Partner| p.card.get("office").and_then(|o| o.as_str()).unwrap_or_default().to_owned();
    partners.into_iter().find(|p| p.replica == who || office(p) == who).ok_or_else(|| {
        Error::Refused(mestno_core::Text::new(
            format!("офис «{who}» не найден среди офисов, с которыми настроен обмен"),
            format!("office «{who}» is not among the paired offices"),
        ))
    })
}

/// A package for `partner` holding every change it has not acknowledged within its territory,
/// without the content of files: `(its bytes, how many changes)`.
pub async fn export(store: &Store, partner: &Partner) -> Result<(Vec<u8>, u64)> {
    let made = make(store, partner, Files::Leave).await?;
    Ok((made.bytes, made.changes))
}

/// The files whose content a package for `partner` would carry if asked to
/// ([`Files::Carry`]): those attached to records within its territory that it has not
/// acknowledged, and those it said it lacks; apart, those too large for any package and those
/// whose content is gone from this disk.
pub async fn files_waiting(store: &Store, partner: &Partner) -> Result<Waiting> {
    let card = card_of(partner)?;
    let scope = scope_within(store, card.territory).await?;
    files_waiting_within(store, partner, &scope).await
}

/// [`files_waiting`] for a partner answering for `scope` (see [`scope_within`]), for a caller
/// that has it already.
pub async fn files_waiting_within(store: &Store, partner: &Partner, scope: &Scope) -> Result<Waiting> {
    Ok(Waiting::of(store.files_for(&partner.acked, scope, &partner.files_wanted).await?))
}

/// A package for `partner` holding every change it has not acknowledged within its territory,
/// and, as `files` says, the content of the files waiting for it ([`files_waiting`]).
pub async fn make(store: &Store, partner: &Partner, files: Files) -> Result<Made> {
    let me = identity(store, None).await?;
    let card = card_of(partner)?;
    let scope = scope_within(store, card.territory).await?;
    let changes = store.raw_changes_since(&partner.acked, &scope).await?;
    let cut = store.missing_for(card.territory).await? == Missing::LeaveOut;
    // However many wait, one package carries at most FILES_PER_PACKAGE of them: the rest stay
    // waiting, asked for again by the partner, for the next package. Content damaged on this
    // disk stays too, and is named.
    let waiting = files_waiting_within(store, partner, &scope).await?;
    let (mut carried, mut left, mut damaged, mut packed, mut total) =
        (Vec::new(), Vec::new(), waiting.gone, Vec::new(), 0);
    for file in waiting.files {
        let size = file.size_bytes.max(0) as u64;
        if files == Files::Leave || total + size > FILES_PER_PACKAGE {
            left.push(file);
            continue;
        }
        let Some(content) = store.file_content(&file).await? else {
            damaged.push(file);
            continue;
        };
        total += size;
        packed.push(PackedFile { sha256: file.sha256.clone(), content });
        carried.push(file);
    }
    let payload = Payload {
        holdings: store.holdings().await?,
        changes,
        cut,
        files: packed,
        wanted: store.files_lacking().await?,
    };
    let bytes = serde_json::to_vec(&payload)
        .map_err(|e| Error::Storage(mestno_core::Text::new(e.to_string(), e.to_string())))?;
    let seq = store.next_package_seq(&partner.replica).await?;
    let header = Header {
        from: me.replica.clone(),
        to: card.replica.clone(),
        seq: seq as u64,
        made_at: store.clock().now().timestamp_millis(),
        changes: payload.changes.len() as u64,
    };
    Ok(Made {
        bytes: package::seal(&me, &card, &header, &bytes)?,
        changes: header.changes,
        files: carried,
        left,
        too_large: waiting.too_large,
        damaged,
    })
}

fn card_of(partner: &Partner) -> Result<PairingCard> {
    serde_json::from_value(partner.card.clone())
        .map_err(|e| Error::Storage(mestno_core::Text::new(e.to_string(), e.to_string())))
}

/// Loads a package: checks it (sender paired, addressed here, signed, whole, newer than the
/// last one from that office), then applies its changes in one transaction — or, with
/// `dry_run`, only says what it would do.
pub async fn load(store: &Store, bytes: &[u8], dry_run: bool) -> Result<Loaded> {
    let me = identity(store, None).await?;
    let partners = store.partners().await?;
    let cards: Vec<PairingCard> = partners.iter().filter_map(|p| serde_json::from_value(p.card.clone()).ok()).collect();
    let (header, payload) = package::open(&me, bytes, |from| cards.iter().find(|c| c.replica == from).cloned())?;
    let mut payload: Payload =
        serde_json::from_slice(&payload).map_err(|_| Error::from(package::PackageError::Tampered))?;
    let sender = cards.iter().find(|c| c.replica == header.from).cloned();
    let Some(sender) = sender else { return Err(package::PackageError::UnknownSender { from: header.from }.into()) };
    let scope = scope_within(store, sender.territory).await?;
    let missing = if payload.cut { Missing::LeaveOut } else { Missing::Wait };
    let files: Vec<(String, Vec<u8>)> = payload.files.drain(..).map(|f| (f.sha256, f.content)).collect();
    // The content is stored first (in a preview only checked), named by its hash, and taken back
    // if the load is given up; what no attachment refers to once the changes are in (a refused
    // record's file) goes too.
    let stored = store.store_received_files(files, &described(&payload), dry_run).await?;
    let hashes: Vec<String> = if dry_run { Vec::new() } else { stored.iter().map(|(h, _)| h.clone()).collect() };
    let applied = store
        .apply_package(&header.from, header.seq as i64, &payload.holdings, &payload.changes, &scope, dry_run, missing)
        .await;
    let taken_back = store.remove_unreferenced_files(&hashes).await;
    let applied = applied?;
    // The package is in: what is left to tidy no longer decides whether it loaded.
    let taken_back: HashSet<String> = match taken_back {
        Ok(paths) => paths.iter().filter_map(|p| Some(p.file_name()?.to_str()?.to_owned())).collect(),
        Err(e) => {
            tracing::warn!("files no record refers to could not be removed after a load: {e:?}");
            HashSet::new()
        }
    };
    let kept: Vec<&(String, u64)> = stored.iter().filter(|(h, _)| !taken_back.contains(h)).collect();
    if !dry_run && let Err(e) = store.set_files_wanted(&header.from, &payload.wanted).await {
        tracing::warn!("the files the partner lacks could not be noted: {e:?}");
    }
    mestno_core::sync::drop_later(payload);
    Ok(Loaded {
        from_office: sender.office,
        seq: header.seq,
        applied,
        files: kept.len() as u64,
        files_bytes: kept.iter().map(|(_, size)| size).sum(),
    })
}

/// The content the attachments a payload describes name.
fn described(payload: &Payload) -> HashSet<String> {
    payload
        .changes
        .iter()
        .filter(|c| c.entity == Entity::Attachment)
        .filter_map(|c| c.changes.new_of("sha256")?.as_str().map(str::to_owned))
        .collect()
}

/// The scope of a partner answering for `territory`: that territory and all within it; none
/// while it is not known (it receives the shared directories, and none of its changes count).
pub async fn scope_within(store: &Store, territory: Id) -> Result<Scope> {
    let within = if territory.is_nil() { Default::default() } else { store.subtree(territory).await? };
    Ok(Scope { territories: Some(within) })
}
