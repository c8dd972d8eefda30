//! Budgets by source that add up to the project's cost and meet the program's rules.

use super::ids::Gen;
use mestno_core::model::CofinancingRules;
use mestno_core::money::{FULL_BP, FundingSource, Kopecks};

/// A planned budget, whole roubles per source; zero sources are left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Plan {
    pub lines: Vec<(FundingSource, i64)>,
}

impl Plan {
    /// The sum of all lines, whole roubles: the project's total cost.
    pub(crate) fn total(&self) -> i64 {
        self.lines.iter().map(|l| l.1).sum()
    }

    /// The planned amount from `source`, whole roubles.
    pub(crate) fn of(&self, source: FundingSource) -> i64 {
        self.lines.iter().filter(|l| l.0 == source).map(|l| l.1).sum()
    }
}

/// The smallest whole number of roubles that is at least `bp` basis points of `total`.
fn at_least(total: i64, bp: u32) -> i64 {
    (total * i64::from(bp) + i64::from(FULL_BP) - 1) / i64::from(FULL_BP)
}

/// The largest whole number of roubles that is at most `bp` basis points of `total`.
fn at_most(total: i64, bp: u32) -> i64 {
    total * i64::from(bp) / i64::from(FULL_BP)
}

/// Splits `total` roubles among sources.
///
/// With `comply`, residents', business and municipal money meet the program's minimum shares
/// exactly or with a margin, and the subsidy (federal + regional) stays within its share and
/// its cap, the excess moving to the municipal budget. Without it, the residents' or business
/// share falls short, as it does in many a first draft. `in_kind` adds a non-monetary
/// contribution of 1–4 %, which counts in the total but in nobody's cash share.
pub(crate) fn plan(
    g: &mut Gen,
    total: i64,
    rules: &CofinancingRules,
    federal_bp: u32,
    comply: bool,
    in_kind: bool,
) -> Plan {
    let in_kind = if in_kind { at_most(total, g.rng.u32(100..=400)) } else { 0 };
    let share = |g: &mut Gen, min_bp: u32, none_chance: u32, spread: (u32, u32)| -> u32 {
        if min_bp > 0 {
            min_bp + if g.chance(35) { 0 } else { g.rng.u32(0..=300) }
        } else if g.chance(none_chance) {
            0
        } else {
            g.rng.u32(spread.0..=spread.1)
        }
    };
    let mut residents_bp = share(g, rules.min_residents_share_bp, 15, (100, 600));
    let mut business_bp = share(g, rules.min_business_share_bp, 55, (100, 800));
    if !comply {
        // A draft that falls short: the residents' (or the business) share at 30–90 % of the minimum.
        if rules.min_residents_share_bp > 0 {
            residents_bp = rules.min_residents_share_bp * g.rng.u32(30..=90) / 100;
        } else if rules.min_business_share_bp > 0 {
            business_bp = rules.min_business_share_bp * g.rng.u32(30..=90) / 100;
        }
    }
    let residents = at_least(total, residents_bp);
    let business = at_least(total, business_bp);
    let mut municipal = at_least(total, rules.min_municipal_share_bp + g.rng.u32(200..=1_500));
    let mut subsidy = total - in_kind - residents - business - municipal;
    if subsidy < 0 {
        // Only when the minimums leave no room: the municipal budget gives way.
        municipal = (municipal + subsidy).max(0);
        subsidy = total - in_kind - residents - business - municipal;
    }
    let mut cap = rules.max_subsidy_kopecks.map_or(i64::MAX, |k| k.0 / 100);
    if let Some(bp) = rules.max_subsidy_share_bp {
        cap = cap.min(at_most(total, bp));
    }
    if subsidy > cap {
        municipal += subsidy - cap;
        subsidy = cap;
    }
    let federal = subsidy * i64::from(federal_bp) / i64::from(FULL_BP);
    let lines = [
        (FundingSource::Federal, federal),
        (FundingSource::Regional, subsidy - federal),
        (FundingSource::Municipal, municipal),
        (FundingSource::Residents, residents),
        (FundingSource::Business, business),
        (FundingSource::InKind, in_kind),
    ];
    Plan { lines: lines.into_iter().filter(|l| l.1 > 0).collect() }
}

