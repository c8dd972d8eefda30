//! Many records at once, in one transaction: what an import commits and what fills a demo
//! office — and the one `INSERT` of every table, which the one-record functions use as well.
//!
//! Every table's rows are declared once in [`rows`]; `insert.rs` makes their multi-row
//! statements, `records.rs` the rows of a record given as the model's input, and `load.rs` sets a
//! table's indexes and search triggers aside while a large load goes in and rebuilds them after
//! it. [`Store::fill_empty`] (`fill.rs`) writes millions of rows made on another thread into an
//! empty office, as the `mestno-demo` crate does.
//!
//! [`Store::check_batch`] validates a [`Batch`] exactly as the one-record functions
//! (`create_contact`, `create_initiative`, `create_event`) would, without writing: the rules of
//! the model, the references (territories, programs, contacts, initiatives) and, from the
//! application stage on, the program's co-financing rules. The references are read once for the
//! whole batch instead of once per record.
//!
//! [`Store::insert_batch`] checks again inside its transaction and writes everything with
//! multi-row `INSERT`s — records, their lists (phones, roles, budget lines, stage changes,
//! consents…), stamps, one change-history entry each — and the search index. It commits once:
//! a failure or a killed process leaves the database exactly as it was.
//!
//! [`Store::contact_candidates`] and [`Store::existing_keys`] find what is already stored, so
//! that an import matches instead of duplicating.

mod check;
mod fill;
mod insert;
mod keys;
mod load;
mod records;
pub mod rows;
mod write;

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::Store;
use crate::error::{Entity, Error, FieldError, Result};
use crate::model::{ConsentInput, ContactInput, EventInput, Id, InitiativeInput, Stage, TerritoryInput};
use check::{References, existing, prefixed};
pub use fill::{FillProgress, Filler};
pub(crate) use insert::{MAX_BINDS, insert_rows};
#[cfg(test)]
use load::fill_statement;
use load::{BulkLoad, SearchIndex};
pub(crate) use records::{Made, write_budgets, write_contact_lists, write_event_links};
use write::{HistoryChanges, Writer};

/// A contact to add, with the consent to processing it came with, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewContact {
    /// The contact's fields.
    pub input: ContactInput,
    /// Consent to the processing of personal data (persons only).
    #[serde(default)]
    pub consent: Option<ConsentInput>,
}

/// An initiative to add at a stage reached on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewInitiative {
    /// The initiative's fields.
    pub input: InitiativeInput,
    /// The stage it is entered at.
    pub stage: Stage,
    /// When that stage was reached.
    pub stage_on: NaiveDate,
    /// The residents' meeting that chose it (собрание граждан), written as an engagement event
    /// linked to it: its headcount is what offices report as meeting participants. Its
    /// `initiative_ids` are filled in when the initiative has its id.
    #[serde(default)]
    pub meeting: Option<EventInput>,
}

/// New fields for a stored initiative: a registry brought back updates what it changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InitiativeUpdate {
    /// The stored initiative.
    pub id: Id,
    /// The revision the update was worked out from: a record changed since is not overwritten.
    pub rev: i64,
    /// All its fields, as they are to be.
    pub input: InitiativeInput,
    /// The stage it moves to, and when (the registry's status changed), if it does.
    #[serde(default)]
    pub stage: Option<StageMove>,
}

/// A move to another stage on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StageMove {
    /// The stage.
    pub to: Stage,
    /// When it was reached.
    pub on: NaiveDate,
}

/// A territory to add with the id it is already referred to by (an import names the
/// settlements it creates before they are written).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewTerritory {
    /// The id the batch's records refer to it by.
    pub id: Id,
    /// Its fields; a parent is a stored territory or one earlier in the batch.
    pub input: TerritoryInput,
}

/// Records to add together: all of them or none.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Batch {
    /// Territories, written before everything else (parents first).
    #[serde(default)]
    pub territories: Vec<NewTerritory>,
    /// Contacts (initiatives and events may name existing contacts).
    #[serde(default)]
    pub contacts: Vec<NewContact>,
    /// Initiatives.
    #[serde(default)]
    pub initiatives: Vec<NewInitiative>,
    /// Events, written last.
    #[serde(default)]
    pub events: Vec<EventInput>,
    /// Stored initiatives to change, written after the new records.
    #[serde(default)]
    pub updates: Vec<InitiativeUpdate>,
}

impl Batch {
    /// Records in the batch.
    pub fn len(&self) -> usize {
        self.territories.len()
            + self.contacts.len()
            + self.initiatives.len()
            + self.meetings()
            + self.events.len()
            + self.updates.len()
    }

