//! Writing a record as the fold of its changes makes it, and deciding which changes a scope
//! covers.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::de::value::MapDeserializer;
use serde_json::{Map, Value, json};
use sqlx::SqliteConnection;

use super::{Applied, CHANGE_COLUMNS, Missing, Scope, change_of, conflicts, raw_change_of};
use crate::error::{Entity, Problems, Result};
use crate::model::{ConsentInput, ContactInput, EventInput, Id, InitiativeInput, ProgramInput, Stage, TerritoryInput};
use crate::store::bulk::{Made, insert_rows, rows};
use crate::store::{Op, Store, contacts, events, initiatives, programs, table_of, territories};
use crate::sync::{Body, Change, Folded, RawChange, fold, values_before};

/// The order records are written in, so that what a record refers to is written before it.
pub(super) fn rank(entity: Entity) -> u8 {
    match entity {
        Entity::Territory => 0,
        Entity::Program => 1,
        Entity::Contact => 2,
        Entity::Initiative => 3,
        Entity::Event => 4,
        Entity::Appeal => 5,
        Entity::Consent => 6,
        Entity::Attachment => 7,
    }
}

/// Whether records of this kind are shared directories (territories, programs), written before
/// the records that refer to them.
pub(super) fn is_directory(entity: Entity) -> bool {
    rank(entity) < rank(Entity::Contact)
}

