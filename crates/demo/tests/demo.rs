//! The demo data: complete, consistent, by the programs' rules, the same for the same seed, and
//! only ever written into an empty database.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{NaiveDate, TimeZone, Utc};
use mestno_core::model::Stage;
use mestno_core::{ErrorCode, FixedClock, Store};
use mestno_demo::{self as demo, DemoProgress, DemoSpec, DemoSummary, Scale};
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

/// Every table the generator writes, and how the summary counts it.
const TABLES: &[&str] = &[
    "territories",
    "territory_population",
    "programs",
    "program_cycles",
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

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 11, 1).expect("a real date")
}

async fn open(path: &Path) -> Store {
    let clock = FixedClock::new(Utc.with_ymd_and_hms(2025, 11, 1, 9, 0, 0).single().expect("a real instant"));
    Store::open(path, Arc::new(clock), "тест").await.expect("a fresh database opens")
}

/// A plain read-only connection to the file, to look at the tables directly.
async fn raw(path: &Path) -> SqlitePool {
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    SqlitePoolOptions::new().max_connections(1).connect_with(options).await.expect("the file opens read-only")
}

async fn count(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn counts(pool: &SqlitePool) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    for table in TABLES {
        out.push((*table, count(pool, &format!("SELECT count(*) FROM {table}")).await));
    }
    out
}

/// Every table, index and trigger of the database at `path`, with its SQL.
async fn schema(path: PathBuf) -> Vec<(String, Option<String>)> {
    let db = raw(&path).await;
    sqlx::query_as("SELECT name, sql FROM sqlite_master ORDER BY name").fetch_all(&db).await.expect("the schema")
}

async fn generate(path: &Path, scale: Scale, seed: u64) -> (Store, DemoSummary, Vec<DemoProgress>) {
    let store = open(path).await;
    let seen = Mutex::new(Vec::new());
    let record = |p: DemoProgress| seen.lock().unwrap_or_else(|e| e.into_inner()).push(p);
    let summary =
        demo::generate(&store, DemoSpec { scale, seed }, &record).await.expect("demo data fills an empty database");
    let seen = seen.into_inner().unwrap_or_else(|e| e.into_inner());
    (store, summary, seen)
}

fn temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("office.sqlite");
    (dir, path)
}

#[tokio::test]
async fn the_summary_counts_what_is_in_the_tables() {
    let (_dir, path) = temp();
    let (_store, summary, progress) = generate(&path, Scale::Small, 7).await;
    let db = raw(&path).await;
    let n = counts(&db).await;
    let of = |table: &str| n.iter().find(|t| t.0 == table).map_or(-1, |t| t.1) as u64;
    assert_eq!(of("territories"), summary.territories);
    assert_eq!(of("programs"), summary.programs);
    assert_eq!(of("contacts"), summary.contacts);
    assert_eq!(of("initiatives"), summary.initiatives);
    assert_eq!(of("events"), summary.events);
    assert_eq!(of("event_attendees"), summary.attendances);
    assert_eq!(n.iter().map(|t| t.1 as u64).sum::<u64>(), summary.rows, "rows counts every table: {n:?}");
    assert_eq!(
        (summary.contacts, summary.initiatives, summary.events),
        (300, 60, 120),
        "the small scale makes what it promises"
    );
    assert!(summary.attendances >= 1_900, "about 2 000 attendances: {}", summary.attendances);
    assert!(summary.programs >= 4 && summary.territories > 3 * 8, "{summary:?}");
    let withdrawn = count(&db, "SELECT count(*) FROM consents WHERE withdrawn_on IS NOT NULL").await as u64;
    assert_eq!(
        of("history"),
        summary.territories
            + summary.programs
            + summary.contacts
            + summary.initiatives
            + summary.events
            + (of("stage_changes") - summary.initiatives)
            + of("consents")
            + withdrawn,
        "a creation per record, an entry per stage move after the first, per consent and per withdrawal"
    );
    let stages: Vec<&str> = progress.iter().map(|p| p.stage).collect();
    for stage in ["территории", "контакты", "проекты", "мероприятия", "сохранение"]
    {
        assert!(stages.contains(&stage), "progress reports «{stage}»: {stages:?}");
    }
    assert!(progress.iter().all(|p| p.done <= p.total), "done never passes total");
}

