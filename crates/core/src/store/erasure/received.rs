//! An erasure done at another office arrives as the erased record's deletion, naming its act and
//! request (`Act::note`). Every office that receives it erases the person again, in the same
//! transaction as the rest of the package, and logs an act of its own; an office that never held
//! the person only remembers the record as erased, so no older package or replica brings it back.
//! The deletion itself is kept as it came (no personal data in it), so every office ends up
//! holding the same entries.

use serde_json::Value;
use sqlx::SqliteConnection;

use super::{Act, live_or_deleted};
use crate::error::{Entity, ErrorCode, Result};
use crate::model::{ErasureBasis, ErasureRequest};
use crate::store::sync::is_erased;
use crate::store::{Op, Store};
use crate::sync::Change;

/// The request an act received names, for this office's own act; an act from an older package
/// that named only its number gets a request that says so.
fn request_of(note: &Value, act: &str, today: chrono::NaiveDate) -> ErasureRequest {
    let text = |key: &str| note.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let reason = text("reason").unwrap_or("уничтожение персональных данных в другом офисе");
    ErasureRequest {
        request_number: text("request_number").unwrap_or(act).to_string(),
        requested_on: note.get("requested_on").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or(today),
        reason: format!("{reason} (по акту об уничтожении № {act}, полученному с данными другого офиса)"),
        basis: note
            .get("basis")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or(ErasureBasis::SubjectRequest),
    }
}

/// Whether `change` is the deletion of a record erased under an act (it names the act): stored by
/// every office, even one that erased the record already.
pub(crate) fn is_act(change: &Change) -> bool {
    change.entity == Entity::Contact
        && change.op == Op::Delete
        && change.changes.pointer("/erasure/new/act").and_then(Value::as_str).is_some()
}

impl Store {
    /// Erases here the people whose erasure `changes` carry (see the module's note), inside the
    /// caller's transaction; returns how many were erased. Freed space is overwritten; the
    /// caller empties the write-ahead log after its commit
    /// ([`Store::empty_wal_after_erasure`]).
    pub(crate) async fn erase_received(&self, tx: &mut SqliteConnection, changes: &[Change]) -> Result<u64> {
        let acts: Vec<(&Change, &Value, &str)> = changes
            .iter()
            .filter(|c| is_act(c))
            .filter_map(|c| {
                let note = c.changes.pointer("/erasure/new")?;
                Some((c, note, note.get("act")?.as_str()?))
            })
            .collect();
        if acts.is_empty() {
            return Ok(0);
        }
        let secure: i64 = sqlx::query_scalar("PRAGMA secure_delete").fetch_one(&mut *tx).await?;
        sqlx::query("PRAGMA secure_delete = ON").execute(&mut *tx).await?;
        let erased = self.erase_each(tx, &acts).await;
        sqlx::query(&format!("PRAGMA secure_delete = {secure}")).execute(&mut *tx).await?;
        erased
    }

    async fn erase_each(&self, tx: &mut SqliteConnection, acts: &[(&Change, &Value, &str)]) -> Result<u64> {
        let mut erased = 0;
        for (change, note, act) in acts {
            let id = change.entity_id;
            if is_erased(tx, id).await? {
                continue;
            }
            // A record merged here into another is that one's business: the other office's act
            // names only this one, which is remembered as erased.
            let held = match live_or_deleted(tx, id).await {
                Err(e) if e.code() == ErrorCode::Refused => None,
                other => other?,
            };
            match held {
                Some((contact, present)) => {
                    let request = request_of(note, act, self.clock().today());
                    self.erase_in(tx, &contact, present, Act::Received(&request, id)).await?;
                    erased += 1;
                }
                // Never held here: remembered as erased (the deletion itself is stored like any
                // other, and leaves the tombstone every office has).
                None => self.remember_erased(tx, id, act).await?,
            }
        }
        Ok(erased)
    }
}