/// The kind of the record `id`, from its history.
pub(super) async fn entity_of(tx: &mut SqliteConnection, id: Id) -> Result<Option<Entity>> {
    let entity: Option<String> = sqlx::query_scalar("SELECT entity FROM history WHERE entity_id = ? LIMIT 1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    Ok(entity.and_then(|e| Entity::parse(&e)))
}

/// Folds the record `id` from every change this replica holds for it and writes the result,
/// inside a savepoint: what the database cannot hold (a reference to a record not written yet)
/// is rolled back, never half written, and `false` returned; on the `last_try` it is kept
/// waiting in the journal instead.
pub(super) async fn record(
    store: &Store,
    tx: &mut SqliteConnection,
    entity: Entity,
    id: Id,
    applied: &mut Applied,
    last_try: bool,
    missing: Missing,
) -> Result<bool> {
    let rows = sqlx::query(&format!("SELECT {CHANGE_COLUMNS} FROM history WHERE entity_id = ?"))
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    let mut changes = rows.iter().map(change_of).collect::<Result<Vec<Change>>>()?;
    for c in changes.iter_mut().filter(|c| c.op == Op::Create && c.changes.is_bare()) {
        if let Some(body) = bare_create_body(tx, entity, id, Bare::Nothing).await? {
            c.changes = body;
        }
    }
    let folded = fold(entity, &changes);
    sqlx::query("SAVEPOINT mestno_record").execute(&mut *tx).await?;
    match write(tx, entity, id, &folded, missing).await {
        Ok(outcome) => {
            sqlx::query("RELEASE mestno_record").execute(&mut *tx).await?;
            for lost in &folded.lost {
                applied.conflicts += conflicts::record_lost(store, tx, entity, id, lost).await?;
            }
            conflicts::stop_waiting(store, tx, id).await?;
            let count = match outcome {
                Outcome::Added => &mut applied.added,
                Outcome::Changed => &mut applied.changed,
                Outcome::Deleted => &mut applied.deleted,
                Outcome::Nothing => return Ok(true),
            };
            *count.entry(entity.as_str().to_owned()).or_default() += 1;
            for problem in problems(entity, &folded) {
                applied.conflicts += conflicts::record_rule(store, tx, entity, id, &problem, false).await?;
            }
        }
        Err(e) => {
            sqlx::query("ROLLBACK TO mestno_record").execute(&mut *tx).await?;
            sqlx::query("RELEASE mestno_record").execute(&mut *tx).await?;
            if !last_try {
                return Ok(false);
            }
            let problem = crate::FieldError::new(
                "*",
                format!("запись не сохранена: {}", e.message(crate::Lang::Ru)),
                format!("the record is not stored: {}", e.message(crate::Lang::En)),
            );
            applied.conflicts += conflicts::record_rule(store, tx, entity, id, &problem, true).await?;
        }
    }
    Ok(true)
}

enum Outcome {
    Added,
    Changed,
    Deleted,
    Nothing,
}

async fn write(tx: &mut SqliteConnection, entity: Entity, id: Id, f: &Folded<'_>, missing: Missing) -> Result<Outcome> {
    let table = table_of(entity);
    let exists = sqlx::query(&format!("SELECT 1 FROM {table} WHERE id = ?")).bind(id).fetch_optional(&mut *tx).await?;
    let exists = exists.is_some();
    if let Some(delete) = f.deleted {
        // The tombstone is left even for a record this office never saw, so that every
        // replica knows the id is spent.
        if exists {
            sqlx::query(&format!("DELETE FROM {table} WHERE id = ?")).bind(id).execute(&mut *tx).await?;
        }
        // A person entered twice and merged into her other record takes her files there, as the
        // merge did at the office that made it.
        if entity == Entity::Contact
            && let Some(into) = merged_into(tx, id).await?
        {
            sqlx::query("UPDATE attachments SET owner_id = ? WHERE owner_entity = 'contact' AND owner_id = ?")
                .bind(into)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("INSERT OR IGNORE INTO tombstones(id, entity, deleted_at, device) VALUES (?, ?, ?, ?)")
            .bind(id)
            .bind(entity.as_str())
            .bind(delete.at)
            .bind(&delete.replica)
            .execute(&mut *tx)
            .await?;
        return Ok(if exists { Outcome::Deleted } else { Outcome::Nothing });
    }
    let (Some(fields), Some(first)) = (&f.fields, f.stages.first()) else { return Ok(Outcome::Nothing) };
    let made = Made { at: first.at, by: &first.replica };
    match entity {
        Entity::Territory => {
            let input: TerritoryInput = parse(fields)?;
            if !exists {
                insert_rows(&mut *tx, vec![rows::Territory::of(id, &input, made)]).await?;
            }
            territories::write_fields(tx, id, &input).await?;
        }
        Entity::Program => {
            let input: ProgramInput = parse(fields)?;
            if !exists {
                insert_rows(&mut *tx, vec![rows::Program::of(id, &input, made)]).await?;
            }
            programs::write_fields(tx, id, &input).await?;
        }
        Entity::Contact => {
            let input: ContactInput = parse(fields)?;
            if !exists {
                insert_rows(&mut *tx, vec![rows::Contact::of(id, &input, made)]).await?;
            }
            contacts::write_fields(tx, id, &input).await?;
            write_consents(tx, id, f, made).await?;
        }
        Entity::Initiative => {
            let mut input: InitiativeInput = parse_scrubbed(entity, by_name(fields))?;
            forget_erased_initiator(tx, &mut input).await?;
            let none = HashSet::new();
            let left =
                Absent::find(tx, &[&input], &[], (&none, &none), missing).await?.leave_out_of_initiative(&mut input);
            remember_left_out(tx, &[(id, left)], false).await?;
            let stage: Stage = parse_field(by_name(fields), "stage")?;
            let stage_on: NaiveDate = parse_field(by_name(fields), "stage_on")?;
            if !exists {
                insert_rows(&mut *tx, vec![rows::Initiative::of(id, &input, stage, stage_on, made)]).await?;
            }
            initiatives::write_fields(tx, id, &input).await?;
            sqlx::query("UPDATE initiatives SET stage = ?, stage_on = ? WHERE id = ?")
                .bind(stage)
                .bind(stage_on)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            write_stage_history(tx, id, f).await?;
        }
        Entity::Event => {
            let mut input: EventInput = parse_scrubbed(entity, by_name(fields))?;
            forget_erased_attendees(tx, &mut input).await?;
            let none = HashSet::new();
            let left = Absent::find(tx, &[], &[&input], (&none, &none), missing).await?.leave_out_of_event(&mut input);
            remember_left_out(tx, &[(id, left)], false).await?;
            if !exists {
                insert_rows(&mut *tx, vec![rows::Event::of(id, &input, made)]).await?;
            }
            events::write_fields(tx, id, &input).await?;
        }
        Entity::Attachment => return write_attachment(tx, id, fields, made, exists).await,
        // Appeals do not travel yet, and consents are written with their contact: their changes
        // are kept, not written.
        Entity::Appeal | Entity::Consent => return Ok(Outcome::Nothing),
    }
    let last = f.last.unwrap_or(first);
    sqlx::query(&format!("UPDATE {table} SET updated_at = ?, updated_by = ?, rev = rev + ? WHERE id = ?"))
        .bind(last.at)
        .bind(&last.replica)
        .bind(i64::from(exists))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    Ok(if exists { Outcome::Changed } else { Outcome::Added })
}

/// An attachment's description as its create gives it.
#[derive(serde::Deserialize)]
struct AttachmentFields {
    owner_entity: String,
    owner_id: Id,
    file_name: String,
    sha256: String,
    size_bytes: i64,
}

/// Writes an attachment's description, once: it is never changed, only deleted. One whose
/// record is not here yet waits for it (an error rolls the record back, and the load keeps it
/// waiting); one of a person erased here, or of an appeal (appeals do not travel yet), is not
/// written. Its content comes separately ([`Store::store_received_files`]).
async fn write_attachment(
    tx: &mut SqliteConnection,
    id: Id,
    fields: &Map<String, Value>,
    made: Made<'_>,
    exists: bool,
) -> Result<Outcome> {
    if exists {
        return Ok(Outcome::Nothing);
    }
    let a: AttachmentFields = parse(fields)?;
    // The hash names the content's file in the files folder: only a SHA-256 in hex may.
    if !crate::store::attachments::is_sha256(&a.sha256) || a.size_bytes < 0 {
        return Err(not_a_record(serde::de::Error::custom("an attachment's sha256 or size is not one")));
    }
    let owner = match Entity::parse(&a.owner_entity) {
        Some(owner @ (Entity::Initiative | Entity::Event | Entity::Contact)) => owner,
        _ => return Ok(Outcome::Nothing),
    };
    if super::is_erased(tx, a.owner_id).await? {
        return Ok(Outcome::Nothing);
    }
    // A file of a person merged into another record goes to that record.
    let mut owner_id = a.owner_id;
    for _ in 0..8 {
        match merged_into(tx, owner_id).await? {
            Some(into) if owner == Entity::Contact => owner_id = into,
            _ => break,
        }
    }
    if !crate::store::exists(tx, owner, owner_id).await? {
        return Err(crate::Error::not_found(owner, owner_id));
    }
    sqlx::query(
        "INSERT INTO attachments(id, owner_entity, owner_id, file_name, sha256, size_bytes, added_at, added_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(owner.as_str())
    .bind(owner_id)
    .bind(&a.file_name)
    .bind(&a.sha256)
    .bind(a.size_bytes)
    .bind(made.at)
    .bind(made.by)
    .execute(&mut *tx)
    .await?;
    Ok(Outcome::Added)
}

/// The record the contact `id` was merged into, as its deletion here says.
async fn merged_into(tx: &mut SqliteConnection, id: Id) -> Result<Option<Id>> {
    let into: Option<String> = sqlx::query_scalar(
        "SELECT json_extract(changes, '$.merged_into.new.id') AS into_id FROM history
          WHERE entity_id = ? AND op = 'delete' AND into_id IS NOT NULL LIMIT 1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(into.and_then(|s| s.parse().ok()))
}

/// Which of `ids` (none of them in `known`, records written in this same pass) this office
/// does not hold and will not: with [`Missing::LeaveOut`], those with neither a row in `table`
/// nor entries in the history (stored first in a load, so a record written later in the same
/// load has them); with [`Missing::Wait`], those deleted here (a tombstone) only.
async fn absent_of(
    tx: &mut SqliteConnection,
    table: &str,
    ids: Vec<Id>,
    known: &HashSet<Id>,
    missing: Missing,
) -> Result<HashSet<Id>> {
    let mut unknown: Vec<Id> = ids.into_iter().filter(|id| !known.contains(id)).collect();
    unknown.sort_unstable();
    unknown.dedup();
    let mut absent = HashSet::new();
    for chunk in unknown.chunks(500) {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new("WITH wanted(id) AS (VALUES ");
        let mut list = q.separated(", ");
        for id in chunk {
            list.push("(").push_bind_unseparated(*id).push_unseparated(")");
        }
        q.push(match missing {
            Missing::LeaveOut => format!(
                ") SELECT id FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM {table} r WHERE r.id = w.id)
                   AND (NOT EXISTS (SELECT 1 FROM history h WHERE h.entity_id = w.id)
                        OR EXISTS (SELECT 1 FROM tombstones t WHERE t.id = w.id))"
            ),
            Missing::Wait | Missing::For(_) => {
                ") SELECT id FROM wanted w WHERE EXISTS (SELECT 1 FROM tombstones t WHERE t.id = w.id)".to_owned()
            }
        });
        absent.extend(q.build_query_scalar::<Id>().fetch_all(&mut *tx).await?);
    }
    Ok(absent)
}

/// The links of records to records this office does not hold and will not, left out of the rows
/// written. A person deleted here is left out of the events that name her (her deletion wins).
/// A settlement's office ([`Missing::LeaveOut`]) receives the events and projects of its
/// territory, not the people from elsewhere who attended them or put them forward (a district
/// official, a neighbouring village's resident), so it stores the event with the attendees it
/// holds and its headcount, the project with its initiator's name. The links stay in the
/// records' history: they travel on with it, and an edit made here leaves them as they are
/// everywhere else (attendance merges person by person).
pub(super) struct Absent {
    contacts: HashSet<Id>,
    initiatives: HashSet<Id>,
}

impl Absent {
    /// Which of the people and projects that `initiatives` and `events` name are absent, as
    /// `missing` says; those of `contacts` and `projects` (written in this same pass) are not.
    pub(super) async fn find(
        tx: &mut SqliteConnection,
        initiatives: &[&InitiativeInput],
        events: &[&EventInput],
        (contacts, projects): (&HashSet<Id>, &HashSet<Id>),
        missing: Missing,
    ) -> Result<Absent> {
        // Collected first: the future then holds no iterator whose closures borrow.
        let named: Vec<Id> = initiatives
            .iter()
            .filter_map(|i| i.initiator.contact_id)
            .chain(events.iter().flat_map(|e| e.attendees.iter().map(|a| a.contact_id)))
            .collect();
        let linked: Vec<Id> = events.iter().flat_map(|e| e.initiative_ids.iter().copied()).collect();
        let contacts = absent_of(tx, "contacts", named, contacts, missing).await?;
        let initiatives = absent_of(tx, "initiatives", linked, projects, missing).await?;
        Ok(Absent { contacts, initiatives })
    }

    /// Takes the absent initiator's link out of `input`: the id left out, if any.
    pub(super) fn leave_out_of_initiative(&self, input: &mut InitiativeInput) -> Vec<Id> {
        match input.initiator.contact_id {
            Some(c) if self.contacts.contains(&c) => {
                input.initiator.contact_id = None;
                vec![c]
            }
            _ => Vec::new(),
        }
    }

    /// Takes the absent attendees and projects out of `input`: the ids left out.
    pub(super) fn leave_out_of_event(&self, input: &mut EventInput) -> Vec<Id> {
        let mut out: Vec<Id> =
            input.attendees.iter().map(|a| a.contact_id).filter(|c| self.contacts.contains(c)).collect();
        out.extend(input.initiative_ids.iter().copied().filter(|i| self.initiatives.contains(i)));
        input.attendees.retain(|a| !self.contacts.contains(&a.contact_id));
        input.initiative_ids.retain(|i| !self.initiatives.contains(i));
        out
    }
}

/// Remembers the links left out of each `(record, targets)` (see [`Absent`]), in place of those
/// remembered before for it: when a target arrives, [`links_arrived`] names the record.
pub(super) async fn remember_left_out(
    tx: &mut SqliteConnection,
    left_out: &[(Id, Vec<Id>)],
    fresh: bool,
) -> Result<()> {
    if !fresh {
        for (record, _) in left_out {
            sqlx::query("DELETE FROM sync_left_out WHERE record_id = ?").bind(record).execute(&mut *tx).await?;
        }
    }
    let pairs: Vec<(Id, Id)> =
        left_out.iter().flat_map(|(record, targets)| targets.iter().map(move |t| (*record, *t))).collect();
    for chunk in pairs.chunks(400) {
        let mut q =
            sqlx::QueryBuilder::<sqlx::Sqlite>::new("INSERT OR IGNORE INTO sync_left_out(record_id, target_id) ");
        q.push_values(chunk, |mut b, (record, target)| {
            b.push_bind(*record).push_bind(*target);
        });
        q.build().execute(&mut *tx).await?;
    }
    Ok(())
}

/// The records a load left links out of whose targets this office now holds, to be written
/// again with them; the remembered links of records no longer here are forgotten.
pub(super) async fn links_arrived(tx: &mut SqliteConnection) -> Result<BTreeMap<(u8, Id), Entity>> {
    sqlx::query(
        "DELETE FROM sync_left_out WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = record_id)
            AND NOT EXISTS (SELECT 1 FROM initiatives i WHERE i.id = record_id)",
    )
    .execute(&mut *tx)
    .await?;
    let back: Vec<(Id, bool)> = sqlx::query_as(
        "SELECT DISTINCT l.record_id, EXISTS (SELECT 1 FROM events e WHERE e.id = l.record_id) FROM sync_left_out l
          WHERE EXISTS (SELECT 1 FROM contacts c WHERE c.id = l.target_id)
             OR EXISTS (SELECT 1 FROM initiatives i WHERE i.id = l.target_id)",
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(back
        .into_iter()
        .map(|(id, event)| {
            let entity = if event { Entity::Event } else { Entity::Initiative };
            ((rank(entity), id), entity)
        })
        .collect())
}

/// A project put forward by a person erased here keeps no link to her (as her erasure left it
/// on the office that erased her).
pub(super) async fn forget_erased_initiator(tx: &mut SqliteConnection, input: &mut InitiativeInput) -> Result<()> {
    if let Some(person) = input.initiator.contact_id
        && super::is_erased(tx, person).await?
    {
        input.initiator.contact_id = None;
    }
    Ok(())
}

/// An event's named attendance of a person erased here is gone (its headcount stays).
pub(super) async fn forget_erased_attendees(tx: &mut SqliteConnection, input: &mut EventInput) -> Result<()> {
    if input.attendees.is_empty() || !super::any_erased(tx).await? {
        return Ok(());
    }
    let mut kept = Vec::with_capacity(input.attendees.len());
    for a in input.attendees.drain(..) {
        if !super::is_erased(tx, a.contact_id).await? {
            kept.push(a);
        }
    }
    input.attendees = kept;
    Ok(())
}

/// A record's fields with the references an erasure redacted in the history (a person's id
/// become «[удалено]» in an entry written before her erasure, as another office sends it) taken
/// out: the attendance goes, the initiator stays without a link.
pub(super) fn parse_scrubbed<'v, T: DeserializeOwned>(
    entity: Entity,
    fields: impl Iterator<Item = (&'v str, &'v Value)> + Clone,
) -> Result<T> {
    // Most records name nobody erased: they are read as they are, without a copy.
    if let Ok(record) = parse_from(fields.clone()) {
        return Ok(record);
    }
    let is_id = |v: &Value| v.as_str().is_some_and(|s| s.parse::<uuid::Uuid>().is_ok());
    let mut fields: Map<String, Value> = fields.map(|(k, v)| (k.to_owned(), v.clone())).collect();
    match entity {
        Entity::Event => {
            if let Some(Value::Array(attendees)) = fields.get_mut("attendees") {
                attendees.retain(|a| a.get("contact_id").is_none_or(is_id));
            }
        }
        Entity::Initiative => {
            if let Some(contact) = fields.get_mut("initiator").and_then(|i| i.get_mut("contact_id"))
                && !contact.is_null()
                && !is_id(contact)
            {
                *contact = Value::Null;
            }
        }
        _ => {}
    }
    serde_json::from_value(Value::Object(fields)).map_err(not_a_record)
}

fn not_a_record(e: serde_json::Error) -> crate::Error {
    crate::Error::Storage(crate::Text::new(
        format!("изменения записи не складываются в запись: {e}"),
        format!("the record's changes do not make a record: {e}"),
    ))
}

/// A record read from its fields by name, borrowed, not copied.
pub(super) fn parse_from<'v, T: DeserializeOwned>(fields: impl Iterator<Item = (&'v str, &'v Value)>) -> Result<T> {
    T::deserialize(MapDeserializer::<_, serde_json::Error>::new(fields)).map_err(not_a_record)
}

pub(super) fn parse<T: DeserializeOwned>(fields: &Map<String, Value>) -> Result<T> {
    parse_from(by_name(fields))
}

/// A folded record's fields by name.
pub(super) fn by_name(fields: &Map<String, Value>) -> impl Iterator<Item = (&str, &Value)> + Clone {
    fields.iter().map(|(k, v)| (k.as_str(), v))
}

/// The field `name` of a record, `null` if it has none.
pub(super) fn parse_field<'v, T: DeserializeOwned>(
    mut fields: impl Iterator<Item = (&'v str, &'v Value)>,
    name: &str,
) -> Result<T> {
    let value = fields.find(|(k, _)| *k == name).map_or(&Value::Null, |(_, v)| v);
    T::deserialize(value).map_err(not_a_record)
}

/// The stage history as the record's create and stage moves make it.
async fn write_stage_history(tx: &mut SqliteConnection, id: Id, f: &Folded<'_>) -> Result<()> {
    sqlx::query("DELETE FROM stage_changes WHERE initiative_id = ?").bind(id).execute(&mut *tx).await?;
    insert_rows(&mut *tx, stage_rows(id, &f.stages)).await
}

/// The rows of the stage history the record's create and stage moves make, each numbered by
/// its entry (so that every replica numbers them alike).
pub(super) fn stage_rows<'c>(id: Id, stages: &[&'c Change]) -> Vec<rows::StageChange<'c>> {
    stages
        .iter()
        .copied()
        .filter_map(|c: &'c Change| {
            let new = |k: &str| c.changes.get(k).and_then(|v| v.get("new")).cloned();
            let old = |k: &str| c.changes.get(k).and_then(|v| v.get("old")).cloned();
            let to: Stage = serde_json::from_value(new("stage")?).ok()?;
            let on: NaiveDate = serde_json::from_value(new("stage_on")?).ok()?;
            let from: Option<Stage> =
                if c.op == Op::Create { None } else { old("stage").and_then(|v| serde_json::from_value(v).ok()) };
            let note = new("note").and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            let mut row = rows::StageChange::of(c.id, id, from, to, on, "", Made { at: c.at, by: &c.replica });
            row.note = note.into();
            Some(row)
        })
        .collect()
}

