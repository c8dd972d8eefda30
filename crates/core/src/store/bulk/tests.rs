use std::sync::Arc;

use chrono::{TimeZone, Utc};

use super::*;
use crate::FixedClock;
use crate::model::{ContactKind, EventKind, Initiator, InitiatorKind, ObjectType, TerritoryInput, TerritoryKind};
use crate::money::Kopecks;

#[test]
fn a_search_trigger_becomes_one_insert_select_over_the_new_rows() {
    let trigger = "CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts(rowid, title, body) VALUES (NEW.rowid, NEW.title, NEW.place);
END";
    assert_eq!(
        fill_statement(trigger, "events").as_deref(),
        Some(
            "INSERT INTO events_fts(rowid, title, body) SELECT NEW.rowid, NEW.title, NEW.place FROM \"events\" AS NEW WHERE NEW.rowid > ?"
        )
    );
    let guard = "CREATE TRIGGER events_no_reuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'x'); END";
    assert_eq!(fill_statement(guard, "events"), None, "only a single insert into a search table is replayed");
}

fn person(last: &str, phone: &str, territory: Id) -> ContactInput {
    ContactInput {
        kind: ContactKind::Person,
        last_name: last.into(),
        first_name: "Анна".into(),
        middle_name: String::new(),
        org_name: String::new(),
        position: String::new(),
        territory_id: Some(territory),
        address: String::new(),
        notes: String::new(),
        roles: vec![],
        phones: vec![phone.into()],
        emails: vec![],
        tags: vec![],
    }
}

async fn office() -> (Store, Id, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2025, 11, 1, 9, 0, 0).unwrap()));
    let store = Store::open(&dir.path().join("o.sqlite"), clock, "тест").await.unwrap();
    let t = store
        .create_territory(TerritoryInput {
            parent_id: None,
            kind: TerritoryKind::Locality,
            name: "с. Берёзовка".into(),
            oktmo: String::new(),
            population: vec![],
        })
        .await
        .unwrap()
        .id;
    (store, t, dir)
}

#[tokio::test]
async fn a_batch_stores_what_the_one_record_functions_store() {
    let (store, t, _dir) = office().await;
    let one = store.create_contact(person("Семёнова", "8 913 555-12-34", t)).await.unwrap();
    let initiative = NewInitiative {
        input: InitiativeInput {
            title: "Ремонт водопровода".into(),
            number: None,
            description: String::new(),
            object_type: ObjectType::WaterSupply,
            territory_id: t,
            program_id: None,
            year: 2025,
            initiator: Initiator {
                kind: InitiatorKind::Tos, name: "ТОС «Заречье»".into(), contact_id: None
            },
            total_cost: Kopecks(100),
            budget: vec![],
            beneficiaries: 10,
            supporters: 0,
            votes: 0,
            implementation: Default::default(),
            results: String::new(),
        },
        stage: Stage::Application,
        stage_on: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
        meeting: None,
    };
    let event = EventInput {
        kind: EventKind::CitizensGathering,
        title: "Сход по водопроводу".into(),
        starts_at: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap().and_hms_opt(18, 0, 0).unwrap(),
        ends_at: None,
        place: "клуб".into(),
        territory_id: t,
        headcount: 40,
        attendees: vec![crate::model::Attendee { contact_id: one.id, role: crate::model::AttendeeRole::Speaker }],
        initiative_ids: vec![],
        outcome: String::new(),
        minutes: String::new(),
    };
    let batch = Batch {
        territories: vec![],
        contacts: vec![NewContact { input: person("Семёнова", "+7 (913) 555-12-35", t), consent: None }],
        initiatives: vec![initiative.clone()],
        events: vec![event.clone()],
        updates: vec![],
    };
    let ids = store.insert_batch(batch, "список.xlsx", &|_| {}).await.unwrap();
    let two = store.contact(ids.contacts[0]).await.unwrap();
    assert_eq!(two.input.phones, vec!["+79135551235"], "phones are normalised as create_contact does");
    assert_eq!((two.display_name.as_str(), two.stamp.rev), (one.display_name.as_str(), 1));
    let stored = store.initiative(ids.initiatives[0]).await.unwrap();
    assert_eq!((stored.input, stored.stage, stored.stages.len()), (initiative.input, Stage::Application, 1));
    assert_eq!(store.event(ids.events[0]).await.unwrap().input, event);
    let history = store.history(ids.contacts[0]).await.unwrap();
    assert_eq!(history[0].changes["imported_from"]["new"], "список.xlsx");
    assert_eq!(history[0].actor, "тест");
    assert_eq!(store.search("семенова", 10).await.unwrap().len(), 2, "both are in the search index");
    assert!(store.check().await.unwrap().ok);
}

