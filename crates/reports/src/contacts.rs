//! Контакты: the people and organisations the office works with — only the persons whose consent
//! to the processing of personal data (152-ФЗ) is in force on the day of export, and the title
//! block says so and how many were left out. Streamed row by row.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use mestno_core::Lang;
use mestno_core::model::ContactKind;
use mestno_core::store::ReportContact;
use rust_xlsxwriter::{Formula, RowNum, Workbook, Worksheet};

use crate::sheet::{self, Column, Kind, Styles, TitleBlock, Weight, Widths, col, excel_date, russian_date};
use crate::stream::{self, Rows};
use crate::{Context, ReportKind, Result};

const COLUMNS: [Column; 14] = [
    col("№ п/п", Kind::Integer),
    col("ФИО / наименование", Kind::Text),
    col("Вид", Kind::Text),
    col("Роли", Kind::Text),
    col("Организация", Kind::Text),
    col("Должность", Kind::Text),
    col("Территория", Kind::Text),
    col("Телефоны", Kind::Text),
    col("Эл. почта", Kind::Text),
    col("Адрес", Kind::Text),
    col("Согласие дано", Kind::Date),
    col("Цель обработки", Kind::Text),
    col("Способ получения согласия", Kind::Text),
    col("Согласие действует до", Kind::Date),
];

/// Writes the contacts report; returns (contacts listed, persons withheld). The sheet is written
/// on a thread of its own while the contacts are read ([`stream`](crate::stream)).
pub(crate) async fn write(
    ctx: &Context<'_>,
    path: &Path,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<(u64, u64)> {
    let within = match ctx.filter.territory_id {
        Some(t) => Some(ctx.territories.within(Some(t))?),
        None => None,
    };
    let withheld = ctx.store.contacts_withheld(within.as_deref(), ctx.today).await?;
    let mut lines = ctx.title_lines();
    lines.retain(|l| !l.starts_with("Программа:") && !l.starts_with("Период:"));
    let sheet = Sheet { path: path.to_path_buf(), office: ctx.office.clone(), today: ctx.today, lines, withheld };
    let (feed, writer) = stream::spawn(progress, move |rows| sheet.write(rows))?;
    let read = ctx.store.contacts_with_consent(within.as_deref(), ctx.today, |batch| feed.send(batch)).await;
    let count = writer.finish(feed, read.map(drop)).await?;
    Ok((count, withheld))
}

/// What the writing thread needs to know: the file, the title block and how many were left out.
struct Sheet {
    path: PathBuf,
    office: String,
    today: NaiveDate,
    lines: Vec<String>,
    withheld: u64,
}

impl Sheet {
    fn write(self, mut rows: Rows<ReportContact>) -> Result<u64> {
        let mut book = Workbook::new();
        let styles = Styles::new();
        let title = ReportKind::Contacts.title();
        sheet::set_properties(&mut book, title, &self.office, self.today)?;
        let ws = book.add_worksheet_with_constant_memory()?;
        ws.set_name("Контакты")?;
        let today = russian_date(self.today);
        let block = TitleBlock {
            title: title.into(),
            lines: self.lines,
            notes: vec![
                format!(
                    "Только лица с действующим на {today} согласием на обработку персональных данных (152-ФЗ) и организации."
                ),
                format!("Не включено лиц без действующего согласия: {}.", self.withheld),
            ],
        };
        let header = block.write(ws, &styles)?;
        let widths = sheet::write_header(ws, &styles, header, &COLUMNS)?;
        let mut w = Contacts { ws, styles: &styles, widths, row: header + 1, count: 0 };
        while let Some(batch) = rows.next()? {
            for c in &batch {
                w.contact(c)?;
            }
        }
        if w.count == 0 {
            w.ws.write_string_with_format(
                w.row,
                1,
                "Нет контактов, которые можно включить",
                styles.cell(Weight::Data, Kind::Text),
            )?;
            w.row += 1;
        }
        let (row, count) = (w.row, w.count);
        let total = |kind| styles.cell(Weight::Total, kind);
        w.ws.write_blank(row, 0, total(Kind::Text))?;
        w.ws.write_string_with_format(row, 1, "Всего контактов", total(Kind::Text))?;
        let formula = Formula::new(format!("=SUBTOTAL(3,A{}:A{row})", header + 2)).set_result(count.to_string());
        w.ws.write_formula_with_format(row, 2, formula, total(Kind::Integer))?;
        w.widths.apply(w.ws)?;
        sheet::finish_table(w.ws, header, row - 1, COLUMNS.len() as u16 - 1, 2)?;
        crate::save(&mut book, &self.path)?;
        Ok(count)
    }
}

/// The sheet being written and where the next row goes.
struct Contacts<'a> {
    ws: &'a mut Worksheet,
    styles: &'a Styles,
    widths: Widths,
    row: RowNum,
    count: u64,
}

impl Contacts<'_> {
    fn contact(&mut self, c: &ReportContact) -> Result<()> {
        let (row, text) = (self.row, self.styles.cell(Weight::Data, Kind::Text));
        self.count += 1;
        self.ws.write_number_with_format(row, 0, self.count as f64, self.styles.cell(Weight::Data, Kind::Integer))?;
        let kind = match c.kind {
            ContactKind::Person => "человек",
            ContactKind::Organisation => "организация",
        };
        let roles: Vec<&str> = c.roles.iter().map(|r| r.label(Lang::Ru)).collect();
        let consent = c.consent.as_ref();
        let texts = [
            (1, c.display_name.clone()),
            (2, kind.to_string()),
            (3, roles.join(", ")),
            (4, c.org_name.clone()),
            (5, c.position.clone()),
            (6, c.territory.clone().unwrap_or_default()),
            (7, c.phones.iter().map(|p| phone(p)).collect::<Vec<_>>().join(", ")),
            (8, c.emails.join(", ")),
            (9, c.address.clone()),
            (11, consent.map(|k| k.purpose.clone()).unwrap_or_default()),
            (12, consent.map(|k| k.method.label(Lang::Ru).to_string()).unwrap_or_default()),
        ];
        for (col, value) in &texts {
            self.ws.write_string_with_format(row, *col, value, text)?;
            self.widths.text(*col, value);
        }
        let date = self.styles.cell(Weight::Data, Kind::Date);
        match consent {
            Some(k) => {
                self.ws.write_datetime_with_format(row, 10, excel_date(k.given_on)?, date)?;
                match k.expires_on {
                    Some(d) => self.ws.write_datetime_with_format(row, 13, excel_date(d)?, date)?,
                    None => self.ws.write_string_with_format(row, 13, "бессрочно", text)?,
                };
            }
            None => {
                self.ws.write_blank(row, 10, date)?;
                self.ws.write_blank(row, 13, date)?;
            }
        }
        self.row += 1;
        Ok(())
    }
}

/// `+79131234567` → `+7 (913) 123-45-67`.
pub(crate) fn phone(p: &str) -> String {
    let d: Vec<char> = p.chars().filter(char::is_ascii_digit).collect();
    if d.len() != 11 {
        return p.to_string();
    }
    let s = |a: usize, b: usize| d[a..b].iter().collect::<String>();
    format!("+7 ({}) {}-{}-{}", s(1, 4), s(4, 7), s(7, 9), s(9, 11))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_written_as_people_read_them() {
        assert_eq!(phone("+79131234567"), "+7 (913) 123-45-67");
        assert_eq!(phone("112"), "112", "anything else is left as stored");
    }
}
