//! Writing a checked batch: multi-row inserts on the caller's transaction.

use std::collections::HashSet;

use serde::Serialize;
use serde_json::json;
use sqlx::query_builder::Separated;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::{Batch, BatchProgress, MAX_BINDS, NewContact, NewInitiative};
use crate::error::{Entity, Result};
use crate::model::{ConsentInput, ContactInput, EventInput, Id, Stage};
use crate::store::Store;
use crate::store::history::{Op, created};
use crate::text::fold;

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
    /// Inserts `rows` with `head` (`INSERT INTO t(a, b) `), `columns` values a row, in as few
    /// statements as the bind limit allows. Statements come in a few fixed sizes (the most the
    /// limit allows, then 512, 32 and 1 rows) so that sqlx's statement cache serves them all.
    async fn insert<'r, T>(
        &mut self,
        head: &str,
        columns: usize,
        rows: &'r [T],
        bind: impl Fn(&mut Separated<'_, 'r, Sqlite, &'static str>, &'r T),
    ) -> Result<()> {
        let full = (MAX_BINDS / columns.max(1)).max(1);
        let mut rest = rows;
        while !rest.is_empty() {
            let size = [full, 512, 32, 1].into_iter().find(|&n| n <= full && n <= rest.len()).unwrap_or(1);
            let (batch, after) = rest.split_at(size);
            let mut qb = QueryBuilder::<'r, Sqlite>::new(head.to_string());
            qb.push_values(batch, |mut b, row| bind(&mut b, row));
            qb.build().execute(&mut *self.conn).await?;
            rest = after;
        }
        Ok(())
    }

    /// Inserts the records themselves, reporting progress per statement.
    async fn records<'r, T>(
        &mut self,
        head: &str,
        columns: usize,
        rows: &'r [T],
        bind: impl Fn(&mut Separated<'_, 'r, Sqlite, &'static str>, &'r T) + Copy,
    ) -> Result<()> {
        let full = (MAX_BINDS / columns.max(1)).max(1);
        for chunk in rows.chunks(full) {
            self.insert(head, columns, chunk, bind).await?;
            self.done += chunk.len() as u64;
            (self.progress)(BatchProgress { done: self.done, total: self.total });
        }
        Ok(())
    }

    pub(super) async fn history(&mut self, entity: Entity, records: &[Id], changes: &[String]) -> Result<()> {
        let (at, device, actor) = (self.store.now_ms(), self.store.device.clone(), self.store.actor.clone());
        let rows: Vec<(Id, Id, &str)> = self
            .store
            .sorted_ids(records.len())
            .into_iter()
            .zip(records.iter().zip(changes))
            .map(|(id, (record, changes))| (id, *record, changes.as_str()))
            .collect();
        self.insert(
            "INSERT INTO history(id, entity, entity_id, op, at, device, actor, changes) ",
            8,
            &rows,
            |b, (id, record, changes)| {
                b.push_bind(*id)
                    .push_bind(entity.as_str())
                    .push_bind(*record)
                    .push_bind(Op::Create)
                    .push_bind(at)
                    .push_bind(device.clone())
                    .push_bind(actor.clone())
                    .push_bind(*changes);
            },
        )
        .await
    }

    pub(super) async fn contacts(&mut self, contacts: &[NewContact], ids: &[Id]) -> Result<()> {
        let (now, device) = (self.store.now_ms(), self.store.device.clone());
        let rows: Vec<(Id, &NewContact, String, String)> = ids
            .iter()
            .zip(contacts)
            .map(|(id, c)| {
                let name = c.input.display_name();
                let key = fold(&name);
                (*id, c, name, key)
            })
            .collect();
        self.records(
            "INSERT INTO contacts(kind, last_name, first_name, middle_name, org_name, position, display_name, sort_key, \
             territory_id, address, notes, id, created_at, updated_at, updated_by) ",
            15,
            &rows,
            |b, (id, c, name, key)| {
                let i = &c.input;
                b.push_bind(i.kind)
                    .push_bind(i.last_name.as_str())
                    .push_bind(i.first_name.as_str())
                    .push_bind(i.middle_name.as_str())
                    .push_bind(i.org_name.as_str())
                    .push_bind(i.position.as_str())
                    .push_bind(name.as_str())
                    .push_bind(key.as_str())
                    .push_bind(i.territory_id)
                    .push_bind(i.address.as_str())
                    .push_bind(i.notes.as_str())
                    .push_bind(*id)
                    .push_bind(now)
                    .push_bind(now)
                    .push_bind(device.clone());
            },
        )
        .await?;
        let pairs = |list: fn(&ContactInput) -> &Vec<String>| -> Vec<(Id, &str)> {
            rows.iter().flat_map(|(id, c, _, _)| list(&c.input).iter().map(move |v| (*id, v.as_str()))).collect()
        };
        let roles: Vec<(Id, &str)> =
            rows.iter().flat_map(|(id, c, _, _)| c.input.roles.iter().map(move |r| (*id, r.as_str()))).collect();
        for (head, list) in [
            ("INSERT INTO contact_roles(contact_id, role) ", roles),
            ("INSERT INTO contact_phones(contact_id, phone) ", pairs(|i| &i.phones)),
            ("INSERT INTO contact_emails(contact_id, email) ", pairs(|i| &i.emails)),
            ("INSERT INTO contact_tags(contact_id, tag) ", pairs(|i| &i.tags)),
        ] {
            self.insert(head, 2, &list, |b, (id, v)| {
                b.push_bind(*id).push_bind(*v);
            })
            .await?;
        }
        let consents: Vec<(Id, Id, &ConsentInput)> =
            rows.iter().filter_map(|(id, c, _, _)| c.consent.as_ref().map(|k| (self.store.new_id(), *id, k))).collect();
        self.insert(
            "INSERT INTO consents(id, contact_id, purpose, given_on, method, expires_on, recorded_at) ",
            7,
            &consents,
            |b, (id, contact, k)| {
                b.push_bind(*id)
                    .push_bind(*contact)
                    .push_bind(k.purpose.trim())
                    .push_bind(k.given_on)
                    .push_bind(k.method)
                    .push_bind(k.expires_on)
                    .push_bind(now);
            },
        )
        .await?;
        Ok(())
    }

    pub(super) async fn initiatives(&mut self, initiatives: &[NewInitiative], ids: &[Id]) -> Result<()> {
        let (now, device) = (self.store.now_ms(), self.store.device.clone());
        let rows: Vec<(Id, &NewInitiative, String)> =
            ids.iter().zip(initiatives).map(|(id, n)| (*id, n, fold(&n.input.title))).collect();
        self.records(
            "INSERT INTO initiatives(title, sort_key, description, object_type, territory_id, program_id, year, \
             initiator_kind, initiator_name, initiator_contact_id, total_cost_kopecks, beneficiaries, supporters, votes, \
             contractor, contract_sum_kopecks, contract_date, start_date, end_date, percent_done, results, \
             id, created_at, updated_at, updated_by, stage, stage_on, number) ",
            28,
            &rows,
            |b, (id, n, key)| {
                let (i, imp) = (&n.input, &n.input.implementation);
                b.push_bind(i.title.trim())
                    .push_bind(key.as_str())
                    .push_bind(i.description.as_str())
                    .push_bind(i.object_type)
                    .push_bind(i.territory_id)
                    .push_bind(i.program_id)
                    .push_bind(i.year)
                    .push_bind(i.initiator.kind.as_str())
                    .push_bind(i.initiator.name.as_str())
                    .push_bind(i.initiator.contact_id)
                    .push_bind(i.total_cost.0)
                    .push_bind(i.beneficiaries)
                    .push_bind(i.supporters)
                    .push_bind(i.votes)
                    .push_bind(imp.contractor.as_str())
                    .push_bind(imp.contract_sum.map(|k| k.0))
                    .push_bind(imp.contract_date)
                    .push_bind(imp.start_date)
                    .push_bind(imp.end_date)
                    .push_bind(imp.percent_done)
                    .push_bind(i.results.as_str())
                    .push_bind(*id)
                    .push_bind(now)
                    .push_bind(now)
                    .push_bind(device.clone())
                    .push_bind(n.stage)
                    .push_bind(n.stage_on)
                    .push_bind(i.number.as_deref().map(str::trim));
            },
        )
        .await?;
        let lines: Vec<(Id, &crate::model::BudgetLine)> =
            rows.iter().flat_map(|(id, n, _)| n.input.budget.iter().map(move |l| (*id, l))).collect();
        self.insert(
            "INSERT INTO budget_lines(initiative_id, source, planned_kopecks, actual_kopecks, note) ",
            5,
            &lines,
            |b, (id, l)| {
                b.push_bind(*id)
                    .push_bind(l.source.as_str())
                    .push_bind(l.planned.0)
                    .push_bind(l.actual.0)
                    .push_bind(l.note.as_str());
            },
        )
        .await?;
        let changes: Vec<(Id, Id, &NewInitiative)> =
            rows.iter().map(|(id, n, _)| (self.store.new_id(), *id, *n)).collect();
        self.insert(
            "INSERT INTO stage_changes(id, initiative_id, from_stage, to_stage, changed_on, note, recorded_at, recorded_by) ",
            8,
            &changes,
            |b, (id, initiative, n)| {
                b.push_bind(*id)
                    .push_bind(*initiative)
                    .push_bind(None::<Stage>)
                    .push_bind(n.stage)
                    .push_bind(n.stage_on)
                    .push_bind("")
                    .push_bind(now)
                    .push_bind(device.clone());
            },
        )
        .await?;
        Ok(())
    }

    pub(super) async fn events(&mut self, events: &[EventInput], ids: &[Id]) -> Result<()> {
        let (now, device) = (self.store.now_ms(), self.store.device.clone());
        let rows: Vec<(Id, &EventInput, String)> =
            ids.iter().zip(events).map(|(id, e)| (*id, e, fold(&e.title))).collect();
        self.records(
            "INSERT INTO events(kind, title, sort_key, starts_at, ends_at, place, territory_id, headcount, outcome, \
             minutes, id, created_at, updated_at, updated_by) ",
            14,
            &rows,
            |b, (id, e, key)| {
                b.push_bind(e.kind)
                    .push_bind(e.title.trim())
                    .push_bind(key.as_str())
                    .push_bind(e.starts_at)
                    .push_bind(e.ends_at)
                    .push_bind(e.place.as_str())
                    .push_bind(e.territory_id)
                    .push_bind(e.headcount)
                    .push_bind(e.outcome.as_str())
                    .push_bind(e.minutes.as_str())
                    .push_bind(*id)
                    .push_bind(now)
                    .push_bind(now)
                    .push_bind(device.clone());
            },
        )
        .await?;
        let attendees: Vec<(Id, &crate::model::Attendee)> =
            rows.iter().flat_map(|(id, e, _)| e.attendees.iter().map(move |a| (*id, a))).collect();
        self.insert("INSERT INTO event_attendees(event_id, contact_id, role) ", 3, &attendees, |b, (id, a)| {
            b.push_bind(*id).push_bind(a.contact_id).push_bind(a.role);
        })
        .await?;
        let links: Vec<(Id, Id)> = rows
            .iter()
            .flat_map(|(id, e, _)| {
                let mut seen = HashSet::new();
                e.initiative_ids.iter().filter(move |i| seen.insert(**i)).map(move |i| (*id, *i))
            })
            .collect();
        self.insert("INSERT INTO event_initiatives(event_id, initiative_id) ", 2, &links, |b, (id, i)| {
            b.push_bind(*id).push_bind(*i);
        })
        .await?;
        Ok(())
    }
}
