//! Deterministic, realistic demo data for an empty office database.
//!
//! [`generate`] fills an empty database with one region («Красноярский край»), its districts and
//! villages, five support programs with their yearly rounds, contacts with consents, initiatives
//! with budgets and stage histories, engagement events with named attendees, and residents'
//! appeals. The same [`DemoSpec`] (scale and seed) always gives the same data, ids included, for
//! a given "today" of the store's clock; nothing is dated after that day.
//!
//! Everything is written in one transaction, so an interrupted run leaves the database empty.
//! Rows go in by multi-row `INSERT`s of up to 30 000 bound values each, with the
//! big tables' secondary indexes and search triggers set aside and rebuilt once at the end
//! (see `bulk.rs`): the large scale (about two million rows) takes seconds, not minutes.

mod appeals;
mod budget;
mod bulk;
mod events;
mod ids;
mod names;
mod people;
mod programs;
mod projects;
mod sink;
mod stages;
mod territory;
mod vocab;

use std::str::FromStr;

use chrono::NaiveDate;

use crate::error::{Error, FieldError, Result};
use crate::store::Store;

use bulk::BulkLoad;
use ids::Gen;
use sink::Sink;

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

/// The tables that take many rows: their secondary indexes and search triggers are rebuilt once
/// at the end rather than kept up row by row (see [`bulk`]).
const BULK_TABLES: &[&str] = &[
    "contacts",
    "contact_roles",
    "contact_phones",
    "contact_emails",
    "contact_tags",
    "consents",
    "initiatives",
    "budget_lines",
    "stage_changes",
    "events",
    "event_attendees",
    "event_initiatives",
    "appeals",
    "history",
];

const NOT_EMPTY_RU: &str = "база уже содержит данные; демо-данные заполняют только пустую базу";
const NOT_EMPTY_EN: &str = "the database already holds data; demo data only fills an empty database";

/// Fills an empty database with demo data and reports progress through `progress`.
///
/// Refused unless the database is empty. Everything is written in one transaction: if anything
/// fails, or the process is killed, the database stays as it was. Dates run from 2019 to the
/// store's clock's today, never later; ids, names and amounts depend only on `spec` and today.
pub async fn generate(
    store: &Store,
    spec: DemoSpec,
    progress: &(dyn Fn(DemoProgress) + Send + Sync),
) -> Result<DemoSummary> {
    if !store.is_empty().await? {
        return Err(Error::refused(NOT_EMPTY_RU, NOT_EMPTY_EN));
    }
    let size = Size::of(spec.scale);
    let mut g = Gen::new(spec.seed, store.clock().today());
    let mut tx = store.begin().await?;
    // Checked again on the writer, inside the transaction: nothing can slip in between.
    let records: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM territories) + (SELECT count(*) FROM contacts) + (SELECT count(*) FROM programs)
              + (SELECT count(*) FROM initiatives) + (SELECT count(*) FROM events)",
    )
    .fetch_one(&mut *tx)
    .await?;
    if records != 0 {
        return Err(Error::refused(NOT_EMPTY_RU, NOT_EMPTY_EN));
    }
    let bulk = BulkLoad::begin(&mut tx, BULK_TABLES).await?;
    let summary = {
        let mut sink = Sink::new(&mut tx, store.device(), progress);
        let geo = territory::generate(&mut g, &mut sink, size.districts).await?;
        let programs = programs::generate(&mut g, &mut sink).await?;
        let people = people::generate(&mut g, &mut sink, &geo, size.contacts).await?;
        let projects = projects::generate(&mut g, &mut sink, &geo, &programs, &people, size.initiatives).await?;
        let attendances =
            events::generate(&mut g, &mut sink, &geo, &people, &projects, size.events, size.attendances).await?;
        appeals::generate(&mut g, &mut sink, &geo, &people, &projects, size.appeals).await?;
        DemoSummary {
            territories: geo.territories(),
            programs: programs.len() as u64,
            contacts: people.contacts.len() as u64,
            initiatives: projects.list.len() as u64,
            events: size.events as u64,
            attendances,
            rows: sink.rows,
        }
    };
    progress(DemoProgress { stage: "индексы", done: 0, total: 1 });
    bulk.finish(&mut tx).await?;
    progress(DemoProgress { stage: "индексы", done: 1, total: 1 });
    progress(DemoProgress { stage: "сохранение", done: 0, total: 1 });
    tx.commit().await?;
    progress(DemoProgress { stage: "сохранение", done: 1, total: 1 });
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

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
