//! Initiatives: from a village's idea through the program's selection to a finished object,
//! with budgets by source and every stage change dated.

use chrono::NaiveDate;

use mestno_core::model::{Id, InitiatorKind, ObjectType, ProgramKind, Stage};
use mestno_core::money::FundingSource;
use mestno_core::store::{Op, rows};
use mestno_core::text::fold;
use mestno_core::{Entity, Result};

use super::budget::{self, Plan};
use super::ids::{Gen, Lottery, add_days};
use super::people::People;
use super::programs::Program;
use super::stages;
use super::templates::{object_purpose, object_titles};
use super::territory::{FIRST_YEAR, Geography};
use super::vocab::{CONTRACTORS, IN_KIND_NOTES, INITIATIVE_RESULTS};
use super::{Created, Entry, Sink, derived_id, report, write_entries, write_history};

/// An initiative as events and appeals need it.
pub(crate) struct Initiative {
    pub id: Id,
    pub year: i32,
    pub object: ObjectType,
    /// The idea's date: when residents first raised it.
    pub idea_on: NaiveDate,
    /// The contact who put it forward, if any.
    pub initiator: Option<u32>,
}

/// The initiatives made, oldest idea first, and where they are.
pub(crate) struct Projects {
    pub list: Vec<Initiative>,
    pub by_locality: Vec<Vec<u32>>,
    pub by_district: Vec<Vec<u32>>,
}

/// How often villages ask for each type of object: roads, water, landscaping and playgrounds
/// most.
fn object_weight(object: ObjectType) -> u32 {
    match object {
        ObjectType::WaterSupply => 18,
        ObjectType::Roads => 20,
        ObjectType::StreetLighting => 8,
        ObjectType::Landscaping => 17,
        ObjectType::Culture => 6,
        ObjectType::Sport => 7,
        ObjectType::Playground => 14,
        ObjectType::FireSafety => 4,
        ObjectType::BurialPlaces => 3,
        ObjectType::Memorials => 2,
        ObjectType::Other => 1,
    }
}

/// Years `FIRST_YEAR..=LAST_YEAR`, weighted: the programs grow.
const YEAR_WEIGHTS: [u32; 7] = [10, 11, 13, 14, 16, 17, 19];
const CHUNK: usize = 4_000;

struct Planned {
    locality: u32,
    year: i32,
    object: ObjectType,
    program: Option<usize>,
    path: Vec<(Stage, NaiveDate)>,
}

/// Makes `count` initiatives in the localities, with budgets, stage histories and history.
pub(crate) fn generate(
    g: &mut Gen,
    sink: &mut Sink,
    geo: &Geography,
    programs: &[Program],
    people: &People,
    count: usize,
) -> Result<Projects> {
    let lottery = Lottery::new(geo.localities.iter().map(|l| (l.population as f64).sqrt() as u64 + 1));
    let mut plans: Vec<Planned> = (0..count).map(|_| plan(g, geo, programs, &lottery)).collect();
    plans.sort_by_key(|p| p.path[0].1);
    let mut projects = Projects {
        list: Vec::with_capacity(count),
        by_locality: vec![Vec::new(); geo.localities.len()],
        by_district: vec![Vec::new(); geo.districts.len()],
    };
    for chunk in plans.chunks(CHUNK) {
        let mut rows = Rows { device: sink.device().to_owned(), ..Rows::default() };
        for p in chunk {
            let index = projects.list.len() as u32;
            let initiative = make(g, geo, programs, people, p, &mut rows);
            projects.by_locality[p.locality as usize].push(index);
            projects.by_district[geo.localities[p.locality as usize].district].push(index);
            projects.list.push(initiative);
        }
        rows.write(sink)?;
        report(sink, "проекты", projects.list.len(), count)?;
    }
    Ok(projects)
}

