//! The wizard's first look at a file: its sheets, each sheet's header, each column's guessed
//! field, and the first rows as they will be read.

use serde::{Deserialize, Serialize};

use crate::fields::{Field, Kind, best_field};
use crate::header::{DataCells, Header, detect, is_totals_marker};
use crate::parse::MoneyUnit;
use crate::table::{Format, Source, Table, column_letter};

/// Rows shown in the preview.
pub const PREVIEW_ROWS: usize = 20;

/// A file as the wizard shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Workbook {
    /// The file's name.
    pub file: String,
    /// Its format.
    pub format: Format,
    /// What is being imported.
    pub kind: Kind,
    /// Its sheets in order.
    pub sheets: Vec<SheetSummary>,
    /// The sheet that fits the kind best (visible, most headings recognised, most rows).
    pub suggested_sheet: Option<String>,
}

/// One sheet as the wizard shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SheetSummary {
    /// Name.
    pub name: String,
    /// Hidden in the workbook.
    pub hidden: bool,
    /// The header's first row (1-based), if a table was found.
    pub header_row: Option<u32>,
    /// The first data row (1-based).
    pub data_row: Option<u32>,
    /// Rows below the header (blank rows left out).
    pub data_rows: u32,
    /// Headings recognised.
    pub recognised: u32,
    /// Columns of the table.
    pub columns: Vec<ColumnSummary>,
    /// The first rows, as text.
    pub preview: Vec<PreviewRow>,
}

/// One column as the wizard shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ColumnSummary {
    /// 0-based position.
    pub index: u32,
    /// Letter (A, B, …).
    pub letter: String,
    /// Heading (two levels joined with « / »).
    pub heading: String,
    /// Hidden in the workbook; guessed only if no visible column feeds the same field.
    pub hidden: bool,
    /// The field guessed from the heading.
    pub field: Option<Field>,
    /// For money: the unit the heading names.
    pub unit: MoneyUnit,
    /// How confident the guess is (0 = none).
    pub score: u32,
}

/// A data row as text, for the preview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PreviewRow {
    /// Row number (1-based).
    pub row: u32,
    /// Cells, one per column.
    pub cells: Vec<String>,
}

/// Looks at every sheet of `source` for a table of `kind`.
pub fn inspect(source: &Source, kind: Kind) -> Workbook {
    let sheets: Vec<SheetSummary> = source.tables.iter().map(|t| summarize(t, kind)).collect();
    let suggested_sheet = sheets
        .iter()
        .filter(|s| s.header_row.is_some() && s.data_rows > 0)
        .max_by_key(|s| (!s.hidden, s.recognised, s.data_rows))
        .map(|s| s.name.clone());
    Workbook { file: source.file_name(), format: source.format.clone(), kind, sheets, suggested_sheet }
}

/// A sheet's summary with the header found automatically.
pub(crate) fn summarize(table: &Table, kind: Kind) -> SheetSummary {
    match detect(table, kind) {
        Some(found) => summarize_with(table, kind, &found.header, found.recognised),
        None => SheetSummary {
            name: table.name.clone(),
            hidden: table.hidden,
            header_row: None,
            data_row: None,
            data_rows: 0,
            recognised: 0,
            columns: Vec::new(),
            preview: Vec::new(),
        },
    }
}

/// A sheet's summary for a given header.
pub(crate) fn summarize_with(table: &Table, kind: Kind, header: &Header, recognised: usize) -> SheetSummary {
    let mut columns: Vec<ColumnSummary> = header
        .names
        .iter()
        .enumerate()
        .map(|(i, heading)| {
            let guess = if heading.is_empty() { None } else { best_field(kind, heading) };
            ColumnSummary {
                index: i as u32,
                letter: column_letter(i as u32),
                heading: heading.clone(),
                hidden: table.hidden_columns.contains(&(i as u32)),
                field: guess.map(|g| g.0),
                unit: MoneyUnit::of_heading(heading),
                score: guess.map_or(0, |g| g.1),
            }
        })
        .collect();
    // One column per field (phones and the like excepted): the best fit wins, a visible column
    // over a hidden one, then the leftmost.
    for field in kind.fields().iter().filter(|f| !f.takes_many()) {
        let best = columns
            .iter()
            .filter(|c| c.field == Some(*field))
            .max_by_key(|c| (!c.hidden, c.score, std::cmp::Reverse(c.index)))
            .map(|c| c.index);
        for c in columns.iter_mut().filter(|c| c.field == Some(*field) && Some(c.index) != best) {
            c.field = None;
        }
    }
    // A column that lost its field to a better one takes the next field it fits, if that is
    // free: «Муниципальное образование» beside «Территория (населённый пункт)» is the district.
    let taken: Vec<Field> = columns.iter().filter_map(|c| c.field).collect();
    let mut second: Vec<Field> = Vec::new();
    for c in columns.iter_mut().filter(|c| c.field.is_none() && c.score > 0 && !c.hidden && !c.heading.is_empty()) {
        let busy: Vec<Field> = taken.iter().chain(&second).copied().collect();
        if let Some((field, score)) = crate::fields::best_field_but(kind, &c.heading, &busy) {
            if !field.takes_many() {
                second.push(field);
            }
            c.field = Some(field);
            c.score = score;
        }
    }
    for c in columns.iter_mut().filter(|c| c.hidden && c.field.is_some_and(Field::takes_many)) {
        c.field = None; // a hidden second phone column is usually an old one
    }
    let cells = DataCells::new(table, header.data_row);
    let rows = header.data_row..table.rows.len();
    let data: Vec<usize> = rows
        .filter(|&r| (0..columns.len()).any(|c| !cells.get(r, c).is_blank()))
        .filter(|&r| !(0..columns.len().min(4)).any(|c| is_totals_marker(cells.get(r, c))))
        .collect();
    let preview = data
        .iter()
        .take(PREVIEW_ROWS)
        .map(|&r| PreviewRow {
            row: r as u32 + 1,
            cells: (0..columns.len()).map(|c| crate::parse::shorten(&cells.get(r, c).display())).collect(),
        })
        .collect();
    SheetSummary {
        name: table.name.clone(),
        hidden: table.hidden,
        header_row: Some(header.first_row as u32 + 1),
        data_row: Some(header.data_row as u32 + 1),
        data_rows: data.len() as u32,
        recognised: recognised as u32,
        columns,
        preview,
    }
}