    /// Residents' meetings that come with the initiatives.
    pub fn meetings(&self) -> usize {
        self.initiatives.iter().filter(|n| n.meeting.is_some()).count()
    }

    /// Whether the batch holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The rules one record of a batch breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchProblem {
    /// The kind of record.
    pub entity: Entity,
    /// Its position in the batch's list of that kind.
    pub index: usize,
    /// What is wrong, field by field.
    pub errors: Vec<FieldError>,
}

/// How far [`Store::insert_batch`] has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchProgress {
    /// Records written so far.
    pub done: u64,
    /// Records to write.
    pub total: u64,
}

/// The ids [`Store::insert_batch`] gave, in the batch's order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchIds {
    /// The new contacts.
    pub contacts: Vec<Id>,
    /// The new initiatives.
    pub initiatives: Vec<Id>,
    /// The new events.
    pub events: Vec<Id>,
}

/// A stored contact, as far as telling whether a newcomer is the same person goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactKey {
    /// Id.
    pub id: Id,
    /// «Фамилия Имя Отчество» or the organisation's name.
    pub display_name: String,
    /// The name folded (lower case, «ё» as «е»).
    pub sort_key: String,
    /// Where the contact lives or works.
    pub territory_id: Option<Id>,
    /// Phones, +7XXXXXXXXXX.
    pub phones: Vec<String>,
    /// E-mails, lower case.
    pub emails: Vec<String>,
}

/// A stored initiative or event, as far as telling whether a newcomer is the same one goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecordKey {
    /// Id.
    pub id: Id,
    /// The title.
    pub title: String,
    /// The title folded.
    pub sort_key: String,
    /// Where.
    pub territory_id: Id,
    /// An initiative's year.
    pub year: Option<i32>,
    /// An event's start.
    pub starts_at: Option<NaiveDateTime>,
}

/// The tables a batch of contacts, of initiatives and of events fills; the history, which every
/// office already has rows in, is not among them.
const FILLED: [&[&str]; 3] = [
    &["contacts", "contact_roles", "contact_phones", "contact_emails", "contact_tags", "consents"],
    &["initiatives", "budget_lines", "stage_changes"],
    &["events", "event_attendees", "event_initiatives"],
];

/// Indexes a batch fills in key order and so are left in place while it goes in: every record
/// of a batch has the same `updated_at` and an id above all stored ones (time-ordered, see
/// `sorted_ids`), and its history entries name those ids in that order, with this replica's
/// clocks counting up; the organisations among the contacts are indexed by id alone.
const FILLED_IN_ORDER: &[&str] =
    &["contacts_updated", "contacts_organisations", "initiatives_updated", "history_entity", "history_origin"];

/// The tables whose indexes are cheaper to build again than to fill with new records (`counts`
/// contacts, initiatives and events, and `history` history entries), in two lists: those the
/// records fill that hold no rows yet (their search triggers are set aside too, the search
/// index then filled from the whole table), and those that hold fewer rows than the write adds
/// to them — an office that holds a few thousand contacts and imports a hundred thousand — with
/// the history while it holds fewer entries than the write adds. A table outnumbered like this
/// gets its non-unique indexes built again in one sort each, which costs less than filling them
/// in random key order row by row, and leaves a smaller trail of pages changed.
async fn fresh_tables(
    conn: &mut SqliteConnection,
    counts: [usize; 3],
    history: usize,
) -> Result<(Vec<&'static str>, Vec<&'static str>)> {
    let (mut fresh, mut outnumbered) = (Vec::new(), Vec::new());
    for (tables, n) in FILLED.iter().zip(counts) {
        if n == 0 {
            continue;
        }
        for table in tables.iter() {
            let held = rows_up_to(conn, table, n).await?;
            if held == 0 {
                fresh.push(*table);
            } else if held < n {
                outnumbered.push(*table);
            }
        }
    }
    if history > 0 && rows_up_to(conn, "history", history).await? < history {
        outnumbered.push("history");
    }
    Ok((fresh, outnumbered))
}

/// The rows `table` holds, counted up to `limit` (a count that stops there costs no more).
async fn rows_up_to(conn: &mut SqliteConnection, table: &str, limit: usize) -> Result<usize> {
    let held: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM (SELECT 1 FROM \"{table}\" LIMIT ?)"))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_one(&mut *conn)
        .await?;
    Ok(usize::try_from(held).unwrap_or(0))
}

/// From this many new records of a kind on, the search trigger is set aside and the new rows
/// indexed in one statement (see [`SearchIndex`]).
const SEARCH_SET_ASIDE: usize = 500;

