//! A hand-built office whose every figure is known, the small demo office, and reading a
//! written report back with calamine.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use calamine::{Data, DataType, Range, Reader, Xlsx, open_workbook};
use chrono::{NaiveDate, TimeZone, Utc};
use mestno_core::model::*;
use mestno_core::money::{FundingSource, Kopecks};
use mestno_core::{FixedClock, Store};
use mestno_demo::{self as demo, DemoSpec, Scale};
use mestno_reports::{ReportKind, ReportRequest, write_report};

pub fn date(s: &str) -> NaiveDate {
    s.parse().expect("a date written as YYYY-MM-DD")
}

/// The day every test office exports on.
pub const TODAY: &str = "2025-11-01";

pub struct Office {
    pub store: Store,
    pub dir: tempfile::TempDir,
    pub ids: Ids,
}

/// The hand-built office's records.
#[derive(Default)]
#[allow(dead_code)] // each test module uses the ones it needs
pub struct Ids {
    pub krai: Id,
    pub abansky: Id,
    pub berezovka: Id,
    pub elkino: Id,
    pub boguchany: Id,
    pub angarsky: Id,
    pub ppmi: Id,
    pub water: Id,
    pub anna: Id,
    pub olga: Id,
}

async fn open(dir: &tempfile::TempDir) -> Store {
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2025, 11, 1, 9, 0, 0).unwrap()));
    let store = Store::open(&dir.path().join("office.sqlite"), clock, "Петрова О. В.").await.unwrap();
    let profile = OfficeProfile {
        name: "Проектный офис Абанского района".into(), ..Default::default()
    };
    store.save_office_profile(&profile).await.unwrap();
    store
}

/// Gives the office its address, as the window's settings or `mestno init --address` do.
pub async fn set_address(store: &Store, address: &str) {
    let profile = OfficeProfile { address: address.into(), ..store.office_profile().await.unwrap() };
    store.save_office_profile(&profile).await.unwrap();
}

/// The small demo office (three districts, sixty initiatives, three hundred contacts).
pub async fn demo_office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    demo::generate(&store, DemoSpec { scale: Scale::Small, seed: 7 }, &|_| {}).await.unwrap();
    Office { store, dir, ids: Ids::default() }
}

async fn territory(s: &Store, parent: Option<Id>, kind: TerritoryKind, name: &str, population: &[(i32, i64)]) -> Id {
    let population = population.iter().map(|&(year, population)| Population { year, population }).collect();
    s.create_territory(TerritoryInput { parent_id: parent, kind, name: name.into(), oktmo: String::new(), population })
        .await
        .unwrap()
        .id
}

fn contact(kind: ContactKind, last: &str, first: &str, org: &str, territory: Id) -> ContactInput {
    ContactInput {
        kind,
        last_name: last.into(),
        first_name: first.into(),
        middle_name: String::new(),
        org_name: org.into(),
        position: String::new(),
        territory_id: Some(territory),
        address: String::new(),
        notes: String::new(),
        roles: vec![if kind == ContactKind::Person { Role::Resident } else { Role::Business }],
        phones: vec!["8 (913) 555-12-34".into()],
        emails: vec![],
        tags: vec![],
    }
}

#[allow(clippy::too_many_arguments)] // a table of test data reads best as one call per row
fn initiative(
    title: &str,
    territory: Id,
    program: Option<Id>,
    year: i32,
    who: (InitiatorKind, &str, Option<Id>),
    lines: &[(FundingSource, i64)],
    people: (i64, i64),
) -> InitiativeInput {
    let budget: Vec<BudgetLine> = lines
        .iter()
        .map(|&(source, k)| BudgetLine { source, planned: Kopecks(k), actual: Kopecks::ZERO, note: String::new() })
        .collect();
    InitiativeInput {
        title: title.into(),
        number: None,
        description: format!("{title}: описание проекта для конкурсной комиссии"),
        object_type: ObjectType::Landscaping,
        territory_id: territory,
        program_id: program,
        year,
        initiator: Initiator { kind: who.0, name: who.1.into(), contact_id: who.2 },
        total_cost: budget.iter().map(|l| l.planned).sum(),
        budget,
        beneficiaries: people.0,
        supporters: people.0 / 3,
        votes: people.1,
        implementation: Implementation::default(),
        results: String::new(),
    }
}

fn event(territory: Id, kind: EventKind, at: &str, headcount: i64, attendees: &[Id], initiatives: &[Id]) -> EventInput {
    EventInput {
        kind,
        title: format!("{} {at}", kind.label(mestno_core::Lang::Ru)),
        starts_at: chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap(),
        ends_at: None,
        place: "Дом культуры".into(),
        territory_id: territory,
        headcount,
        attendees: attendees
            .iter()
            .map(|&contact_id| Attendee { contact_id, role: AttendeeRole::Participant })
            .collect(),
        initiative_ids: initiatives.to_vec(),
        outcome: String::new(),
        minutes: String::new(),
    }
}