fn plan(g: &mut Gen, geo: &Geography, programs: &[Program], lottery: &Lottery) -> Planned {
    let locality = lottery.draw(&mut g.rng);
    let year = FIRST_YEAR + g.weighted(&YEAR_WEIGHTS) as i32;
    let object = g.weighted_by(ObjectType::ALL, object_weight);
    let big = geo.localities[locality].centre || geo.localities[locality].population >= 2_000;
    use ObjectType::*;
    use ProgramKind::{Civic5050, ComfortableEnvironment as Fkgs, PeopleBudget, Ppmi, TosContest};
    let kind = g.weighted_pick(&match object {
        WaterSupply | Roads | FireSafety | BurialPlaces => {
            [(Ppmi, 60), (PeopleBudget, 30), (TosContest, 0), (Civic5050, 10), (Fkgs, 0)]
        }
        Landscaping | Playground | Sport => {
            [(Ppmi, 30), (PeopleBudget, 20), (TosContest, 25), (Civic5050, 7), (Fkgs, if big { 20 } else { 0 })]
        }
        StreetLighting | Culture | Memorials | Other => {
            [(Ppmi, 40), (PeopleBudget, 25), (TosContest, 25), (Civic5050, 10), (Fkgs, 0)]
        }
    });
    let mut program = programs.iter().position(|p| p.kind == kind);
    let path = stages::path(g, year, program.map(|p| &programs[p]));
    let stage = path.last().map_or(Stage::Idea, |s| s.0);
    if matches!(stage, Stage::Idea | Stage::Discussion) && g.chance(25) {
        program = None;
    }
    Planned { locality: locality as u32, year, object, program, path }
}

#[derive(Default)]
struct Rows {
    /// The device that stamps them.
    device: String,
    initiatives: Vec<rows::Initiative<'static>>,
    budget: Vec<rows::BudgetLine<'static>>,
    stages: Vec<rows::StageChange<'static>>,
    history: Vec<Created>,
    /// The stage moves after each creation.
    entries: Vec<Entry>,
}

