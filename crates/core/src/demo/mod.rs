//! Deterministic, realistic demo data for an empty office database.
//!
//! [`generate`] fills an empty database with one region («Красноярский край»), its districts and
//! villages, five support programs with their yearly rounds, contacts with consents, initiatives
//! with budgets and stage histories, engagement events with named attendees, and residents'
//! appeals. The same [`DemoSpec`] (scale and seed) always gives the same data, ids included, for
//! a given "today" of the store's clock; nothing is dated after that day.
//!
//! Everything is written in one transaction, so an interrupted run leaves the database empty.
//! The rows are made on a thread of their own (see `sink.rs`) and go in by multi-row `INSERT`s
//! of up to 30 000 bound values each, in key order where the table is kept in key order, with
//! the big tables' secondary indexes and search triggers set aside and rebuilt once at the end
//! (see `bulk.rs`), foreign keys checked once before the commit and, when nothing else has the
//! file open, a rollback journal instead of the write-ahead log (see `load`): the large scale
//! (about two million rows) takes about ten seconds on two cores.

mod appeals;
mod budget;
pub(crate) mod bulk;
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

use sqlx::SqliteConnection;

use crate::error::{Error, FieldError, Result};
use crate::store::Store;

use bulk::BulkLoad;
use ids::Gen;
use sink::{Message, Sink};

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
///
/// The rows are made on a thread of their own while the store's writer stores the ones made
/// before; `progress` is called from the calling task, each time once the rows it counts are
/// written. Meanwhile other writes of this process wait for the writer, and reads see the office
/// as it was until the commit. When no other connection has the file open, the load takes it for
/// itself (see `load`): another process that opens the office meanwhile is told it is busy.
pub async fn generate(
    store: &Store,
    spec: DemoSpec,
    progress: &(dyn Fn(DemoProgress) + Send + Sync),
) -> Result<DemoSummary> {
    if !store.is_empty().await? {
        return Err(Error::refused(NOT_EMPTY_RU, NOT_EMPTY_EN));
    }
    // The writer is set up for the load below and closed afterwards, never handed back to the
    // pool as it is, even if this future is dropped or a callback panics: the pool opens a
    // fresh one when next asked.
    let mut conn = store.writer().acquire().await?;
    conn.close_on_drop();
    let abandoned = Abandoned(Some(store.clone()));
    let loaded = load(store, &mut conn, spec, progress).await;
    if loaded.is_err() {
        // Best effort: closing the connection rolls back anyway.
        let _rolled_back = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    }
    // Back to write-ahead logging if the load left it; should this fail (a reader of this
    // process is reading just then), the store's next writer connection puts it back: it asks
    // for WAL as it opens.
    let mode: Result<String, _> = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await;
    if mode.as_deref().is_ok_and(|m| !m.eq_ignore_ascii_case("wal"))
        && let Err(e) = sqlx::query("PRAGMA journal_mode = WAL").execute(&mut *conn).await
    {
        tracing::warn!("the demo data left the database without WAL for now: {e}");
    }
    if let Err(e) = conn.close().await {
        tracing::warn!("closing the connection that wrote the demo data: {e}");
    }
    abandoned.disarm();
    let summary = loaded?;
    progress(DemoProgress { stage: "сохранение", done: 1, total: 1 });
    Ok(summary)
}

/// Puts write-ahead logging back when [`generate`] stops half-way without finishing its work: its
/// future dropped, or a progress callback panicking. The writer then closes on its own and rolls
/// back; the store's next writer connection asks for WAL as it opens, and this opens it at once.
struct Abandoned(Option<Store>);

