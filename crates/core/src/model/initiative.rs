use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Id, Stamp, check_date, check_not_blank, check_not_negative, check_year};
use crate::codes::code_enum;
use crate::error::{FieldError, Problems};
use crate::model::CofinancingRules;
use crate::money::{FundingSource, Kopecks, Share, format_bp};

code_enum! {
    /// Where an initiative stands. Every change is dated and kept.
    Stage {
        Idea = "idea", "идея", "idea";
        Discussion = "discussion", "обсуждение", "discussion";
        Application = "application", "заявка", "application";
        Selected = "selected", "отобран", "selected";
        Rejected = "rejected", "не отобран", "rejected";
        Implementation = "implementation", "реализация", "implementation";
        Completed = "completed", "реализован", "completed";
        Withdrawn = "withdrawn", "отозван", "withdrawn";
    }
}

impl Stage {
    /// Whether an initiative may move from `self` to `to`.
    ///
    /// The path is idea → discussion → application → selected / rejected → implementation →
    /// completed; discussion may be skipped, a rejected project may be reworked as an idea, and
    /// any unfinished project may be withdrawn.
    pub fn can_move_to(self, to: Stage) -> bool {
        use Stage::*;
        match (self, to) {
            (Completed | Withdrawn, _) => false,
            (_, Withdrawn) => true,
            (Idea, Discussion | Application) => true,
            (Discussion, Application) => true,
            (Application, Selected | Rejected) => true,
            (Rejected, Idea) => true,
            (Selected, Implementation) => true,
            (Implementation, Completed) => true,
            _ => false,
        }
    }

    /// Stages from which the program's co-financing rules are binding: an application must
    /// comply, an idea may still be short.
    pub fn rules_binding(self) -> bool {
        matches!(self, Stage::Application | Stage::Selected | Stage::Implementation | Stage::Completed)
    }

    /// Stages whose money counts as attracted: not rejected, not withdrawn.
    pub fn counts_money(self) -> bool {
        !matches!(self, Stage::Rejected | Stage::Withdrawn)
    }
}

code_enum! {
    /// What is being built or repaired (тип объекта).
    ObjectType {
        WaterSupply = "water_supply", "водоснабжение", "water supply";
        Roads = "roads", "дороги и тротуары", "roads and pavements";
        StreetLighting = "street_lighting", "уличное освещение", "street lighting";
        Landscaping = "landscaping", "благоустройство", "landscaping";
        Culture = "culture", "культура", "culture";
        Sport = "sport", "спорт", "sport";
        Playground = "playground", "детская площадка", "playground";
        FireSafety = "fire_safety", "пожарная безопасность", "fire safety";
        BurialPlaces = "burial_places", "места захоронения", "burial places";
        Memorials = "memorials", "памятники и мемориалы", "memorials";
        Other = "other", "прочее", "other";
    }
}

code_enum! {
    /// Who put the initiative forward.
    InitiatorKind {
        Resident = "resident", "житель", "resident";
        VillageElder = "village_elder", "сельский староста", "village elder";
        Tos = "tos", "ТОС", "TOS (territorial self-government)";
        InitiativeGroup = "initiative_group", "инициативная группа", "initiative group";
        Ngo = "ngo", "НКО", "NGO";
        Business = "business", "предприниматель", "business";
        Administration = "administration", "администрация", "administration";
    }
}

/// Who put the initiative forward: a contact, a group, or both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Initiator {
    /// What kind of initiator.
    pub kind: InitiatorKind,
    /// Name of the group or person as written in the application.
    #[serde(default)]
    pub name: String,
    /// The contact behind it, if known.
    #[serde(default)]
    pub contact_id: Option<Id>,
}

/// Money from one source, planned and actual.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BudgetLine {
    /// The source.
    pub source: FundingSource,
    /// Planned amount.
    pub planned: Kopecks,
    /// Amount actually spent or received.
    #[serde(default)]
    pub actual: Kopecks,
    /// What a non-monetary contribution consists of, or any remark.
    #[serde(default)]
    pub note: String,
}

/// Contract and progress of an initiative being built.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Implementation {
    /// Contractor (подрядчик).
    #[serde(default)]
    pub contractor: String,
    /// Contract sum.
    #[serde(default)]
    pub contract_sum: Option<Kopecks>,
    /// Contract signed.
    #[serde(default)]
    pub contract_date: Option<NaiveDate>,
    /// Works start.
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    /// Works end (planned or actual).
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// Percent done, 0–100.
    #[serde(default)]
    pub percent_done: u8,
}

