//! Initiatives: from a village's idea through the program's selection to a finished object,
//! with budgets by source and every stage change dated.

use chrono::NaiveDate;

use super::budget::{self, Plan};
use super::ids::{Gen, Lottery, add_days};
use super::people::People;
use super::programs::Program;
use super::sink::{Created, Sink};
use super::stages;
use super::territory::{FIRST_YEAR, Geography};
use super::vocab::{CONTRACTORS, IN_KIND_NOTES, INITIATIVE_RESULTS, OBJECT_PURPOSES, OBJECT_TITLES};
use crate::error::Result;
use crate::model::{Id, InitiatorKind, ObjectType, ProgramKind, Stage};
use crate::money::FundingSource;
use crate::text::fold;

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

/// Object types in [`ObjectType::ALL`] order, weighted: roads, water, landscaping and
/// playgrounds are what villages ask for most.
const OBJECT_WEIGHTS: [u32; 11] = [18, 20, 8, 17, 6, 7, 14, 4, 3, 2, 1];
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
        let mut rows = Rows::default();
        for p in chunk {
            let index = projects.list.len() as u32;
            let initiative = make(g, geo, programs, people, p, &mut rows);
            projects.by_locality[p.locality as usize].push(index);
            projects.by_district[geo.localities[p.locality as usize].district].push(index);
            projects.list.push(initiative);
        }
        rows.write(sink)?;
        sink.report("проекты", projects.list.len(), count)?;
    }
    Ok(projects)
}

