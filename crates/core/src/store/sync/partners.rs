//! The offices this one exchanges with, and applying a partner's package exactly once.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::{Applied, Holdings, Keep, Missing, Scope, With};
use crate::error::{Error, Result};
use crate::model::Id;
use crate::store::Store;
use crate::sync::{Body, Change};

/// A paired office, as this one knows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Partner {
    /// Its replica id.
    pub replica: String,
    /// The pairing card it sent, as JSON.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub card: serde_json::Value,
    /// When the offices paired, ms since the epoch.
    pub paired_at: i64,
    /// The number of the last package made for it.
    pub sent_seq: i64,
    /// The number of the last package loaded from it.
    pub received_seq: i64,
    /// What it has acknowledged holding.
    pub acked: Holdings,
    /// When a package was last made for it.
    pub sent_at: Option<i64>,
    /// When a package from it was last loaded.
    pub received_at: Option<i64>,
    /// The files it said, in its last package, it lacks the content of (SHA-256, hex).
    #[serde(default)]
    pub files_wanted: Vec<String>,
}

impl Store {
    /// Pairs with an office (or renews its card): its changes may be loaded from now on.
    pub async fn add_partner(&self, replica: &str, card: &serde_json::Value) -> Result<()> {
        if replica == self.replica() {
            return Err(Error::refused(
                "это карточка этого же офиса: обменяйтесь карточками с другим офисом",
                "this is this office's own card: exchange cards with another office",
            ));
        }
        sqlx::query(
            "INSERT INTO sync_partners(replica, card, paired_at) VALUES (?, ?, ?)
             ON CONFLICT(replica) DO UPDATE SET card = excluded.card",
        )
        .bind(replica)
        .bind(card.to_string())
        .bind(self.now_ms())
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The paired offices.
    pub async fn partners(&self) -> Result<Vec<Partner>> {
        let rows = sqlx::query("SELECT * FROM sync_partners ORDER BY paired_at").fetch_all(self.reader()).await?;
        rows.iter()
            .map(|r| {
                let card: String = r.try_get("card")?;
                let acked: String = r.try_get("acked")?;
                let files_wanted: String = r.try_get("files_wanted")?;
                Ok(Partner {
                    replica: r.try_get("replica")?,
                    card: serde_json::from_str(&card).unwrap_or_default(),
                    paired_at: r.try_get("paired_at")?,
                    sent_seq: r.try_get("sent_seq")?,
                    received_seq: r.try_get("received_seq")?,
                    acked: serde_json::from_str(&acked).unwrap_or_default(),
                    sent_at: r.try_get("sent_at")?,
                    received_at: r.try_get("received_at")?,
                    files_wanted: serde_json::from_str(&files_wanted).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Takes the next package number for `replica` and notes the time.
    pub async fn next_package_seq(&self, replica: &str) -> Result<i64> {
        let seq: Option<i64> = sqlx::query_scalar(
            "UPDATE sync_partners SET sent_seq = sent_seq + 1, sent_at = ? WHERE replica = ? RETURNING sent_seq",
        )
        .bind(self.now_ms())
        .bind(replica)
        .fetch_optional(self.writer())
        .await?;
        seq.ok_or_else(|| Error::refused("с этим офисом обмен не настроен", "this office is not paired with that one"))
    }

    /// Applies a partner's package number `seq` in one transaction: its changes through the
    /// merge rule (changes outside `sender`'s territory refused), what it says the partner
    /// holds (`acked`: the next package for it need not repeat that), and its number — a
    /// package not newer than the last one loaded from that office changes nothing and is
    /// refused. With `dry_run` the transaction is rolled back: a preview. A link to a record
    /// this office does not hold is handled as `missing` says.
    #[allow(clippy::too_many_arguments)]
    pub async fn apply_package<B: Body>(
        &self,
        from: &str,
        seq: i64,
        acked: &Holdings,
        changes: &[Change<B>],
        sender: &Scope,
        dry_run: bool,
        missing: Missing,
    ) -> Result<Applied> {
        let keep = if dry_run { Keep::RollBack } else { Keep::Commit };
        self.applying(changes, sender, With::Package { from, seq, acked }, keep, missing).await
    }

    /// Refuses package `seq` from `from` unless it is newer than the last one loaded from there.
    pub(super) async fn check_package_seq(&self, tx: &mut sqlx::SqliteConnection, from: &str, seq: i64) -> Result<()> {
        let last: Option<i64> = sqlx::query_scalar("SELECT received_seq FROM sync_partners WHERE replica = ?")
            .bind(from)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(last) = last else {
            return Err(Error::refused(
                "пакет от офиса, с которым обмен не настроен: сначала обменяйтесь карточками",
                "the package comes from an office this one is not paired with: exchange cards first",
            ));
        };
        if seq <= last {
            return Err(Error::refused(
                format!(
                    "пакет № {seq} уже загружен или устарел (последний загруженный — № {last}); ничего не изменено"
                ),
                format!(
                    "package no. {seq} was loaded already or is stale (the last loaded is no. {last}); nothing changed"
                ),
            ));
        }
        Ok(())
    }

    /// Records that package `seq` from `from` is loaded, and what it says that office holds.
    pub(super) async fn package_loaded(
        &self,
        tx: &mut sqlx::SqliteConnection,
        from: &str,
        seq: i64,
        acked: &Holdings,
    ) -> Result<()> {
        let partner = self.partners_acked(tx, from).await?;
        let mut merged = partner;
        for (origin, clock) in acked {
            let e = merged.entry(origin.clone()).or_insert(*clock);
            *e = (*e).max(*clock);
        }
        sqlx::query("UPDATE sync_partners SET received_seq = ?, received_at = ?, acked = ? WHERE replica = ?")
            .bind(seq)
            .bind(self.now_ms())
            .bind(serde_json::to_string(&merged).unwrap_or_else(|_| "{}".into()))
            .bind(from)
            .execute(&mut *tx)
            .await?;
        Ok(())
    }

    async fn partners_acked(&self, tx: &mut sqlx::SqliteConnection, from: &str) -> Result<Holdings> {
        let acked: String = sqlx::query_scalar("SELECT acked FROM sync_partners WHERE replica = ?")
            .bind(from)
            .fetch_one(&mut *tx)
            .await?;
        Ok(serde_json::from_str(&acked).unwrap_or_default())
    }

    /// A territory and every territory within it.
    pub async fn subtree(&self, territory: Id) -> Result<HashSet<Id>> {
        let ids: Vec<Id> = sqlx::query_scalar(
            "WITH RECURSIVE t(id) AS (SELECT ? UNION SELECT c.id FROM territories c JOIN t ON c.parent_id = t.id)
             SELECT id FROM t",
        )
        .bind(territory)
        .fetch_all(self.reader())
        .await?;
        Ok(ids.into_iter().collect())
    }
}
