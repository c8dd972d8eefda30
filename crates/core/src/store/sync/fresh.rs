//! The many records a package brings that this office has never seen — a settlement's whole
//! registry on its first exchange — written the way an import writes: records and their lists
//! in multi-row statements, read straight from the package's own changes.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;
use serde_json::Value;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::materialize::{broken, by_name, consent_rows, parse_field, parse_scrubbed, stage_rows};
use super::{Applied, conflicts};
use crate::error::{Entity, Result};
use crate::model::{ContactInput, EventInput, Id, InitiativeInput, Stage};
use crate::store::Store;
use crate::store::bulk::{Made, insert_rows, rows, write_budgets, write_contact_lists, write_event_links};
use crate::sync::{Change, Folded, Lost, consents_of, created_as_is, created_fields, fold_refs};

/// Which of `entries` (history entries) this office holds, and which of `records` have any
/// entry here.
pub(super) async fn held(
    tx: &mut SqliteConnection,
    entries: &[Id],
    records: &[Id],
) -> Result<(HashSet<Id>, HashSet<Id>)> {
    // The history is appended to: its last row number is about how many entries it holds.
    let size: Option<i64> = sqlx::query_scalar("SELECT max(rowid) FROM history").fetch_one(&mut *tx).await?;
    let size = size.unwrap_or(0) as usize;
    if size <= entries.len() + records.len() {
        // A new office, or a batch as large as all this one holds: read the history's ids.
        let (wanted_entries, wanted_records): (HashSet<Id>, HashSet<Id>) =
            (entries.iter().copied().collect(), records.iter().copied().collect());
        let mut held = (HashSet::new(), HashSet::new());
        let rows: Vec<(Id, Id)> = sqlx::query_as("SELECT id, entity_id FROM history").fetch_all(&mut *tx).await?;
        for (id, entity_id) in rows {
            if wanted_entries.contains(&id) {
                held.0.insert(id);
            }
            if wanted_records.contains(&entity_id) {
                held.1.insert(entity_id);
            }
        }
        return Ok(held);
    }
    // Otherwise each is looked up, through one temporary table: an entry's id is never a
    // record's.
    sqlx::query("CREATE TEMP TABLE IF NOT EXISTS sync_ids(id BLOB PRIMARY KEY)").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM temp.sync_ids").execute(&mut *tx).await?;
    let ids: Vec<Id> = entries.iter().chain(records).copied().collect();
    for chunk in ids.chunks(500) {
        let mut q = QueryBuilder::<Sqlite>::new("INSERT OR IGNORE INTO temp.sync_ids(id) ");
        q.push_values(chunk, |mut b, id| {
            b.push_bind(*id);
        });
        q.build().execute(&mut *tx).await?;
    }
    let entries: Vec<Id> = if entries.is_empty() {
        Vec::new()
    } else {
        sqlx::query_scalar("SELECT h.id FROM temp.sync_ids s JOIN history h ON h.id = s.id").fetch_all(&mut *tx).await?
    };
    let records: Vec<Id> = if records.is_empty() {
        Vec::new()
    } else {
        sqlx::query_scalar("SELECT DISTINCT h.entity_id FROM temp.sync_ids s JOIN history h ON h.entity_id = s.id")
            .fetch_all(&mut *tx)
            .await?
    };
    Ok((entries.into_iter().collect(), records.into_iter().collect()))
}

/// A record as the batch makes it: its one create read as it is, or the fold of its entries.
enum Record<'c> {
    Created(&'c Change),
    Folded(Folded<'c>),
}

impl<'c> Record<'c> {
    /// The record from its `entries`, if it can be written as a new row: made, not deleted.
    fn of(entity: Entity, entries: Vec<&'c Change>) -> Option<Self> {
        if created_as_is(entity, &entries) {
            return Some(Record::Created(entries[0]));
        }
        let f = fold_refs(entity, entries);
        (f.deleted.is_none() && f.fields.is_some() && !f.stages.is_empty()).then_some(Record::Folded(f))
    }

    /// The record's fields read as `T`, with what an erasure redacted taken out.
    fn parse<T: DeserializeOwned>(&self, entity: Entity) -> Result<T> {
        match self {
            Record::Created(c) => parse_scrubbed(entity, created_fields(c)),
            Record::Folded(f) => parse_scrubbed(entity, f.fields.iter().flat_map(by_name)),
        }
    }

    fn field<T: DeserializeOwned>(&self, name: &str) -> Result<T> {
        match self {
            Record::Created(c) => parse_field(created_fields(c), name),
            Record::Folded(f) => parse_field(f.fields.iter().flat_map(by_name), name),
        }
    }

    /// The create and the stage moves, in order.
    fn stages(&self) -> &[&'c Change] {
        match self {
            Record::Created(c) => std::slice::from_ref(c),
            Record::Folded(f) => &f.stages,
        }
    }

    /// When and where the record was made: its create entry's.
    fn made(&self) -> Made<'c> {
        let first: &'c Change = self.stages()[0];
        Made { at: first.at, by: &first.replica }
    }

    /// The record's last change, if it is not its create.
    fn changed(&self) -> Option<&'c Change> {
        match self {
            Record::Created(_) => None,
            Record::Folded(f) => f.last.filter(|l| l.id != f.stages[0].id),
        }
    }

    fn consents(&self) -> Cow<'_, [(Id, Value, Option<Value>)]> {
        match self {
            Record::Created(c) => Cow::Owned(consents_of(c)),
            Record::Folded(f) => Cow::Borrowed(&f.consents),
        }
    }

    fn lost(&self) -> &[Lost<'c>] {
        match self {
            Record::Created(_) => &[],
            Record::Folded(f) => &f.lost,
        }
    }
}