/// Krai → Абанский район (с. Берёзовка, д. Ёлкино), Богучанский район (п. Ангарский); ППМИ and
/// «Народный бюджет»; five initiatives with kopecks that do not add up in floating point
/// (0,10 + 0,20), one rejected, one with no budget yet, one at the krai's own level; people with a
/// consent in force, a withdrawn one and none; four events.
pub async fn hand_built() -> Office {
    use FundingSource::*;
    use InitiatorKind as I;
    let dir = tempfile::tempdir().unwrap();
    let s = open(&dir).await;
    let krai = territory(&s, None, TerritoryKind::Region, "Красноярский край", &[]).await;
    let abansky = territory(&s, Some(krai), TerritoryKind::District, "Абанский район", &[]).await;
    let berezovka =
        territory(&s, Some(abansky), TerritoryKind::Locality, "с. Берёзовка", &[(2024, 1200), (2025, 1180)]).await;
    let elkino = territory(&s, Some(abansky), TerritoryKind::Locality, "д. Ёлкино", &[(2024, 300), (2025, 290)]).await;
    let boguchany = territory(&s, Some(krai), TerritoryKind::District, "Богучанский район", &[(2025, 5000)]).await;
    let angarsky = territory(&s, Some(boguchany), TerritoryKind::Locality, "п. Ангарский", &[(2025, 900)]).await;
    let rules = CofinancingRules {
        min_residents_share_bp: 500,
        max_subsidy_kopecks: Some(Kopecks::rubles(1_000_000)),
        ..Default::default()
    };
    let program = |code: &str, name: &str, kind, rules| ProgramInput {
        code: code.into(),
        name: name.into(),
        kind,
        description: String::new(),
        rules,
        cycles: vec![],
    };
    let ppmi = s
        .create_program(program("ППМИ", "Программа поддержки местных инициатив", ProgramKind::Ppmi, rules))
        .await
        .unwrap()
        .id;
    let nb = s
        .create_program(program("НБ", "Народный бюджет", ProgramKind::PeopleBudget, CofinancingRules::default()))
        .await
        .unwrap()
        .id;

    let consent = |given: &str| ConsentInput {
        purpose: "участие в ППМИ".into(),
        given_on: date(given),
        method: ConsentMethod::Written,
        expires_on: None,
    };
    let anna = s.create_contact(contact(ContactKind::Person, "Иванова", "Анна", "", berezovka)).await.unwrap().id;
    s.add_consent(anna, consent("2024-03-01")).await.unwrap();
    let boris = s.create_contact(contact(ContactKind::Person, "Борисов", "Борис", "", elkino)).await.unwrap().id;
    let withdrawn = s.add_consent(boris, consent("2024-01-10")).await.unwrap().consents[0].id;
    s.withdraw_consent(withdrawn, date("2025-06-01")).await.unwrap();
    let olga = s.create_contact(contact(ContactKind::Person, "Ольгина", "Ольга", "", angarsky)).await.unwrap().id;
    let firm =
        s.create_contact(contact(ContactKind::Organisation, "", "", "ООО «Ангара-Строй»", angarsky)).await.unwrap().id;

    let stage = |i: InitiativeInput, st: Stage| {
        let s = s.clone();
        async move { s.create_initiative(i, st, date("2025-03-01")).await.unwrap() }
    };
    let water = stage(
        initiative(
            "Ремонт водопровода по ул. Лесной",
            berezovka,
            Some(ppmi),
            2025,
            (I::VillageElder, "Староста Иванова А.", Some(anna)),
            &[(Regional, 90_000_010), (Residents, 10_000_020)],
            (640, 120),
        ),
        Stage::Application,
    )
    .await;
    let road = stage(
        initiative(
            "Ремонт дороги в д. Ёлкино",
            elkino,
            Some(ppmi),
            2025,
            (I::Resident, "Борисов Б.", Some(boris)),
            &[(Regional, 40_000_000), (Municipal, 5_000_005), (Residents, 3_000_000), (Business, 2_000_000)],
            (290, 80),
        ),
        Stage::Application,
    )
    .await;
    s.change_stage(road.id, road.stamp.rev, Stage::Rejected, date("2025-04-20"), "протокол № 3").await.unwrap();
    let mut playground = initiative(
        "Детская площадка в п. Ангарский",
        angarsky,
        Some(nb),
        2024,
        (I::Business, "ООО «Ангара-Строй»", Some(firm)),
        &[(Municipal, 15_000_033), (Residents, 10_000_000), (Business, 20_000_033), (InKind, 4_999_934)],
        (900, 310),
    );
    playground.budget[0].actual = Kopecks(15_000_033);
    stage(playground, Stage::Selected).await;
    stage(
        initiative(
            "Освещение улицы Центральной",
            berezovka,
            Some(nb),
            2025,
            (I::Resident, "Петров П.", None),
            &[],
            (0, 0),
        ),
        Stage::Idea,
    )
    .await;
    stage(
        initiative(
            "Краевой форум инициатив",
            krai,
            None,
            2025,
            (I::Administration, "Администрация края", None),
            &[(Regional, 20), (Municipal, 10)],
            (50, 0),
        ),
        Stage::Idea,
    )
    .await;

    for e in [
        event(berezovka, EventKind::CitizensGathering, "2025-02-10 18:00", 120, &[anna, boris], &[water.id]),
        event(elkino, EventKind::Subbotnik, "2025-05-10 10:00", 35, &[anna], &[]),
        event(angarsky, EventKind::Survey, "2024-05-10 10:00", 10, &[olga], &[]),
        event(krai, EventKind::Forum, "2025-09-01 11:00", 200, &[anna, olga], &[]),
    ] {
        s.create_event(e).await.unwrap();
    }
    let ids = Ids { krai, abansky, berezovka, elkino, boguchany, angarsky, ppmi, water: water.id, anna, olga };
    Office { store: s, dir, ids }
}