fn make(
    g: &mut Gen,
    geo: &Geography,
    programs: &[Program],
    people: &People,
    p: &Planned,
    rows: &mut Rows,
) -> Initiative {
    let locality = &geo.localities[p.locality as usize];
    let program = p.program.map(|i| &programs[i]);
    let (idea_on, stage, stage_on) = (p.path[0].1, p.path[p.path.len() - 1].0, p.path[p.path.len() - 1].1);
    let (id, at) = g.id_on(idea_on);
    let reached = |s: Stage| p.path.iter().any(|step| step.0 == s);

    let title = g.pick(object_titles(p.object)).replace("{place}", &locality.name);
    let (initiator_kind, initiator_name, initiator) = initiator(g, geo, people, p, program.map(|p| p.kind));

    let (lo, hi) = program.map_or((300_000, 2_000_000), |p| p.cost);
    let total = g.log_uniform(lo, hi);
    let comply = reached(Stage::Application) || g.chance(70);
    let in_kind = g.chance(30);
    let default_rules = mestno_core::model::CofinancingRules::default();
    let rules = program.map_or(&default_rules, |p| &p.rules);
    let plan: Plan = budget::plan(g, total, rules, program.map_or(0, |p| p.federal_bp), comply, in_kind);

    let percent_done: u8 = match stage {
        Stage::Completed => 100,
        Stage::Implementation => g.rng.u8(10..=90),
        _ => 0,
    };
    let collected = reached(Stage::Implementation) || (stage == Stage::Selected && g.chance(50));
    for &(source, planned) in &plan.lines {
        let spent = budget::actual(g, source, planned, percent_done, collected);
        let note = if source == FundingSource::InKind { g.pick(&IN_KIND_NOTES) } else { "" };
        rows.budget.push(rows::BudgetLine {
            initiative_id: id,
            source,
            planned_kopecks: budget::kopecks(planned),
            actual_kopecks: budget::kopecks(spent),
            note: note.into(),
        });
    }

    let people_there = locality.population.max(10);
    let beneficiaries = people_there * i64::from(g.rng.u8(10..=100)) / 100;
    let supporters = if reached(Stage::Application) {
        (beneficiaries * i64::from(g.rng.u8(10..=40)) / 100).max(10)
    } else {
        beneficiaries * i64::from(g.rng.u8(0..=10)) / 100
    };
    let votes = match program {
        Some(p) if p.voting && reached(Stage::Application) => g.rng.i64(30..=(people_there * 2 / 5).max(60)),
        _ => 0,
    };

    let mut contractor = "";
    let (mut contract_sum, mut contract_date, mut start_date, mut end_date) = (None, None, None, None);
    let implementation_on = p.path.iter().find(|s| s.0 == Stage::Implementation).map(|s| s.1);
    let decided_on = p.path.iter().find(|s| s.0 == Stage::Selected).map(|s| s.1);
    let signed = implementation_on.or_else(|| {
        let day = add_days(decided_on?, g.rng.i64(10..=40));
        (stage == Stage::Selected && day <= g.today && g.chance(40)).then_some(day)
    });
    if let Some(signed) = signed {
        contractor = contractor_for(g, p.object);
        let works = plan.total() - plan.of(FundingSource::InKind);
        contract_sum = Some(budget::kopecks(works * g.rng.i64(9_300..=10_000) / 10_000));
        contract_date = Some(signed);
        if stage != Stage::Selected {
            let latest = if stage == Stage::Completed { stage_on } else { g.today };
            let start = add_days(signed, g.rng.i64(3..=20)).min(latest.max(signed));
            start_date = Some(start);
            end_date = Some(if stage == Stage::Completed {
                stage_on.max(start)
            } else {
                add_days(start, g.rng.i64(60..=150))
            });
        }
    }
    let results = if stage == Stage::Completed {
        format!("{} Благополучателей — {beneficiaries} чел.", g.pick(&INITIATIVE_RESULTS))
    } else {
        String::new()
    };
    let purpose = object_purpose(p.object);
    let description =
        format!("{purpose} Инициатива жителей {}, {}.", locality.name, geo.district_name(locality.district));

    let mut from: Option<(Stage, NaiveDate)> = None;
    let mut clock = (at, at << 16);
    for &(to, on) in &p.path {
        let (sid, sat) = g.id_on(on);
        let note = stages::note(g, to, on);
        // Each move after the first (the creation's) is a stage entry, as the app records it.
        if let Some((was, was_on)) = from {
            clock = (sat.max(clock.0), (sat << 16).max(clock.1 + 1));
            rows.entries.push(Entry {
                id: derived_id(sid, 1),
                entity_id: id,
                op: Op::Stage,
                at: clock.0,
                hlc: clock.1,
                changes: serde_json::json!({
                    "stage": { "old": was, "new": to },
                    "stage_on": { "old": was_on, "new": on },
                    "note": { "new": note }
                })
                .to_string(),
            });
        }
        rows.stages.push(rows::StageChange {
            id: sid,
            initiative_id: id,
            from_stage: from.map(|f| f.0),
            to_stage: to,
            changed_on: on,
            note: note.into(),
            recorded_at: sat,
            recorded_by: rows.device.clone().into(),
        });
        from = Some((to, on));
    }
    rows.history.push(Created { id: g.id_on(idea_on).0, entity_id: id, at });
    rows.initiatives.push(rows::Initiative {
        id,
        sort_key: fold(&title).into(),
        title: title.into(),
        description: description.into(),
        object_type: p.object,
        territory_id: locality.id,
        program_id: program.map(|p| p.id),
        year: p.year,
        initiator_kind,
        initiator_name: initiator_name.into(),
        initiator_contact_id: initiator.map(|i| people.contacts[i as usize].id),
        total_cost_kopecks: budget::kopecks(plan.total()),
        beneficiaries,
        supporters,
        votes,
        contractor: contractor.into(),
        contract_sum_kopecks: contract_sum,
        contract_date,
        start_date,
        end_date,
        percent_done,
        results: results.into(),
        number: None,
        stage,
        stage_on,
        created_at: at,
        updated_at: at,
        updated_by: rows.device.clone().into(),
    });
    Initiative { id, year: p.year, object: p.object, idea_on, initiator }
}