#[tokio::test]
async fn the_same_seed_gives_the_same_data_and_another_seed_other_data() {
    let list = |path: PathBuf| async move {
        let db = raw(&path).await;
        let rows = sqlx::query("SELECT hex(id) AS id, title FROM initiatives ORDER BY id")
            .fetch_all(&db)
            .await
            .expect("initiatives");
        rows.iter().map(|r| (r.get::<String, _>("id"), r.get::<String, _>("title"))).collect::<Vec<_>>()
    };
    let (_a, first) = temp();
    let (_b, second) = temp();
    let (_c, other) = temp();
    generate(&first, Scale::Small, 7).await;
    generate(&second, Scale::Small, 7).await;
    generate(&other, Scale::Small, 8).await;
    let (first, second, other) = (list(first).await, list(second).await, list(other).await);
    assert_eq!(first.len(), 60);
    assert_eq!(first, second, "seed 7 twice gives the same ids and titles");
    assert_ne!(first, other, "seed 8 gives other data");
}

#[tokio::test]
async fn budgets_add_up_and_applications_meet_their_programs_rules() {
    let (_dir, path) = temp();
    let (store, _, _) = generate(&path, Scale::Small, 7).await;
    let db = raw(&path).await;
    let off = count(
        &db,
        "SELECT count(*) FROM initiatives i
          WHERE total_cost_kopecks <> (SELECT coalesce(sum(planned_kopecks), 0) FROM budget_lines b WHERE b.initiative_id = i.id)",
    )
    .await;
    assert_eq!(off, 0, "every initiative's budget lines add up to its total cost");
    let overspent = count(&db, "SELECT count(*) FROM budget_lines WHERE actual_kopecks > planned_kopecks").await;
    assert_eq!(overspent, 0, "nothing is spent beyond the plan");
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM initiatives").fetch_all(&db).await.expect("ids");
    let mut binding = 0;
    for id in ids {
        let i = store.initiative(id).await.expect("a generated initiative loads");
        assert!(i.stage_on <= today(), "no stage after today: {}", i.stage_on);
        assert_eq!(
            i.stages.last().map(|s| (s.to, s.on)),
            Some((i.stage, i.stage_on)),
            "the history ends at the current stage"
        );
        assert_eq!(i.stages.first().map(|s| (s.from, s.to)), Some((None, Stage::Idea)), "every path starts as an idea");
        for pair in i.stages.windows(2) {
            assert!(pair[0].to.can_move_to(pair[1].to) && pair[0].on <= pair[1].on, "{:?}", i.stages);
            assert_eq!(pair[1].from, Some(pair[0].to));
        }
        if matches!(i.stage, Stage::Application | Stage::Selected | Stage::Implementation | Stage::Completed) {
            binding += 1;
            assert!(
                i.flags.is_empty(),
                "«{}» at {:?} breaks its program's rules: {:?}",
                i.input.title,
                i.stage,
                i.flags
            );
        }
    }
    assert!(binding > 10, "there are applications and later stages to check: {binding}");
}