impl Office {
    /// Writes a report into the office's folder.
    pub async fn write(&self, kind: ReportKind, request: &ReportRequest) -> PathBuf {
        let path = self.dir.path().join(format!("{}.xlsx", kind.code()));
        write_report(&self.store, kind, request, &path).await.unwrap();
        path
    }
}

/// A report's first sheet as calamine reads it: values (formulas' cached values) and formulas.
pub struct Sheet {
    pub values: Range<Data>,
    pub formulas: Range<String>,
}

pub fn read(path: &Path) -> Sheet {
    let mut book: Xlsx<_> = open_workbook(path).expect("the file is an xlsx calamine opens");
    let name = book.sheet_names()[0].clone();
    Sheet { values: book.worksheet_range(&name).unwrap(), formulas: book.worksheet_formula(&name).unwrap() }
}

/// The sheet named `name` of a workbook.
pub fn read_sheet(path: &Path, name: &str) -> Sheet {
    let mut book: Xlsx<_> = open_workbook(path).expect("the file is an xlsx calamine opens");
    Sheet { values: book.worksheet_range(name).unwrap(), formulas: book.worksheet_formula(name).unwrap() }
}

/// Every sheet's name and every text cell of a workbook, sheet by sheet.
pub fn all_text(path: &Path) -> Vec<(String, Vec<String>)> {
    let mut book: Xlsx<_> = open_workbook(path).expect("the file is an xlsx calamine opens");
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let cells = range.cells().filter_map(|(_, _, v)| v.get_string().map(str::to_string)).collect();
            (name, cells)
        })
        .collect()
}

impl Sheet {
    pub fn text(&self, row: u32, col: u32) -> String {
        match self.values.get_value((row, col)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => other.to_string(),
        }
    }

    pub fn number(&self, row: u32, col: u32) -> f64 {
        match self.values.get_value((row, col)) {
            Some(Data::Float(f)) => *f,
            Some(Data::Int(i)) => *i as f64,
            Some(Data::DateTime(d)) => d.as_f64(),
            other => panic!("({row}, {col}) should hold a number, holds {other:?}"),
        }
    }

    /// A money cell in kopecks: roubles are written as kopecks / 100, so this is exact.
    pub fn kopecks(&self, row: u32, col: u32) -> i64 {
        (self.number(row, col) * 100.0).round() as i64
    }

    pub fn formula(&self, row: u32, col: u32) -> String {
        self.formulas.get_value((row, col)).cloned().unwrap_or_default()
    }

    /// The first row whose cell in `col` reads `text`.
    pub fn row_of(&self, col: u32, text: &str) -> u32 {
        let end = self.values.end().map_or(0, |e| e.0);
        (0..=end)
            .find(|&r| self.text(r, col) == text)
            .unwrap_or_else(|| panic!("no row reads «{text}» in column {col}"))
    }

    /// The title block: every line above the header row.
    pub fn title_block(&self, header: u32) -> String {
        (0..header).map(|r| self.text(r, 0)).collect::<Vec<_>>().join("\n")
    }
}
