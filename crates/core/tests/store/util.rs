use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use mestno_core::model::*;
use mestno_core::money::{FundingSource, Kopecks};
use mestno_core::{Entity, FixedClock, Store};

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
        number: None,
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

/// Семёнова Анна Петровна and everything an office may hold about her, with a husband and a
/// neighbour who must survive her erasure.
pub struct Semenova {
    pub anna: Id,
    pub husband: Id,
    pub boris: Id,
    /// The water-supply project she put forward (its stage note names her).
    pub water: Id,
    /// A project whose initiator is written as her name, with no link to her record.
    pub memorial: Id,
    /// The gathering she attended as initiator; its minutes and outcome name her.
    pub gathering: Id,
    /// The subbotnik she attended.
    pub subbotnik: Id,
    /// The appeal she wrote, signed with her name and e-mail.
    pub appeal: Id,
    /// A scan attached to her alone.
    pub own_file: String,
    /// A scan attached to her and to the gathering.
    pub shared_file: String,
}

/// Writes the office of [`Semenova`] (territories from [`geo`]).
pub async fn semenova(o: &Office) -> Semenova {
    let s = &o.store;
    let g = geo(s).await;
    let mut input = person("Семёнова", "Анна", "Петровна", Some(g.berezovka));
    input.roles = vec![Role::VillageElder];
    input.phones = vec!["+7 913 555-12-34".into()];
    input.emails = vec!["Anna@Mail.ru".into()];
    input.address = "с. Берёзовка, ул. Лесная, д. 5".into();
    input.notes = "Староста с 2019 года, звонить после 18:00".into();
    input.tags = vec!["актив".into()];
    let anna = s.create_contact(input).await.unwrap().id;
    let consent = ConsentInput {
        purpose: "участие в ППМИ".into(),
        given_on: date("2024-03-01"),
        method: ConsentMethod::Written,
        expires_on: Some(date("2027-03-01")),
    };
    s.add_consent(anna, consent).await.unwrap();
    let husband = s.create_contact(person("Семёнов", "Пётр", "Ильич", Some(g.berezovka))).await.unwrap().id;
    let mut b = person("Борисов", "Борис", "", Some(g.elkino));
    b.phones = vec!["89130000000".into()];
    let boris = s.create_contact(b).await.unwrap().id;

    let mut w = water(g.berezovka, None);
    w.initiator =
        Initiator {
            kind: InitiatorKind::VillageElder, name: "Семёнова Анна Петровна".into(), contact_id: Some(anna)
        };
    let supply = s.create_initiative(w, Stage::Idea, date("2025-03-01")).await.unwrap();
    s.change_stage(supply.id, supply.stamp.rev, Stage::Discussion, date("2025-03-10"), "по заявлению Семёновой А.П.")
        .await
        .unwrap();
    let mut m = water(g.elkino, None);
    m.title = "Памятник землякам".into();
    m.object_type = ObjectType::Memorials;
    m.initiator = Initiator { kind: InitiatorKind::Resident, name: "Семёнова А.П.".into(), contact_id: None };
    let memorial = s.create_initiative(m, Stage::Idea, date("2025-04-01")).await.unwrap().id;

    let mut e = event(g.berezovka, EventKind::CitizensGathering, "2025-03-05 18:00", 120, &[anna, boris]);
    e.attendees[0].role = AttendeeRole::Initiator;
    e.initiative_ids = vec![supply.id];
    e.outcome = "Поддержать проект; ответственная — Семёнова Анна Петровна".into();
    e.minutes = "Слушали: староста Семёнова А.П. о ремонте водопровода. Тел. для связи 8 (913) 555-12-34.".into();
    let gathering = s.create_event(e).await.unwrap();
    let mut edited = gathering.input.clone();
    edited.minutes.push_str(" Решили: поддержать, Семёновой собрать подписи до 1 апреля.");
    s.update_event(gathering.id, gathering.stamp.rev, edited).await.unwrap();
    let subbotnik =
        s.create_event(event(g.elkino, EventKind::Subbotnik, "2025-05-10 10:00", 35, &[anna])).await.unwrap().id;
    let appeal = s
        .create_appeal(AppealInput {
            received_on: date("2025-02-20"),
            channel: AppealChannel::Letter,
            author_contact_id: Some(anna),
            territory_id: Some(g.berezovka),
            text: "Прошу включить ремонт водопровода по ул. Лесной в ППМИ. Семёнова А.П., anna@mail.ru".into(),
            status: AppealStatus::New,
        })
        .await
        .unwrap()
        .id;

    let scan = |name: &str, content: &[u8]| {
        let path = o._dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        path
    };
    let own = scan("согласие Семёновой.pdf", b"the signed consent, scanned");
    let own_file = s.attach_file(Entity::Contact, anna, &own).await.unwrap().sha256;
    let shared = scan("протокол схода.pdf", b"the gathering's minutes, scanned");
    let shared_file = s.attach_file(Entity::Contact, anna, &shared).await.unwrap().sha256;
    s.attach_file(Entity::Event, gathering.id, &shared).await.unwrap();
    Semenova {
        anna,
        husband,
        boris,
        water: supply.id,
        memorial,
        gathering: gathering.id,
        subbotnik,
        appeal,
        own_file,
        shared_file,
    }
}
