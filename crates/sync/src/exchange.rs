//! The exchange of packages between an office's store and its paired offices: this office's
//! identity and card, pairing, making a package for a partner and loading one from it.

use serde::{Deserialize, Serialize};

use mestno_core::model::Id;
use mestno_core::store::{Applied, Holdings, Missing, Partner, Scope};
use mestno_core::sync::RawChange;
use mestno_core::{Error, Result, Store};

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

/// A package for `partner` holding every change it has not acknowledged within its territory.
pub async fn export(store: &Store, partner: &Partner) -> Result<(Vec<u8>, u64)> {
    let me = identity(store, None).await?;
    let card: PairingCard = serde_json::from_value(partner.card.clone())
        .map_err(|e| Error::Storage(mestno_core::Text::new(e.to_string(), e.to_string())))?;
    let scope = Scope { territories: Some(territories(store, card.territory).await?) };
    let changes = store.raw_changes_since(&partner.acked, &scope).await?;
    let cut = store.missing_for(card.territory).await? == Missing::LeaveOut;
    let payload = Payload { holdings: store.holdings().await?, changes, cut };
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
    Ok((package::seal(&me, &card, &header, &bytes)?, header.changes))
}

/// Loads a package: checks it (sender paired, addressed here, signed, whole, newer than the
/// last one from that office), then applies its changes in one transaction — or, with
/// `dry_run`, only says what it would do.
pub async fn load(store: &Store, bytes: &[u8], dry_run: bool) -> Result<Loaded> {
    let me = identity(store, None).await?;
    let partners = store.partners().await?;
    let cards: Vec<PairingCard> = partners.iter().filter_map(|p| serde_json::from_value(p.card.clone()).ok()).collect();
    let (header, payload) = package::open(&me, bytes, |from| cards.iter().find(|c| c.replica == from).cloned())?;
    let payload: Payload =
        serde_json::from_slice(&payload).map_err(|_| Error::from(package::PackageError::Tampered))?;
    let sender = cards.iter().find(|c| c.replica == header.from).cloned();
    let Some(sender) = sender else { return Err(package::PackageError::UnknownSender { from: header.from }.into()) };
    let scope = Scope { territories: Some(territories(store, sender.territory).await?) };
    let missing = if payload.cut { Missing::LeaveOut } else { Missing::Wait };
    let applied = store
        .apply_package(&header.from, header.seq as i64, &payload.holdings, &payload.changes, &scope, dry_run, missing)
        .await?;
    mestno_core::sync::drop_later(payload);
    Ok(Loaded { from_office: sender.office, seq: header.seq, applied })
}

/// A partner's territories: the one it answers for and all within it; none while that is not
/// known (it receives the shared directories, and none of its changes count).
async fn territories(store: &Store, territory: Id) -> Result<std::collections::HashSet<Id>> {
    if territory.is_nil() { Ok(Default::default()) } else { store.subtree(territory).await }
}
