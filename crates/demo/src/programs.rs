//! The krai's support programs, with their co-financing rules and yearly rounds.

use chrono::NaiveDate;

use mestno_core::Result;
use mestno_core::model::{CofinancingRules, Id, ProgramKind};
use mestno_core::money::Kopecks;
use mestno_core::store::rows;

use super::ids::{Gen, add_days, ymd};
use super::territory::{FIRST_YEAR, LAST_YEAR};
use super::{Sink, report};

/// A program as the initiative generator needs it.
pub(crate) struct Program {
    pub id: Id,
    pub kind: ProgramKind,
    pub rules: CofinancingRules,
    /// The federal budget's part of the subsidy, basis points (the rest is the krai's).
    pub federal_bp: u32,
    /// Typical project cost, whole roubles.
    pub cost: (i64, i64),
    /// Whether its projects are put to a popular vote.
    pub voting: bool,
    /// One round a year, `FIRST_YEAR..=LAST_YEAR`.
    pub cycles: Vec<Cycle>,
}

/// One year's round.
pub(crate) struct Cycle {
    pub year: i32,
    pub open: NaiveDate,
    pub close: NaiveDate,
    /// The selection committee's decision.
    pub decision: NaiveDate,
    fund_rub: i64,
}

impl Program {
    /// The round of `year`.
    pub(crate) fn cycle(&self, year: i32) -> &Cycle {
        let i = usize::try_from(year - FIRST_YEAR).unwrap_or(0).min(self.cycles.len() - 1);
        &self.cycles[i]
    }
}

struct Spec {
    code: &'static str,
    name: &'static str,
    kind: ProgramKind,
    description: &'static str,
    rules: CofinancingRules,
    federal_bp: u32,
    cost: (i64, i64),
    voting: bool,
    /// The yearly fund in 2019 and its yearly growth, per mille, whole roubles.
    fund: (i64, i64),
}

fn specs() -> Vec<Spec> {
    let rub = |r: i64| Some(Kopecks::rubles(r));
    vec![
        Spec {
            code: "ППМИ",
            name: "Программа поддержки местных инициатив",
            kind: ProgramKind::Ppmi,
            description: "Субсидии бюджетам поселений на проекты, выбранные жителями на сходах граждан. \
                          Вклад населения — не менее 3 % стоимости, местного бюджета — не менее 5 %, \
                          субсидия из краевого бюджета — не более 2 млн рублей на проект.",
            rules: CofinancingRules {
                min_residents_share_bp: 300,
                min_municipal_share_bp: 500,
                max_subsidy_kopecks: rub(2_000_000),
                ..Default::default()
            },
            federal_bp: 0,
            cost: (500_000, 3_500_000),
            voting: false,
            fund: (310_000_000, 70),
        },
        Spec {
            code: "НБ",
            name: "Народный бюджет",
            kind: ProgramKind::PeopleBudget,
            description: "Проекты, которые жители предлагают и выбирают голосованием. Вклад населения — \
                          не менее 5 % стоимости проекта, субсидия — не более 1,5 млн рублей.",
            rules: CofinancingRules {
                min_residents_share_bp: 500,
                max_subsidy_kopecks: rub(1_500_000),
                ..Default::default()
            },
            federal_bp: 0,
            cost: (300_000, 1_800_000),
            voting: true,
            fund: (120_000_000, 90),
        },
        Spec {
            code: "ТОС",
            name: "Конкурс проектов ТОС и сельских старост",
            kind: ProgramKind::TosContest,
            description: "Краевой конкурс социально значимых проектов территориального общественного \
                          самоуправления и сельских старост. Вклад жителей — не менее 10 %, грант — \
                          не более 500 тыс. рублей.",
            rules: CofinancingRules {
                min_residents_share_bp: 1_000,
                max_subsidy_kopecks: rub(500_000),
                ..Default::default()
            },
            federal_bp: 0,
            cost: (300_000, 750_000),
            voting: false,
            fund: (35_000_000, 60),
        },
        Spec {
            code: "ГИ-50/50",
            name: "Гражданская инициатива 50/50",
            kind: ProgramKind::Civic5050,
            description: "Половину стоимости проекта вносят жители и бизнес (не менее 25 % каждый), \
                          половину — бюджет.",
            rules: CofinancingRules {
                min_residents_share_bp: 2_500,
                min_business_share_bp: 2_500,
                ..Default::default()
            },
            federal_bp: 0,
            cost: (300_000, 1_500_000),
            voting: true,
            fund: (20_000_000, 50),
        },
        Spec {
            code: "ФКГС",
            name: "Формирование комфортной городской среды",
            kind: ProgramKind::ComfortableEnvironment,
            description: "Федеральный проект: благоустройство общественных и дворовых территорий, \
                          выбранных жителями на голосовании. Софинансирование из местного бюджета — \
                          не менее 1 %.",
            rules: CofinancingRules {
                min_municipal_share_bp: 100,
                max_subsidy_share_bp: Some(9_900),
                ..Default::default()
            },
            federal_bp: 8_500,
            cost: (1_500_000, 5_000_000),
            voting: true,
            fund: (650_000_000, 40),
        },
    ]
}