/// The records a [`Reader`] leaves to be written one by one: other kinds, and records whose changes
/// do not make a new row (one whose fields do not make a record is journaled that way).
pub(super) type Left = Vec<(Id, Entity)>;

/// Reads the contacts, initiatives and events among `records` (each has no entry in this
/// office's history but the batch's `changes`) to be written together, a step at a time: the
/// batch's history is written meanwhile.
pub(super) struct Reader<'c> {
    records: std::vec::IntoIter<(Id, Entity)>,
    by_record: HashMap<Id, Vec<&'c Change>>,
    batch: Batch<'c>,
    left: Left,
}

impl<'c> Reader<'c> {
    pub(super) fn new(records: Vec<(Id, Entity)>, changes: &[&'c Change]) -> Self {
        let wanted: HashSet<Id> = records.iter().map(|(id, _)| *id).collect();
        let mut by_record: HashMap<Id, Vec<&'c Change>> = HashMap::with_capacity(wanted.len());
        for c in changes.iter().copied().filter(|c| wanted.contains(&c.entity_id)) {
            by_record.entry(c.entity_id).or_default().push(c);
        }
        Reader { records: records.into_iter(), by_record, batch: Batch::default(), left: Vec::new() }
    }

    /// Reads up to `n` more records; `false` once all are read.
    pub(super) fn step(&mut self, n: usize) -> bool {
        for (id, entity) in self.records.by_ref().take(n) {
            let entries = self.by_record.remove(&id).unwrap_or_default();
            let bulk = matches!(entity, Entity::Contact | Entity::Initiative | Entity::Event);
            let added =
                bulk && Record::of(entity, entries).is_some_and(|record| self.batch.add(id, entity, record).is_ok());
            if !added {
                self.left.push((id, entity));
            }
        }
        self.records.len() > 0
    }

    /// The records read, and those left to be written one by one.
    pub(super) fn finish(self) -> (Batch<'c>, Left) {
        (self.batch, self.left)
    }

    /// Awaits `work` (a write on the database's own thread), reading a step whenever it waits,
    /// and the rest once it is done.
    pub(super) async fn read_while<F: Future>(&mut self, work: F) -> F::Output {
        ReadWhile { work: std::pin::pin!(work), reader: self }.await
    }
}

/// The future of [`Reader::read_while`]: a named type, not a closure, so that the future of the
/// whole apply stays `Send` whatever the lifetimes of what it borrows.
struct ReadWhile<'r, 'c, F> {
    work: Pin<&'r mut F>,
    reader: &'r mut Reader<'c>,
}

impl<F: Future> Future for ReadWhile<'_, '_, F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        if let Poll::Ready(done) = this.work.as_mut().poll(cx) {
            while this.reader.step(STEP) {}
            return Poll::Ready(done);
        }
        if this.reader.step(STEP) {
            // More to read: back at once, after whatever else waits to run.
            cx.waker().wake_by_ref();
        }
        Poll::Pending
    }
}

/// Records read at a time while the database writes.
const STEP: usize = 1000;

/// Writes the records a [`Reader`] read, and journals what their merge set aside and the rules they
/// break. `false` when the database refused them: the transaction is then half written, and
/// the attempt must be given up.
pub(super) async fn write(
    store: &Store,
    tx: &mut SqliteConnection,
    mut batch: Batch<'_>,
    applied: &mut Applied,
) -> Result<bool> {
    if batch.write(tx, applied).await.is_err() {
        return Ok(false);
    }
    for (id, entity, record, problems) in batch.journal() {
        for lost in record.lost() {
            applied.conflicts += conflicts::record_lost(store, tx, entity, id, lost).await?;
        }
        for problem in problems {
            applied.conflicts += conflicts::record_rule(store, tx, entity, id, problem, false).await?;
        }
    }
    Ok(true)
}

