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

use super::materialize::{
    Absent, broken, by_name, consent_rows, parse_field, parse_scrubbed, remember_left_out, stage_rows,
};
use super::{Applied, Missing, conflicts};
use crate::error::{Entity, Result};
use crate::model::{ContactInput, EventInput, Id, InitiativeInput, Stage};
use crate::store::Store;
use crate::store::bulk::{Made, SetAside, insert_rows, rows, write_budgets, write_contact_lists, write_event_links};
use crate::sync::{Body, Change, Folded, Lost, consents_of, created_as_is, created_fields, fold_refs};

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
pub(super) struct Reader<'c, B> {
    records: std::vec::IntoIter<(Id, Entity)>,
    by_record: HashMap<Id, Vec<&'c Change<B>>>,
    batch: Batch,
    left: Left,
}

impl<'c, B: Body> Reader<'c, B> {
    pub(super) fn new(records: Vec<(Id, Entity)>, changes: &[&'c Change<B>]) -> Self {
        let wanted: HashSet<Id> = records.iter().map(|(id, _)| *id).collect();
        let mut by_record: HashMap<Id, Vec<&'c Change<B>>> = HashMap::with_capacity(wanted.len());
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
            // A body is read here, for its record alone, and dropped once the record is read.
            let read: Vec<Cow<'_, Change>> =
                if bulk { entries.iter().map(|c| B::read(c)).collect() } else { Vec::new() };
            let entries: Vec<&Change> = read.iter().map(|c| c.as_ref()).collect();
            // One whose merge set a value aside goes the one-by-one way, which journals it.
            let added = bulk
                && Record::of(entity, entries)
                    .is_some_and(|record| record.lost().is_empty() && self.batch.add(id, entity, &record).is_ok());
            if !added {
                self.left.push((id, entity));
            }
        }
        self.records.len() > 0
    }

