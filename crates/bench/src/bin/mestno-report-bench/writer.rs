//! The yardstick of every report: rust_xlsxwriter alone writing the same cells, formats and
//! formulas as the report did, from memory.
//!
//! The report's own file is read back first (calamine, not timed): every cell's value, every
//! formula with its cached result, every cell's style (font, fill, borders, alignment, number
//! format), merged ranges, column widths. Then the clock runs while rust_xlsxwriter writes all of
//! it to a new file — in constant-memory mode where the report uses it — from `Workbook::new` to
//! the saved file: what the report costs less what it reads from the database and works out.
//! Left out, as cheap next to the cells: the reports' charts and document properties.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use calamine::{BorderStyle, Data, HorizontalAlignment, Reader, Style, VerticalAlignment, Xlsx, open_workbook};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Formula, Workbook};

/// A cell's content, as the report left it.
enum Value {
    Number(f64),
    Text(String),
    Bool(bool),
    /// A formula and its cached result.
    Formula(String, String),
    /// A cell with a format and nothing in it.
    Blank,
}

/// One cell: where, what, and its format (an index into [`Sheet::formats`]).
struct Cell {
    row: u32,
    col: u16,
    value: Value,
    format: Option<usize>,
}

/// A sheet read back from the report, ready to be written again.
struct Sheet {
    name: String,
    cells: Vec<Cell>,
    formats: Vec<Format>,
    merged: Vec<(u32, u16, u32, u16)>,
    widths: Vec<(u16, f64)>,
}

/// Reads the report at `report`, then writes it again to `out`, timed; returns the seconds.
pub fn replay(report: &Path, out: &Path, constant_memory: bool) -> Result<f64> {
    let sheets = read(report)?;
    let started = Instant::now();
    let mut book = Workbook::new();
    for sheet in &sheets {
        let ws = if constant_memory { book.add_worksheet_with_constant_memory()? } else { book.add_worksheet() };
        ws.set_name(&sheet.name)?;
        for &(col, width) in &sheet.widths {
            ws.set_column_width(col, width)?;
        }
        let merged_at: HashMap<(u32, u16), (u32, u16)> =
            sheet.merged.iter().map(|&(r1, c1, r2, c2)| ((r1, c1), (r2, c2))).collect();
        for cell in &sheet.cells {
            let (row, col) = (cell.row, cell.col);
            let format = cell.format.map(|f| &sheet.formats[f]);
            if let Some(&(last_row, last_col)) = merged_at.get(&(row, col)) {
                let text = match &cell.value {
                    Value::Text(s) => s.as_str(),
                    _ => "",
                };
                ws.merge_range(row, col, last_row, last_col, text, format.unwrap_or(&Format::new()))?;
                continue;
            }
            match (&cell.value, format) {
                (Value::Number(n), Some(f)) => ws.write_number_with_format(row, col, *n, f)?,
                (Value::Number(n), None) => ws.write_number(row, col, *n)?,
                (Value::Text(s), Some(f)) => ws.write_string_with_format(row, col, s, f)?,
                (Value::Text(s), None) => ws.write_string(row, col, s)?,
                (Value::Bool(b), Some(f)) => ws.write_boolean_with_format(row, col, *b, f)?,
                (Value::Bool(b), None) => ws.write_boolean(row, col, *b)?,
                (Value::Formula(text, cached), Some(f)) => {
                    ws.write_formula_with_format(row, col, Formula::new(text).set_result(cached), f)?
                }
                (Value::Formula(text, cached), None) => {
                    ws.write_formula(row, col, Formula::new(text).set_result(cached))?
                }
                (Value::Blank, Some(f)) => ws.write_blank(row, col, f)?,
                (Value::Blank, None) => ws,
            };
        }
        if let Some(header) = header_row(sheet) {
            let last = sheet.cells.iter().map(|c| c.row).max().unwrap_or(header);
            let last_col = sheet.cells.iter().filter(|c| c.row == header).map(|c| c.col).max().unwrap_or(0);
            ws.set_freeze_panes(header + 1, 2)?;
            ws.autofilter(header, 0, last, last_col)?;
            ws.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
            ws.set_repeat_rows(header, header)?;
            ws.set_footer("&LMestno&RСтраница &P из &N");
        }
    }
    book.save(out)?;
    Ok(started.elapsed().as_secs_f64())
}

/// The table's header: the first row of more than three bordered text cells, if any.
fn header_row(sheet: &Sheet) -> Option<u32> {
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for c in &sheet.cells {
        if matches!(c.value, Value::Text(_)) && c.format.is_some() {
            *counts.entry(c.row).or_default() += 1;
        }
    }
    counts.into_iter().filter(|&(_, n)| n > 3).map(|(r, _)| r).min()
}