/// What a form supplies for an initiative.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InitiativeInput {
    /// Title.
    pub title: String,
    /// Registration number (номер заявки) in the program's registry, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub number: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Type of object.
    pub object_type: ObjectType,
    /// Where.
    pub territory_id: Id,
    /// The program it applies to, if any.
    #[serde(default)]
    pub program_id: Option<Id>,
    /// The program's year.
    pub year: i32,
    /// Who put it forward.
    pub initiator: Initiator,
    /// Declared total cost (общая стоимость); the planned budget lines must add up to it.
    pub total_cost: Kopecks,
    /// Money by source.
    #[serde(default)]
    pub budget: Vec<BudgetLine>,
    /// People who benefit (благополучатели).
    #[serde(default)]
    pub beneficiaries: i64,
    /// Residents who signed in support.
    #[serde(default)]
    pub supporters: i64,
    /// Votes received.
    #[serde(default)]
    pub votes: i64,
    /// Contract and progress.
    #[serde(default)]
    pub implementation: Implementation,
    /// Results, once done.
    #[serde(default)]
    pub results: String,
}

/// One dated stage change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StageChange {
    /// The stage before; none for the first entry.
    pub from: Option<Stage>,
    /// The stage after.
    pub to: Stage,
    /// The date the change took effect (e.g. the selection committee's decision).
    pub on: NaiveDate,
    /// Remark, e.g. the protocol's number.
    pub note: String,
    /// When it was recorded, ms since the epoch.
    pub recorded_at: i64,
}

/// A stored initiative, with its stage history and the program rules it breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Initiative {
    /// Id.
    pub id: Id,
    /// The editable fields.
    #[serde(flatten)]
    pub input: InitiativeInput,
    /// Current stage.
    pub stage: Stage,
    /// Since when.
    pub stage_on: NaiveDate,
    /// Every stage change, oldest first.
    pub stages: Vec<StageChange>,
    /// The program's rules this initiative breaks (warnings at idea and discussion; at later
    /// stages they stop it from being saved).
    pub flags: Vec<FieldError>,
    /// Sync stamp.
    pub stamp: Stamp,
}

impl InitiativeInput {
    /// Planned amount from `source`.
    pub fn planned(&self, source: FundingSource) -> Kopecks {
        self.budget.iter().filter(|l| l.source == source).map(|l| l.planned).sum()
    }

    /// Sum of planned lines.
    pub fn planned_total(&self) -> Kopecks {
        self.budget.iter().map(|l| l.planned).sum()
    }

    pub(crate) fn validate(&self, p: &mut Problems) {
        check_not_blank(p, "title", &self.title, "название проекта", "initiative's title");
        if let Some(n) = &self.number
            && (n.trim().is_empty() || n.chars().count() > 50)
        {
            p.push("number", "номер заявки — от 1 до 50 знаков", "an application number has 1 to 50 characters");
        }
        check_year(p, "year", self.year);
        if self.initiator.name.trim().is_empty() && self.initiator.contact_id.is_none() {
            p.push(
                "initiator",
                "укажите инициатора: контакт или название группы",
                "name the initiator: a contact or a group",
            );
        }
        for (field, v) in
            [("beneficiaries", self.beneficiaries), ("supporters", self.supporters), ("votes", self.votes)]
        {
            check_not_negative(p, field, v);
        }
        self.validate_budget(p);
        let imp = &self.implementation;
        if imp.percent_done > 100 {
            p.push("implementation.percent_done", "процент выполнения — от 0 до 100", "percent done is 0–100");
        }
        if imp.contract_sum.is_some_and(|k| k.0 < 0) {
            p.push("implementation.contract_sum", "сумма не может быть отрицательной", "the amount cannot be negative");
        }
        for (name, date) in
            [("contract_date", imp.contract_date), ("start_date", imp.start_date), ("end_date", imp.end_date)]
        {
            if let Some(d) = date {
                check_date(p, &format!("implementation.{name}"), d);
            }
        }
        if let (Some(start), Some(end)) = (imp.start_date, imp.end_date)
            && end < start
        {
            p.push("implementation.end_date", "окончание работ раньше их начала", "works end before they start");
        }
    }

    fn validate_budget(&self, p: &mut Problems) {
        let mut seen = std::collections::BTreeSet::new();
        let mut total = Some(Kopecks::ZERO);
        for line in &self.budget {
            let field = format!("budget.{}", line.source.as_str());
            if !seen.insert(line.source) {
                p.push(&field, "источник указан дважды", "the source is given twice");
            }
            if line.planned.0 < 0 || line.actual.0 < 0 {
                p.push(&field, "сумма не может быть отрицательной", "the amount cannot be negative");
            }
            total = total.and_then(|t| t.checked_add(line.planned));
        }
        if self.total_cost.0 < 0 {
            p.push("total_cost", "стоимость не может быть отрицательной", "the cost cannot be negative");
        }
        match total {
            None => p.push("budget", "сумма источников слишком велика", "the sources add up to too much"),
            Some(sum) if !self.budget.is_empty() && sum != self.total_cost => p.push(
                "budget",
                format!("сумма источников ({sum}) не равна общей стоимости проекта ({})", self.total_cost),
                format!("the sources add up to {sum}, not to the total cost {}", self.total_cost),
            ),
            Some(_) => {}
        }
    }

