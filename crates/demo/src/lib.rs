//! Deterministic, realistic demo data for an empty office.
//!
//! [`generate`] fills an empty office with one region («Красноярский край»), its districts and
//! villages, five support programs with their yearly rounds, contacts with consents, initiatives
//! with budgets and stage histories, engagement events with named attendees, and residents'
//! appeals. The same [`DemoSpec`] (scale and seed) always gives the same data, ids included, for
//! a given "today" of the store's clock; nothing is dated after that day.
//!
//! The rows are made here and written by the core's store, through its one bulk path
//! ([`Store::fill_empty`] and the rows of [`mestno_core::store::rows`]): in one transaction, so
//! an interrupted run leaves the office empty, and fast — the large scale (about two million
//! rows) takes about ten seconds on two cores. The names, places and texts the generator draws
//! from are data files (`data/`, one entry a line).
#![deny(missing_docs)]

mod appeals;
mod budget;
mod events;
mod ids;
mod names;
mod people;
mod programs;
mod projects;
pub mod samples;
mod stages;
mod templates;
mod territory;
mod vocab;

use std::str::FromStr;

use chrono::NaiveDate;
use mestno_core::model::Id;
use mestno_core::store::{FillProgress, Filler, Op, rows};
use mestno_core::{Entity, Error, FieldError, Result, Store, Text};

use ids::Gen;

/// Where the generator's rows go.
pub(crate) type Sink = Filler<DemoProgress>;

/// Tells the caller how far `stage` has got, once the rows made so far are written.
pub(crate) fn report(sink: &Sink, stage: &'static str, done: usize, total: usize) -> Result<()> {
    sink.report(DemoProgress { stage, done: done as u64, total: total as u64 })
}

/// The change-history entry every demo record gets: created by the demo generator.
const HISTORY_ACTOR: &str = "демо-данные";
const HISTORY_CHANGES: &str = r#"{"source":{"new":"demo"}}"#;

/// A record's creation, for the history.
pub(crate) struct Created {
    /// The history entry's own id.
    pub id: Id,
    /// The record.
    pub entity_id: Id,
    /// When, ms since the epoch.
    pub at: i64,
}

/// One `create` history entry per record, naming the demo generator as the actor, its clock the
/// record's creation time.
pub(crate) fn write_history(sink: &mut Sink, entity: Entity, created: Vec<Created>) -> Result<()> {
    write_history_at(sink, entity, created, |c, _| c.at << 16)
}

/// [`write_history`] with the clocks `hlc` gives each entry (and its index).
fn write_history_at(
    sink: &mut Sink,
    entity: Entity,
    created: Vec<Created>,
    hlc: impl Fn(&Created, i64) -> i64,
) -> Result<()> {
    let device = sink.device().to_owned();
    sink.insert(created.into_iter().enumerate().map(|(i, c)| rows::History {
        id: c.id,
        entity,
        entity_id: c.entity_id,
        op: Op::Create,
        at: c.at,
        device: device.clone().into(),
        actor: HISTORY_ACTOR.into(),
        changes: HISTORY_CHANGES.into(),
        hlc: hlc(&c, i as i64),
    }))
}

/// A change the demo generator makes after a record's creation (a stage move, a consent given
/// or withdrawn), kept in the history as the app keeps it when staff make it, so that the record
/// folds from its history into the same record on every office it travels to.
pub(crate) struct Entry {
    /// The entry's own id (see [`derived_id`]).
    pub id: Id,
    /// The record.
    pub entity_id: Id,
    /// What it was.
    pub op: Op,
    /// When, ms since the epoch.
    pub at: i64,
    /// Its clock: after the record's creation and its earlier entries.
    pub hlc: i64,
    /// The body, as the app writes it (`{field: {"old": …, "new": …}}`).
    pub changes: String,
}

/// Writes `entries` of records of `entity` into the history.
pub(crate) fn write_entries(sink: &mut Sink, entity: Entity, entries: Vec<Entry>) -> Result<()> {
    let device = sink.device().to_owned();
    sink.insert(entries.into_iter().map(|e| rows::History {
        id: e.id,
        entity,
        entity_id: e.entity_id,
        op: e.op,
        at: e.at,
        device: device.clone().into(),
        actor: HISTORY_ACTOR.into(),
        changes: e.changes.into(),
        hlc: e.hlc,
    }))
}