/// New records read and checked, to be written together.
#[derive(Default)]
pub(super) struct Batch<'c> {
    contacts: Vec<(Id, ContactInput, Record<'c>)>,
    initiatives: Vec<(Id, InitiativeInput, Stage, chrono::NaiveDate, Record<'c>, Vec<crate::FieldError>)>,
    events: Vec<(Id, EventInput, Record<'c>, Vec<crate::FieldError>)>,
}

impl<'c> Batch<'c> {
    /// Reads `record`, checks it against the core's rules and adds it.
    fn add(&mut self, id: Id, entity: Entity, record: Record<'c>) -> Result<()> {
        match entity {
            Entity::Contact => self.contacts.push((id, record.parse(entity)?, record)),
            Entity::Initiative => {
                let input: InitiativeInput = record.parse(entity)?;
                let (stage, on) = (record.field("stage")?, record.field("stage_on")?);
                let problems = broken(|p| input.validate(p));
                self.initiatives.push((id, input, stage, on, record, problems));
            }
            Entity::Event => {
                let input: EventInput = record.parse(entity)?;
                let problems = broken(|p| input.validate(p));
                self.events.push((id, input, record, problems));
            }
            _ => unreachable!("only contacts, initiatives and events are written in bulk"),
        }
        Ok(())
    }

    async fn write(&mut self, tx: &mut SqliteConnection, applied: &mut Applied) -> Result<()> {
        if super::any_erased(tx).await? {
            for (_, input, ..) in &mut self.initiatives {
                super::materialize::forget_erased_initiator(tx, input).await?;
            }
            for (_, input, ..) in &mut self.events {
                super::materialize::forget_erased_attendees(tx, input).await?;
            }
        }
        let (contacts, initiatives, events) = (&self.contacts, &self.initiatives, &self.events);
        insert_rows(&mut *tx, contacts.iter().map(|(id, input, r)| rows::Contact::of(*id, input, r.made())).collect())
            .await?;
        let lists: Vec<(Id, &ContactInput)> = contacts.iter().map(|(id, input, _)| (*id, input)).collect();
        write_contact_lists(&mut *tx, &lists).await?;
        let consents: Vec<rows::Consent<'_>> =
            contacts.iter().flat_map(|(id, _, r)| consent_rows(*id, &r.consents(), r.made())).collect();
        insert_rows(&mut *tx, consents).await?;
        insert_rows(
            &mut *tx,
            initiatives
                .iter()
                .map(|(id, input, stage, on, r, _)| rows::Initiative::of(*id, input, *stage, *on, r.made()))
                .collect(),
        )
        .await?;
        let budgets: Vec<(Id, &InitiativeInput)> = initiatives.iter().map(|(id, input, ..)| (*id, input)).collect();
        write_budgets(&mut *tx, &budgets).await?;
        let stages: Vec<rows::StageChange<'_>> =
            initiatives.iter().flat_map(|(id, .., r, _)| stage_rows(*id, r.stages())).collect();
        insert_rows(&mut *tx, stages).await?;
        insert_rows(&mut *tx, events.iter().map(|(id, input, r, _)| rows::Event::of(*id, input, r.made())).collect())
            .await?;
        let links: Vec<(Id, &EventInput)> = events.iter().map(|(id, input, ..)| (*id, input)).collect();
        write_event_links(&mut *tx, &links).await?;
        // A record changed after it was made carries its last change's stamp.
        let stamps = (contacts.iter().map(|(id, _, r)| (*id, Entity::Contact, r)))
            .chain(initiatives.iter().map(|(id, .., r, _)| (*id, Entity::Initiative, r)))
            .chain(events.iter().map(|(id, _, r, _)| (*id, Entity::Event, r)));
        for (id, entity, last) in stamps.filter_map(|(id, entity, r)| Some((id, entity, r.changed()?))) {
            let sql =
                format!("UPDATE {} SET updated_at = ?, updated_by = ? WHERE id = ?", crate::store::table_of(entity));
            sqlx::query(&sql).bind(last.at).bind(&last.replica).bind(id).execute(&mut *tx).await?;
        }
        for (kind, n) in [("contact", contacts.len()), ("initiative", initiatives.len()), ("event", events.len())] {
            if n > 0 {
                *applied.added.entry(kind.to_owned()).or_default() += n as u64;
            }
        }
        Ok(())
    }

    /// Each record written, with the rules of the core it breaks: what goes to the journal.
    fn journal(&self) -> impl Iterator<Item = (Id, Entity, &Record<'c>, &[crate::FieldError])> {
        const NONE: &[crate::FieldError] = &[];
        (self.contacts.iter().map(|(id, _, r)| (*id, Entity::Contact, r, NONE)))
            .chain(self.initiatives.iter().map(|(id, .., r, p)| (*id, Entity::Initiative, r, p.as_slice())))
            .chain(self.events.iter().map(|(id, _, r, p)| (*id, Entity::Event, r, p.as_slice())))
    }
}
