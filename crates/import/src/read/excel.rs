//! Workbooks through calamine: xlsx (streamed cell by cell), xls and ods.

use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use calamine::{Data, DataRef, Dimensions, ExcelDateTime, Ods, Reader, SheetType, SheetVisible, Xls, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};

use super::Budget;
use super::xlsx_columns::hidden_columns;
use crate::error::{Error, Result};
use crate::table::{Format, Region, Source, Table, Value};

/// Excel's own limits: rows and columns a sheet can have.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLS: u32 = 16_384;

/// A zip container: xlsx, or else ods. Any other zip — a Word document, a presentation, an
/// archive of files — is no table (not a damaged one).
pub(super) fn read_zip(path: &Path, bytes: Vec<u8>) -> Result<Source> {
    if !holds_a_workbook(&bytes) {
        return Err(Error::NotSpreadsheet { path: path.to_path_buf() });
    }
    guarded(path, || match Xlsx::new(Cursor::new(bytes.as_slice())) {
        Ok(book) => read_xlsx(path, &bytes, book),
        Err(xlsx_error) => match Ods::new(Cursor::new(bytes.as_slice())) {
            Ok(book) => read_dense(path, Format::Ods, book, |_, _| Vec::new()),
            Err(_) => Err(damaged(path, xlsx_error)),
        },
    })
}

/// Whether the zip container `bytes` holds a workbook: a part named `…workbook.xml` (an xlsx
/// keeps it at `xl/workbook.xml`; calamine finds it by `_rels/.rels` wherever it is) or
/// `…workbook.bin` (xlsb), or the `mimetype` of an OpenDocument spreadsheet (an ods without one
/// is read for its `content.xml`). A .docx keeps `word/document.xml`, an .odt says it is text. A
/// container the zip reader cannot open may be a workbook cut short: calamine says how.
fn holds_a_workbook(bytes: &[u8]) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return true;
    };
    let workbook = zip.file_names().flatten().any(|name| {
        let name = name.to_ascii_lowercase();
        name.ends_with("workbook.xml") || name.ends_with("workbook.bin")
    });
    if workbook {
        return true;
    }
    if zip.index_for_name("mimetype").is_none() {
        return zip.file_names().flatten().any(|name| name == "content.xml");
    }
    let mut mimetype = Vec::new();
    match zip.by_name("mimetype") {
        Ok(part) => match part.take(64).read_to_end(&mut mimetype) {
            Ok(_) => mimetype.starts_with(b"application/vnd.oasis.opendocument.spreadsheet"),
            Err(_) => true,
        },
        Err(_) => true,
    }
}

/// An OLE container: Excel 97–2003.
pub(super) fn read_xls(path: &Path, bytes: Vec<u8>) -> Result<Source> {
    guarded(path, || {
        let book = Xls::new(Cursor::new(bytes.as_slice())).map_err(|e| damaged(path, e))?;
        read_dense(path, Format::Xls, book, |book, name| {
            book.merge_cells_by_sheet_name(name).map(|m| m.iter().map(region).collect()).unwrap_or_default()
        })
    })
}

/// Runs a reader, turning a panic inside a third-party parser into "the file is damaged": a
/// malformed file must never take the app down.
fn guarded(path: &Path, read: impl FnOnce() -> Result<Source>) -> Result<Source> {
    catch_unwind(AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(Error::Damaged { path: path.to_path_buf(), detail: "не удалось разобрать".into() })
    })
}

fn damaged(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Damaged { path: path.to_path_buf(), detail: e.to_string().chars().take(300).collect() }
}

fn region(d: &Dimensions) -> Region {
    Region { first_row: d.start.0, first_col: d.start.1, last_row: d.end.0, last_col: d.end.1 }
}

/// Cells collected one by one, with the cells and the memory they take kept in check (over
/// all sheets: the budget goes from one sheet's grid to the next).
struct Grid<'b> {
    rows: Vec<Vec<Value>>,
    budget: &'b mut Budget,
}

impl Grid<'_> {
    fn set(&mut self, path: &Path, row: u32, col: u32, value: Value) -> Result<()> {
        if value.is_blank() {
            return Ok(());
        }
        if row >= MAX_ROWS || col >= MAX_COLS {
            return Err(damaged(path, format!("ячейка за пределами листа (строка {}, столбец {})", row + 1, col + 1)));
        }
        let (row, col) = (row as usize, col as usize);
        if self.rows.len() <= row {
            let ok = (self.rows.len()..=row).all(|_| self.budget.row());
            if !ok {
                return Err(self.budget.exceeded(path));
            }
            self.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.rows[row];
        if cells.len() <= col && !self.budget.cells(col + 1 - cells.len()) {
            return Err(self.budget.exceeded(path));
        }
        if !self.budget.value(&value) {
            return Err(self.budget.exceeded(path));
        }
        if cells.len() <= col {
            cells.resize(col + 1, Value::Empty);
        }
        cells[col] = value;
        Ok(())
    }
}