/// Every sheet of the workbook at `path`, its cells in row order.
fn read(path: &Path) -> Result<Vec<Sheet>> {
    let mut book: Xlsx<_> = open_workbook(path).with_context(|| format!("while opening {}", path.display()))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let values = book.worksheet_range(&name)?;
        let formulas = book.worksheet_formula(&name)?;
        let styles = book.worksheet_style(&name)?;
        let mut formats: Vec<Format> = Vec::new();
        let mut known: HashMap<*const Style, usize> = HashMap::new();
        let mut format_of = |style: Option<&Style>| -> Option<usize> {
            let style = style.filter(|s| !s.is_empty())?;
            Some(*known.entry(std::ptr::from_ref(style)).or_insert_with(|| {
                formats.push(format(style));
                formats.len() - 1
            }))
        };
        let mut cells = Vec::new();
        let (start, end) = match (values.start(), values.end()) {
            (Some(s), Some(e)) => (s, e),
            _ => ((0, 0), (0, 0)),
        };
        let styled = styles.start().zip(styles.end());
        let (first_row, last_row) =
            (start.0.min(styled.map_or(u32::MAX, |s| s.0.0)), end.0.max(styled.map_or(0, |s| s.1.0)));
        let (first_col, last_col) =
            (start.1.min(styled.map_or(u32::MAX, |s| s.0.1)), end.1.max(styled.map_or(0, |s| s.1.1)));
        for row in first_row..=last_row {
            for col in first_col..=last_col {
                let value = values.get_value((row, col));
                let formula = formulas.get_value((row, col)).filter(|f| !f.is_empty());
                let cached = |v: Option<&Data>| match v {
                    Some(Data::Float(x)) => x.to_string(),
                    Some(Data::Int(x)) => x.to_string(),
                    Some(Data::String(s)) => s.clone(),
                    _ => String::new(),
                };
                let value = match (formula, value) {
                    (Some(f), v) => Value::Formula(format!("={f}"), cached(v)),
                    (None, Some(Data::Float(x))) => Value::Number(*x),
                    (None, Some(Data::Int(x))) => Value::Number(*x as f64),
                    (None, Some(Data::DateTime(d))) => Value::Number(d.as_f64()),
                    (None, Some(Data::String(s))) => Value::Text(s.clone()),
                    (None, Some(Data::Bool(b))) => Value::Bool(*b),
                    _ => Value::Blank,
                };
                let format = format_of(styles.get((row, col)));
                if matches!(value, Value::Blank) && format.is_none() {
                    continue;
                }
                cells.push(Cell { row, col: col as u16, value, format });
            }
        }
        let merged = book
            .merge_cells_by_sheet_name(&name)?
            .iter()
            .map(|d| (d.start.0, d.start.1 as u16, d.end.0, d.end.1 as u16))
            .collect();
        // Widths as the report set them are not read back; a width per column is as cheap.
        let widths = (first_col..=last_col).map(|c| (c as u16, 15.0)).collect();
        sheets.push(Sheet { name, cells, formats, merged, widths });
    }
    Ok(sheets)
}

/// The rust_xlsxwriter format of a calamine style.
fn format(style: &Style) -> Format {
    let mut f = Format::new();
    if let Some(font) = &style.font {
        if font.is_bold() {
            f = f.set_bold();
        }
        if font.is_italic() {
            f = f.set_italic();
        }
        if let Some(size) = font.size {
            f = f.set_font_size(size);
        }
        if let Some(color) = font.color {
            f = f.set_font_color(Color::RGB(color.to_argb() & 0xFF_FFFF));
        }
    }
    if let Some(color) = style.fill.as_ref().and_then(|fill| fill.get_color()) {
        f = f.set_background_color(Color::RGB(color.to_argb() & 0xFF_FFFF));
    }
    if let Some(b) = &style.borders {
        let side = |s: BorderStyle| match s {
            BorderStyle::None => FormatBorder::None,
            BorderStyle::Double => FormatBorder::Double,
            BorderStyle::Medium => FormatBorder::Medium,
            _ => FormatBorder::Thin,
        };
        f = f
            .set_border_left(side(b.left.style))
            .set_border_right(side(b.right.style))
            .set_border_top(side(b.top.style))
            .set_border_bottom(side(b.bottom.style));
        if let Some(color) = b.left.color {
            f = f.set_border_color(Color::RGB(color.to_argb() & 0xFF_FFFF));
        }
    }
    if let Some(a) = &style.alignment {
        if a.wrap_text {
            f = f.set_text_wrap();
        }
        f = match a.horizontal {
            HorizontalAlignment::Center => f.set_align(FormatAlign::Center),
            HorizontalAlignment::Left => f.set_align(FormatAlign::Left),
            HorizontalAlignment::Right => f.set_align(FormatAlign::Right),
            _ => f,
        };
        f = match a.vertical {
            VerticalAlignment::Center => f.set_align(FormatAlign::VerticalCenter),
            VerticalAlignment::Top => f.set_align(FormatAlign::Top),
            _ => f,
        };
    }
    if let Some(n) = &style.number_format
        && !n.format_code.is_empty()
        && n.format_code != "General"
    {
        f = f.set_num_format(&n.format_code);
    }
    f
}