#[tokio::test]
async fn one_bad_record_and_nothing_of_the_batch_is_written() {
    let (store, t, _dir) = office().await;
    let good: Vec<NewContact> = (0..600)
        .map(|i| NewContact { input: person(&format!("Житель{i}"), "89130000000", t), consent: None })
        .collect();
    let mut batch = Batch { contacts: good, ..Default::default() };
    batch.contacts[599].input.phones = vec!["2-12-34".into()];
    let err = store.insert_batch(batch, "f.csv", &|_| {}).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "contacts[599].phones[0]", "the error names the record and field");
    let stored = store.list_contacts(&crate::store::ContactQuery { limit: 1, ..Default::default() }).await.unwrap();
    assert_eq!(stored.total, 0, "not one of the 599 good contacts was written");
    assert!(store.check().await.unwrap().ok, "the search trigger set aside for the batch is back");
    let after = store.create_contact(person("Новиков", "89130000001", t)).await.unwrap();
    assert_eq!(store.search("новиков", 5).await.unwrap()[0].id, after.id, "and indexes new contacts again");
}

/// Every index and trigger, as `sqlite_master` keeps them.
async fn schema(store: &Store) -> Vec<(String, String)> {
    sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .fetch_all(store.reader())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_first_import_into_an_empty_office_builds_its_indexes_back_and_the_next_one_finds_its_rows() {
    let (store, t, _dir) = office().await;
    let before = schema(&store).await;
    let many = |from: usize| Batch {
        territories: vec![],
        contacts: (from..from + 600)
            .map(|k| NewContact {
                input: person(&format!("Жителева{k}"), &format!("+7 913 {k:07}"), t), consent: None
            })
            .collect(),
        initiatives: vec![],
        events: vec![],
        updates: vec![],
    };
    let first = store.insert_batch(many(100), "жители.xlsx", &|_| {}).await.unwrap();
    assert_eq!(schema(&store).await, before, "every index and search trigger is back, byte for byte");
    assert_eq!(store.search("жителева350", 5).await.unwrap().len(), 1, "the new rows are in the search index");
    assert_eq!(store.history(first.contacts[0]).await.unwrap().len(), 1, "and their history");

    // The second import goes row by row into the indexes, and finds what the first one wrote.
    let second = store.insert_batch(many(700), "ещё жители.xlsx", &|_| {}).await.unwrap();
    assert_eq!(schema(&store).await, before);
    assert_eq!(store.search("жителева1000", 5).await.unwrap().len(), 1);
    assert_eq!(store.search("8 913 000-01-00", 5).await.unwrap().len(), 1, "a phone of the first, found by its index");
    assert_eq!(store.history(second.contacts[599]).await.unwrap().len(), 1);
    assert!(store.check().await.unwrap().ok, "indexes agree with their tables");
}

#[tokio::test]
async fn an_import_larger_than_what_the_office_holds_builds_the_indexes_again_and_keeps_all_or_nothing() {
    let (store, t, _dir) = office().await;
    let people = |from: usize, n: usize| Batch {
        territories: vec![],
        contacts: (from..from + n)
            .map(|k| NewContact {
                input: person(&format!("Старожилова{k}"), &format!("+7 913 {k:07}"), t),
                consent: None,
            })
            .collect(),
        initiatives: vec![],
        events: vec![],
        updates: vec![],
    };
    store.insert_batch(people(0, 300), "старожилы.xlsx", &|_| {}).await.unwrap();
    let before = schema(&store).await;
    // 300 stored, 2 000 coming: the contacts' indexes are built again rather than filled row by row.
    let mut failing = people(1_000, 2_000);
    failing.contacts[1_999].input.territory_id = Some(Id::now_v7());
    assert!(store.insert_batch(failing, "с ошибкой.xlsx", &|_| {}).await.is_err(), "a bad record refuses the batch");
    assert_eq!(schema(&store).await, before, "a refused batch leaves every index and trigger as it was");
    assert_eq!(store.search("старожилова1500", 5).await.unwrap().len(), 0, "and none of its rows");
    let added = store.insert_batch(people(1_000, 2_000), "новые.xlsx", &|_| {}).await.unwrap();
    assert_eq!(schema(&store).await, before, "every index is back, byte for byte");
    assert_eq!(store.search("старожилова1500", 5).await.unwrap().len(), 1, "the new rows are in the search index");
    assert_eq!(store.search("старожилова42", 5).await.unwrap().len(), 1, "and the old ones still are");
    assert_eq!(store.search("8 913 000-02-50", 5).await.unwrap().len(), 1, "an old phone, found by its rebuilt index");
    assert_eq!(store.history(added.contacts[1_999]).await.unwrap().len(), 1, "the history of the new ones");
    assert!(store.check().await.unwrap().ok, "indexes agree with their tables");
}

#[tokio::test]
async fn territories_named_by_a_file_and_the_meetings_that_chose_its_projects_are_written_with_them() {
    use crate::store::NewTerritory;
    let (store, _t, _dir) = office().await;
    let (district, village) = (store.new_id(), store.new_id());
    let territory = |parent, kind, name: &str| TerritoryInput {
        parent_id: parent,
        kind,
        name: name.into(),
        oktmo: String::new(),
        population: vec![],
    };
    let on = NaiveDate::from_ymd_opt(2025, 2, 10).unwrap();
    let meeting = EventInput {
        kind: EventKind::CitizensGathering,
        title: "Собрание граждан: колодец".into(),
        starts_at: on.and_hms_opt(0, 0, 0).unwrap(),
        ends_at: None,
        place: String::new(),
        territory_id: village,
        headcount: 57,
        attendees: vec![],
        initiative_ids: vec![],
        outcome: String::new(),
        minutes: String::new(),
    };
    let initiative = NewInitiative {
        input: InitiativeInput {
            title: "Колодец на ул. Лесной".into(),
            number: None,
            description: String::new(),
            object_type: ObjectType::WaterSupply,
            territory_id: village,
            program_id: None,
            year: 2025,
            initiator: Initiator {
                kind: InitiatorKind::InitiativeGroup, name: "жители".into(), contact_id: None
            },
            total_cost: Kopecks(100),
            budget: vec![],
            beneficiaries: 0,
            supporters: 0,
            votes: 0,
            implementation: Default::default(),
            results: String::new(),
        },
        stage: Stage::Application,
        stage_on: on,
        meeting: Some(meeting),
    };
    let batch = Batch {
        territories: vec![
            NewTerritory { id: district, input: territory(None, TerritoryKind::District, "Манский район") },
            NewTerritory {
                id: village, input: territory(Some(district), TerritoryKind::Locality, "с. Новосёлово")
            },
        ],
        initiatives: vec![initiative],
        ..Default::default()
    };
    let ids = store.insert_batch(batch, "реестр.xlsx", &|_| {}).await.unwrap();
    let stored = store.territory(village).await.unwrap();
    assert_eq!((stored.input.name.as_str(), stored.input.parent_id), ("с. Новосёлово", Some(district)));
    let history = store.history(village).await.unwrap();
    assert_eq!(history[0].changes["imported_from"]["new"], "реестр.xlsx", "the new territory says where it came from");
    assert_eq!(ids.events.len(), 1, "the meeting is an event of its own");
    let event = store.event(ids.events[0]).await.unwrap();
    assert_eq!(
        (event.input.headcount, event.input.initiative_ids.clone()),
        (57, vec![ids.initiatives[0]]),
        "with its headcount, linked to the initiative it chose"
    );
    assert!(store.check().await.unwrap().ok);
}

#[tokio::test]
async fn a_new_territory_under_a_parent_nobody_has_is_refused_and_nothing_is_written() {
    use crate::store::NewTerritory;
    let (store, _t, _dir) = office().await;
    let before = store.territories().await.unwrap().len();
    let orphan = TerritoryInput {
        parent_id: Some(store.new_id()),
        kind: TerritoryKind::Locality,
        name: "д. Нигде".into(),
        oktmo: String::new(),
        population: vec![],
    };
    let batch = Batch { territories: vec![NewTerritory { id: store.new_id(), input: orphan }], ..Default::default() };
    let err = store.insert_batch(batch, "f.xlsx", &|_| {}).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "territories[0].parent_id");
    assert_eq!(store.territories().await.unwrap().len(), before, "nothing was added");
}

