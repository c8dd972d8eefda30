//! Writing a checked batch: multi-row inserts on the caller's transaction.

use serde::Serialize;
use serde_json::json;
use sqlx::SqliteConnection;

use super::insert::{Row, insert_rows, rows_per_statement};
use super::records::{write_budgets, write_contact_lists, write_event_links};
use super::{Batch, BatchProgress, NewContact, NewInitiative, rows};
use crate::error::{Entity, Result};
use crate::model::{EventInput, Id};
use crate::store::Store;
use crate::store::history::{Op, created};

/// Writes a checked batch on the caller's transaction.
pub(super) struct Writer<'a> {
    pub(super) store: &'a Store,
    pub(super) conn: &'a mut SqliteConnection,
    pub(super) progress: &'a (dyn Fn(BatchProgress) + Send + Sync),
    pub(super) done: u64,
    pub(super) total: u64,
}

impl Store {
    /// `n` new ids in ascending order: rows then go into the primary-key B-tree at its end
    /// instead of at random places (UUIDv7s made in the same millisecond are not ordered).
    pub(super) fn sorted_ids(&self, n: usize) -> Vec<Id> {
        let mut ids: Vec<Id> = (0..n).map(|_| self.new_id()).collect();
        ids.sort_unstable();
        ids
    }
}

/// The `changes` of every new record's history entry: each field as `{"new": value}`, and the
/// file it was imported from.
pub(super) struct HistoryChanges {
    pub(super) contacts: Vec<String>,
    pub(super) initiatives: Vec<String>,
    pub(super) events: Vec<String>,
}

impl HistoryChanges {
    pub(super) fn of(batch: &Batch, origin: &str) -> HistoryChanges {
        HistoryChanges {
            contacts: batch
                .contacts
                .iter()
                .map(|c| {
                    let extra = c.consent.as_ref().map(|k| json!({ "consent": k })).unwrap_or_default();
                    changes(&c.input, extra, origin)
                })
                .collect(),
            initiatives: batch
                .initiatives
                .iter()
                .map(|n| changes(&n.input, json!({ "stage": n.stage, "stage_on": n.stage_on }), origin))
                .collect(),
            events: batch.events.iter().map(|e| changes(e, serde_json::Value::Null, origin)).collect(),
        }
    }
}

/// Like the one-record functions' entry, but without the fields left empty: an import's records
/// are mostly blanks, and the history of 100 000 of them should not be mostly `{"new": ""}`.
fn changes(record: &impl Serialize, extra: serde_json::Value, origin: &str) -> String {
    let mut fields = serde_json::to_value(record).unwrap_or_default();
    if let Some(map) = fields.as_object_mut() {
        map.retain(|_, v| !(v.is_null() || v.as_str() == Some("") || v.as_array().is_some_and(Vec::is_empty)));
    }
    let mut changes = created(&fields);
    if let (Some(changes), Some(extra)) = (changes.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            changes.insert(k.clone(), json!({ "new": v }));
        }
    }
    changes["imported_from"] = json!({ "new": origin });
    changes.to_string()
}

impl Writer<'_> {
    /// Inserts the records themselves, reporting progress per statement's worth of them.
    async fn records<'r, R: Row<'r>>(&mut self, rows: Vec<R>) -> Result<()> {
        let mut rows = rows.into_iter();
        while rows.len() > 0 {
            let chunk: Vec<R> = rows.by_ref().take(rows_per_statement(R::COLUMNS.len())).collect();
            let n = chunk.len() as u64;
            insert_rows(&mut *self.conn, chunk).await?;
            self.done += n;
            (self.progress)(BatchProgress { done: self.done, total: self.total });
        }
        Ok(())
    }

    pub(super) async fn history(&mut self, entity: Entity, records: &[Id], changes: &[String]) -> Result<()> {
        let (at, device, actor) = (self.store.now_ms(), self.store.device(), self.store.actor());
        let first = self.store.next_hlcs(records.len());
        let rows: Vec<rows::History<'_>> = self
            .store
            .sorted_ids(records.len())
            .into_iter()
            .zip(records.iter().zip(changes))
            .enumerate()
            .map(|(i, (id, (&entity_id, changes)))| rows::History {
                id,
                entity,
                entity_id,
                op: Op::Create,
                at,
                device: device.into(),
                actor: actor.as_str().into(),
                changes: changes.as_str().into(),
                hlc: first + i as i64,
            })
            .collect();
        insert_rows(&mut *self.conn, rows).await
    }

    pub(super) async fn contacts(&mut self, contacts: &[NewContact], ids: &[Id]) -> Result<()> {
        let store = self.store;
        let made = store.made();
        self.records(ids.iter().zip(contacts).map(|(&id, c)| rows::Contact::of(id, &c.input, made)).collect()).await?;
        let inputs: Vec<(Id, _)> = ids.iter().copied().zip(contacts.iter().map(|c| &c.input)).collect();
        write_contact_lists(&mut *self.conn, &inputs).await?;
        let consents: Vec<rows::Consent<'_>> = ids
            .iter()
            .zip(contacts)
            .filter_map(|(&id, c)| c.consent.as_ref().map(|k| rows::Consent::of(store.new_id(), id, k, made)))
            .collect();
        insert_rows(&mut *self.conn, consents).await
    }

    pub(super) async fn initiatives(&mut self, initiatives: &[NewInitiative], ids: &[Id]) -> Result<()> {
        let store = self.store;
        let made = store.made();
        self.records(
            ids.iter()
                .zip(initiatives)
                .map(|(&id, n)| rows::Initiative::of(id, &n.input, n.stage, n.stage_on, made))
                .collect(),
        )
        .await?;
        let inputs: Vec<(Id, _)> = ids.iter().copied().zip(initiatives.iter().map(|n| &n.input)).collect();
        write_budgets(&mut *self.conn, &inputs).await?;
        let changes: Vec<rows::StageChange<'_>> = ids
            .iter()
            .zip(initiatives)
            .map(|(&id, n)| rows::StageChange::of(store.new_id(), id, None, n.stage, n.stage_on, "", made))
            .collect();
        insert_rows(&mut *self.conn, changes).await
    }

    pub(super) async fn events(&mut self, events: &[EventInput], ids: &[Id]) -> Result<()> {
        let made = self.store.made();
        self.records(ids.iter().zip(events).map(|(&id, e)| rows::Event::of(id, e, made)).collect()).await?;
        let inputs: Vec<(Id, &EventInput)> = ids.iter().copied().zip(events).collect();
        write_event_links(&mut *self.conn, &inputs).await
    }
}
