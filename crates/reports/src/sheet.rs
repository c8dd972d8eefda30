//! What every report's sheet shares: the title block, the header row, styles and number formats,
//! column widths measured while writing, printing setup, and money written the exact way.
//!
//! Money is kept in kopecks to the last moment: a cell gets `kopecks / 100` as a number, and a
//! formula's cached value is the exact integer sum printed as a decimal, so the file shows the
//! right totals before Excel or LibreOffice recalculates anything.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    ColNum, Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, RowNum, Workbook, Worksheet,
};

use crate::error::Result;

/// Roubles with two decimals and thousands separated; Excel and LibreOffice show them the
/// Russian way (`1 234 567,89 ₽`) on a Russian system.
pub(crate) const MONEY: &str = r#"#,##0.00\ "₽""#;
/// Shares.
pub(crate) const PERCENT: &str = "0.00%";
/// Whole numbers, thousands separated.
pub(crate) const INTEGER: &str = "#,##0";
/// Dates as Russians write them.
pub(crate) const DATE: &str = "dd.mm.yyyy";

/// How a column's cells look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text.
    Text,
    /// A whole number.
    Integer,
    /// Roubles.
    Money,
    /// A share.
    Percent,
    /// A date.
    Date,
    /// A number shown as it is (a year: no thousands separator).
    Plain,
}

/// A column: its header and how its cells look.
pub(crate) struct Column {
    pub header: &'static str,
    pub kind: Kind,
}

/// Shorthand for a column.
pub(crate) const fn col(header: &'static str, kind: Kind) -> Column {
    Column { header, kind }
}

/// The weight of a row: data, a subtotal, or the total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Weight {
    /// An ordinary row.
    Data,
    /// A subtotal (per municipality).
    Subtotal,
    /// The grand total.
    Total,
}

/// Every format a report uses, made once per workbook.
pub(crate) struct Styles {
    pub title: Format,
    pub note: Format,
    pub header: Format,
    pub label: Format,
    cells: [[Format; 6]; 3],
}

impl Styles {
    pub(crate) fn new() -> Styles {
        let border = || Format::new().set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xA6A6A6));
        let weighted = |weight: Weight| {
            let base = match weight {
                Weight::Data => border(),
                Weight::Subtotal => border().set_bold().set_background_color(Color::RGB(0xEDF3FA)),
                Weight::Total => {
                    border().set_bold().set_background_color(Color::RGB(0xDDEBF7)).set_border_top(FormatBorder::Double)
                }
            };
            [Kind::Text, Kind::Integer, Kind::Money, Kind::Percent, Kind::Date, Kind::Plain].map(|kind| match kind {
                Kind::Text | Kind::Plain => base.clone(),
                Kind::Integer => base.clone().set_num_format(INTEGER),
                Kind::Money => base.clone().set_num_format(MONEY),
                Kind::Percent => base.clone().set_num_format(PERCENT),
                Kind::Date => base.clone().set_num_format(DATE).set_align(FormatAlign::Left),
            })
        };
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            note: Format::new().set_italic().set_font_color(Color::RGB(0x595959)),
            header: border()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xD9E1F2)),
            label: Format::new().set_bold(),
            cells: [weighted(Weight::Data), weighted(Weight::Subtotal), weighted(Weight::Total)],
        }
    }

    /// The format of a cell of `kind` in a row of `weight`.
    pub(crate) fn cell(&self, weight: Weight, kind: Kind) -> &Format {
        let w = match weight {
            Weight::Data => 0,
            Weight::Subtotal => 1,
            Weight::Total => 2,
        };
        &self.cells[w][kind as usize]
    }
}

/// The lines under a report's title: program, period, territory, date of export, office, and
/// what else the report must say about itself.
pub(crate) struct TitleBlock {
    pub title: String,
    pub lines: Vec<String>,
    pub notes: Vec<String>,
}

impl TitleBlock {
    /// Writes the block from the top of the sheet; returns the row the table's header goes in.
    pub(crate) fn write(&self, ws: &mut Worksheet, styles: &Styles) -> Result<RowNum> {
        ws.write_string_with_format(0, 0, &self.title, &styles.title)?;
        ws.set_row_height(0, 21)?;
        let mut row = 1;
        for line in &self.lines {
            ws.write_string(row, 0, line)?;
            row += 1;
        }
        for note in &self.notes {
            ws.write_string_with_format(row, 0, note, &styles.note)?;
            row += 1;
        }
        Ok(row + 1)
    }
}

/// Column widths, measured from what is written, in characters.
pub(crate) struct Widths(Vec<usize>);