#[tokio::test]
async fn events_count_their_named_attendees_and_nothing_dangles() {
    let (_dir, path) = temp();
    generate(&path, Scale::Small, 7).await;
    let db = raw(&path).await;
    let short = count(&db, "SELECT count(*) FROM events e WHERE headcount < (SELECT count(*) FROM event_attendees a WHERE a.event_id = e.id)").await;
    assert_eq!(short, 0, "every event's headcount covers its named attendees");
    let late = count(
        &db,
        "SELECT count(*) FROM events WHERE date(starts_at) > '2025-11-01' OR date(starts_at) < '2019-01-01'",
    )
    .await;
    assert_eq!(late, 0, "events fall between 2019 and today");
    let consents =
        count(&db, "SELECT count(*) FROM consents WHERE given_on > '2025-11-01' OR withdrawn_on > '2025-11-01'").await;
    assert_eq!(consents, 0, "no consent is given or withdrawn after today");
    let people = count(&db, "SELECT count(DISTINCT contact_id) FROM event_attendees").await;
    let attendances = count(&db, "SELECT count(*) FROM event_attendees").await;
    assert!(people < attendances, "people come to more than one event: {people} people, {attendances} attendances");
    let broken = sqlx::query("PRAGMA foreign_key_check").fetch_all(&db).await.expect("foreign key check");
    assert!(broken.is_empty(), "{} rows point nowhere", broken.len());
    let population = count(&db, "SELECT count(*) FROM territory_population p JOIN territories t ON t.id = p.territory_id WHERE t.kind <> 'locality'").await;
    assert_eq!(population, 0, "population is kept on localities; the core sums it up");
}

#[tokio::test]
async fn a_database_with_data_is_refused_and_left_as_it_was() {
    let (_dir, path) = temp();
    let (store, _, _) = generate(&path, Scale::Small, 7).await;
    let db = raw(&path).await;
    let before = counts(&db).await;
    let nothing = |_: DemoProgress| {};
    let err = demo::generate(&store, DemoSpec { scale: Scale::Small, seed: 9 }, &nothing)
        .await
        .expect_err("a second run is refused");
    assert_eq!(err.code(), ErrorCode::Refused);
    assert!(err.to_string().contains("только пустую базу"), "{err}");
    assert_eq!(counts(&db).await, before, "nothing was written");
}

#[tokio::test]
async fn the_schema_comes_back_whole_and_search_finds_the_demo_records() {
    let (_a, plain) = temp();
    open(&plain).await.close().await;
    let (_b, path) = temp();
    let (store, summary, _) = generate(&path, Scale::Small, 7).await;
    assert_eq!(
        schema(path.clone()).await,
        schema(plain).await,
        "every index and trigger is back, as the migrations wrote it"
    );
    let db = raw(&path).await;
    for (table, fts) in [("contacts", "contacts_fts"), ("initiatives", "initiatives_fts"), ("events", "events_fts")] {
        let (rows, indexed) = (
            count(&db, &format!("SELECT count(*) FROM {table}")).await,
            count(&db, &format!("SELECT count(*) FROM {fts}")).await,
        );
        assert_eq!(rows, indexed, "every row of {table} is in its search index");
    }
    // A surname with «ё», searched for with «е»: the search index folds it as the triggers do.
    let (id, name): (uuid::Uuid, String) =
        sqlx::query_as("SELECT id, display_name FROM contacts WHERE kind = 'person' AND last_name LIKE '%ё%' LIMIT 1")
            .fetch_one(&db)
            .await
            .expect("some surname has «ё»");
    let hits = store.search(&name.replace('ё', "е"), 50).await.expect("search works");
    assert!(hits.iter().any(|h| h.id == id), "«{name}» is found spelt with «е»: {hits:?}");
    let initiative: (uuid::Uuid, String) =
        sqlx::query_as("SELECT id, title FROM initiatives LIMIT 1").fetch_one(&db).await.expect("an initiative");
    let hits = store.search(&initiative.1, 50).await.expect("search works");
    assert!(hits.iter().any(|h| h.id == initiative.0), "«{}» is found by its title", initiative.1);
    assert!(summary.rows > 0);
}

#[tokio::test]
async fn a_run_that_dies_halfway_leaves_the_database_empty_and_whole() {
    let (_dir, path) = temp();
    let store = open(&path).await;
    let (_p, plain) = temp();
    open(&plain).await.close().await;
    let dying = store.clone();
    let run = tokio::spawn(async move {
        let die_at_events = |p: DemoProgress| assert_ne!(p.stage, "мероприятия", "the process dies here");
        demo::generate(&dying, DemoSpec { scale: Scale::Small, seed: 7 }, &die_at_events).await
    });
    assert!(run.await.is_err(), "the run died");
    assert!(store.is_empty().await.expect("the database answers"), "nothing of the dead run was kept");
    let db = raw(&path).await;
    assert!(counts(&db).await.iter().all(|t| t.1 == 0), "{:?}", counts(&db).await);
    assert_eq!(schema(path.clone()).await, schema(plain).await, "the indexes set aside for loading are still there");
    let nothing = |_: DemoProgress| {};
    let summary =
        demo::generate(&store, DemoSpec { scale: Scale::Small, seed: 7 }, &nothing).await.expect("a new run succeeds");
    assert_eq!(summary.initiatives, 60);
}

