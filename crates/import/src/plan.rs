//! Validation: every data row read and checked as the core would check it, nothing written.
//! The [`Plan`] says what will be added, what is already there, and what cannot be read.

use mestno_core::model::Id;
use mestno_core::store::Batch;
use mestno_core::{Lang, Text};
use serde::{Deserialize, Serialize};

use crate::fields::{Field, Kind};
use crate::territories::PlannedTerritory;

mod core_checks;
mod validation;

pub(crate) use core_checks::{entity, retain_indexed};
pub use validation::validate;

/// A row, or one cell of it, that cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Problem {
    /// The sheet.
    pub sheet: String,
    /// Row number as Excel shows it.
    pub row: u32,
    /// Column letter, when one cell is at fault.
    pub column: Option<String>,
    /// That column's heading.
    pub heading: Option<String>,
    /// What the cell holds (shortened).
    pub value: Option<String>,
    /// What is wrong.
    pub message: Text,
}

impl Problem {
    /// «Лист «Реестр», строка 12, столбец D («Общая стоимость»): …» in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        let (sheet, row, col) = match lang {
            Lang::Ru => ("лист", "строка", "столбец"),
            Lang::En => ("sheet", "row", "column"),
        };
        let mut s = format!("{sheet} «{}», {row} {}", self.sheet, self.row);
        if let Some(c) = &self.column {
            s.push_str(&format!(", {col} {c}"));
            if let Some(h) = self.heading.as_ref().filter(|h| !h.is_empty()) {
                s.push_str(&format!(" («{h}»)"));
            }
        }
        format!("{s}: {}", self.message.get(lang))
    }
}

/// A row left out on purpose: a totals row, a section heading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Skipped {
    /// Row number.
    pub row: u32,
    /// Why.
    pub reason: Text,
}

/// A row that is, or may be, a record already stored or given earlier in the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Duplicate {
    /// The row.
    pub row: u32,
    /// The name or title in the row.
    pub name: String,
    /// The stored record it matches, if it is stored.
    pub existing_id: Option<Id>,
    /// The earlier row of the same file it matches, if that is what it matches.
    pub existing_row: Option<u32>,
    /// The stored record's or the earlier row's name.
    pub existing_name: String,
    /// Why they look the same.
    pub reason: Text,
}

/// What an import would do, worked out without writing anything.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Plan {
    /// What is imported.
    pub kind: Kind,
    /// The file's name, written in the change history of every record.
    pub file: String,
    /// The sheet read.
    pub sheet: String,
    /// The header's first row.
    pub header_row: u32,
    /// The columns read, with their fields.
    pub columns: Vec<PlannedColumn>,
    /// Data rows looked at (blank rows not counted).
    pub rows_read: u32,
    /// The records to add, checked.
    pub batch: Batch,
    /// The row each record of `batch` comes from, in the batch's order.
    pub batch_rows: Vec<u32>,
    /// Everything that cannot be read or breaks a rule.
    pub problems: Vec<Problem>,
    /// The rows with problems.
    pub bad_rows: Vec<u32>,
    /// Totals rows and section headings left out.
    pub skipped: Vec<Skipped>,
    /// Rows that are records already stored (or given earlier in the file): not added again.
    pub matched: Vec<Duplicate>,
    /// Rows added that may be people already stored: shown for the user to merge.
    pub likely_duplicates: Vec<Duplicate>,
    /// Territories the file names that the office lacks. With the mapping's
    /// `create_territories` they are created with the import (they are in `batch`); without it
    /// the rows that need them are refused, and contacts keep the name in their address.
    pub new_territories: Vec<PlannedTerritory>,
    /// What the import does that the person should know, though nothing is refused: a contact
    /// whose settlement the office lacks keeps it as text in the address.
    pub warnings: Vec<Problem>,
    /// Stored initiatives the file brings back changed: what each field changes from and to
    /// (they are in `batch.updates`).
    pub updates: Vec<PlannedUpdate>,
    /// Fields the file would change that were changed in Mestno after the file was exported or
    /// last imported: not overwritten; their rows are refused (see `problems`).
    pub conflicts: Vec<Conflict>,
}

/// A stored initiative a registry brought back changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlannedUpdate {
    /// The row.
    pub row: u32,
    /// The stored initiative.
    pub id: Id,
    /// Its title.
    pub title: String,
    /// How it was matched: by its id column, or by title, territory and year.
    pub matched_by: Text,
    /// What changes.
    pub changes: Vec<FieldChange>,
}

/// One field changed: its name and both values, as a person reads them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldChange {
    /// The field, as the wizard names it.
    pub field: Text,
    /// The value stored.
    pub old: String,
    /// The value in the file.
    pub new: String,
}

/// A field changed both in Mestno (after the file was exported or last imported) and in the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Conflict {
    /// The row.
    pub row: u32,
    /// The stored initiative.
    pub id: Id,
    /// Its title.
    pub title: String,
    /// The field, as the wizard names it.
    pub field: Text,
    /// The value in Mestno now.
    pub in_mestno: String,
    /// The value in the file.
    pub in_file: String,
    /// Who changed it in Mestno.
    pub changed_by: String,
    /// When (milliseconds since the Unix epoch).
    pub changed_at: i64,
}

/// A column the plan reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlannedColumn {
    /// Letter.
    pub column: String,
    /// Heading.
    pub heading: String,
    /// Field.
    pub field: Field,
}

impl Plan {
    /// Records the file's rows would add (territories and meetings created with them aside).
    pub fn ready(&self) -> usize {
        self.batch.contacts.len() + self.batch.initiatives.len() + self.batch.events.len()
    }
}
