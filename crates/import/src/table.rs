//! A file as the import sees it: sheets of cells, whatever format they came in.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// One cell's value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    /// Nothing.
    #[default]
    Empty,
    /// Text (every CSV cell; numbers stored as text in a workbook).
    Text(String),
    /// A number.
    Number(f64),
    /// TRUE or FALSE.
    Bool(bool),
    /// A cell formatted as a date or time.
    Date(NaiveDateTime),
    /// An error a formula left (`#DIV/0!`, `#REF!`…).
    Error(String),
}

impl Value {
    /// Whether the cell holds nothing but spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as a person reads it (numbers without exponent, dates as dd.mm.yyyy).
    pub fn display(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.clone(),
            Value::Number(n) => number_text(*n),
            Value::Bool(b) => if *b { "ИСТИНА" } else { "ЛОЖЬ" }.into(),
            Value::Date(d) if d.time() == chrono::NaiveTime::MIN => d.format("%d.%m.%Y").to_string(),
            Value::Date(d) => d.format("%d.%m.%Y %H:%M").to_string(),
            Value::Error(e) => e.clone(),
        }
    }
}

/// A number as its shortest exact decimal, never in exponent form: `1234567.89`, `89131234567`.
pub(crate) fn number_text(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e17 {
        return format!("{}", n as i64);
    }
    let s = format!("{n}");
    if s.contains('e') || s.contains('E') { format!("{n:.6}") } else { s }
}

/// A merged block of cells, 0-based and inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Region {
    /// First row.
    pub first_row: u32,
    /// First column.
    pub first_col: u32,
    /// Last row.
    pub last_row: u32,
    /// Last column.
    pub last_col: u32,
}

impl Region {
    /// Whether the block covers the cell.
    pub fn contains(&self, row: u32, col: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row) && (self.first_col..=self.last_col).contains(&col)
    }

    /// Columns the block spans.
    pub fn width(&self) -> u32 {
        self.last_col - self.first_col + 1
    }
}

/// One sheet: its cells row by row (row 0 is the sheet's first row, so numbers match Excel's),
/// merged blocks, hidden columns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// The sheet's name (the file's name for a CSV).
    pub name: String,
    /// Rows of cells; rows may be of different lengths.
    pub rows: Vec<Vec<Value>>,
    /// Merged blocks.
    pub merged: Vec<Region>,
    /// Columns hidden in the workbook, 0-based.
    pub hidden_columns: BTreeSet<u32>,
    /// Whether the sheet itself is hidden.
    pub hidden: bool,
}

impl Table {
    /// The cell at `row`, `col` (0-based); empty past the end.
    pub fn cell(&self, row: usize, col: usize) -> &Value {
        static EMPTY: Value = Value::Empty;
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&EMPTY)
    }

    /// The widest row's length.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// Whether no cell holds anything.
    pub fn is_blank(&self) -> bool {
        self.rows.iter().all(|r| r.iter().all(Value::is_blank))
    }
}

/// The kind of file a [`Source`] was read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ImportFormat"))]
#[serde(tag = "format", rename_all = "snake_case")]
pub enum Format {
    /// Excel 2007 and later.
    Xlsx,
    /// Excel 97–2003.
    Xls,
    /// OpenDocument (LibreOffice).
    Ods,
    /// Text with separators.
    Csv {
        /// `utf-8`, `windows-1251` or `utf-16`.
        encoding: String,
        /// The separator found.
        delimiter: char,
    },
}

/// A file read into memory, every sheet: what the wizard inspects, maps and validates.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// Where it was read from.
    pub path: PathBuf,
    /// What kind of file it was.
    pub format: Format,
    /// Its sheets, in the workbook's order.
    pub tables: Vec<Table>,
}

impl Source {
    /// The file's name, for messages and the change history.
    pub fn file_name(&self) -> String {
        file_name(&self.path)
    }

    /// The sheet called `name` (case and «ё» ignored).
    pub fn table(&self, name: &str) -> Option<&Table> {
        let key = mestno_core::text::fold(name);
        self.tables.iter().find(|t| mestno_core::text::fold(&t.name) == key)
    }
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// A column's letters as Excel shows them: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_in_excel() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(16_383), "XFD", "Excel's last column");
    }

    #[test]
    fn numbers_read_as_a_person_wrote_them() {
        assert_eq!(number_text(89_131_234_567.0), "89131234567", "a phone stored as a number keeps its digits");
        assert_eq!(number_text(1_234_567.89), "1234567.89");
        assert_eq!(number_text(0.1 + 0.2), "0.30000000000000004", "the shortest exact form, rounded later");
    }
}