/// Makes the programs, each with a round for every year.
pub(crate) fn generate(g: &mut Gen, sink: &mut Sink) -> Result<Vec<Program>> {
    let opened = super::office_opened(g.today);
    let specs = specs();
    let mut programs = Vec::new();
    let mut stamps = Vec::new();
    for spec in &specs {
        let (id, at) = g.id_on(opened);
        let mut cycles = Vec::new();
        let mut fund = spec.fund.0;
        for year in FIRST_YEAR..=LAST_YEAR {
            let open = add_days(ymd(year, 2, 1), g.rng.i64(0..=20));
            let close = add_days(open, g.rng.i64(50..=70));
            let decision = add_days(close, g.rng.i64(25..=45));
            // Funds are set in round millions.
            cycles.push(Cycle { year, open, close, decision, fund_rub: fund / 1_000_000 * 1_000_000 });
            fund = fund * (1000 + spec.fund.1 + g.rng.i64(-30..=30)) / 1000;
        }
        programs.push(Program {
            id,
            kind: spec.kind,
            rules: spec.rules.clone(),
            federal_bp: spec.federal_bp,
            cost: spec.cost,
            voting: spec.voting,
            cycles,
        });
        stamps.push(at);
    }

    let device = sink.device().to_owned();
    let rows: Vec<rows::Program<'static>> = specs
        .iter()
        .zip(&programs)
        .zip(&stamps)
        .map(|((s, p), &at)| rows::Program {
            id: p.id,
            code: s.code.into(),
            name: s.name.into(),
            kind: s.kind,
            description: s.description.into(),
            min_residents_share_bp: s.rules.min_residents_share_bp,
            min_business_share_bp: s.rules.min_business_share_bp,
            min_municipal_share_bp: s.rules.min_municipal_share_bp,
            max_subsidy_share_bp: s.rules.max_subsidy_share_bp,
            max_subsidy_kopecks: s.rules.max_subsidy_kopecks.map(|k| k.0),
            created_at: at,
            updated_at: at,
            updated_by: device.clone().into(),
        })
        .collect();
    sink.insert(rows)?;
    let cycles: Vec<rows::ProgramCycle> = programs
        .iter()
        .flat_map(|p| {
            p.cycles.iter().map(|c| rows::ProgramCycle {
                program_id: p.id,
                year: c.year,
                applications_open: Some(c.open),
                applications_close: Some(c.close),
                fund_kopecks: Some(Kopecks::rubles(c.fund_rub).0),
            })
        })
        .collect();
    sink.insert(cycles)?;
    report(sink, "программы", programs.len(), programs.len())?;
    Ok(programs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mestno_core::money::FULL_BP;

    #[test]
    fn program_rules_are_satisfiable() {
        for s in specs() {
            let r = &s.rules;
            let minimums = r.min_residents_share_bp + r.min_business_share_bp + r.min_municipal_share_bp;
            assert!(minimums < FULL_BP, "{}: the minimum shares must leave room for the subsidy", s.code);
            assert!(s.cost.0 >= 300_000 && s.cost.1 <= 5_000_000, "{}: costs within the demo's range", s.code);
        }
        let codes: Vec<&str> = specs().iter().map(|s| s.code).collect();
        assert_eq!(codes, ["ППМИ", "НБ", "ТОС", "ГИ-50/50", "ФКГС"]);
    }
}
