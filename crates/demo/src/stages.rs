//! The path an initiative takes through its program's round: idea → discussion → application →
//! selected or rejected → implementation → completed, or withdrawn on the way; every step dated.

use chrono::{Datelike, NaiveDate};

use mestno_core::model::Stage;

use super::ids::{Gen, add_days, ymd};
use super::programs::Program;

/// The stages an initiative of `year` went through, dated, none after today.
pub(crate) fn path(g: &mut Gen, year: i32, program: Option<&Program>) -> Vec<(Stage, NaiveDate)> {
    use Stage::*;
    let current = year >= g.today.year();
    let target = g.weighted_pick(&if current {
        [
            (Idea, 14),
            (Discussion, 10),
            (Application, 12),
            (Selected, 8),
            (Rejected, 14),
            (Implementation, 24),
            (Completed, 14),
            (Withdrawn, 4),
        ]
    } else {
        [
            (Idea, 4),
            (Discussion, 2),
            (Application, 0),
            (Selected, 0),
            (Rejected, 22),
            (Implementation, if year + 1 >= g.today.year() { 3 } else { 0 }),
            (Completed, 64),
            (Withdrawn, 5),
        ]
    });
    let (open, close, decision) = match program {
        Some(p) => {
            let c = p.cycle(year);
            (c.open, c.close, c.decision)
        }
        None => (ymd(year, 2, 10), ymd(year, 4, 10), ymd(year, 5, 20)),
    };
    let withdraw_after = g.weighted_pick(&[(Idea, 30), (Discussion, 20), (Application, 35), (Selected, 15)]);
    let mut steps = vec![(Idea, g.day_between(add_days(open, -150), add_days(open, -20)))];
    let add = |stage: Stage, day: NaiveDate, steps: &mut Vec<(Stage, NaiveDate)>| {
        let prev = steps.last().map_or(day, |s| s.1);
        steps.push((stage, day.max(prev)));
    };
    let reach = |s: Stage| match target {
        Withdrawn => order(s) <= order(withdraw_after) && s != Rejected,
        Rejected => order(s) <= order(Application) || s == Rejected,
        t => order(s) <= order(t) && s != Rejected,
    };
    if reach(Discussion) && (target == Discussion || g.chance(80)) {
        let day = add_days(steps[0].1, g.rng.i64(7..=40));
        add(Discussion, day, &mut steps);
    }
    if reach(Application) {
        add(Application, g.day_between(open, close), &mut steps);
    }
    if reach(Rejected) {
        add(Rejected, add_days(decision, g.rng.i64(0..=3)), &mut steps);
    } else if reach(Selected) {
        add(Selected, add_days(decision, g.rng.i64(0..=3)), &mut steps);
    }
    if reach(Implementation) {
        add(Implementation, add_days(decision, g.rng.i64(14..=60)), &mut steps);
    }
    if reach(Completed) {
        let day = add_days(steps[steps.len() - 1].1, g.rng.i64(45..=150)).min(ymd(year, 12, 20));
        add(Completed, day, &mut steps);
    }
    if target == Withdrawn {
        let day = add_days(steps[steps.len() - 1].1, g.rng.i64(5..=40));
        add(Withdrawn, day, &mut steps);
    }
    // Nothing happens after today: the initiative stands where today finds it.
    steps.retain(|s| s.1 <= g.today);
    if steps.is_empty() {
        steps.push((Idea, g.today));
    }
    steps
}

fn order(s: Stage) -> u8 {
    match s {
        Stage::Idea => 0,
        Stage::Discussion => 1,
        Stage::Application => 2,
        Stage::Selected | Stage::Rejected => 3,
        Stage::Implementation => 4,
        Stage::Completed => 5,
        Stage::Withdrawn => 6,
    }
}

/// The remark a stage change carries, as the office would write it.
pub(crate) fn note(g: &mut Gen, stage: Stage, on: NaiveDate) -> String {
    match stage {
        Stage::Idea => String::new(),
        Stage::Discussion => "Вынесено на сход граждан".into(),
        Stage::Application => format!("Заявка зарегистрирована, рег. № {}", g.rng.u16(1..=400)),
        Stage::Selected => format!("Протокол конкурсной комиссии № {} от {}", g.rng.u8(1..=12), on.format("%d.%m.%Y")),
        Stage::Rejected => "Не прошёл конкурсный отбор: недостаточно баллов".into(),
        Stage::Implementation => format!("Заключён муниципальный контракт № {}", g.rng.u16(1..=300)),
        Stage::Completed => "Объект принят комиссией с участием жителей".into(),
        Stage::Withdrawn => "Заявка отозвана инициатором".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::territory::{FIRST_YEAR, LAST_YEAR};

    #[test]
    fn stage_paths_are_allowed_moves_in_date_order_and_never_after_today() {
        let mut g = Gen::new(21, ymd(2025, 11, 1));
        for year in FIRST_YEAR..=LAST_YEAR {
            for _ in 0..500 {
                let steps = path(&mut g, year, None);
                assert_eq!(steps[0].0, Stage::Idea, "every initiative starts as an idea");
                for pair in steps.windows(2) {
                    assert!(pair[0].0.can_move_to(pair[1].0), "{:?} → {:?}", pair[0].0, pair[1].0);
                    assert!(pair[0].1 <= pair[1].1, "dates go forward: {steps:?}");
                }
                assert!(steps.iter().all(|s| s.1 <= g.today), "nothing after today: {steps:?}");
            }
        }
    }

    #[test]
    fn old_rounds_are_mostly_finished() {
        let mut g = Gen::new(22, ymd(2025, 11, 1));
        let finished = (0..1_000)
            .filter(|_| {
                let stage = path(&mut g, 2020, None).last().map(|s| s.0);
                matches!(stage, Some(Stage::Completed | Stage::Rejected | Stage::Withdrawn))
            })
            .count();
        assert!(finished > 850, "{finished} of 1000 projects of 2020 are finished");
    }
}