/// The id of a history entry made for the row `row` (a stage change, a consent), `salt` telling
/// apart entries made for the same row: a UUIDv8, so it never equals the generator's UUIDv7s,
/// and drawn from no random numbers, so the rest of the data stays what a seed always gave.
pub(crate) fn derived_id(row: Id, salt: u8) -> Id {
    let mut bytes = *row.as_bytes();
    bytes[15] ^= salt;
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// How much demo data to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// About one district's worth: 3 districts, 300 contacts, 60 initiatives, 120 events.
    Small,
    /// 10 districts, 10 000 contacts, 2 000 initiatives, 5 000 events, 100 000 attendances.
    Medium,
    /// The whole krai: 44 districts, 100 000 contacts, 20 000 initiatives, 50 000 events and a
    /// million attendances — for trying the app at the size of a regional office.
    Large,
}

impl FromStr for Scale {
    type Err = Error;

    /// Parses `small`, `medium` or `large` (any case).
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "small" => Ok(Scale::Small),
            "medium" => Ok(Scale::Medium),
            "large" => Ok(Scale::Large),
            _ => Err(Error::Invalid(vec![FieldError::new(
                "scale",
                format!("неизвестный объём демо-данных «{s}»: укажите small, medium или large"),
                format!("unknown demo data scale «{s}»: use small, medium or large"),
            )])),
        }
    }
}

/// What [`generate`] makes: how much, and from which seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoSpec {
    /// How much.
    pub scale: Scale,
    /// The seed: the same seed gives the same data.
    pub seed: u64,
}

/// How far [`generate`] has got, reported after every batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoProgress {
    /// What is being made, in Russian («контакты», «мероприятия»…).
    pub stage: &'static str,
    /// Records of this stage made so far.
    pub done: u64,
    /// Records of this stage to make.
    pub total: u64,
}

/// What [`generate`] made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// Territories: the region, its districts and their localities.
    pub territories: u64,
    /// Support programs.
    pub programs: u64,
    /// Contacts, persons and organisations.
    pub contacts: u64,
    /// Initiatives.
    pub initiatives: u64,
    /// Engagement events.
    pub events: u64,
    /// Named attendances (event × contact).
    pub attendances: u64,
    /// Every row inserted, in every table (populations, budget lines, history…).
    pub rows: u64,
}

/// How many records of each kind a scale makes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Size {
    pub districts: usize,
    pub contacts: usize,
    pub initiatives: usize,
    pub events: usize,
    pub attendances: usize,
    pub appeals: usize,
}

impl Size {
    pub(crate) fn of(scale: Scale) -> Size {
        match scale {
            Scale::Small => {
                Size { districts: 3, contacts: 300, initiatives: 60, events: 120, attendances: 2_000, appeals: 40 }
            }
            Scale::Medium => Size {
                districts: 10,
                contacts: 10_000,
                initiatives: 2_000,
                events: 5_000,
                attendances: 100_000,
                appeals: 600,
            },
            Scale::Large => Size {
                districts: vocab::DISTRICTS.len(),
                contacts: 100_000,
                initiatives: 20_000,
                events: 50_000,
                attendances: 1_000_000,
                appeals: 4_000,
            },
        }
    }
}

/// The day the demo office starts keeping records; territories and programs are created then.
pub(crate) fn office_opened(today: NaiveDate) -> NaiveDate {
    ids::ymd(2019, 1, 14).min(today)
}

const NOT_EMPTY_RU: &str = "база уже содержит данные; демо-данные заполняют только пустую базу";
const NOT_EMPTY_EN: &str = "the database already holds data; demo data only fills an empty database";

