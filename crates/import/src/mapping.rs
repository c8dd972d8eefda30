//! Which column feeds which field: guessed from the headings, corrected by the user, saved as
//! JSON and used again next year — when the columns may have moved, so a saved column is found by
//! its heading first and by its letter only if no heading matches.

use std::collections::HashSet;
use std::path::Path;

use mestno_core::model::{EventKind, ObjectType, Role, Stage};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fields::{Field, Kind};
use crate::inspect::SheetSummary;
use crate::parse::MoneyUnit;
use crate::table::column_letter;

/// How a file's columns become records' fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Mapping {
    /// What the rows are.
    pub kind: Kind,
    /// The sheet to read; the best-fitting one when not given.
    #[serde(default)]
    pub sheet: Option<String>,
    /// The header's first row as Excel numbers it (1-based); found automatically when not given.
    #[serde(default)]
    pub header_row: Option<u32>,
    /// Columns mapped (or explicitly ignored, `field: null`). Columns not listed are guessed
    /// from their headings.
    #[serde(default)]
    pub columns: Vec<ColumnMapping>,
    /// Values for fields no column gives.
    #[serde(default)]
    pub defaults: Defaults,
    /// Create the territories the file names that the office lacks, with the import (see
    /// [`crate::Plan::new_territories`]); without it their rows are refused.
    #[serde(default)]
    pub create_territories: bool,
}

/// One column's mapping.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ColumnMapping {
    /// The column's heading, as it was when the mapping was made.
    #[serde(default)]
    pub heading: String,
    /// Its letter (A, B, … AA), used when no column has that heading.
    #[serde(default)]
    pub column: Option<String>,
    /// The field it feeds; `null` to ignore the column.
    pub field: Option<Field>,
    /// For money: roubles, thousands or millions.
    #[serde(default)]
    pub unit: Option<MoneyUnit>,
}

/// Values for fields the file does not have.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct Defaults {
    /// Territory for rows without one (its name).
    pub territory: Option<String>,
    /// Program (its code, e.g. ППМИ) for initiatives.
    pub program: Option<String>,
    /// Year of initiatives without one.
    pub year: Option<i32>,
    /// Stage of initiatives without one (application by default).
    pub stage: Option<Stage>,
    /// Type of object when neither a column nor the title tells.
    pub object_type: Option<ObjectType>,
    /// Kind of event when neither a column nor the title tells.
    pub event_kind: Option<EventKind>,
    /// Role every imported contact gets (e.g. village elder for a list of elders).
    pub role: Option<Role>,
    /// The purpose written on consents imported from a consent-date column.
    pub consent_purpose: Option<String>,
}

/// A column of the sheet as the import reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Column {
    pub index: usize,
    pub field: Field,
    pub unit: MoneyUnit,
}

impl Mapping {
    /// A mapping that gives nothing: the sheet, header and every column are found from the file.
    pub fn guessed(kind: Kind) -> Mapping {
        Mapping {
            kind,
            sheet: None,
            header_row: None,
            columns: Vec::new(),
            defaults: Defaults::default(),
            create_territories: false,
        }
    }

    /// The mapping the wizard starts from: the guesses shown for `sheet`. The header row is left
    /// to be found again, so that a saved mapping fits next year's file with a longer title.
    pub fn from_guess(kind: Kind, sheet: &SheetSummary) -> Mapping {
        Mapping {
            kind,
            sheet: Some(sheet.name.clone()),
            header_row: None,
            columns: sheet
                .columns
                .iter()
                .filter(|c| !c.heading.is_empty() || c.field.is_some())
                .map(|c| ColumnMapping {
                    heading: c.heading.clone(),
                    column: Some(c.letter.clone()),
                    field: c.field,
                    unit: c.field.filter(|f| f.is_money()).map(|_| c.unit),
                })
                .collect(),
            defaults: Defaults::default(),
            create_territories: false,
        }
    }