/// The amount spent of a planned line, whole roubles: residents' and business money is
/// collected in full once the project is selected; budget money is spent as works proceed, and
/// a tender usually saves a few per cent.
pub(crate) fn actual(g: &mut Gen, source: FundingSource, planned: i64, percent_done: u8, collected: bool) -> i64 {
    match source {
        FundingSource::Residents | FundingSource::Business if collected => planned,
        FundingSource::InKind if percent_done == 100 => planned,
        FundingSource::Federal | FundingSource::Regional | FundingSource::Municipal if percent_done > 0 => {
            let saved = if percent_done == 100 { g.rng.i64(9_300..=10_000) } else { 10_000 };
            planned * saved / 10_000 * i64::from(percent_done) / 100
        }
        _ => 0,
    }
}

/// A line's amount in kopecks.
pub(crate) fn kopecks(rub: i64) -> i64 {
    Kopecks::rubles(rub).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ymd;
    use mestno_core::model::{BudgetLine, Id, Implementation, InitiativeInput, Initiator, InitiatorKind, ObjectType};

    fn as_input(plan: &Plan) -> InitiativeInput {
        let budget: Vec<BudgetLine> = plan
            .lines
            .iter()
            .map(|&(source, rub)| BudgetLine {
                source,
                planned: Kopecks::rubles(rub),
                actual: Kopecks::ZERO,
                note: String::new(),
            })
            .collect();
        InitiativeInput {
            title: "Ремонт водонапорной башни".into(),
            number: None,
            description: String::new(),
            object_type: ObjectType::WaterSupply,
            territory_id: Id::nil(),
            program_id: None,
            year: 2024,
            initiator: Initiator {
                kind: InitiatorKind::VillageElder, name: "Староста".into(), contact_id: None
            },
            total_cost: Kopecks::rubles(plan.total()),
            budget,
            beneficiaries: 0,
            supporters: 0,
            votes: 0,
            implementation: Implementation::default(),
            results: String::new(),
        }
    }

    fn all_rules() -> Vec<(CofinancingRules, u32)> {
        let rub = |r: i64| Some(Kopecks::rubles(r));
        vec![
            (
                CofinancingRules {
                    min_residents_share_bp: 300,
                    min_municipal_share_bp: 500,
                    max_subsidy_kopecks: rub(2_000_000),
                    ..Default::default()
                },
                0,
            ),
            (
                CofinancingRules {
                    min_residents_share_bp: 500,
                    max_subsidy_kopecks: rub(1_500_000),
                    ..Default::default()
                },
                0,
            ),
            (
                CofinancingRules {
                    min_residents_share_bp: 1_000,
                    max_subsidy_kopecks: rub(500_000),
                    ..Default::default()
                },
                0,
            ),
            (CofinancingRules { min_residents_share_bp: 2_500, min_business_share_bp: 2_500, ..Default::default() }, 0),
            (
                CofinancingRules {
                    min_municipal_share_bp: 100,
                    max_subsidy_share_bp: Some(9_900),
                    ..Default::default()
                },
                8_500,
            ),
            (CofinancingRules::default(), 0),
        ]
    }

    #[test]
    fn complying_budgets_add_up_and_meet_every_rule() {
        let mut g = Gen::new(11, ymd(2025, 11, 1));
        for (rules, federal_bp) in all_rules() {
            for _ in 0..2_000 {
                let total = g.rng.i64(300_000..=5_000_000);
                let in_kind = g.chance(30);
                let plan = plan(&mut g, total, &rules, federal_bp, true, in_kind);
                assert_eq!(plan.total(), total, "the lines add up to the cost exactly");
                assert!(plan.lines.iter().all(|l| l.1 > 0), "no empty lines");
                let input = as_input(&plan);
                let broken = input.rule_violations(&rules);
                assert!(broken.is_empty(), "{rules:?} {plan:?}: {broken:?}");
            }
        }
    }

    #[test]
    fn drafts_fall_short_of_a_minimum_share() {
        let mut g = Gen::new(12, ymd(2025, 11, 1));
        for (rules, federal_bp) in all_rules().into_iter().take(4) {
            let plan = plan(&mut g, 1_000_000, &rules, federal_bp, false, false);
            assert_eq!(plan.total(), 1_000_000);
            assert!(!as_input(&plan).rule_violations(&rules).is_empty(), "{rules:?}: {plan:?}");
        }
    }

    #[test]
    fn spending_never_exceeds_the_plan() {
        let mut g = Gen::new(13, ymd(2025, 11, 1));
        for source in FundingSource::ALL {
            for done in [0, 40, 100] {
                let spent = actual(&mut g, source, 1_000_000, done, true);
                assert!((0..=1_000_000).contains(&spent), "{source:?} {done}: {spent}");
            }
        }
        assert_eq!(actual(&mut g, FundingSource::Regional, 1_000_000, 0, true), 0, "nothing spent before works start");
    }
}
