use std::path::Path;

use mestno_core::store::{ContactQuery, EventQuery, InitiativeQuery};
use mestno_core::vault::{self, Protection};
use mestno_core::{Access, ErrorCode, Store};
use sqlx::Connection;

use crate::util::*;

/// Rows of every table of an unencrypted file, read straight from it.
async fn plain_rows(db: &Path) -> Vec<(String, i64)> {
    // SQLite is set up before any thread starts it (see mestno_core::route_sqlite).
    mestno_core::route_sqlite();
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0 ORDER BY name")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    let mut rows = Vec::new();
    for t in tables {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM \"{t}\"")).fetch_one(&mut conn).await.unwrap();
        rows.push((t, n));
    }
    conn.close().await.unwrap();
    rows
}

/// An office with rows in every table it keeps records in: a program and its rounds, a village
/// and its population, 300 contacts with their roles, phones, e-mails, tags and consents, 60
/// initiatives with their budgets and stages, 120 events with their attendees and initiatives,
/// and appeals — with the history of each.
async fn fill(store: &Store) {
    use mestno_core::model::*;
    use mestno_core::money::{FundingSource, Kopecks};
    use mestno_core::store::{Batch, NewContact, NewInitiative};
    let on = |month: u32, day: u32| chrono::NaiveDate::from_ymd_opt(2024, month, day).unwrap();
    let rounds = vec![ProgramCycle {
        year: 2024,
        applications_open: Some(on(2, 1)),
        applications_close: Some(on(4, 1)),
        fund_kopecks: Some(Kopecks::rubles(10_000_000)),
    }];
    let program = ProgramInput {
        code: "ППМИ".into(),
        name: "Программа поддержки местных инициатив".into(),
        kind: ProgramKind::Ppmi,
        description: String::new(),
        rules: CofinancingRules::default(),
        cycles: rounds,
    };
    let program = store.create_program(program).await.unwrap().id;
    let village = TerritoryInput {
        parent_id: None,
        kind: TerritoryKind::Locality,
        name: "с. Ярцево".into(),
        oktmo: String::new(),
        population: (2019..=2024).map(|year| Population { year, population: 900 }).collect(),
    };
    let t = store.create_territory(village).await.unwrap().id;
    let consent = ConsentInput {
        purpose: "участие в инициативном бюджетировании".into(),
        given_on: on(1, 15),
        method: ConsentMethod::Written,
        expires_on: None,
    };
    let contacts = (0..300)
        .map(|i| NewContact {
            input: ContactInput {
                kind: ContactKind::Person,
                last_name: format!("Житель{i}"),
                first_name: "Иван".into(),
                middle_name: String::new(),
                org_name: String::new(),
                position: String::new(),
                territory_id: Some(t),
                address: format!("с. Ярцево, ул. Лесная, д. {i}"),
                notes: String::new(),
                roles: vec![Role::Resident],
                phones: vec![format!("+7913{:07}", i)],
                emails: vec![format!("zhitel{i}@mail.ru")],
                tags: vec!["актив".into()],
            },
            consent: Some(consent.clone()),
        })
        .collect();
    let line = |source, rubles| BudgetLine {
        source,
        planned: Kopecks::rubles(rubles),
        actual: Kopecks::ZERO,
        note: String::new(),
    };
    let initiatives = (0..60)
        .map(|i| NewInitiative {
            input: InitiativeInput {
                title: format!("Ремонт дороги по ул. Лесной, участок {i}"),
                number: None,
                description: String::new(),
                object_type: ObjectType::Roads,
                territory_id: t,
                program_id: Some(program),
                year: 2024,
                initiator: Initiator {
                    kind: InitiatorKind::InitiativeGroup, name: "Жители".into(), contact_id: None
                },
                total_cost: Kopecks::rubles(1_000_000),
                budget: vec![line(FundingSource::Regional, 900_000), line(FundingSource::Residents, 100_000)],
                beneficiaries: 100,
                supporters: 0,
                votes: 0,
                implementation: Implementation::default(),
                results: String::new(),
            },
            stage: Stage::Idea,
            stage_on: on(1, 20),
            meeting: None,
        })
        .collect();
    let batch = Batch { contacts, initiatives, ..Default::default() };
    let ids = store.insert_batch(batch, "список.xlsx", &|_| {}).await.unwrap();
    let events = (0..120)
        .map(|i| EventInput {
            kind: EventKind::CitizensGathering,
            title: format!("Сход граждан № {i}"),
            starts_at: on(3, 1).and_hms_opt(18, 0, 0).unwrap(),
            ends_at: None,
            place: "Дом культуры".into(),
            territory_id: t,
            headcount: 40,
            attendees: ids.contacts[i..i + 10]
                .iter()
                .map(|&contact_id| Attendee { contact_id, role: AttendeeRole::Participant })
                .collect(),
            initiative_ids: vec![ids.initiatives[i % 60]],
            outcome: String::new(),
            minutes: String::new(),
        })
        .collect();
    store.insert_batch(Batch { events, ..Default::default() }, "сходы.xlsx", &|_| {}).await.unwrap();
    for i in 0..20 {
        let appeal = AppealInput {
            received_on: on(1, 10),
            channel: AppealChannel::Letter,
            author_contact_id: Some(ids.contacts[i]),
            territory_id: Some(t),
            text: format!("Просим отремонтировать дорогу по ул. Лесной, дом {i}"),
            status: AppealStatus::New,
        };
        store.create_appeal(appeal).await.unwrap();
    }
}