#[tokio::test]
async fn the_demo_is_the_same_whether_it_has_the_file_to_itself_or_shares_it() {
    let dump = |path: PathBuf| async move {
        let db = raw(&path).await;
        let counts = counts(&db).await;
        let initiatives: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT hex(id), title, total_cost_kopecks FROM initiatives ORDER BY id")
                .fetch_all(&db)
                .await
                .expect("initiatives");
        let attendees: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT hex(event_id), hex(contact_id), role FROM event_attendees ORDER BY event_id, contact_id",
        )
        .fetch_all(&db)
        .await
        .expect("attendees");
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&db).await.expect("journal mode");
        (counts, initiatives, attendees, mode)
    };
    let (_a, alone) = temp();
    generate(&alone, Scale::Small, 7).await;
    let (_b, shared) = temp();
    // Another connection has the file open: the demo cannot leave WAL and writes through the log.
    let other = open(&shared).await;
    let watcher = raw(&shared).await;
    assert_eq!(count(&watcher, "SELECT count(*) FROM contacts").await, 0);
    let nothing = |_: DemoProgress| {};
    demo::generate(&other, DemoSpec { scale: Scale::Small, seed: 7 }, &nothing)
        .await
        .expect("the demo goes through the log");
    assert_eq!(
        count(&watcher, "SELECT count(*) FROM contacts").await,
        300,
        "the other connection sees the demo at once"
    );
    let (alone, shared) = (dump(alone).await, dump(shared).await);
    assert_eq!(alone.3, "wal", "the database is back in WAL mode after the load had it to itself");
    assert_eq!(shared.3, "wal");
    assert!(!alone.2.is_empty());
    assert_eq!(alone, shared, "the same data either way");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_reads_as_it_was_while_the_demo_is_written() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let (_dir, path) = temp();
    let store = open(&path).await;
    let (started, done) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicBool::new(false)));
    let reads = tokio::spawn({
        let (store, started, done, path) = (store.clone(), started.clone(), done.clone(), path.clone());
        async move {
            while !started.load(Ordering::SeqCst) {
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
            let db = raw(&path).await;
            let mut empty = 0;
            while !done.load(Ordering::SeqCst) {
                // The store's readers keep working, and any one look sees all of the demo or
                // none of it.
                if store.is_empty().await.expect("the store reads during the load") {
                    empty += 1;
                }
                let seen: (i64, i64, i64) = sqlx::query_as(
                    "SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM initiatives),
                            (SELECT count(*) FROM event_attendees)",
                )
                .fetch_one(&db)
                .await
                .expect("a plain reader reads during the load");
                assert!(seen == (0, 0, 0) || (seen.0, seen.1) == (10_000, 2_000), "half a demo: {seen:?}");
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }
            empty
        }
    });
    let first = |p: DemoProgress| {
        if p.stage == "контакты" {
            started.store(true, Ordering::SeqCst);
        }
    };
    demo::generate(&store, DemoSpec { scale: Scale::Medium, seed: 7 }, &first).await.expect("the demo is written");
    done.store(true, Ordering::SeqCst);
    let empty = reads.await.expect("the reader ran");
    assert!(empty > 0, "the office was read as it was while the demo was written");
    assert!(!store.is_empty().await.expect("reads after the load"), "and then shows the demo");
}