/// A contact's consents as its changes give and withdraw them.
async fn write_consents(tx: &mut SqliteConnection, id: Id, f: &Folded<'_>, made: Made<'_>) -> Result<()> {
    sqlx::query("DELETE FROM consents WHERE contact_id = ?").bind(id).execute(&mut *tx).await?;
    insert_rows(&mut *tx, consent_rows(id, &f.consents, made)).await
}

/// The rows of a contact's consents, each numbered as its entry named it.
pub(super) fn consent_rows(
    id: Id,
    consents: &[(Id, Value, Option<Value>)],
    made: Made<'_>,
) -> Vec<rows::Consent<'static>> {
    consents
        .iter()
        .filter_map(|(consent_id, consent, withdrawn)| {
            let input = serde_json::from_value::<ConsentInput>(consent.clone()).ok()?;
            let row = rows::Consent::of(*consent_id, id, &input, made);
            Some(rows::Consent {
                id: row.id,
                contact_id: row.contact_id,
                purpose: row.purpose.into_owned().into(),
                given_on: row.given_on,
                method: row.method,
                expires_on: row.expires_on,
                withdrawn_on: withdrawn.as_ref().and_then(|w| serde_json::from_value(w.clone()).ok()),
                recorded_at: row.recorded_at,
            })
        })
        .collect()
}