impl Abandoned {
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for Abandoned {
    fn drop(&mut self) {
        if let (Some(store), Ok(runtime)) = (self.0.take(), tokio::runtime::Handle::try_current()) {
            runtime.spawn(async move {
                if let Err(e) = store.writer().acquire().await {
                    tracing::warn!("reopening the writer after an abandoned demo load: {e}");
                }
            });
        }
    }
}

/// Writes the demo into the empty office on `conn`, in one transaction.
///
/// The connection checks foreign keys once at the end, by distinct values
/// ([`bulk::dangling_reference`]), instead of row by row, and sorts for the indexes in blocks of
/// memory rather than a record at a time (with `temp_store = FILE` SQLite's sorter does so, and
/// spills to a temporary file only beyond the page cache's size, 128 MB on the writer).
///
/// When no other connection has the file open, the load also leaves write-ahead logging for a
/// rollback journal until it is done. A transaction that fills an empty database then writes
/// each page once, straight into the file, and the journal keeps only the few pages the empty
/// database had; in WAL mode every page goes into the log first and is copied into the file
/// again afterwards, twice the writing. Leaving WAL needs every other connection closed: the
/// store's idle readers are closed here (the pool opens new ones when asked); if any connection,
/// of this process or another, still has the file open, the database stays in WAL mode and the
/// load goes through the log. Either way it is one transaction with full sync: a crash leaves a
/// hot journal, or an unfinished log, that SQLite rolls back on the next open.
async fn load(
    store: &Store,
    conn: &mut SqliteConnection,
    spec: DemoSpec,
    progress: &(dyn Fn(DemoProgress) + Send + Sync),
) -> Result<DemoSummary> {
    // A reader that was just used comes back to the pool a moment later: give the store's
    // readers a little while to come back and be closed, not more.
    let readers = store.reader();
    for _ in 0..200 {
        if readers.size() == 0 {
            break;
        }
        match readers.try_acquire() {
            Some(idle) => idle.close().await?,
            None => tokio::time::sleep(std::time::Duration::from_millis(1)).await,
        }
    }
    // Asked once, without waiting for others to let go: if they hold the file, WAL it is.
    sqlx::query("PRAGMA busy_timeout = 0").execute(&mut *conn).await?;
    let _journal = sqlx::query("PRAGMA journal_mode = DELETE").execute(&mut *conn).await;
    sqlx::query("PRAGMA busy_timeout = 10000").execute(&mut *conn).await?;
    sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await?;
    // Sorting spills to temporary files unencrypted: made-up demo data only, never the office's
    // own (the store's connections keep temporary data in memory).
    sqlx::query("PRAGMA temp_store = FILE").execute(&mut *conn).await?;
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    // Checked again under the write lock: nothing can slip in between.
    let records: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM territories) + (SELECT count(*) FROM contacts) + (SELECT count(*) FROM programs)
              + (SELECT count(*) FROM initiatives) + (SELECT count(*) FROM events)",
    )
    .fetch_one(&mut *conn)
    .await?;
    if records != 0 {
        return Err(Error::refused(NOT_EMPTY_RU, NOT_EMPTY_EN));
    }
    let bulk = BulkLoad::begin(conn, BULK_TABLES).await?;
    let summary = write(conn, spec, store.clock().today(), store.device().to_string(), progress).await?;
    progress(DemoProgress { stage: "индексы", done: 0, total: 1 });
    bulk.finish(conn).await?;
    progress(DemoProgress { stage: "индексы", done: 1, total: 1 });
    progress(DemoProgress { stage: "сохранение", done: 0, total: 1 });
    if let Some(table) = bulk::dangling_reference(conn).await? {
        return Err(Error::refused(
            format!("демо-данные не сохранены: запись в таблице {table} ссылается на несуществующую"),
            format!("the demo data was not saved: a row in {table} refers to a missing record"),
        ));
    }
    sqlx::query("COMMIT").execute(&mut *conn).await?;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await?;
    if mode.eq_ignore_ascii_case("wal") {
        // Copy the transaction from the log into the file now, and empty the log, rather than
        // leave hundreds of megabytes to the next edit; with readers busy it copies what it can.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *conn).await?;
    }
    Ok(summary)
}

/// Runs the generator on a thread of its own and writes what it makes to `conn`, in order,
/// passing its progress reports on as the rows they count are written.
async fn write(
    conn: &mut SqliteConnection,
    spec: DemoSpec,
    today: NaiveDate,
    device: String,
    progress: &(dyn Fn(DemoProgress) + Send + Sync),
) -> Result<DemoSummary> {
    // A few statements' worth of rows ahead of the writer: enough to keep both busy, little memory.
    let (queue, mut made) = tokio::sync::mpsc::channel(4);
    let maker = tokio::task::spawn_blocking(move || make(spec, today, Sink::new(queue, device)));
    let mut written = 0;
    while let Some(message) = made.recv().await {
        match message {
            Message::Insert { sql, values, rows } => {
                sqlx::query_with(&sql, values).execute(&mut *conn).await?;
                written += rows;
            }
            Message::Progress(p) => progress(p),
        }
    }
    // The queue closes when the generator is done, or has failed: its own result says which.
    let summary = match maker.await {
        Ok(summary) => summary?,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => {
            return Err(Error::refused(
                format!("генерация демо-данных прервана: {e}"),
                format!("demo data generation was interrupted: {e}"),
            ));
        }
    };
    debug_assert_eq!(written, summary.rows, "every row made was written");
    Ok(summary)
}

/// Makes the demo data, every table in turn, and hands the rows to `sink`.
fn make(spec: DemoSpec, today: NaiveDate, mut sink: Sink) -> Result<DemoSummary> {
    let size = Size::of(spec.scale);
    let mut g = Gen::new(spec.seed, today);
    let g = &mut g;
    let sink = &mut sink;
    let geo = territory::generate(g, sink, size.districts)?;
    let programs = programs::generate(g, sink)?;
    let people = people::generate(g, sink, &geo, size.contacts)?;
    let projects = projects::generate(g, sink, &geo, &programs, &people, size.initiatives)?;
    let attendances = events::generate(g, sink, &geo, &people, &projects, size.events, size.attendances)?;
    appeals::generate(g, sink, &geo, &people, &projects, size.appeals)?;
    Ok(DemoSummary {
        territories: geo.territories(),
        programs: programs.len() as u64,
        contacts: people.contacts.len() as u64,
        initiatives: projects.list.len() as u64,
        events: size.events as u64,
        attendances,
        rows: sink.rows,
    })
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
