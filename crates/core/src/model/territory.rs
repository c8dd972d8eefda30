use serde::{Deserialize, Serialize};

use super::{Id, Stamp, check_not_blank, check_not_negative, check_year};
use crate::codes::code_enum;
use crate::error::Problems;

code_enum! {
    /// The level of a territory in the region → district → settlement hierarchy.
    TerritoryKind {
        Region = "region", "регион", "region";
        District = "district", "муниципальный район", "municipal district";
        MunicipalOkrug = "municipal_okrug", "муниципальный округ", "municipal okrug";
        UrbanOkrug = "urban_okrug", "городской округ", "urban okrug";
        UrbanSettlement = "urban_settlement", "городское поселение", "urban settlement";
        RuralSettlement = "rural_settlement", "сельское поселение", "rural settlement";
        Locality = "locality", "населённый пункт", "locality";
    }
}

/// A territory's population in one year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Population {
    /// The year.
    pub year: i32,
    /// Number of residents (численность населения).
    pub population: i64,
}

/// What a form supplies for a territory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TerritoryInput {
    /// The territory it belongs to; none for the top (the region).
    #[serde(default)]
    pub parent_id: Option<Id>,
    /// Its level.
    pub kind: TerritoryKind,
    /// Official name, e.g. «Абанский район», «с. Берёзовка».
    pub name: String,
    /// OKTMO code, if known.
    #[serde(default)]
    pub oktmo: String,
    /// Population by year.
    #[serde(default)]
    pub population: Vec<Population>,
}

/// A stored territory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Territory {
    /// Id.
    pub id: Id,
    /// The editable fields.
    #[serde(flatten)]
    pub input: TerritoryInput,
    /// Sync stamp.
    pub stamp: Stamp,
}

impl TerritoryInput {
    pub(crate) fn validate(&self, p: &mut Problems) {
        check_not_blank(p, "name", &self.name, "название территории", "territory's name");
        if !matches!(self.oktmo.len(), 0 | 8 | 11) {
            p.push("oktmo", "код ОКТМО состоит из 8 или 11 цифр", "an OKTMO code has 8 or 11 digits");
        } else if !self.oktmo.chars().all(|c| c.is_ascii_digit()) {
            p.push("oktmo", "код ОКТМО состоит только из цифр", "an OKTMO code has digits only");
        }
        let mut years = std::collections::BTreeSet::new();
        for (i, row) in self.population.iter().enumerate() {
            check_year(p, &format!("population[{i}].year"), row.year);
            check_not_negative(p, &format!("population[{i}].population"), row.population);
            if !years.insert(row.year) {
                p.push(
                    format!("population[{i}].year"),
                    format!("численность за {} год указана дважды", row.year),
                    format!("population for {} is given twice", row.year),
                );
            }
        }
    }
}

/// The population of the territories `roots` together, by the office's rule: a territory's own
/// figure (`own`) where it has one, otherwise the sum of its parts (`parts`) — so a district
/// counted from its settlements is not counted twice. The dashboard and the reports both count
/// this way.
pub fn population_by_parts<'a>(
    roots: impl IntoIterator<Item = Id>,
    own: impl Fn(Id) -> Option<i64>,
    parts: impl Fn(Id) -> &'a [Id],
) -> i64 {
    let (mut total, mut stack): (i64, Vec<Id>) = (0, roots.into_iter().collect());
    while let Some(t) = stack.pop() {
        match own(t) {
            Some(p) => total += p,
            None => stack.extend_from_slice(parts(t)),
        }
    }
    total
}