/// How fast the larger scales go, stage by stage:
/// `cargo test --release --test demo -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "takes seconds to minutes; run by hand to measure speed"]
async fn medium_and_large_speed() {
    for scale in [Scale::Medium, Scale::Large] {
        let (_dir, path) = temp();
        let store = open(&path).await;
        let started = Instant::now();
        let stages: Mutex<Vec<(&'static str, f64)>> = Mutex::new(Vec::new());
        let record = |p: DemoProgress| {
            let mut stages = stages.lock().unwrap_or_else(|e| e.into_inner());
            let at = started.elapsed().as_secs_f64();
            match stages.last_mut() {
                Some(last) if last.0 == p.stage => last.1 = at,
                _ => stages.push((p.stage, at)),
            }
        };
        let summary = demo::generate(&store, DemoSpec { scale, seed: 1 }, &record).await.expect("demo data");
        let took = started.elapsed().as_secs_f64();
        println!("{scale:?}: {summary:?} in {took:.1} s, {:.0} rows/s", summary.rows as f64 / took);
        let mut before = 0.0;
        for (stage, at) in stages.into_inner().unwrap_or_else(|e| e.into_inner()) {
            println!("  {stage}: {:.2} s", at - before);
            before = at;
        }
        let megabytes =
            |suffix: &str| std::fs::metadata(format!("{}{suffix}", path.display())).map_or(0, |m| m.len() / 1_000_000);
        println!("  file {} MB, write-ahead log {} MB", megabytes(""), megabytes("-wal"));
        store.close().await;
    }
}

/// A small demo office (seed 7) and a partner that has taken all its records: the two stores,
/// the demo's file, and the folders that hold them.
async fn demo_and_partner() -> (Store, Store, PathBuf, [tempfile::TempDir; 2]) {
    use mestno_core::store::{Holdings, Scope};
    let (a, path) = temp();
    let (demo, _, _) = generate(&path, Scale::Small, 7).await;
    let (b, other) = temp();
    let partner = open(&other).await;
    let all = Scope::default();
    let sent = demo.changes_since(&Holdings::new(), &all).await.expect("the demo's changes");
    partner.apply_changes(&sent, &all).await.expect("the partner takes the demo office's records");
    (demo, partner, path, [a, b])
}

/// A demo office exchanges like any other: a partner receives its records whole (stage
/// histories and consents included), and an edit made there comes back and is applied — the
/// record keeps its earlier stages and its consents, and nothing lands in «Расхождения».
#[tokio::test]
async fn a_demo_office_takes_back_its_records_edited_elsewhere_whole() {
    use mestno_core::store::Scope;
    let (demo, partner, path, _dirs) = demo_and_partner().await;
    let all = Scope::default();

    // A project some way along its path, and a person who gave consent and withdrew it.
    let db = raw(&path).await;
    let project: uuid::Uuid = sqlx::query_scalar(
        "SELECT initiative_id FROM stage_changes s JOIN initiatives i ON i.id = s.initiative_id
          WHERE i.stage = 'discussion' GROUP BY initiative_id HAVING count(*) = 2 LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .expect("a project under discussion");
    let person: uuid::Uuid = sqlx::query_scalar(
        "SELECT contact_id FROM consents WHERE withdrawn_on IS NOT NULL
          AND contact_id IN (SELECT contact_id FROM consents GROUP BY contact_id HAVING count(*) = 1) LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .expect("a person who withdrew their consent");
    let (at_demo, who_at_demo) = (demo.initiative(project).await.unwrap(), demo.contact(person).await.unwrap());
    let (there, who_there) = (partner.initiative(project).await.unwrap(), partner.contact(person).await.unwrap());
    let steps = |i: &mestno_core::model::Initiative| {
        i.stages.iter().map(|s| (s.from, s.to, s.on, s.note.clone())).collect::<Vec<_>>()
    };
    let consents = |c: &mestno_core::model::Contact| {
        c.consents.iter().map(|k| (k.id, k.input.clone(), k.withdrawn_on)).collect::<Vec<_>>()
    };
    assert_eq!(
        (there.stage, steps(&there)),
        (at_demo.stage, steps(&at_demo)),
        "the partner has the whole stage history"
    );
    assert_eq!(there.input, at_demo.input);
    assert_eq!(consents(&who_there), consents(&who_at_demo), "the partner has the consent and its withdrawal");
    assert_eq!(who_there.input, who_at_demo.input);

    // The partner moves the project on and corrects the person's address.
    let on = today();
    partner.change_stage(project, there.stamp.rev, Stage::Withdrawn, on, "жители отказались").await.expect("moved");
    let mut corrected = who_there.input.clone();
    corrected.address = "с. Новое, ул. Лесная, 1".to_owned();
    partner.update_contact(person, who_there.stamp.rev, corrected.clone()).await.expect("corrected");

    let back = partner.changes_since(&demo.holdings().await.unwrap(), &all).await.expect("the partner's changes");
    let applied = demo.apply_changes(&back, &all).await.expect("the demo office takes the edits");
    assert_eq!(applied.conflicts, 0, "{:?}", demo.conflicts(true).await);
    assert_eq!(applied.changed.values().sum::<u64>(), 2, "{applied:?}");
    let now = demo.initiative(project).await.unwrap();
    assert_eq!(now.stage, Stage::Withdrawn);
    let mut expected = steps(&at_demo);
    expected.push((Some(Stage::Discussion), Stage::Withdrawn, on, "жители отказались".to_owned()));
    assert_eq!(steps(&now), expected, "the earlier stages stay, the move is added");
    assert_eq!(now.input, at_demo.input, "the rest of the project is as it was");
    let who = demo.contact(person).await.unwrap();
    assert_eq!(who.input, corrected);
    assert_eq!(consents(&who), consents(&who_at_demo), "the consent and its withdrawal stay");
}

/// An office made by an older demo generator, which did not write its records' stage moves and
/// consents as entries of their history: an edit of such a person made elsewhere is kept waiting
/// in «Расхождения», never folded into a person without her consents.
#[tokio::test]
async fn an_older_demo_persons_consents_are_never_folded_away() {
    use mestno_core::store::Scope;
    let (demo, partner, path, _dirs) = demo_and_partner().await;
    let all = Scope::default();
    let db = raw(&path).await;
    let person: uuid::Uuid =
        sqlx::query_scalar("SELECT contact_id FROM consents LIMIT 1").fetch_one(&db).await.unwrap();
    db.close().await;
    // As the older generator left it: the person's consent in its table, not in her history.
    let writable = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(SqliteConnectOptions::new().filename(&path))
        .await
        .expect("the file opens");
    sqlx::query("DELETE FROM history WHERE entity_id = ? AND op = 'update'")
        .bind(person)
        .execute(&writable)
        .await
        .unwrap();
    writable.close().await;
    let before = demo.contact(person).await.unwrap();
    assert!(!before.consents.is_empty());

    let there = partner.contact(person).await.unwrap();
    let mut corrected = there.input.clone();
    corrected.address = "с. Новое, ул. Лесная, 1".to_owned();
    partner.update_contact(person, there.stamp.rev, corrected).await.expect("corrected");
    let back = partner.changes_since(&demo.holdings().await.unwrap(), &all).await.expect("the partner's changes");
    let applied = demo.apply_changes(&back, &all).await.expect("the load itself succeeds");
    assert_eq!(applied.conflicts, 1, "the edit waits in «Расхождения»");
    let after = demo.contact(person).await.unwrap();
    assert_eq!((after.input, after.consents), (before.input, before.consents), "the person is as she was");
}

/// A partner erases a person (152-ФЗ) whose name a demo project carries: its act comes back to
/// the demo office with the project's blanked mention, and the demo office's project does not
/// get her name back from the record as it stood before the erasure.
#[tokio::test]
async fn an_erasure_from_a_partner_takes_a_persons_name_out_of_a_demo_project_for_good() {
    use mestno_core::model::{ErasureBasis, ErasureRequest};
    use mestno_core::store::Scope;
    let (demo, partner, path, _dirs) = demo_and_partner().await;
    let all = Scope::default();
    let db = raw(&path).await;
    // A person whose surname a project's initiator carries.
    let (project, person, surname): (uuid::Uuid, uuid::Uuid, String) = sqlx::query_as(
        "SELECT i.id, c.id, c.last_name FROM initiatives i JOIN contacts c ON c.id = i.initiator_contact_id
          WHERE c.kind = 'person' AND instr(i.initiator_name, c.last_name) > 0 LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .expect("a project named after its initiator");
    let request = ErasureRequest {
        request_number: "ПД-7/2025".into(),
        requested_on: today(),
        reason: "заявление субъекта".into(),
        basis: ErasureBasis::SubjectRequest,
    };
    partner.erase_person(person, request).await.expect("erased at the partner");
    let back = partner.changes_since(&demo.holdings().await.unwrap(), &all).await.unwrap();
    let applied = demo.apply_changes(&back, &all).await.expect("the demo office takes the act");
    assert_eq!(applied.erased, 1, "{applied:?}");
    let now = demo.initiative(project).await.unwrap();
    assert!(!now.input.initiator.name.contains(&surname), "«{}» still names her", now.input.initiator.name);
    assert_eq!(now.input.initiator.contact_id, None);
    assert!(demo.contact(person).await.is_err(), "she is erased here too");
}

/// A demo record edited elsewhere, then edited here, then edited elsewhere again: each office
/// ends with both edits and nothing in «Расхождения». (The demo's create is written without its
/// fields and stands for the record's first values — not for the values it has now, which would
/// read the partner's first edit as one made over a value it never saw.)
#[tokio::test]
async fn a_demo_record_edited_in_turn_by_both_offices_journals_no_conflict() {
    use mestno_core::store::Scope;
    let (demo, partner, path, _dirs) = demo_and_partner().await;
    let db = raw(&path).await;
    let person: uuid::Uuid = sqlx::query_scalar("SELECT id FROM contacts WHERE kind = 'person' LIMIT 1")
        .fetch_one(&db)
        .await
        .expect("a person");
    db.close().await;
    let exchange = |from: &Store, to: &Store| {
        let (from, to) = (from.clone(), to.clone());
        async move {
            let sent = from.changes_since(&to.holdings().await.unwrap(), &Scope::default()).await.unwrap();
            to.apply_changes(&sent, &Scope::default()).await.expect("the package is taken")
        }
    };

    // The partner corrects her address; the demo office takes it.
    let there = partner.contact(person).await.unwrap();
    let mut first = there.input.clone();
    first.address = "с. Новое, ул. Лесная, 1".to_owned();
    partner.update_contact(person, there.stamp.rev, first).await.expect("corrected there");
    let applied = exchange(&partner, &demo).await;
    assert_eq!(applied.conflicts, 0, "{:?}", demo.conflicts(true).await);

    // The demo office corrects the address again, over the partner's.
    let here = demo.contact(person).await.unwrap();
    let mut second = here.input.clone();
    second.address = "с. Новое, ул. Лесная, 3".to_owned();
    demo.update_contact(person, here.stamp.rev, second).await.expect("corrected here");

    // The partner, not yet told, notes something else about her.
    let there = partner.contact(person).await.unwrap();
    let mut third = there.input.clone();
    third.notes = "староста улицы".to_owned();
    partner.update_contact(person, there.stamp.rev, third).await.expect("noted there");

    let at_demo = exchange(&partner, &demo).await;
    let at_partner = exchange(&demo, &partner).await;
    assert_eq!(at_demo.conflicts, 0, "at the demo office: {:?}", demo.conflicts(true).await);
    assert_eq!(at_partner.conflicts, 0, "at the partner: {:?}", partner.conflicts(true).await);
    for office in [&demo, &partner] {
        let now = office.contact(person).await.unwrap();
        assert_eq!(now.input.address, "с. Новое, ул. Лесная, 3", "the later correction stands");
        assert_eq!(now.input.notes, "староста улицы", "and the partner's note");
    }
    assert_eq!(demo.contact(person).await.unwrap().input, partner.contact(person).await.unwrap().input);
}
