use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use mestno_core::model::*;
use mestno_core::money::{FundingSource, Kopecks};
use mestno_core::{FixedClock, Store};

pub struct Office {
    pub store: Store,
    pub clock: Arc<FixedClock>,
    pub _dir: tempfile::TempDir,
}

/// A fresh office database in a temporary folder, on 1 November 2025.
pub async fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2025, 11, 1, 9, 0, 0).unwrap()));
    let store = Store::open(&dir.path().join("office.sqlite"), clock.clone(), "Петрова О. В.").await.unwrap();
    Office { store, clock, _dir: dir }
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub async fn territory(
    store: &Store,
    parent: Option<Id>,
    kind: TerritoryKind,
    name: &str,
    population: &[(i32, i64)],
) -> Id {
    store
        .create_territory(TerritoryInput {
            parent_id: parent,
            kind,
            name: name.into(),
            oktmo: String::new(),
            population: population.iter().map(|&(year, population)| Population { year, population }).collect(),
        })
        .await
        .unwrap()
        .id
}

/// Krai → district → two villages, with population on the villages only.
pub struct Geo {
    pub krai: Id,
    pub district: Id,
    pub berezovka: Id,
    pub elkino: Id,
}

pub async fn geo(store: &Store) -> Geo {
    let krai = territory(store, None, TerritoryKind::Region, "Красноярский край", &[]).await;
    let district = territory(store, Some(krai), TerritoryKind::District, "Абанский район", &[]).await;
    let berezovka =
        territory(store, Some(district), TerritoryKind::Locality, "с. Берёзовка", &[(2024, 1200), (2025, 1180)]).await;
    let elkino =
        territory(store, Some(district), TerritoryKind::Locality, "д. Ёлкино", &[(2024, 300), (2025, 290)]).await;
    Geo { krai, district, berezovka, elkino }
}

/// ППМИ: residents at least 5 %, subsidy at most 1 000 000 roubles.
pub async fn ppmi(store: &Store) -> Id {
    store
        .create_program(ProgramInput {
            code: "ППМИ".into(),
            name: "Программа поддержки местных инициатив".into(),
            kind: ProgramKind::Ppmi,
            description: String::new(),
            rules: CofinancingRules {
                min_residents_share_bp: 500,
                max_subsidy_kopecks: Some(Kopecks::rubles(1_000_000)),
                ..Default::default()
            },
            cycles: vec![ProgramCycle {
                year: 2025,
                applications_open: Some(date("2025-02-01")),
                applications_close: Some(date("2025-03-31")),
                fund_kopecks: None,
            }],
        })
        .await
        .unwrap()
        .id
}

pub fn budget(lines: &[(FundingSource, i64)]) -> Vec<BudgetLine> {
    lines
        .iter()
        .map(|&(source, rub)| BudgetLine {
            source,
            planned: Kopecks::rubles(rub),
            actual: Kopecks::ZERO,
            note: String::new(),
        })
        .collect()
}

/// A water-supply project in Берёзовка: 900 000 regional + 100 000 residents.
pub fn water(territory: Id, program: Option<Id>) -> InitiativeInput {
    let budget = budget(&[(FundingSource::Regional, 900_000), (FundingSource::Residents, 100_000)]);
    InitiativeInput {
        title: "Ремонт водопровода по ул. Лесной".into(),
        description: "Замена 800 м труб".into(),
        object_type: ObjectType::WaterSupply,
        territory_id: territory,
        program_id: program,
        year: 2025,
        initiator: Initiator {
            kind: InitiatorKind::VillageElder,
            name: "Староста с. Берёзовка".into(),
            contact_id: None,
        },
        total_cost: budget.iter().map(|l| l.planned).sum(),
        budget,
        beneficiaries: 640,
        supporters: 210,
        votes: 0,
        implementation: Implementation::default(),
        results: String::new(),
    }
}

pub fn person(last: &str, first: &str, middle: &str, territory: Option<Id>) -> ContactInput {
    ContactInput {
        kind: ContactKind::Person,
        last_name: last.into(),
        first_name: first.into(),
        middle_name: middle.into(),
        org_name: String::new(),
        position: String::new(),
        territory_id: territory,
        address: String::new(),
        notes: String::new(),
        roles: vec![Role::Resident],
        phones: vec![],
        emails: vec![],
        tags: vec![],
    }
}

pub fn event(territory: Id, kind: EventKind, at: &str, headcount: i64, attendees: &[Id]) -> EventInput {
    EventInput {
        kind,
        title: format!("{} в с. Берёзовка", kind.label(mestno_core::Lang::Ru)),
        starts_at: chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap(),
        ends_at: None,
        place: "Дом культуры".into(),
        territory_id: territory,
        headcount,
        attendees: attendees
            .iter()
            .map(|&contact_id| Attendee { contact_id, role: AttendeeRole::Participant })
            .collect(),
        initiative_ids: vec![],
        outcome: String::new(),
        minutes: String::new(),
    }
}

/// Rows in a table, read straight from the file.
pub async fn count(store: &Store, table: &str) -> i64 {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", store.path().display())).await.unwrap();
    let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(&pool).await.unwrap();
    pool.close().await;
    n
}