fn plan(g: &mut Gen, geo: &Geography, programs: &[Program], lottery: &Lottery) -> Planned {
    let locality = lottery.draw(&mut g.rng);
    let year = FIRST_YEAR + g.weighted(&YEAR_WEIGHTS) as i32;
    let object = ObjectType::ALL[g.weighted(&OBJECT_WEIGHTS)];
    let big = geo.localities[locality].centre || geo.localities[locality].population >= 2_000;
    use ObjectType::*;
    // Weights of ППМИ, НБ, ТОС, ГИ-50/50, ФКГС.
    let weights: [u32; 5] = match object {
        WaterSupply | Roads | FireSafety | BurialPlaces => [60, 30, 0, 10, 0],
        Landscaping | Playground | Sport => [30, 20, 25, 7, if big { 20 } else { 0 }],
        _ => [40, 25, 25, 10, 0],
    };
    let kinds = [
        ProgramKind::Ppmi,
        ProgramKind::PeopleBudget,
        ProgramKind::TosContest,
        ProgramKind::Civic5050,
        ProgramKind::ComfortableEnvironment,
    ];
    let kind = kinds[g.weighted(&weights)];
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
    initiatives: Vec<InitiativeRow>,
    budget: Vec<(Id, FundingSource, i64, i64, &'static str)>,
    stages: Vec<StageRow>,
    history: Vec<Created>,
}

struct InitiativeRow {
    id: Id,
    title: String,
    description: String,
    object: ObjectType,
    territory: Id,
    program: Option<Id>,
    year: i32,
    stage: Stage,
    stage_on: NaiveDate,
    initiator_kind: InitiatorKind,
    initiator_name: String,
    initiator: Option<Id>,
    total_kopecks: i64,
    beneficiaries: i64,
    supporters: i64,
    votes: i64,
    contractor: &'static str,
    contract_sum: Option<i64>,
    contract_date: Option<NaiveDate>,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    percent_done: i64,
    results: String,
    at: i64,
}

struct StageRow {
    id: Id,
    initiative: Id,
    from: Option<Stage>,
    to: Stage,
    on: NaiveDate,
    note: String,
    at: i64,
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

    let templates = OBJECT_TITLES.iter().find(|t| t.0 == p.object.as_str()).map_or(&[][..], |t| t.1);
    let title = if templates.is_empty() {
        p.object.label(crate::Lang::Ru).to_string()
    } else {
        g.pick(templates).replace("{place}", &locality.name)
    };
    let (initiator_kind, initiator_name, initiator) = initiator(g, geo, people, p, program.map(|p| p.kind));

    let (lo, hi) = program.map_or((300_000, 2_000_000), |p| p.cost);
    let total = g.log_uniform(lo, hi);
    let comply = reached(Stage::Application) || g.chance(70);
    let in_kind = g.chance(30);
    let default_rules = crate::model::CofinancingRules::default();
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
        let note = if source == FundingSource::InKind { g.pick(IN_KIND_NOTES) } else { "" };
        rows.budget.push((id, source, budget::kopecks(planned), budget::kopecks(spent), note));
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
        format!("{} Благополучателей — {beneficiaries} чел.", g.pick(INITIATIVE_RESULTS))
    } else {
        String::new()
    };
    let purpose = OBJECT_PURPOSES.iter().find(|o| o.0 == p.object.as_str()).map_or("", |o| o.1);
    let description =
        format!("{purpose} Инициатива жителей {}, {}.", locality.name, geo.district_name(locality.district));

    let mut from = None;
    for &(to, on) in &p.path {
        let (sid, sat) = g.id_on(on);
        let note = stages::note(g, to, on);
        rows.stages.push(StageRow { id: sid, initiative: id, from, to, on, note, at: sat });
        from = Some(to);
    }
    rows.history.push(Created { id: g.id_on(idea_on).0, entity_id: id, at });
    rows.initiatives.push(InitiativeRow {
        id,
        title,
        description,
        object: p.object,
        territory: locality.id,
        program: program.map(|p| p.id),
        year: p.year,
        stage,
        stage_on,
        initiator_kind,
        initiator_name,
        initiator: initiator.map(|i| people.contacts[i as usize].id),
        total_kopecks: budget::kopecks(plan.total()),
        beneficiaries,
        supporters,
        votes,
        contractor,
        contract_sum,
        contract_date,
        start_date,
        end_date,
        percent_done: i64::from(percent_done),
        results,
        at,
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
        Some(ProgramKind::TosContest) => [Tos, VillageElder][g.weighted(&[60, 40])],
        Some(ProgramKind::Civic5050) => [Business, InitiativeGroup, Ngo][g.weighted(&[50, 30, 20])],
        Some(ProgramKind::ComfortableEnvironment) => [Administration, InitiativeGroup][g.weighted(&[60, 40])],
        Some(ProgramKind::PeopleBudget) => [Resident, InitiativeGroup, Ngo, Business][g.weighted(&[40, 40, 10, 10])],
        _ => [InitiativeGroup, VillageElder, Administration, Resident][g.weighted(&[55, 25, 12, 8])],
    };
    let resident = pick(g, &people.persons[l]);
    match kind {
        VillageElder => match people.elders[l] {
            Some(e) => (VillageElder, format!("Сельский староста {place} {}", name_of(e)), Some(e)),
            None => (InitiativeGroup, format!("Инициативная группа жителей {place}"), resident),
        },
        Tos => {
            let leader = pick(g, &people.tos_leaders[l]);
            let street = g.pick(super::vocab::STREETS).replace("ул. ", "Улица ").replace("пер. ", "Переулок ");
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
    if !fitting.is_empty() && g.chance(75) { g.pick(&fitting) } else { g.pick(CONTRACTORS) }
}

impl Rows {
    fn write(mut self, sink: &mut Sink) -> Result<()> {
        // In key order, as the table keeps them: each row goes in at the end, without a search.
        self.budget.sort_unstable_by_key(|l| (l.0, l.1.as_str()));
        let device = sink.device_column();
        sink.insert_fixed(
            "INSERT INTO initiatives(id, title, sort_key, description, object_type, territory_id, program_id, year, stage,
                 stage_on, initiator_kind, initiator_name, initiator_contact_id, total_cost_kopecks, beneficiaries,
                 supporters, votes, contractor, contract_sum_kopecks, contract_date, start_date, end_date, percent_done,
                 results, created_at, updated_at, updated_by) ",
            26,
            &device,
            self.initiatives,
            |b, i| {
                let sort_key = fold(&i.title);
                b.bind(i.id)
                    .bind(i.title)
                    .bind(sort_key)
                    .bind(i.description)
                    .bind(i.object.as_str())
                    .bind(i.territory)
                    .bind(i.program)
                    .bind(i.year)
                    .bind(i.stage.as_str())
                    .bind(i.stage_on)
                    .bind(i.initiator_kind.as_str())
                    .bind(i.initiator_name)
                    .bind(i.initiator)
                    .bind(i.total_kopecks)
                    .bind(i.beneficiaries)
                    .bind(i.supporters)
                    .bind(i.votes)
                    .bind(i.contractor)
                    .bind(i.contract_sum)
                    .bind(i.contract_date)
                    .bind(i.start_date)
                    .bind(i.end_date)
                    .bind(i.percent_done)
                    .bind(i.results)
                    .bind(i.at)
                    .bind(i.at);
            },
        )?;
        sink.insert(
            "INSERT INTO budget_lines(initiative_id, source, planned_kopecks, actual_kopecks, note) ",
            5,
            self.budget,
            |b, l| {
                b.bind(l.0).bind(l.1.as_str()).bind(l.2).bind(l.3).bind(l.4);
            },
        )?;
        sink.insert_fixed(
            "INSERT INTO stage_changes(id, initiative_id, from_stage, to_stage, changed_on, note, recorded_at, recorded_by) ",
            7,
            &device,
            self.stages,
            |b, s| {
                b.bind(s.id)
                    .bind(s.initiative)
                    .bind(s.from.map(Stage::as_str))
                    .bind(s.to.as_str())
                    .bind(s.on)
                    .bind(s.note)
                    .bind(s.at);
            },
        )?;
        sink.history("initiative", self.history)
    }
}