/// The rules of the core a merged record breaks (stored all the same, and listed).
pub(super) fn problems(entity: Entity, f: &Folded<'_>) -> Vec<crate::FieldError> {
    let Some(fields) = &f.fields else { return Vec::new() };
    match entity {
        Entity::Initiative => parse::<InitiativeInput>(fields).map(|i| broken(|p| i.validate(p))).unwrap_or_default(),
        Entity::Event => parse::<EventInput>(fields).map(|e| broken(|p| e.validate(p))).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The rules a record's `validate` finds broken.
pub(super) fn broken(validate: impl FnOnce(&mut Problems)) -> Vec<crate::FieldError> {
    let mut p = Problems::default();
    validate(&mut p);
    p.into_vec()
}

/// The changes, among `changes`, that `sender` may make: to records within its territories
/// (a record's territory is the one its fields name, or its stored row's), to territories
/// within them, and to programs (a shared directory). A contact named by no territory belongs
/// to the office that keeps it.
pub(super) async fn allowed<B: Body>(
    tx: &mut SqliteConnection,
    changes: &[Change<B>],
    sender: &Scope,
) -> Result<HashSet<Id>> {
    let Some(within) = &sender.territories else { return Ok(changes.iter().map(|c| c.id).collect()) };
    let mut territory_of: HashMap<Id, Option<Id>> = HashMap::new();
    for c in changes {
        if let Some(t) = named_territory(c) {
            territory_of.insert(c.entity_id, t);
        }
    }
    // The sender's territories include those the same changes place within them (a district's
    // first package brings its settlements).
    let mut within = within.clone();
    loop {
        let before = within.len();
        for c in changes.iter().filter(|c| c.entity == Entity::Territory) {
            if territory_of.get(&c.entity_id).copied().flatten().is_some_and(|p| within.contains(&p)) {
                within.insert(c.entity_id);
            }
        }
        if within.len() == before {
            break;
        }
    }
    let mut ok = HashSet::new();
    for c in changes {
        let territory = match territory_of.get(&c.entity_id) {
            Some(t) => *t,
            None if c.entity == Entity::Attachment => match owner_of(&mut *tx, c).await? {
                Some((owner, _)) if territory_of.contains_key(&owner) => territory_of[&owner],
                Some((owner, entity)) if has_history(&mut *tx, owner).await? => {
                    stored_territory(&mut *tx, entity, owner).await?
                }
                // A file of a record neither here nor in the batch: where it lies cannot be told,
                // so no sender may place it (a package brings a record before its files).
                _ => continue,
            },
            None => stored_territory(&mut *tx, c.entity, c.entity_id).await?,
        };
        let allowed = match c.entity {
            Entity::Program => true,
            Entity::Territory => within.contains(&c.entity_id) || territory.is_some_and(|p| within.contains(&p)),
            _ => territory.is_none_or(|t| within.contains(&t)),
        };
        if allowed {
            ok.insert(c.id);
        }
    }
    Ok(ok)
}

/// Whether this office holds any change of the record `id`.
async fn has_history(conn: &mut SqliteConnection, id: Id) -> Result<bool> {
    let hit: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM history WHERE entity_id = ? LIMIT 1").bind(id).fetch_optional(conn).await?;
    Ok(hit.is_some())
}

/// The record an attachment's change belongs to: as its create names it, or as stored here.
async fn owner_of<B: Body>(conn: &mut SqliteConnection, c: &Change<B>) -> Result<Option<(Id, Entity)>> {
    let named = |key: &str| c.changes.new_of(key).and_then(|v| v.as_str().map(str::to_owned));
    if let (Some(id), Some(entity)) = (named("owner_id"), named("owner_entity")) {
        return Ok(id.parse().ok().zip(Entity::parse(&entity)));
    }
    stored_owner(conn, c.entity_id).await
}

/// The record the stored file `id` belongs to.
async fn stored_owner(conn: &mut SqliteConnection, id: Id) -> Result<Option<(Id, Entity)>> {
    let stored: Option<(Id, String)> = sqlx::query_as("SELECT owner_id, owner_entity FROM attachments WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(stored.and_then(|(id, entity)| Some((id, Entity::parse(&entity)?))))
}

/// The territory a change gives its record (a territory's parent, for a territory).
fn named_territory<B: Body>(c: &Change<B>) -> Option<Option<Id>> {
    let key = if c.entity == Entity::Territory { "parent_id" } else { "territory_id" };
    let v = c.changes.new_of(key)?;
    Some(serde_json::from_value(v).ok().flatten())
}

/// The territory a record lies in (for a territory: its parent) as stored here; for an appeal
/// without one, its author's; for a file, its record's; for a record deleted here, the territory
/// its history last named.
pub(super) async fn stored_territory(conn: &mut SqliteConnection, entity: Entity, id: Id) -> Result<Option<Id>> {
    let sql = match entity {
        Entity::Territory => "SELECT parent_id FROM territories WHERE id = ?",
        Entity::Initiative => "SELECT territory_id FROM initiatives WHERE id = ?",
        Entity::Contact => "SELECT territory_id FROM contacts WHERE id = ?",
        Entity::Event => "SELECT territory_id FROM events WHERE id = ?",
        Entity::Appeal => {
            "SELECT coalesce(a.territory_id, c.territory_id) FROM appeals a
             LEFT JOIN contacts c ON c.id = a.author_contact_id WHERE a.id = ?"
        }
        // A file lies where its record does, as `allowed` places it.
        Entity::Attachment => {
            return match stored_owner(conn, id).await? {
                Some((owner, kind)) if kind != Entity::Attachment => {
                    Box::pin(stored_territory(conn, kind, owner)).await
                }
                _ => Ok(None),
            };
        }
        _ => return Ok(None),
    };
    let found: Option<Option<Id>> = sqlx::query_scalar(sql).bind(id).fetch_optional(&mut *conn).await?;
    if found.is_some() || entity == Entity::Territory {
        return Ok(found.flatten());
    }
    // A deleted record: the territory its history last named.
    let named: Option<String> = sqlx::query_scalar(
        "SELECT json_extract(changes, '$.territory_id.new') FROM history
         WHERE entity_id = ? AND json_extract(changes, '$.territory_id.new') IS NOT NULL ORDER BY hlc DESC LIMIT 1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(named.and_then(|s| s.parse().ok()))
}

/// The changes a partner answering for `scope` receives: its territories' records, and the
/// shared directories (every territory and program) whole.
pub(super) async fn in_scope<B: Body>(
    conn: &mut SqliteConnection,
    changes: Vec<Change<B>>,
    scope: &Scope,
) -> Result<Vec<Change<B>>> {
    if scope.territories.is_none() {
        return Ok(changes);
    }
    let ok = allowed(conn, &changes, scope).await?;
    let shared = |c: &Change<B>| matches!(c.entity, Entity::Territory | Entity::Program);
    Ok(changes.into_iter().filter(|c| shared(c) || ok.contains(&c.id)).collect())
}

/// `changes` (to a partner answering for `scope`) with the earlier entries of each record one of
/// them moves into the partner's territories from outside them — a person who moved to the
/// village, the records of a settlement passed to the partner's district: the partner was never
/// sent those, filed as they were under another territory. An entry the partner holds all the
/// same is skipped when it loads them.
pub(super) async fn with_moved_in(
    conn: &mut SqliteConnection,
    mut changes: Vec<RawChange>,
    scope: &Scope,
) -> Result<Vec<RawChange>> {
    let Some(within) = &scope.territories else { return Ok(changes) };
    // Records whose territory, or territories whose parent, one of the changes moves from
    // outside the partner's territories (a person moved to the village; a settlement passed to
    // the partner's district).
    let from_outside = |c: &RawChange, field: &str| {
        if c.op == Op::Create || c.changes.new_of(field).is_none() {
            return false;
        }
        let read = <Box<serde_json::value::RawValue> as Body>::read(c);
        let from = read.changes.get(field).and_then(|t| t.get("old"));
        let from: Option<Id> = from.and_then(|v| serde_json::from_value(v.clone()).ok());
        from.is_none_or(|t| !within.contains(&t))
    };
    let mut moved: Vec<Id> = changes
        .iter()
        .filter(|c| !is_directory(c.entity) && from_outside(c, "territory_id"))
        .map(|c| c.entity_id)
        .collect();
    let places: Vec<Id> = changes
        .iter()
        .filter(|c| c.entity == Entity::Territory && within.contains(&c.entity_id) && from_outside(c, "parent_id"))
        .map(|c| c.entity_id)
        .collect();
    for place in places {
        let records: Vec<Id> = sqlx::query_scalar(
            "WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT t.id FROM territories t JOIN sub ON t.parent_id = sub.id)
             SELECT id FROM contacts WHERE territory_id IN sub
             UNION ALL SELECT id FROM initiatives WHERE territory_id IN sub
             UNION ALL SELECT id FROM events WHERE territory_id IN sub",
        )
        .bind(place)
        .fetch_all(&mut *conn)
        .await?;
        moved.extend(records);
    }
    if moved.is_empty() {
        return Ok(changes);
    }
    // The files attached to them come with them.
    for chunk in moved.clone().chunks(500) {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new("SELECT id FROM attachments WHERE owner_id IN (");
        let mut list = q.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        q.push(")");
        moved.extend(q.build_query_scalar::<Id>().fetch_all(&mut *conn).await?);
    }
    moved.sort_unstable();
    moved.dedup();
    let sent: HashSet<Id> = changes.iter().map(|c| c.id).collect();
    for id in moved {
        let rows = sqlx::query(&format!("SELECT {CHANGE_COLUMNS} FROM history WHERE entity_id = ? ORDER BY hlc, id"))
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
        for row in &rows {
            let earlier = raw_change_of(row)?;
            if !sent.contains(&earlier.id) {
                changes.push(earlier);
            }
        }
    }
    Ok(changes)
}

/// Creates written without their fields (the demo generator's) travel with what they stand for
/// ([`bare_create_body`]), so that the partner can build the record.
pub(super) async fn fill_bare_creates<B: Body>(
    _store: &Store,
    conn: &mut SqliteConnection,
    mut changes: Vec<Change<B>>,
) -> Result<Vec<Change<B>>> {
    for c in changes.iter_mut().filter(|c| c.op == Op::Create) {
        if !c.changes.is_bare() {
            continue;
        }
        if let Some(body) = bare_create_body(conn, c.entity, c.entity_id, Bare::AsStored).await? {
            c.changes = B::of(body);
        }
    }
    Ok(changes)
}

/// What a create written bare stands for when its record's lists are not all in its history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Bare {
    /// Nothing: the create is left bare (folding it would lose those lists).
    Nothing,
    /// The record as stored, at its current stage: all a partner can be sent.
    AsStored,
}

/// The body a create written bare (the demo generator's, `{"source": …}` alone) stands for: the
/// record's fields as `conn` sees them — in a load, with what the load wrote (a person's name an
/// erasure took out of a project stays out) — at its first stage for an initiative, with the
/// first stage's note. Read from the record's row, which no later change has altered except
/// through an entry of its own, with a later clock: folded with those entries it gives the
/// record as it is. The stage moves and consents the create does not hold are entries of their
/// own too — unless the record comes from an older demo generator, which did not write them;
/// then `otherwise` says what it stands for. `None` for a record this office does not hold.
pub(super) async fn bare_create_body(
    conn: &mut SqliteConnection,
    entity: Entity,
    id: Id,
    otherwise: Bare,
) -> Result<Option<Value>> {
    let fields = match entity {
        Entity::Territory => territories::territory_on(conn, id).await.ok().map(|r| json!(r.input)),
        Entity::Program => programs::program_on(conn, id).await.ok().map(|r| json!(r.input)),
        Entity::Event => events::event_on(conn, id).await.ok().map(|r| json!(r.input)),
        Entity::Contact => {
            let Ok(r) = contacts::contact_on(conn, id).await else { return Ok(None) };
            if otherwise == Bare::Nothing {
                let named = named_consents(conn, id).await?;
                if !r.consents.iter().all(|c| named.contains(&c.id)) {
                    return Ok(None);
                }
            }
            Some(json!(r.input))
        }
        Entity::Initiative => {
            let Ok(r) = initiatives::initiative_on(conn, id).await else { return Ok(None) };
            // Each stage move after the first is in the history (a load may have written more,
            // not yet in the rows): else the create would stand for moves no entry holds.
            let mut moves: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT json_extract(changes, '$.stage.new'), json_extract(changes, '$.stage_on.new') FROM history
                  WHERE entity_id = ? AND op = 'stage'",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
            let in_history = r.stages.iter().skip(1).all(|s| {
                let key = (Some(s.to.as_str().to_owned()), Some(s.on.to_string()));
                moves.iter().position(|m| *m == key).map(|i| moves.swap_remove(i)).is_some()
            });
            let mut v = json!(r.input);
            match r.stages.first() {
                Some(first) if in_history => {
                    v["stage"] = json!(first.to);
                    v["stage_on"] = json!(first.on);
                    if !first.note.is_empty() {
                        v["note"] = json!(first.note);
                    }
                }
                _ if otherwise == Bare::Nothing => return Ok(None),
                _ => {
                    v["stage"] = json!(r.stage);
                    v["stage_on"] = json!(r.stage_on);
                }
            }
            Some(v)
        }
        _ => None,
    };
    let Some(mut fields) = fields else { return Ok(None) };
    // A field changed since stands at its value before the first change, as the create held it.
    let rows =
        sqlx::query(&format!("SELECT {CHANGE_COLUMNS} FROM history WHERE entity_id = ? AND op IN ('update', 'stage')"))
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let since = rows.iter().map(change_of).collect::<Result<Vec<Change>>>()?;
    if let Some(fields) = fields.as_object_mut() {
        for (field, before) in values_before(&since) {
            if let Some(value) = fields.get_mut(&field) {
                *value = before;
            }
        }
    }
    Ok(Some(crate::store::history::created(&fields)))
}

/// The consents the history of the contact `id` names (given or withdrawn in an entry).
async fn named_consents(conn: &mut SqliteConnection, id: Id) -> Result<HashSet<Id>> {
    let named: Vec<String> = sqlx::query_scalar(
        "SELECT json_extract(changes, '$.consent_id.new') AS c FROM history WHERE entity_id = ? AND c IS NOT NULL",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(named.iter().filter_map(|s| s.parse().ok()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A contact's create with `changes` for its body.
    fn change<B>(changes: B) -> Change<B> {
        Change {
            id: Id::from_u128(1),
            entity: Entity::Contact,
            entity_id: Id::from_u128(2),
            op: Op::Create,
            at: 1,
            replica: "A".into(),
            actor: "Петрова А. В.".into(),
            hlc: 3,
            changes,
        }
    }

    /// A package is written and loaded with bodies left as text: they must decide a change's
    /// scope and bareness as the bodies read do, and read as they were written.
    #[test]
    fn a_body_left_as_text_says_what_the_read_one_says() {
        let bodies = [
            json!({"territory_id": {"old": null, "new": "0190f0c4-1234-7abc-8def-0123456789ab"}, "title": {"new": "Клуб"}}),
            json!({"parent_id": {"old": "0190f0c4-1234-7abc-8def-0123456789ab", "new": null}}),
            json!({"territory_id": {"old": "x"}}),
            json!({"source": {"new": "demo"}}),
            json!({"source": {"new": "demo"}, "display_name": {"new": "Курочкина Зоя Петровна"}}),
            json!({}),
            json!(null),
            json!(["not", "an", "object"]),
        ];
        for read in bodies {
            let text = serde_json::value::to_raw_value(&read).unwrap();
            for field in ["territory_id", "parent_id", "title", "source", "display_name", "missing"] {
                assert_eq!(text.new_of(field), read.new_of(field), "{read} {field}");
            }
            assert_eq!(text.is_bare(), read.is_bare(), "{read}");
            assert_eq!(text.text(), read.text(), "{read}");
            let (as_text, as_read) = (change(text.clone()), change(read.clone()));
            assert_eq!(Body::read(&as_text), Body::read(&as_read), "{read}");
        }
        // Texts no serialiser of ours writes, read the same way all the same.
        let texts = [
            r#"{"terr\u0069tory_id": {"new": "0190f0c4-1234-7abc-8def-0123456789ab"}}"#,
            r#"{"territory_id": 5, "title": {"new": "Клуб"}}"#,
            r#"{"title": {"new": {"new": "deep"}}, "territory_id": {"old": 1, "new": [1, {"new": 2}]}}"#,
            r#"{"title": {"new": "first"}, "title": {"new": "second"}}"#,
            r#"{"title": {"old": "a", "new": "b", "new": null}}"#,
            r#" { "parent_id" : { "new" : null } } "#,
            r#"{"territory_id": null, "territory_id": {"new": "0190f0c4-1234-7abc-8def-0123456789ab"}}"#,
            r#"{"territory_id": {"new": "0190f0c4-1234-7abc-8def-0123456789ab"}, "territory_id": 5}"#,
            r#"{"territory_id": {"new": 1}, "territory_id": {"old": 2}}"#,
        ];
        for text in texts {
            let (raw, read) = (
                serde_json::value::RawValue::from_string(text.to_owned()).unwrap(),
                serde_json::from_str::<Value>(text).unwrap(),
            );
            for field in ["territory_id", "parent_id", "title", "missing"] {
                assert_eq!(raw.new_of(field), read.new_of(field), "{text} {field}");
            }
            assert_eq!(raw.is_bare(), read.is_bare(), "{text}");
        }
        let raw = |i: usize| serde_json::value::RawValue::from_string(texts[i].to_owned()).unwrap();
        assert_eq!(raw(3).new_of("title"), Some(json!("second")));
        // The scope check reads a record's territory so: the last copy of a field decides it.
        assert_eq!(raw(6).new_of("territory_id"), Some(json!("0190f0c4-1234-7abc-8def-0123456789ab")));
        assert_eq!(raw(7).new_of("territory_id"), None);
        assert!(json!({"source": {"new": "demo"}}).is_bare());
        assert!(!json!({"title": {"new": "Клуб"}}).is_bare());
    }
}