/// A large write bounds the writer's cache and holds back the log's checkpoint only while it
/// runs: the writer has both settings back after it, whether it was written or refused, and the
/// log it wrote is copied into the file after it, without waiting for another write.
#[tokio::test]
async fn a_large_write_gives_the_writer_its_settings_back_and_its_log_is_copied_into_the_file_after() {
    let (store, t, _dir) = office().await;
    let pragma = |name: &'static str| {
        let store = store.clone();
        async move { sqlx::query_scalar::<_, i64>(&format!("PRAGMA {name}")).fetch_one(store.writer()).await.unwrap() }
    };
    let (cache, checkpoint) = (pragma("cache_size").await, pragma("wal_autocheckpoint").await);
    assert_eq!(checkpoint, 1000, "SQLite's own default");
    let contacts = |n: usize| -> Vec<NewContact> {
        (0..n)
            .map(|i| NewContact {
                input: person(&format!("Житель{i}"), &format!("+7913{i:07}"), t), consent: None
            })
            .collect()
    };
    store.insert_batch(Batch { contacts: contacts(600), ..Default::default() }, "список.xlsx", &|_| {}).await.unwrap();
    assert_eq!((pragma("cache_size").await, pragma("wal_autocheckpoint").await), (cache, checkpoint));

    // The file grows to hold every page once the log is copied into it.
    let pages: i64 = sqlx::query_scalar("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")
        .fetch_one(store.reader())
        .await
        .unwrap();
    let mut copied = false;
    for _ in 0..200 {
        if std::fs::metadata(store.path()).unwrap().len() >= pages as u64 {
            copied = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(copied, "the log was copied into the file after the write, {pages} bytes");

    let mut bad = contacts(600);
    bad[599].input.last_name.clear();
    bad[599].input.first_name.clear();
    assert!(store.insert_batch(Batch { contacts: bad, ..Default::default() }, "список.xlsx", &|_| {}).await.is_err());
    assert_eq!((pragma("cache_size").await, pragma("wal_autocheckpoint").await), (cache, checkpoint));
    let held: i64 = sqlx::query_scalar("SELECT count(*) FROM contacts").fetch_one(store.reader()).await.unwrap();
    assert_eq!(held, 600, "the refused batch wrote nothing");
}

/// Two large writes at once (an import while a package loads) each find the writer's settings
/// as they are between large writes, and leave them so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_writes_at_once_leave_the_writers_settings_as_they_were() {
    let (store, t, _dir) = office().await;
    let pragma = |name: &'static str| {
        let store = store.clone();
        async move { sqlx::query_scalar::<_, i64>(&format!("PRAGMA {name}")).fetch_one(store.writer()).await.unwrap() }
    };
    let settings = (pragma("cache_size").await, pragma("wal_autocheckpoint").await);
    let batch = |from: usize| Batch {
        contacts: (from..from + 2_000)
            .map(|i| NewContact {
                input: person(&format!("Житель{i}"), &format!("+7913{i:07}"), t), consent: None
            })
            .collect(),
        ..Default::default()
    };
    let first = {
        let store = store.clone();
        let batch = batch(0);
        tokio::spawn(async move { store.insert_batch(batch, "первый.xlsx", &|_| {}).await.unwrap() })
    };
    // The second starts while the first is writing, and waits for the one writer connection.
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    store.insert_batch(batch(2_000), "второй.xlsx", &|_| {}).await.unwrap();
    first.await.unwrap();
    assert_eq!((pragma("cache_size").await, pragma("wal_autocheckpoint").await), settings);
}