impl Widths {
    /// Widths that fit each header in at most three lines, its longest word unbroken.
    pub(crate) fn new(columns: &[Column]) -> Widths {
        let header = |h: &str| {
            let word = h.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
            word.max(h.chars().count().div_ceil(3)) + 1
        };
        Widths(columns.iter().map(|c| header(c.header).max(if c.kind == Kind::Text { 6 } else { 9 })).collect())
    }

    /// Notes text of `chars` characters in column `col`.
    pub(crate) fn fit(&mut self, col: u16, chars: usize) {
        if let Some(w) = self.0.get_mut(usize::from(col)) {
            *w = (*w).max(chars);
        }
    }

    /// Notes `text` in column `col`.
    pub(crate) fn text(&mut self, col: u16, text: &str) {
        self.fit(col, text.chars().count());
    }

    /// Notes an amount of money in column `col`: digits, separators, kopecks and the sign.
    pub(crate) fn money(&mut self, col: u16, kopecks: i64) {
        let digits = (kopecks.unsigned_abs() / 100).max(1).ilog10() as usize + 1;
        self.fit(col, digits + (digits - 1) / 3 + 5);
    }

    /// Sets the widths, within limits a person can read and print.
    pub(crate) fn apply(&self, ws: &mut Worksheet) -> Result<()> {
        for (col, &chars) in self.0.iter().enumerate() {
            ws.set_column_width(col as u16, (chars as f64 * 1.1 + 2.0).clamp(5.0, 70.0))?;
        }
        Ok(())
    }
}

/// Writes the header row and returns the widths measured so far.
pub(crate) fn write_header(ws: &mut Worksheet, styles: &Styles, row: RowNum, columns: &[Column]) -> Result<Widths> {
    for (col, c) in columns.iter().enumerate() {
        ws.write_string_with_format(row, col as u16, c.header, &styles.header)?;
    }
    ws.set_row_height(row, 45)?;
    Ok(Widths::new(columns))
}

/// A frozen header, filters over the table, and printing on landscape A4, one page wide, the
/// header repeated on every page.
pub(crate) fn finish_table(
    ws: &mut Worksheet,
    header: RowNum,
    last_row: RowNum,
    last_col: u16,
    frozen_cols: u16,
) -> Result<()> {
    ws.set_freeze_panes(header + 1, frozen_cols)?;
    ws.autofilter(header, 0, last_row.max(header), last_col)?;
    print_setup(ws, header)
}

/// Landscape A4, one page wide, rows `header` repeated on every page, page numbers below.
pub(crate) fn print_setup(ws: &mut Worksheet, header: RowNum) -> Result<()> {
    ws.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0).set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_repeat_rows(header, header)?;
    ws.set_footer("&LMestno&RСтраница &P из &N");
    Ok(())
}

/// Title, author and date of the file, the same for the same data and day.
pub(crate) fn set_properties(book: &mut Workbook, title: &str, office: &str, today: NaiveDate) -> Result<()> {
    let created = ExcelDateTime::from_ymd(today.year() as u16, today.month() as u8, today.day() as u8)?;
    let props =
        DocProperties::new().set_title(title).set_author(office).set_company(office).set_creation_datetime(&created);
    book.set_properties(&props);
    Ok(())
}

/// A date as Excel keeps it.
pub(crate) fn excel_date(d: NaiveDate) -> Result<ExcelDateTime> {
    Ok(ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?)
}

/// `kopecks` as roubles, the one place money becomes a float.
pub(crate) fn rub(kopecks: i64) -> f64 {
    kopecks as f64 / 100.0
}