/// What a large write of new records sets aside while it goes in, inside its transaction, and
/// puts back before the commit: the indexes of the tables it outnumbers (see [`fresh_tables`])
/// and the search triggers of the kinds it adds many of. A failure rolls it back with the rest.
#[derive(Default)]
pub(crate) struct SetAside {
    bulk: Option<BulkLoad>,
    search: Vec<SearchIndex>,
}

impl SetAside {
    /// Sets aside what is cheaper to rebuild than to fill with `counts` new contacts,
    /// initiatives and events and `history` new history entries (0 when the history is written
    /// apart); the indexes named in `live` stay (see [`BulkLoad::set_aside`]). A small write
    /// sets nothing aside.
    pub(crate) async fn begin(
        conn: &mut SqliteConnection,
        counts: [usize; 3],
        history: usize,
        live: &[&str],
    ) -> Result<SetAside> {
        if history.max(counts.iter().sum()) < SEARCH_SET_ASIDE {
            return Ok(SetAside::default());
        }
        Self::set_aside(conn, counts, history, live).await
    }

    /// [`SetAside::begin`] for a write of `counts` new contacts, initiatives and events (and
    /// `history` history entries) that goes in a kind at a time, each kind's indexes built again
    /// right after its rows while their pages are still in the writer's cache: what `begin` sets
    /// aside for the kind `kind` (0, 1, 2) alone.
    pub(crate) async fn begin_kind(
        conn: &mut SqliteConnection,
        counts: [usize; 3],
        history: usize,
        kind: usize,
        live: &[&str],
    ) -> Result<SetAside> {
        if history.max(counts.iter().sum()) < SEARCH_SET_ASIDE {
            return Ok(SetAside::default());
        }
        let mut only = [0; 3];
        only[kind] = counts[kind];
        Self::set_aside(conn, only, 0, live).await
    }

    async fn set_aside(
        conn: &mut SqliteConnection,
        counts: [usize; 3],
        history: usize,
        live: &[&str],
    ) -> Result<SetAside> {
        let (fresh, outnumbered) = fresh_tables(conn, counts, history).await?;
        let bulk = if fresh.is_empty() && outnumbered.is_empty() {
            None
        } else {
            Some(BulkLoad::set_aside(conn, &fresh, &outnumbered, live).await?)
        };
        let mut search = Vec::new();
        for (table, n) in ["contacts", "initiatives", "events"].into_iter().zip(counts) {
            if n >= SEARCH_SET_ASIDE {
                search.extend(SearchIndex::set_aside(conn, table).await?);
            }
        }
        Ok(SetAside { bulk, search })
    }

    /// Builds the indexes again, indexes the new rows for search and puts the triggers back.
    pub(crate) async fn restore(self, conn: &mut SqliteConnection) -> Result<()> {
        if let Some(bulk) = self.bulk {
            bulk.finish(conn).await?;
        }
        for index in self.search {
            index.fill_and_restore(conn).await?;
        }
        Ok(())
    }
}

impl Store {
    /// Checks every record of `batch` as saving it alone would, normalising phones, e-mails and
    /// names in place; writes nothing. Returns the records that break rules (none: all good).
    pub async fn check_batch(&self, batch: &mut Batch) -> Result<Vec<BatchProblem>> {
        let mut conn = self.reader().acquire().await?;
        let refs = References::load(&mut conn, batch).await?;
        Ok(self.check_with(batch, &refs))
    }

    /// Adds every record of `batch` in one transaction, each with its stamp, its lists, a
    /// change-history entry naming `origin` (the file it came from) and its search entry.
    ///
    /// Checks the batch again inside the transaction; if any record breaks a rule nothing is
    /// written and the error lists every problem, fields prefixed with the record
    /// (`contacts[12].phones[0]`). `progress` is told after every statement.
    pub async fn insert_batch(
        &self,
        batch: Batch,
        origin: &str,
        progress: &(dyn Fn(BatchProgress) + Send + Sync),
    ) -> Result<BatchIds> {
        self.large_write(batch.len(), self.insert_batch_in(batch, origin, progress)).await
    }