fn read_xlsx(path: &Path, bytes: &[u8], mut book: Xlsx<Cursor<&[u8]>>) -> Result<Source> {
    let sheets = book.sheets_metadata().to_vec();
    let mut tables = Vec::new();
    let mut budget = Budget::default();
    for sheet in sheets.iter().filter(|s| s.typ == SheetType::WorkSheet) {
        let mut grid = Grid { rows: Vec::new(), budget: &mut budget };
        {
            let mut reader = book.worksheet_cells_reader(&sheet.name).map_err(|e| damaged(path, e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| damaged(path, e))? {
                let (row, col) = cell.get_position();
                grid.set(path, row, col, from_ref(cell.get_value()))?;
            }
        }
        let rows = grid.rows;
        let merged = book.merge_cells_by_sheet_name(&sheet.name).map_err(|e| damaged(path, e))?;
        tables.push(Table {
            name: sheet.name.clone(),
            rows,
            merged: merged.iter().map(region).collect(),
            hidden_columns: hidden_columns(bytes, &sheet.name),
            hidden: sheet.visible != SheetVisible::Visible,
        });
    }
    Ok(Source { path: path.to_path_buf(), format: Format::Xlsx, tables })
}

fn read_dense<'a, R: Reader<Cursor<&'a [u8]>>>(
    path: &Path,
    format: Format,
    mut book: R,
    merges: impl Fn(&R, &str) -> Vec<Region>,
) -> Result<Source>
where
    R::Error: std::fmt::Display,
{
    let sheets = book.sheets_metadata().to_vec();
    let mut tables = Vec::new();
    let mut budget = Budget::default();
    for sheet in sheets.iter().filter(|s| s.typ == SheetType::WorkSheet) {
        let range = book.worksheet_range(&sheet.name).map_err(|e| damaged(path, e))?;
        let mut grid = Grid { rows: Vec::new(), budget: &mut budget };
        if let Some((row0, col0)) = range.start() {
            for (r, cells) in range.rows().enumerate() {
                for (c, v) in cells.iter().enumerate() {
                    grid.set(path, row0 + r as u32, col0 + c as u32, from_data(v))?;
                }
            }
        }
        let rows = grid.rows;
        tables.push(Table {
            name: sheet.name.clone(),
            rows,
            merged: merges(&book, &sheet.name),
            hidden_columns: Default::default(),
            hidden: sheet.visible != SheetVisible::Visible,
        });
    }
    Ok(Source { path: path.to_path_buf(), format, tables })
}

fn from_ref(v: &DataRef<'_>) -> Value {
    match v {
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::String(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(d) => excel_date(d),
        DataRef::DateTimeIso(s) => iso(s),
        DataRef::DurationIso(s) => Value::Text(s.clone()),
        DataRef::Error(e) => Value::Error(e.to_string()),
        DataRef::Empty => Value::Empty,
    }
}

fn from_data(v: &Data) -> Value {
    match v {
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => excel_date(d),
        Data::DateTimeIso(s) => iso(s),
        Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Error(e.to_string()),
        Data::Empty => Value::Empty,
    }
}

/// A cell formatted as a date: its calendar date and time (1900 or 1904 epoch alike).
fn excel_date(d: &ExcelDateTime) -> Value {
    if !d.is_datetime() || !(0.0..2_958_466.0).contains(&d.as_f64()) {
        return Value::Number(d.as_f64());
    }
    let (y, m, day, h, min, s, _) = d.to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day))
        .and_then(|date| date.and_hms_opt(u32::from(h), u32::from(min), u32::from(s)))
        .map(Value::Date)
        .unwrap_or(Value::Number(d.as_f64()))
}

fn iso(s: &str) -> Value {
    if let Ok(dt) = s.parse::<NaiveDateTime>() {
        return Value::Date(dt);
    }
    if let Ok(d) = s.parse::<NaiveDate>() {
        return Value::Date(d.and_time(chrono::NaiveTime::MIN));
    }
    Value::Text(s.to_string())
}