    /// This mapping spelled out for `sheet`: one entry per column of the sheet, with the field
    /// the mapping gives it (its own entry, found by heading, else by letter) or else the guess —
    /// what the wizard shows for the person to correct, and what is saved for next time. The
    /// header row is kept only for the sheet the mapping was made on.
    pub fn for_sheet(&self, sheet: &SheetSummary) -> Result<Mapping> {
        let names: Vec<String> = sheet.columns.iter().map(|c| c.heading.clone()).collect();
        let resolved = self.resolve(&names, sheet)?;
        let columns = sheet
            .columns
            .iter()
            .map(|c| {
                let read = resolved.iter().find(|r| r.index == c.index as usize);
                ColumnMapping {
                    heading: c.heading.clone(),
                    column: Some(c.letter.clone()),
                    field: read.map(|r| r.field),
                    unit: read.filter(|r| r.field.is_money()).map(|r| r.unit),
                }
            })
            .collect();
        let same_sheet = self.sheet.as_deref() == Some(sheet.name.as_str());
        Ok(Mapping {
            kind: self.kind,
            sheet: Some(sheet.name.clone()),
            header_row: self.header_row.filter(|_| same_sheet),
            columns,
            defaults: self.defaults.clone(),
            create_territories: self.create_territories,
        })
    }

    /// Reads a mapping saved as JSON.
    pub fn load(path: &Path) -> Result<Mapping> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        serde_json::from_str(&text).map_err(|e| {
            Error::mapping(
                format!("файл «{}» не читается (строка {}, столбец {}): {e}", path.display(), e.line(), e.column()),
                format!("«{}» cannot be read (line {}, column {}): {e}", path.display(), e.line(), e.column()),
            )
        })
    }

    /// Saves the mapping as JSON, for next time.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(|e| Error::mapping(e.to_string(), e.to_string()))?;
        std::fs::write(path, text).map_err(|source| Error::Io { path: path.to_path_buf(), source })
    }

    /// The columns of a sheet with headings `names`, each with its field: the mapping's own
    /// columns first, then guesses (in `summary`) for the columns it does not mention.
    pub(crate) fn resolve(&self, names: &[String], summary: &SheetSummary) -> Result<Vec<Column>> {
        let mut taken: HashSet<usize> = HashSet::new();
        let mut out = Vec::new();
        let fields = self.kind.fields();
        for m in &self.columns {
            let by_heading = (!m.heading.trim().is_empty())
                .then(|| {
                    let key = crate::fields::words(&m.heading);
                    (0..names.len()).find(|&i| !taken.contains(&i) && crate::fields::words(&names[i]) == key)
                })
                .flatten();
            let index = match by_heading {
                Some(i) => Some(i),
                None => match &m.column {
                    Some(letter) => Some(letter_index(letter).ok_or_else(|| {
                        Error::mapping(
                            format!("«{letter}» — не буква столбца"),
                            format!("«{letter}» is not a column letter"),
                        )
                    })?),
                    None => None,
                },
            };
            let Some(index) = index else {
                return Err(Error::mapping(
                    format!("в таблице нет столбца «{}»", m.heading),
                    format!("the table has no column «{}»", m.heading),
                ));
            };
            if let Some(field) = m.field
                && !fields.contains(&field)
            {
                return Err(Error::mapping(
                    format!(
                        "поле «{}» не бывает у записей вида «{}»",
                        field.label(mestno_core::Lang::Ru),
                        self.kind.label(mestno_core::Lang::Ru)
                    ),
                    format!("«{}» is not a field of {}", field.as_str(), self.kind.label(mestno_core::Lang::En)),
                ));
            }
            taken.insert(index);
            if let Some(field) = m.field {
                let unit = m.unit.unwrap_or_else(|| MoneyUnit::of_heading(names.get(index).map_or("", String::as_str)));
                out.push(Column { index, field, unit });
            }
        }
        let chosen: HashSet<Field> = out.iter().map(|c| c.field).collect();
        for c in &summary.columns {
            let index = c.index as usize;
            if taken.contains(&index) {
                continue;
            }
            if let Some(field) = c.field
                && (field.takes_many() || !chosen.contains(&field))
            {
                out.push(Column { index, field, unit: c.unit });
            }
        }
        let mut single = HashSet::new();
        for c in &out {
            if !c.field.takes_many() && !single.insert(c.field) {
                return Err(Error::mapping(
                    format!("поле «{}» сопоставлено нескольким столбцам", c.field.label(mestno_core::Lang::Ru)),
                    format!("«{}» is mapped to several columns", c.field.as_str()),
                ));
            }
        }
        out.sort_by_key(|c| c.index);
        Ok(out)
    }
}