    async fn insert_batch_in(
        &self,
        mut batch: Batch,
        origin: &str,
        progress: &(dyn Fn(BatchProgress) + Send + Sync),
    ) -> Result<BatchIds> {
        let mut tx = self.begin().await?;
        let refs = References::load(&mut tx, &batch).await?;
        let problems = self.check_with(&mut batch, &refs);
        if !problems.is_empty() {
            return Err(Error::Invalid(prefixed(problems)));
        }
        for t in &batch.territories {
            let extra = serde_json::json!({ "imported_from": origin });
            super::territories::insert_territory(self, &mut tx, t.id, &t.input, extra).await?;
        }
        let initiative_ids = self.sorted_ids(batch.initiatives.len());
        for (n, id) in batch.initiatives.iter_mut().zip(&initiative_ids) {
            if let Some(mut meeting) = n.meeting.take() {
                meeting.initiative_ids = vec![*id];
                batch.events.push(meeting);
            }
        }
        // A first import into an empty office: the indexes of the tables it fills from nothing
        // (see `fresh_tables`) are built once after their rows instead of filled row by row —
        // a kind at a time, while the writer's cache still holds the kind's pages, and inside
        // this transaction, as the demo does, so a failure puts them back with everything else.
        let counts = [batch.contacts.len(), batch.initiatives.len(), batch.events.len()];
        let ids = BatchIds {
            contacts: self.sorted_ids(batch.contacts.len()),
            initiatives: initiative_ids,
            events: self.sorted_ids(batch.events.len()),
        };
        // The history entries' JSON is made on another thread while the records are written.
        let batch = Arc::new(batch);
        let history = {
            let (batch, origin) = (Arc::clone(&batch), origin.to_string());
            tokio::task::spawn_blocking(move || HistoryChanges::of(&batch, &origin))
        };
        let mut w = Writer {
            store: self,
            conn: &mut tx,
            progress,
            done: batch.territories.len() as u64,
            total: batch.len() as u64,
        };
        let aside = SetAside::begin_kind(w.conn, counts, batch.len(), 0, FILLED_IN_ORDER).await?;
        w.contacts(&batch.contacts, &ids.contacts).await?;
        aside.restore(w.conn).await?;
        let aside = SetAside::begin_kind(w.conn, counts, batch.len(), 1, FILLED_IN_ORDER).await?;
        w.initiatives(&batch.initiatives, &ids.initiatives).await?;
        aside.restore(w.conn).await?;
        let aside = SetAside::begin_kind(w.conn, counts, batch.len(), 2, FILLED_IN_ORDER).await?;
        w.events(&batch.events, &ids.events).await?;
        aside.restore(w.conn).await?;
        let aside = SetAside::begin(w.conn, [0; 3], batch.len(), FILLED_IN_ORDER).await?;
        let changes = history.await.map_err(|e| {
            Error::refused(format!("внутренняя ошибка импорта: {e}"), format!("internal import error: {e}"))
        })?;
        // In the order the ids were made, so that the history's index on them fills at its end.
        w.history(Entity::Initiative, &ids.initiatives, &changes.initiatives).await?;
        w.history(Entity::Contact, &ids.contacts, &changes.contacts).await?;
        w.history(Entity::Event, &ids.events, &changes.events).await?;
        let (mut done, total) = (w.done, w.total);
        for u in &batch.updates {
            let old = self.initiative(u.id).await?;
            let mut rev = u.rev;
            if old.input != u.input {
                self.write_initiative_update(&mut tx, &old, rev, &u.input, Some(origin)).await?;
                rev += 1;
            }
            if let Some(m) = u.stage {
                // The rules were checked for the new fields at the new stage when the plan was made.
                self.write_stage_move(&mut tx, &old, rev, m.to, m.on, "", &[], Some(origin)).await?;
            }
            done += 1;
            progress(BatchProgress { done, total });
        }
        aside.restore(&mut tx).await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// The stored initiatives with each of `numbers` (registration numbers), as (number, id);
    /// a number two initiatives share comes twice.
    pub async fn initiatives_by_number(&self, numbers: &[String]) -> Result<Vec<(String, Id)>> {
        let mut conn = self.reader().acquire().await?;
        let mut found = Vec::new();
        for chunk in numbers.chunks(MAX_BINDS) {
            let mut qb = QueryBuilder::<Sqlite>::new("SELECT number, id FROM initiatives WHERE number IN ");
            qb.push_tuples(chunk, |mut b, n| {
                b.push_bind(n.trim().to_string());
            });
            let rows: Vec<(String, Id)> = qb.build_query_as().fetch_all(&mut *conn).await?;
            found.extend(rows);
        }
        Ok(found)
    }

    /// Those of `ids` that are stored initiatives.
    pub async fn existing_initiatives(&self, ids: &[Id]) -> Result<Vec<Id>> {
        let mut conn = self.reader().acquire().await?;
        Ok(existing(&mut conn, "initiatives", ids.iter().copied().collect()).await?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests;