/// `kopecks` as an exact decimal number of roubles, for a formula's cached value.
pub(crate) fn rub_text(kopecks: i64) -> String {
    let sign = if kopecks < 0 { "-" } else { "" };
    let abs = kopecks.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// The cached value of `=IF(whole>0, part/whole, 0)` over two money cells, computed as a
/// spreadsheet computes it from the cells' values.
pub(crate) fn share_text(part: i64, whole: i64) -> String {
    if whole > 0 { (rub(part) / rub(whole)).to_string() } else { "0".into() }
}

/// The cached value of `=IF(whole>0, part/whole, 0)` over two whole numbers.
pub(crate) fn ratio_text(part: i64, whole: i64) -> String {
    if whole > 0 { (part as f64 / whole as f64).to_string() } else { "0".into() }
}

/// The label with its first letter capitalised: «федеральный бюджет» → «Федеральный бюджет».
pub(crate) fn capitalized(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `dd.mm.yyyy`.
pub(crate) fn russian_date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// How a sheet of labelled fields looks (an initiative's card, a person's data, the act of
/// destruction): the label in column A, the value beside it across columns B to `last`, both
/// aligned to the top and wrapped, the row as tall as the longer of the two.
pub(crate) struct FieldLook {
    /// The label's format.
    pub label: Format,
    /// The value's format.
    pub value: Format,
    /// The last column a value spans (1: column B alone).
    pub last: ColNum,
    /// Characters a line of the value holds at the columns' widths.
    pub line: usize,
}

/// Characters a line of a label holds in column A.
const LABEL_LINE: usize = 36;
/// Lines a field's row grows to at most; a longer text scrolls within its cell.
const MAX_FIELD_LINES: usize = 20;
/// Characters a cell holds (Excel's limit is 32,767).
const CELL_LIMIT: usize = 32_000;

impl FieldLook {
    pub(crate) fn new(styles: &Styles, last: ColNum, line: usize) -> FieldLook {
        let top = |f: &Format| f.clone().set_align(FormatAlign::Top).set_text_wrap();
        FieldLook { label: top(&styles.label), value: top(styles.cell(Weight::Data, Kind::Text)), last, line }
    }

    /// `label` in column A of `row`.
    pub(crate) fn label(&self, ws: &mut Worksheet, row: RowNum, label: &str) -> Result<()> {
        ws.write_string_with_format(row, 0, label, &self.label)?;
        Ok(())
    }

    /// `label` and its text `value` on `row`, the row as tall as the text.
    pub(crate) fn field(&self, ws: &mut Worksheet, row: RowNum, label: &str, value: &str) -> Result<()> {
        self.label(ws, row, label)?;
        let value = clip(value);
        if self.last > 1 {
            ws.merge_range(row, 1, row, self.last, value, &self.value)?;
        } else {
            ws.write_string_with_format(row, 1, value, &self.value)?;
        }
        let lines: usize = value.split('\n').map(|l| l.chars().count().div_ceil(self.line).max(1)).sum();
        let lines = lines.min(MAX_FIELD_LINES).max(label.chars().count().div_ceil(LABEL_LINE));
        if lines > 1 {
            ws.set_row_height(row, 15.0 * lines as f64)?;
        }
        Ok(())
    }
}

/// A section's title in column A, one row below `row` (a blank line before it); returns the row
/// after the title.
pub(crate) fn section(ws: &mut Worksheet, styles: &Styles, row: RowNum, title: &str) -> Result<RowNum> {
    ws.write_string_with_format(row + 1, 0, title, &styles.label)?;
    Ok(row + 2)
}

/// `text` cut to what a cell holds.
pub(crate) fn clip(text: &str) -> &str {
    match text.char_indices().nth(CELL_LIMIT) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_money_is_the_exact_decimal_of_the_kopecks() {
        assert_eq!(rub_text(123_456_789), "1234567.89", "no float ever touched the digits");
        assert_eq!(rub_text(5), "0.05");
        assert_eq!(rub_text(-100), "-1.00");
        assert_eq!(rub_text(10 + 20).parse::<f64>().ok(), Some(0.3), "10 + 20 kopecks are cached as 0.3 roubles…");
        assert_ne!(rub(10) + rub(20), 0.3, "…which adding the floats would not give");
        assert_eq!(rub_text(i64::MAX).len(), 20, "the largest sum still prints whole");
    }

    #[test]
    fn shares_are_cached_as_the_spreadsheet_computes_them() {
        assert_eq!(share_text(5_000_000, 100_000_000), "0.05");
        assert_eq!(share_text(1, 0), "0", "an empty whole gives zero, as IF(… > 0, …, 0) does");
        assert_eq!(share_text(1, 3).parse::<f64>().ok(), Some(0.01 / 0.03), "divided as the two cells' values");
        assert_eq!(ratio_text(2, 1470).parse::<f64>().ok(), Some(2.0 / 1470.0));
    }

    #[test]
    fn money_columns_are_wide_enough_for_their_largest_sum() {
        let mut w = Widths::new(&[col("Сумма", Kind::Money)]);
        w.money(0, 12_345_678_900);
        assert_eq!(w.0[0], "123 456 789,00 ₽".chars().count(), "digits, group spaces, kopecks, the sign");
        w.money(0, 5);
        assert_eq!(w.0[0], 16, "a smaller sum does not shrink the column");
        let w = Widths::new(&[col("Участников (по численности на мероприятиях)", Kind::Integer)]);
        assert_eq!(w.0[0], 16, "a long header fits in three lines, «мероприятиях)» unbroken");
    }
}