/// Who put the initiative forward, as the program's rules and the village's people allow.
fn initiator(
    g: &mut Gen,
    geo: &Geography,
    people: &People,
    p: &Planned,
    program: Option<ProgramKind>,
) -> (InitiatorKind, String, Option<u32>) {
    let l = p.locality as usize;
    let place = &geo.localities[l].name;
    let pick = |g: &mut Gen, list: &[u32]| (!list.is_empty()).then(|| g.pick(list));
    let name_of = |i: u32| people.contacts[i as usize].name.clone();
    use InitiatorKind::*;
    let kind = match program {
        Some(ProgramKind::TosContest) => g.weighted_pick(&[(Tos, 60), (VillageElder, 40)]),
        Some(ProgramKind::Civic5050) => g.weighted_pick(&[(Business, 50), (InitiativeGroup, 30), (Ngo, 20)]),
        Some(ProgramKind::ComfortableEnvironment) => g.weighted_pick(&[(Administration, 60), (InitiativeGroup, 40)]),
        Some(ProgramKind::PeopleBudget) => {
            g.weighted_pick(&[(Resident, 40), (InitiativeGroup, 40), (Ngo, 10), (Business, 10)])
        }
        Some(ProgramKind::Ppmi | ProgramKind::Other) | None => {
            g.weighted_pick(&[(InitiativeGroup, 55), (VillageElder, 25), (Administration, 12), (Resident, 8)])
        }
    };
    let resident = pick(g, &people.persons[l]);
    match kind {
        VillageElder => match people.elders[l] {
            Some(e) => (VillageElder, format!("Сельский староста {place} {}", name_of(e)), Some(e)),
            None => (InitiativeGroup, format!("Инициативная группа жителей {place}"), resident),
        },
        Tos => {
            let leader = pick(g, &people.tos_leaders[l]);
            let street = g.pick(&super::vocab::STREETS).replace("ул. ", "Улица ").replace("пер. ", "Переулок ");
            (Tos, format!("ТОС «{street}», {place}"), leader.or(resident))
        }
        Business => match pick(g, &people.business[l]) {
            Some(b) => (Business, name_of(b), Some(b)),
            None => (InitiativeGroup, format!("Инициативная группа жителей {place}"), resident),
        },
        Ngo => match pick(g, &people.ngos[geo.localities[l].district]) {
            Some(n) => (Ngo, name_of(n), Some(n)),
            None => (InitiativeGroup, format!("Инициативная группа жителей {place}"), resident),
        },
        Administration => {
            let official = pick(g, &people.officials[geo.localities[l].district]);
            (Administration, format!("Администрация {place}"), official)
        }
        Resident => match resident {
            Some(r) => (Resident, name_of(r), Some(r)),
            None => (Administration, format!("Администрация {place}"), None),
        },
        InitiativeGroup => (InitiativeGroup, format!("Инициативная группа жителей {place}"), resident),
    }
}

/// A contractor whose trade fits the object, most of the time.
fn contractor_for(g: &mut Gen, object: ObjectType) -> &'static str {
    use ObjectType::*;
    let trades: &[&str] = match object {
        Roads => &["Дор", "Мост", "ДРСУ"],
        WaterSupply => &["Вод", "Аква", "Бур", "Недра"],
        StreetLighting => &["Электро", "электро", "Свет"],
        Playground => &["Игров", "Детск"],
        Sport => &["Спорт"],
        Memorials => &["Гранит", "Мемориал"],
        BurialPlaces => &["Ритуал", "Забор", "Металл"],
        FireSafety => &["ПожТех", "Спецтехника"],
        Landscaping => &["Ландшафт", "Зелёный", "Забор"],
        Culture | Other => &["Кровля", "Окна", "Ремстрой", "Профстрой"],
    };
    let fitting: Vec<&'static str> =
        CONTRACTORS.iter().copied().filter(|c| trades.iter().any(|t| c.contains(t))).collect();
    if !fitting.is_empty() && g.chance(75) { g.pick(&fitting) } else { g.pick(&CONTRACTORS) }
}

impl Rows {
    fn write(mut self, sink: &mut Sink) -> Result<()> {
        // In key order, as the table keeps them: each row goes in at the end, without a search.
        self.budget.sort_unstable_by_key(|l| (l.initiative_id, l.source.as_str()));
        sink.insert(self.initiatives)?;
        sink.insert(self.budget)?;
        sink.insert(self.stages)?;
        write_history(sink, Entity::Initiative, self.history)?;
        write_entries(sink, Entity::Initiative, self.entries)
    }
}
