//! What the server's tests share: the PostgreSQL that scripts/pg-test.sh starts (a database of
//! its own for each test), offices with data.
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use mestno_core::model::*;
use mestno_core::money::Kopecks;
use mestno_core::store::Batch;
use mestno_core::{Store, SystemClock};
use mestno_server::{Invitation, add_office};
use sqlx::Connection;
use sqlx::postgres::PgConnection;

/// The server the tests use.
pub struct Pg {
    /// The superuser's URL of a database of this test's own.
    pub url: String,
    /// The CA certificate (PEM).
    pub ca: String,
    /// Another CA's certificate.
    pub wrong_ca: String,
}

/// The test server, or `None` (the test passes, saying it did not run) when there is none —
/// unless MESTNO_PG_REQUIRED=1 (scripts/pg-test.sh, CI), where a missing server fails the test.
pub async fn pg() -> Option<Pg> {
    let Ok(url) = std::env::var("MESTNO_PG_URL") else {
        if std::env::var("MESTNO_PG_REQUIRED").is_ok_and(|v| v == "1") {
            panic!("MESTNO_PG_REQUIRED=1 but MESTNO_PG_URL is not set: run scripts/pg-test.sh");
        }
        eprintln!("SKIPPED: no PostgreSQL (MESTNO_PG_URL); run scripts/pg-test.sh");
        return None;
    };
    let read = |var: &str| std::fs::read_to_string(std::env::var(var).expect(var)).expect(var);
    let db = format!("mestno_t_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&url).await.expect("the test server");
    sqlx::query(&format!("CREATE DATABASE {db}")).execute(&mut admin).await.unwrap();
    let url = url.replacen("/postgres?", &format!("/{db}?"), 1);
    let pg = Pg { url, ca: read("MESTNO_PG_CA"), wrong_ca: read("MESTNO_PG_WRONG_CA") };
    // Roles are the cluster's: one init at a time.
    static INIT: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _one = INIT.lock().await;
    mestno_server::init(&pg.url, &pg.ca, None).await.expect("init");
    Some(pg)
}

/// The superuser's connection to the test's database.
pub async fn admin(pg: &Pg) -> PgConnection {
    PgConnection::connect(&pg.url).await.unwrap()
}

/// An office database.
pub async fn office(dir: &Path, name: &str) -> Store {
    Store::open(&dir.join(format!("{name}.sqlite")), Arc::new(SystemClock), name).await.unwrap()
}

/// A territory.
pub async fn territory(store: &Store, parent: Option<Id>, kind: TerritoryKind, name: &str) -> Id {
    store
        .create_territory(TerritoryInput {
            parent_id: parent,
            kind,
            name: name.into(),
            oktmo: String::new(),
            population: vec![],
        })
        .await
        .unwrap()
        .id
}

/// A person living in `territory`: Журавлёва Ольга Ивановна, with no phone.
pub fn person(territory: Id) -> ContactInput {
    ContactInput {
        last_name: "Журавлёва".into(),
        first_name: "Ольга".into(),
        middle_name: "Ивановна".into(),
        phones: vec![],
        ..mestno_demo::samples::resident(territory, 0, "")
    }
}

/// Журавлёва Ольга Ивановна ([`person`]) with the phone +7 913 555-77-88, entered by the
/// district in settlement A and synced to A: an office that knows her, and one that made her.
pub async fn olga_in_a(s: &District) -> Contact {
    let mut input = person(s.a_id);
    input.phones = vec!["+7 913 555-77-88".into()];
    let olga = s.district.create_contact(input).await.unwrap();
    mestno_server::sync(&s.district, &s.d_inv).await.unwrap();
    mestno_server::sync(&s.a, &s.a_inv).await.unwrap();
    olga
}

/// A person's request to be erased under 152-ФЗ, numbered `number`.
pub fn erasure_request(number: &str) -> ErasureRequest {
    ErasureRequest {
        request_number: number.into(),
        requested_on: day(),
        reason: "заявление субъекта".into(),
        basis: ErasureBasis::SubjectRequest,
    }
}

/// `n` people living in `territory`.
pub fn people(territory: Id, n: usize, tag: &str) -> Batch {
    mestno_demo::samples::settlement(territory, n, 0, tag)
}

/// Adds `n` people to `store` in `territory`.
pub async fn add_people(store: &Store, territory: Id, n: usize, tag: &str) {
    store.insert_batch(people(territory, n, tag), "тест", &|_| {}).await.unwrap();
}

/// A project in `territory`: 900 000 ₽ from the region, 100 000 ₽ from the residents.
pub fn project(territory: Id, title: &str) -> InitiativeInput {
    mestno_demo::samples::project(territory, title, Kopecks::rubles(900_000))
}

/// A day of 2025.
pub fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
}

/// How many changes `store` holds.
pub async fn changes(store: &Store) -> u64 {
    store.count_changes_since(&Default::default()).await.unwrap()
}

/// A district with two settlements, whose offices each have an invitation of their own.
pub struct District {
    /// The offices' folder, kept as long as they are.
    pub dir: tempfile::TempDir,
    pub district: Store,
    pub a: Store,
    pub b: Store,
    pub d_inv: Invitation,
    pub a_inv: Invitation,
    pub b_inv: Invitation,
    pub d_id: Id,
    pub a_id: Id,
    pub b_id: Id,
}

/// Its territories made in the district's office; the settlements' offices start empty.
pub async fn district(pg: &Pg) -> District {
    let dir = tempfile::tempdir().unwrap();
    let district = office(dir.path(), "district").await;
    let d_id = territory(&district, None, TerritoryKind::District, "Абанский район").await;
    let a_id = territory(&district, Some(d_id), TerritoryKind::RuralSettlement, "Берёзовский сельсовет").await;
    let b_id = territory(&district, Some(d_id), TerritoryKind::RuralSettlement, "Долгомостовский сельсовет").await;
    let d_inv = add_office(&pg.url, d_id, "Администрация района").await.unwrap();
    let a_inv = add_office(&pg.url, a_id, "Берёзовка").await.unwrap();
    let b_inv = add_office(&pg.url, b_id, "Долгий Мост").await.unwrap();
    let a = office(dir.path(), "a").await;
    let b = office(dir.path(), "b").await;
    District { dir, district, a, b, d_inv, a_inv, b_inv, d_id, a_id, b_id }
}
