use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Id, Stamp, check_date, check_not_blank, check_year};
use crate::codes::code_enum;
use crate::error::Problems;
use crate::money::{FULL_BP, Kopecks};

code_enum! {
    /// The family a support program belongs to.
    ProgramKind {
        Ppmi = "ppmi", "ППМИ (поддержка местных инициатив)", "Local initiatives support (PPMI)";
        PeopleBudget = "people_budget", "«Народный бюджет»", "People's budget";
        TosContest = "tos_contest", "конкурс проектов ТОС и старост", "TOS and village elders contest";
        Civic5050 = "civic_50_50", "«Гражданская инициатива 50/50»", "Civic initiative 50/50";
        ComfortableEnvironment = "comfortable_environment", "ФКГС (комфортная городская среда)", "Comfortable urban environment";
        Other = "other", "другая программа", "other program";
    }
}

/// A program's co-financing rules; an initiative that breaks them is flagged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CofinancingRules {
    /// Minimum share of residents' money, basis points (500 = 5 %).
    #[serde(default)]
    pub min_residents_share_bp: u32,
    /// Minimum share of business money, basis points.
    #[serde(default)]
    pub min_business_share_bp: u32,
    /// Minimum share of the municipal budget, basis points.
    #[serde(default)]
    pub min_municipal_share_bp: u32,
    /// Largest share of the subsidy (federal + regional), basis points.
    #[serde(default)]
    pub max_subsidy_share_bp: Option<u32>,
    /// Largest subsidy (federal + regional) per project.
    #[serde(default)]
    pub max_subsidy_kopecks: Option<Kopecks>,
}

/// One year's round of a program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgramCycle {
    /// The year.
    pub year: i32,
    /// Applications open.
    #[serde(default)]
    pub applications_open: Option<NaiveDate>,
    /// Applications close.
    #[serde(default)]
    pub applications_close: Option<NaiveDate>,
    /// Money the program has for the year.
    #[serde(default)]
    pub fund_kopecks: Option<Kopecks>,
}

/// What a form supplies for a program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgramInput {
    /// Short code used in commands and reports, e.g. `ППМИ-2025` or `PPMI`.
    pub code: String,
    /// Full name.
    pub name: String,
    /// Family.
    pub kind: ProgramKind,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// Co-financing rules.
    #[serde(default)]
    pub rules: CofinancingRules,
    /// Yearly rounds.
    #[serde(default)]
    pub cycles: Vec<ProgramCycle>,
}

/// A stored program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Program {
    /// Id.
    pub id: Id,
    /// The editable fields.
    #[serde(flatten)]
    pub input: ProgramInput,
    /// Sync stamp.
    pub stamp: Stamp,
}

impl ProgramInput {
    pub(crate) fn validate(&self, p: &mut Problems) {
        check_not_blank(p, "code", &self.code, "код программы", "program's code");
        check_not_blank(p, "name", &self.name, "название программы", "program's name");
        let rules = &self.rules;
        for (field, bp) in [
            ("rules.min_residents_share_bp", Some(rules.min_residents_share_bp)),
            ("rules.min_business_share_bp", Some(rules.min_business_share_bp)),
            ("rules.min_municipal_share_bp", Some(rules.min_municipal_share_bp)),
            ("rules.max_subsidy_share_bp", rules.max_subsidy_share_bp),
        ] {
            if bp.is_some_and(|bp| bp > FULL_BP) {
                p.push(field, "доля не может превышать 100 %", "a share cannot exceed 100 %");
            }
        }
        let minimums = rules.min_residents_share_bp + rules.min_business_share_bp + rules.min_municipal_share_bp;
        if minimums > FULL_BP {
            p.push("rules", "минимальные доли в сумме превышают 100 %", "the minimum shares add up to more than 100 %");
        }
        if rules.max_subsidy_kopecks.is_some_and(|k| k.0 < 0) {
            p.push("rules.max_subsidy_kopecks", "сумма не может быть отрицательной", "the amount cannot be negative");
        }
        let mut years = std::collections::BTreeSet::new();
        for (i, c) in self.cycles.iter().enumerate() {
            check_year(p, &format!("cycles[{i}].year"), c.year);
            if !years.insert(c.year) {
                p.push(
                    format!("cycles[{i}].year"),
                    "этот год уже есть в программе",
                    "this year is already in the program",
                );
            }
            for (name, date) in
                [("applications_open", c.applications_open), ("applications_close", c.applications_close)]
            {
                if let Some(d) = date {
                    check_date(p, &format!("cycles[{i}].{name}"), d);
                }
            }
            if let (Some(open), Some(close)) = (c.applications_open, c.applications_close)
                && close < open
            {
                p.push(
                    format!("cycles[{i}].applications_close"),
                    "приём заявок не может закончиться раньше, чем начался",
                    "applications cannot close before they open",
                );
            }
            if c.fund_kopecks.is_some_and(|k| k.0 < 0) {
                p.push(
                    format!("cycles[{i}].fund_kopecks"),
                    "сумма не может быть отрицательной",
                    "the amount cannot be negative",
                );
            }
        }
    }
}