    /// The program's rules this initiative breaks, each tied to its budget field.
    pub fn rule_violations(&self, rules: &CofinancingRules) -> Vec<FieldError> {
        let mut p = Problems::default();
        let whole = self.planned_total();
        let minimums = [
            (FundingSource::Residents, rules.min_residents_share_bp, "жителей", "residents'"),
            (FundingSource::Business, rules.min_business_share_bp, "бизнеса", "business"),
            (FundingSource::Municipal, rules.min_municipal_share_bp, "местного бюджета", "municipal"),
        ];
        for (source, min_bp, who_ru, who_en) in minimums {
            if min_bp == 0 {
                continue;
            }
            let share = Share::of(self.planned(source), whole);
            if !share.at_least(min_bp) {
                p.push(
                    format!("budget.{}", source.as_str()),
                    format!(
                        "доля средств {who_ru} {} меньше минимальной по программе {}",
                        format_bp(share.basis_points_floor()),
                        format_bp(min_bp)
                    ),
                    format!(
                        "the {who_en} share {} is below the program's minimum {}",
                        format_bp(share.basis_points_floor()),
                        format_bp(min_bp)
                    ),
                );
            }
        }
        let subsidy: Kopecks = self.budget.iter().filter(|l| l.source.is_subsidy()).map(|l| l.planned).sum();
        if let Some(max_bp) = rules.max_subsidy_share_bp
            && !Share::of(subsidy, whole).at_most(max_bp)
        {
            p.push(
                "budget.regional",
                format!("субсидия превышает {} стоимости проекта", format_bp(max_bp)),
                format!("the subsidy exceeds {} of the project's cost", format_bp(max_bp)),
            );
        }
        if let Some(cap) = rules.max_subsidy_kopecks
            && subsidy > cap
        {
            p.push(
                "budget.regional",
                format!("субсидия {subsidy} больше предельной по программе {cap}"),
                format!("the subsidy {subsidy} exceeds the program's cap {cap}"),
            );
        }
        p.into_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(lines: &[(FundingSource, i64)]) -> InitiativeInput {
        let budget: Vec<BudgetLine> = lines
            .iter()
            .map(|&(source, rub)| BudgetLine {
                source,
                planned: Kopecks::rubles(rub),
                actual: Kopecks::ZERO,
                note: String::new(),
            })
            .collect();
        InitiativeInput {
            title: "Ремонт водопровода".into(),
            number: None,
            description: String::new(),
            object_type: ObjectType::WaterSupply,
            territory_id: Id::nil(),
            program_id: None,
            year: 2025,
            initiator: Initiator {
                kind: InitiatorKind::VillageElder,
                name: "Староста д. Ивановка".into(),
                contact_id: None,
            },
            total_cost: budget.iter().map(|l| l.planned).sum(),
            budget,
            beneficiaries: 300,
            supporters: 120,
            votes: 0,
            implementation: Implementation::default(),
            results: String::new(),
        }
    }

    fn errors(i: &InitiativeInput) -> Vec<FieldError> {
        let mut p = Problems::default();
        i.validate(&mut p);
        p.into_vec()
    }

    #[test]
    fn sources_must_add_up_to_the_total_cost() {
        let mut i = input(&[(FundingSource::Regional, 900_000), (FundingSource::Residents, 100_000)]);
        assert!(errors(&i).is_empty());
        i.total_cost = Kopecks::rubles(1_100_000);
        let e = errors(&i);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field, "budget");
        assert!(e[0].message.ru.contains("не равна общей стоимости"), "{}", e[0].message.ru);
    }

    #[test]
    fn residents_share_below_minimum_is_flagged_on_its_field() {
        let rules = CofinancingRules { min_residents_share_bp: 500, ..Default::default() };
        let ok = input(&[(FundingSource::Regional, 950_000), (FundingSource::Residents, 50_000)]);
        assert!(ok.rule_violations(&rules).is_empty(), "exactly 5 % meets a 5 % minimum");
        let short = input(&[(FundingSource::Regional, 960_000), (FundingSource::Residents, 40_000)]);
        let v = short.rule_violations(&rules);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].field, "budget.residents");
        assert!(v[0].message.ru.contains("4,00"), "{}", v[0].message.ru);
    }

    #[test]
    fn subsidy_cap_is_enforced() {
        let rules = CofinancingRules { max_subsidy_kopecks: Some(Kopecks::rubles(1_000_000)), ..Default::default() };
        let over = input(&[(FundingSource::Regional, 1_000_001), (FundingSource::Residents, 10)]);
        assert_eq!(over.rule_violations(&rules).len(), 1);
    }

    #[test]
    fn stages_follow_the_program_path() {
        use Stage::*;
        assert!(Idea.can_move_to(Discussion) && Idea.can_move_to(Application));
        assert!(Application.can_move_to(Selected) && Application.can_move_to(Rejected));
        assert!(!Idea.can_move_to(Completed), "an idea cannot jump to completed");
        assert!(!Completed.can_move_to(Withdrawn), "a completed project stays completed");
        assert!(Implementation.can_move_to(Withdrawn));
        for &s in Stage::ALL {
            assert!(!s.can_move_to(s), "{s:?} to itself is not a change");
        }
    }
}