/// What a person sees of the office: the totals of its lists.
async fn totals(store: &Store) -> [i64; 3] {
    [
        store.list_contacts(&ContactQuery::default()).await.unwrap().total,
        store.list_initiatives(&InitiativeQuery::default()).await.unwrap().total,
        store.list_events(&EventQuery::default()).await.unwrap().total,
    ]
}

#[tokio::test]
async fn an_unencrypted_office_is_encrypted_in_place_with_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let store = open(&db, Access::Plain).await.unwrap();
    fill(&store).await;
    let id = add_person(&store).await;
    let person = store.contact(id).await.unwrap();
    let stats = store.stats(&Default::default()).await.unwrap();
    let history = store.history(id).await.unwrap();
    let lists = totals(&store).await;
    store.close().await;
    let rows = plain_rows(&db).await;
    assert!(holds(&db, NAME), "the yardstick: readable before");
    assert_eq!(vault::protection(&db).unwrap(), Protection::Plain);

    let computer = Computer::default();
    let unlocked = vault::unlock(&db, &computer.unlock()).await.unwrap();
    let report = unlocked.encrypted.clone().expect("it was encrypted");
    assert_eq!(report.tables, rows.len(), "every table");
    assert_eq!(report.rows, rows.iter().map(|(_, n)| n).sum::<i64>(), "every row, counted again in the copy");
    assert!(report.rows > 1000, "a real office: {report:?}");
    assert_no_plaintext(&db);
    assert_eq!(files_of(&db), std::slice::from_ref(&db), "no log of the unencrypted file survives");
    assert!(!dir.path().join("office.sqlite.encrypting").exists(), "the copy took the database's place");
    assert_eq!(vault::protection(&db).unwrap(), Protection::Keyring);

    let store = open(&db, Access::Key(unlocked.key)).await.unwrap();
    assert_eq!(store.contact(id).await.unwrap(), person, "the record, field for field");
    assert_eq!(store.history(id).await.unwrap(), history, "and its history");
    assert_eq!(store.stats(&Default::default()).await.unwrap(), stats, "the same figures");
    assert_eq!(totals(&store).await, lists, "the same lists");
    assert!(store.check().await.unwrap().ok, "whole, search indexes included");
    store.close().await;

    let again = vault::unlock(&db, &computer.unlock()).await.unwrap();
    assert!(again.encrypted.is_none() && !again.created, "encrypted once");
}

#[tokio::test]
async fn an_office_open_elsewhere_is_not_encrypted_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let other = open(&db, Access::Plain).await.unwrap();
    add_person(&other).await;
    let computer = Computer::default();
    let e = vault::unlock(&db, &computer.unlock()).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Refused);
    assert!(e.to_string().contains("открыта в другой программе"), "{e}");
    assert_eq!(header(&db), b"SQLite format 3\0", "left as it was");
    assert!(!vault::key_file_path(&db).exists() && computer.keys() == 0, "no key made for it");
    assert_eq!(other.search("семёнова", 5).await.unwrap().len(), 1, "the other program goes on");
    other.close().await;

    let store = unlock_and_open(&db, &computer.unlock()).await;
    assert_eq!(store.search("семёнова", 5).await.unwrap().len(), 1, "once it is closed, it is encrypted");
    store.close().await;
    assert_no_plaintext(&db);
}

#[tokio::test]
async fn another_programs_database_is_not_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("accounting.sqlite");
    // SQLite is set up before any thread starts it (see mestno_core::route_sqlite).
    mestno_core::route_sqlite();
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", db.display())).await.unwrap();
    sqlx::query("CREATE TABLE ledger(x); INSERT INTO ledger VALUES ('Семёнова Анна Петровна')")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let before = std::fs::read(&db).unwrap();
    let computer = Computer::default();
    let e = vault::unlock(&db, &computer.unlock()).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Refused);
    assert!(e.to_string().contains("другой программы"), "{e}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(computer.keys(), 0);
}

#[tokio::test]
async fn what_a_crash_half_way_leaves_is_encrypted_on_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let store = open(&db, Access::Plain).await.unwrap();
    let id = add_person(&store).await;
    store.close().await;
    // A crash before the rename leaves the unencrypted database whole, with at worst a
    // half-written encrypted copy beside it and the key file already written.
    std::fs::write(dir.path().join("office.sqlite.encrypting"), vec![0x5au8; 10_000]).unwrap();
    std::fs::write(vault::key_file_path(&db), "{\"left\": \"by a crash\"}").unwrap();
    assert_eq!(vault::protection(&db).unwrap(), Protection::Plain, "the file decides, not a key file");

    let store = unlock_and_open(&db, &password("пароль проектного офиса")).await;
    assert_eq!(store.contact(id).await.unwrap().input.last_name, "Семёнова");
    store.close().await;
    assert_no_plaintext(&db);
    assert!(!dir.path().join("office.sqlite.encrypting").exists());
    assert_eq!(vault::protection(&db).unwrap(), Protection::Passphrase);
}