    /// The records read, and those left to be written one by one.
    pub(super) fn finish(self) -> (Batch, Left) {
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
struct ReadWhile<'r, 'c, B, F> {
    work: Pin<&'r mut F>,
    reader: &'r mut Reader<'c, B>,
}

impl<B: Body, F: Future> Future for ReadWhile<'_, '_, B, F> {
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

/// Writes the records a [`Reader`] read, and journals the rules they break (a record whose
/// merge set a value aside was left to the one-by-one way). `false` when the database refused
/// them: the transaction is then half written, and the attempt must be given up.
pub(super) async fn write(
    store: &Store,
    tx: &mut SqliteConnection,
    mut batch: Batch,
    applied: &mut Applied,
    missing: Missing,
) -> Result<bool> {
    if batch.write(tx, applied, missing).await.is_err() {
        return Ok(false);
    }
    for (id, entity, problems) in batch.journal() {
        for problem in problems {
            applied.conflicts += conflicts::record_rule(store, tx, entity, id, problem, false).await?;
        }
    }
    Ok(true)
}

/// When and where a record was made, and last changed if that was later: copied from its
/// entries, which are dropped once it is read.
struct Stamp {
    made_at: i64,
    made_by: String,
    changed: Option<(i64, String)>,
}

impl Stamp {
    fn of(record: &Record<'_>) -> Self {
        let made = record.made();
        Stamp {
            made_at: made.at,
            made_by: made.by.to_owned(),
            changed: record.changed().map(|c| (c.at, c.replica.clone())),
        }
    }

    fn made(&self) -> Made<'_> {
        Made { at: self.made_at, by: &self.made_by }
    }
}

/// New records read and checked, to be written together: all they write is their own.
#[derive(Default)]
pub(super) struct Batch {
    contacts: Vec<(Id, ContactInput, Stamp, Vec<rows::Consent<'static>>)>,
    initiatives: Vec<NewInitiative>,
    events: Vec<(Id, EventInput, Stamp, Problems)>,
}

/// The rules of the core a record breaks.
type Problems = Vec<crate::FieldError>;

/// A new project: its fields, stage and day, stamp, stage history, and the rules it breaks.
type NewInitiative = (Id, InitiativeInput, Stage, chrono::NaiveDate, Stamp, Vec<rows::StageChange<'static>>, Problems);

impl Batch {
    /// Reads `record`, checks it against the core's rules and adds it.
    fn add(&mut self, id: Id, entity: Entity, record: &Record<'_>) -> Result<()> {
        let stamp = Stamp::of(record);
        match entity {
            Entity::Contact => {
                let consents = consent_rows(id, &record.consents(), stamp.made());
                self.contacts.push((id, record.parse(entity)?, stamp, consents));
            }
            Entity::Initiative => {
                let input: InitiativeInput = record.parse(entity)?;
                let (stage, on) = (record.field("stage")?, record.field("stage_on")?);
                let problems = broken(|p| input.validate(p));
                let stages = stage_rows(id, record.stages()).into_iter().map(owned_stage).collect();
                self.initiatives.push((id, input, stage, on, stamp, stages, problems));
            }
            Entity::Event => {
                let input: EventInput = record.parse(entity)?;
                let problems = broken(|p| input.validate(p));
                self.events.push((id, input, stamp, problems));
            }
            _ => unreachable!("only contacts, initiatives and events are written in bulk"),
        }
        Ok(())
    }

    async fn write(&mut self, tx: &mut SqliteConnection, applied: &mut Applied, missing: Missing) -> Result<()> {
        if super::any_erased(tx).await? {
            for (_, input, ..) in &mut self.initiatives {
                super::materialize::forget_erased_initiator(tx, input).await?;
            }
            for (_, input, ..) in &mut self.events {
                super::materialize::forget_erased_attendees(tx, input).await?;
            }
        }
        // Links to people and projects this office does not hold and will not are left out of
        // the rows (see `Absent`); the database refuses the others until they are here.
        let written: (HashSet<Id>, HashSet<Id>) =
            (self.contacts.iter().map(|c| c.0).collect(), self.initiatives.iter().map(|i| i.0).collect());
        let initiatives: Vec<&InitiativeInput> = self.initiatives.iter().map(|i| &i.1).collect();
        let events: Vec<&EventInput> = self.events.iter().map(|e| &e.1).collect();
        let absent = Absent::find(tx, &initiatives, &events, (&written.0, &written.1), missing).await?;
        let left_out: Vec<(Id, Vec<Id>)> =
            (self.initiatives.iter_mut().map(|i| (i.0, absent.leave_out_of_initiative(&mut i.1))))
                .chain(self.events.iter_mut().map(|e| (e.0, absent.leave_out_of_event(&mut e.1))))
                .filter(|(_, left)| !left.is_empty())
                .collect();
        remember_left_out(tx, &left_out, true).await?;
        let (contacts, initiatives, events) = (&mut self.contacts, &mut self.initiatives, &self.events);
        // An office's first package, or one that brings more records than it holds: the indexes
        // and search triggers are set aside as an import sets them aside (the history is
        // written already), and rebuilt before the records written one by one after these — a
        // kind at a time, right after its rows, which the writer's cache still holds then.
        let counts = [contacts.len(), initiatives.len(), events.len()];
        let aside = SetAside::begin_kind(&mut *tx, counts, 0, 0, IN_KEY_ORDER).await?;
        insert_rows(
            &mut *tx,
            contacts.iter().map(|(id, input, s, _)| rows::Contact::of(*id, input, s.made())).collect(),
        )
        .await?;
        let lists: Vec<(Id, &ContactInput)> = contacts.iter().map(|(id, input, ..)| (*id, input)).collect();
        write_contact_lists(&mut *tx, &lists).await?;
        let consents: Vec<rows::Consent<'static>> = contacts.iter_mut().flat_map(|(.., c)| std::mem::take(c)).collect();
        insert_rows(&mut *tx, consents).await?;
        aside.restore(&mut *tx).await?;
        let aside = SetAside::begin_kind(&mut *tx, counts, 0, 1, IN_KEY_ORDER).await?;
        insert_rows(
            &mut *tx,
            initiatives
                .iter()
                .map(|(id, input, stage, on, s, ..)| rows::Initiative::of(*id, input, *stage, *on, s.made()))
                .collect(),
        )
        .await?;
        let budgets: Vec<(Id, &InitiativeInput)> = initiatives.iter().map(|(id, input, ..)| (*id, input)).collect();
        write_budgets(&mut *tx, &budgets).await?;
        let stages: Vec<rows::StageChange<'static>> =
            initiatives.iter_mut().flat_map(|(.., stages, _)| std::mem::take(stages)).collect();
        insert_rows(&mut *tx, stages).await?;
        aside.restore(&mut *tx).await?;
        let aside = SetAside::begin_kind(&mut *tx, counts, 0, 2, IN_KEY_ORDER).await?;
        insert_rows(&mut *tx, events.iter().map(|(id, input, s, _)| rows::Event::of(*id, input, s.made())).collect())
            .await?;
        let links: Vec<(Id, &EventInput)> = events.iter().map(|(id, input, ..)| (*id, input)).collect();
        write_event_links(&mut *tx, &links).await?;
        aside.restore(&mut *tx).await?;
        // A record changed after it was made carries its last change's stamp.
        let stamps = (contacts.iter().map(|(id, _, s, _)| (*id, Entity::Contact, s)))
            .chain(initiatives.iter().map(|(id, .., s, _, _)| (*id, Entity::Initiative, s)))
            .chain(events.iter().map(|(id, _, s, _)| (*id, Entity::Event, s)));
        for (id, entity, (at, by)) in stamps.filter_map(|(id, entity, s)| Some((id, entity, s.changed.as_ref()?))) {
            let sql =
                format!("UPDATE {} SET updated_at = ?, updated_by = ? WHERE id = ?", crate::store::table_of(entity));
            sqlx::query(&sql).bind(at).bind(by).bind(id).execute(&mut *tx).await?;
        }
        for (kind, n) in [("contact", contacts.len()), ("initiative", initiatives.len()), ("event", events.len())] {
            if n > 0 {
                *applied.added.entry(kind.to_owned()).or_default() += n as u64;
            }
        }
        Ok(())
    }

    /// Each record written, with the rules of the core it breaks: what goes to the journal.
    fn journal(&self) -> impl Iterator<Item = (Id, Entity, &[crate::FieldError])> {
        (self.initiatives.iter().map(|(id, .., p)| (*id, Entity::Initiative, p.as_slice())))
            .chain(self.events.iter().map(|(id, .., p)| (*id, Entity::Event, p.as_slice())))
    }
}

/// Indexes the new records of a package fill in key order, left in place while they go in (see
/// `BulkLoad::set_aside`): the records are written in the order of their ids, each with its
/// consents and its stage history in order, so those two indexes and the organisations' (by id)
/// grow in key order — at their right edge in an office that holds none of these rows yet, in
/// runs among the rows it holds otherwise; and the records of one package lie in the few
/// territories of its sender, so the contacts' index by territory grows at the right edge of a
/// few key ranges (its keys end in the rowid). The initiatives' by territory is ordered by title
/// within a territory, and is built again instead.
const IN_KEY_ORDER: &[&str] =
    &["consents_contact", "stage_changes_initiative", "contacts_organisations", "contacts_territory"];

/// A stage row that owns its texts.
fn owned_stage(row: rows::StageChange<'_>) -> rows::StageChange<'static> {
    rows::StageChange {
        id: row.id,
        initiative_id: row.initiative_id,
        from_stage: row.from_stage,
        to_stage: row.to_stage,
        changed_on: row.changed_on,
        note: row.note.into_owned().into(),
        recorded_at: row.recorded_at,
        recorded_by: row.recorded_by.into_owned().into(),
    }
}