/// Fills an empty database with demo data and reports progress through `progress`.
///
/// Refused unless the database is empty. Everything is written in one transaction: if anything
/// fails, or the process is killed, the database stays as it was. Dates run from 2019 to the
/// store's clock's today, never later; ids, names and amounts depend only on `spec` and today.
///
/// The rows are made on a thread of their own while the store's writer stores the ones made
/// before; `progress` is called from the calling task, each time once the rows it counts are
/// written. Meanwhile other writes of this process wait for the writer, and reads see the office
/// as it was until the commit. When no other connection has the file open, the load takes it for
/// itself (see [`Store::fill_empty`]): another process that opens the office meanwhile is told
/// it is busy.
pub async fn generate(
    store: &Store,
    spec: DemoSpec,
    progress: &(dyn Fn(DemoProgress) + Send + Sync),
) -> Result<DemoSummary> {
    if !store.is_empty().await? {
        return Err(Error::Refused(Text::new(NOT_EMPTY_RU, NOT_EMPTY_EN)));
    }
    let today = store.clock().today();
    let step = |stage, done| DemoProgress { stage, done, total: 1 };
    let report = |p: FillProgress<DemoProgress>| {
        progress(match p {
            FillProgress::Made(p) => p,
            FillProgress::Indexes(built) => step("индексы", u64::from(built)),
            FillProgress::Saving => step("сохранение", 0),
        })
    };
    let summary = store.fill_empty(move |sink| make(spec, today, sink), &report).await?;
    progress(step("сохранение", 1));
    Ok(summary)
}

/// Makes the demo data, every table in turn, and hands the rows to `sink`.
fn make(spec: DemoSpec, today: NaiveDate, sink: &mut Sink) -> Result<DemoSummary> {
    let size = Size::of(spec.scale);
    let mut g = Gen::new(spec.seed, today);
    let g = &mut g;
    let geo = territory::generate(g, sink, size.districts)?;
    let programs = programs::generate(g, sink)?;
    let people = people::generate(g, sink, &geo, size.contacts)?;
    let projects = projects::generate(g, sink, &geo, &programs, &people, size.initiatives)?;
    let attendances = events::generate(g, sink, &geo, &people, &projects, size.events, size.attendances)?;
    appeals::generate(g, sink, &geo, &people, &projects, size.appeals)?;
    // The territories' and programs' creations, so that they travel to a partner or a server like
    // the records within them; drawn last, so that the rest of the data is what a seed always gave.
    // Their clocks come before every record's (a project's idea may predate the office's opening),
    // parents before children, as a real office makes them: a server or partner takes a record
    // only within a territory it has already received.
    let opened = office_opened(today);
    let mut created = |ids: &mut dyn Iterator<Item = Id>| -> Vec<Created> {
        ids.map(|entity_id| {
            let (id, at) = g.id_on(opened);
            Created { id, entity_id, at }
        })
        .collect()
    };
    let territories = created(&mut geo.ids.iter().copied());
    let directory = created(&mut programs.iter().map(|p| p.id));
    let n = territories.len() as i64;
    write_history_at(sink, Entity::Territory, territories, |_, i| 1 + i)?;
    write_history_at(sink, Entity::Program, directory, |_, i| 1 + n + i)?;
    Ok(DemoSummary {
        territories: geo.territories(),
        programs: programs.len() as u64,
        contacts: people.contacts.len() as u64,
        initiatives: projects.list.len() as u64,
        events: size.events as u64,
        attendances,
        rows: sink.rows(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mestno_core::ErrorCode;

    #[test]
    fn scales_parse_in_any_case_and_others_are_refused_in_russian() {
        assert_eq!("small".parse::<Scale>().ok(), Some(Scale::Small));
        assert_eq!(" Medium ".parse::<Scale>().ok(), Some(Scale::Medium));
        assert_eq!("LARGE".parse::<Scale>().ok(), Some(Scale::Large));
        let err = "huge".parse::<Scale>().err().map(|e| (e.code(), e.to_string()));
        let (code, message) = err.unwrap_or((ErrorCode::Storage, String::new()));
        assert_eq!(code, ErrorCode::Invalid, "an unknown scale is bad input");
        assert!(message.contains("укажите small, medium или large"), "{message}");
    }

    #[test]
    fn the_large_scale_meets_its_promised_sizes() {
        let s = Size::of(Scale::Large);
        assert_eq!(s.districts, 44, "the whole krai");
        assert!(s.contacts >= 100_000 && s.initiatives >= 20_000 && s.events >= 50_000 && s.attendances >= 1_000_000);
    }
}
