//! The problems of a [`Plan`] as an .xlsx a person can work through: each problem with its
//! sheet, row, column, heading, value and reason; the matched and likely duplicate rows; the
//! rows left out.

use std::path::Path;

use mestno_core::Lang;
use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::error::{Error, Result};
use crate::plan::{Duplicate, Plan};

/// Writes the report of `plan` to `path` (replaced if it exists), in `lang`.
pub fn write_report(plan: &Plan, path: &Path, lang: Lang) -> Result<()> {
    build(plan, lang)
        .and_then(|mut book| book.save(path))
        .map_err(|source| Error::Report { path: path.to_path_buf(), source })
}

fn build(plan: &Plan, lang: Lang) -> Result<Workbook, XlsxError> {
    let ru = lang == Lang::Ru;
    let t = |a: &'static str, b: &'static str| if ru { a } else { b };
    let head = Format::new().set_bold().set_text_wrap().set_border_bottom(FormatBorder::Thin);
    let title = Format::new().set_bold().set_font_size(13);
    let mut book = Workbook::new();

    let sheet = book.add_worksheet().set_name(t("Ошибки", "Problems"))?;
    sheet.write_with_format(0, 0, format!("{}: {} — {}", t("Загрузка", "Import"), plan.file, plan.sheet), &title)?;
    sheet.write(
        1,
        0,
        format!(
            "{}: {}; {}: {}; {}: {}",
            t("строк прочитано", "rows read"),
            plan.rows_read,
            t("готово к загрузке", "ready"),
            plan.ready(),
            t("строк с ошибками", "rows with problems"),
            plan.bad_rows.len()
        ),
    )?;
    let columns = [
        (t("Лист", "Sheet"), 14.0),
        (t("Строка", "Row"), 8.0),
        (t("Столбец", "Column"), 9.0),
        (t("Заголовок столбца", "Heading"), 28.0),
        (t("Значение", "Value"), 30.0),
        (t("Ошибка", "Problem"), 70.0),
    ];
    header(sheet, 3, &columns, &head)?;
    for (i, p) in plan.problems.iter().enumerate() {
        let r = 4 + i as u32;
        sheet.write(r, 0, &p.sheet)?;
        sheet.write(r, 1, p.row)?;
        sheet.write(r, 2, p.column.as_deref().unwrap_or(""))?;
        sheet.write(r, 3, p.heading.as_deref().unwrap_or(""))?;
        sheet.write(r, 4, p.value.as_deref().unwrap_or(""))?;
        sheet.write(r, 5, p.message.get(lang))?;
    }
    sheet.set_freeze_panes(4, 0)?;
    if !plan.problems.is_empty() {
        sheet.autofilter(3, 0, 3 + plan.problems.len() as u32, 5)?;
    }

    let sheet = book.add_worksheet().set_name(t("Совпадения", "Duplicates"))?;
    let columns = [
        (t("Строка", "Row"), 8.0),
        (t("Имя или название", "Name or title"), 36.0),
        (t("Что с ней", "Outcome"), 26.0),
        (t("Совпадает с", "Matches"), 36.0),
        (t("Где", "Where"), 30.0),
        (t("Почему", "Why"), 44.0),
    ];
    header(sheet, 0, &columns, &head)?;
    let rows = plan.matched.iter().map(|d| (d, t("не загружена: уже есть", "not imported: already there"))).chain(
        plan.likely_duplicates.iter().map(|d| (d, t("загружена, проверьте дубль", "imported, check for a duplicate"))),
    );
    for (i, (d, outcome)) in rows.enumerate() {
        duplicate(sheet, 1 + i as u32, d, outcome, lang)?;
    }
    sheet.set_freeze_panes(1, 0)?;

    let sheet = book.add_worksheet().set_name(t("Пропущено", "Skipped"))?;
    header(sheet, 0, &[(t("Строка", "Row"), 8.0), (t("Почему", "Why"), 40.0)], &head)?;
    for (i, s) in plan.skipped.iter().enumerate() {
        sheet.write(1 + i as u32, 0, s.row)?;
        sheet.write(1 + i as u32, 1, s.reason.get(lang))?;
    }
    Ok(book)
}

fn header(sheet: &mut Worksheet, row: u32, columns: &[(&str, f64)], format: &Format) -> Result<(), XlsxError> {
    for (c, (name, width)) in columns.iter().enumerate() {
        sheet.write_with_format(row, c as u16, *name, format)?;
        sheet.set_column_width(c as u16, *width)?;
    }
    Ok(())
}

fn duplicate(sheet: &mut Worksheet, r: u32, d: &Duplicate, outcome: &str, lang: Lang) -> Result<(), XlsxError> {
    sheet.write(r, 0, d.row)?;
    sheet.write(r, 1, &d.name)?;
    sheet.write(r, 2, outcome)?;
    sheet.write(r, 3, &d.existing_name)?;
    let place = match (d.existing_id, d.existing_row, lang) {
        (Some(id), _, Lang::Ru) => format!("в базе, {id}"),
        (Some(id), _, Lang::En) => format!("in the database, {id}"),
        (None, Some(row), Lang::Ru) => format!("строка {row} этого файла"),
        (None, Some(row), Lang::En) => format!("row {row} of this file"),
        _ => String::new(),
    };
    sheet.write(r, 4, place)?;
    sheet.write(r, 5, d.reason.get(lang))?;
    Ok(())
}