/// `A` → 0, `AA` → 26.
pub(crate) fn letter_index(letter: &str) -> Option<usize> {
    let letter = letter.trim().to_ascii_uppercase();
    if letter.is_empty() || letter.len() > 3 || !letter.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let n = letter.bytes().fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1));
    (n <= 16_384).then(|| n - 1).filter(|&i| column_letter(i as u32) == letter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_indexes_agree() {
        assert_eq!(letter_index("A"), Some(0));
        assert_eq!(letter_index("aa"), Some(26));
        assert_eq!(letter_index("XFD"), Some(16_383));
        assert_eq!(letter_index("Ж"), None);
        assert_eq!(letter_index("XFE"), None, "past Excel's last column");
    }

    fn column(index: u32, heading: &str, field: Option<Field>) -> crate::inspect::ColumnSummary {
        crate::inspect::ColumnSummary {
            index,
            letter: column_letter(index),
            heading: heading.into(),
            hidden: false,
            field,
            unit: MoneyUnit::of_heading(heading),
            score: u32::from(field.is_some()),
        }
    }

    #[test]
    fn a_saved_mapping_is_spelled_out_for_next_years_sheet() {
        // Last year: «Примечание» was ignored on purpose and «Тел.» was mapped by hand.
        let saved = Mapping {
            kind: Kind::Contacts,
            sheet: Some("2025".into()),
            header_row: Some(4),
            columns: vec![
                ColumnMapping {
                    heading: "Примечание".into(), column: Some("C".into()), field: None, unit: None
                },
                ColumnMapping {
                    heading: "Тел.".into(),
                    column: Some("B".into()),
                    field: Some(Field::Phone),
                    unit: None,
                },
            ],
            defaults: Defaults { role: Some(Role::VillageElder), ..Default::default() },
            create_territories: false,
        };
        // This year the columns moved and a column of e-mails came in, guessed from its heading.
        let sheet = SheetSummary {
            name: "2026".into(),
            hidden: false,
            header_row: Some(2),
            data_row: Some(3),
            data_rows: 10,
            recognised: 3,
            columns: vec![
                column(0, "Тел.", None),
                column(1, "ФИО", Some(Field::FullName)),
                column(2, "E-mail", Some(Field::Email)),
                column(3, "Примечание", Some(Field::Notes)),
            ],
            preview: Vec::new(),
        };
        let spelled = saved.for_sheet(&sheet).unwrap();
        let fields: Vec<(String, Option<Field>)> =
            spelled.columns.iter().map(|c| (c.column.clone().unwrap(), c.field)).collect();
        assert_eq!(
            fields,
            [
                ("A".into(), Some(Field::Phone)),
                ("B".into(), Some(Field::FullName)),
                ("C".into(), Some(Field::Email)),
                ("D".into(), None),
            ],
            "the hand-made choices follow their headings; the rest are guessed"
        );
        assert_eq!(spelled.sheet.as_deref(), Some("2026"));
        assert_eq!(spelled.header_row, None, "last year's header row is not this sheet's");
        assert_eq!(spelled.defaults, saved.defaults);
    }

    #[test]
    fn a_mapping_survives_a_round_trip_through_json() {
        let m = Mapping {
            kind: Kind::Contacts,
            sheet: Some("Старосты".into()),
            header_row: Some(3),
            columns: vec![ColumnMapping {
                heading: "Тел. (сотовый)".into(),
                column: Some("D".into()),
                field: Some(Field::Phone),
                unit: None,
            }],
            defaults: Defaults { role: Some(Role::VillageElder), ..Default::default() },
            create_territories: false,
        };
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.contains("\"field\":\"phone\""), "mapping files name fields by code: {json}");
        assert_eq!(serde_json::from_str::<Mapping>(&json).unwrap(), m);
        let short: Mapping = serde_json::from_str(
            r#"{"kind": "initiatives", "columns": [{"heading": "Сумма", "field": "total_cost"}]}"#,
        )
        .unwrap();
        assert_eq!(short.columns[0].field, Some(Field::TotalCost), "a hand-written mapping needs only what it fixes");
    }
}
