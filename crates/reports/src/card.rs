//! Карточка проекта: every field of one initiative on one sheet, for the program's selection
//! committee — general data, the budget by source with shares, implementation, results, the
//! program rules it breaks, its stage history and the events that discussed it.

use std::path::Path;

use mestno_core::Lang;
use mestno_core::model::{Id, Initiative};
use mestno_core::money::FundingSource;
use mestno_core::store::{EventQuery, PERSONAL_INITIATORS};
use rust_xlsxwriter::{Formula, RowNum, Workbook, Worksheet};

use crate::sheet::{self, Kind, Styles, Weight, excel_date, rub, rub_text, russian_date, share_text};
use crate::{Context, Result};

/// Characters of a value that fit on one line of the merged value cell.
const LINE: usize = 100;

/// Writes the card of `id`; returns the number of fields and table rows written.
pub(crate) async fn write(ctx: &Context<'_>, id: Id, path: &Path) -> Result<u64> {
    let i = ctx.store.initiative(id).await?;
    let program = match i.input.program_id {
        Some(p) => Some(ctx.store.program(p).await?),
        None => None,
    };
    let initiator = initiator_name(ctx, &i).await?;
    let events =
        ctx.store.list_events(&EventQuery { initiative_id: Some(id), limit: 500, ..Default::default() }).await?;

    let mut book = Workbook::new();
    let styles = Styles::new();
    let title = format!("Карточка инициативного проекта «{}»", i.input.title);
    sheet::set_properties(&mut book, &title, &ctx.office, ctx.today)?;
    let ws = book.add_worksheet();
    ws.set_name("Карточка проекта")?;
    // A label in column A, a text value across B–E.
    let look = sheet::FieldLook::new(&styles, 4, LINE);
    let mut c = Card { ws, styles: &styles, look, row: 0, count: 0 };
    c.ws.write_string_with_format(0, 0, &title, &styles.title)?;
    let office = if ctx.office.trim().is_empty() { "не указан" } else { ctx.office.trim() };
    let program = program.map(|p| format!("{} — {}", p.input.code, p.input.name));
    let lines = [
        format!("Программа: {}", program.as_deref().unwrap_or("вне программ")),
        format!("Период: {} год", i.input.year),
        format!("Территория: {}", ctx.territories.name(i.input.territory_id)),
        format!("Дата выгрузки: {}", russian_date(ctx.today)),
        format!("Проектный офис: {office}"),
    ];
    for (k, line) in lines.iter().enumerate() {
        c.ws.write_string(1 + k as RowNum, 0, line)?;
    }
    c.row = 1 + lines.len() as RowNum;

    let input = &i.input;
    let territory = ctx.territories.name(input.territory_id).to_string();
    let municipality = ctx.territories.name(ctx.territories.municipality(input.territory_id)).to_string();
    c.section("Общие сведения")?;
    c.text("Наименование проекта", &input.title)?;
    c.text("Номер заявки", input.number.as_deref().unwrap_or("не присвоен"))?;
    c.text("Описание", &input.description)?;
    c.text("Тип объекта", input.object_type.label(Lang::Ru))?;
    c.text("Муниципальное образование", &municipality)?;
    c.text("Территория (населённый пункт)", &territory)?;
    c.text("Программа", program.as_deref().unwrap_or("вне программ"))?;
    c.number("Год программы", f64::from(input.year), Kind::Plain)?;
    c.text("Стадия", &format!("{} (с {})", i.stage.label(Lang::Ru), russian_date(i.stage_on)))?;
    c.text("Инициатор", &format!("{}: {initiator}", input.initiator.kind.label(Lang::Ru)))?;
    c.number("Общая стоимость проекта, ₽", rub(input.total_cost.0), Kind::Money)?;
    c.number("Благополучатели, чел.", input.beneficiaries as f64, Kind::Integer)?;
    c.number("Поддержали (подписи), чел.", input.supporters as f64, Kind::Integer)?;
    c.number("Голосов", input.votes as f64, Kind::Integer)?;

    c.section("Бюджет проекта по источникам")?;
    c.budget(&i)?;

    let imp = &input.implementation;
    c.section("Реализация")?;
    c.text("Подрядчик", &imp.contractor)?;
    match imp.contract_sum {
        Some(k) => c.number("Сумма контракта, ₽", rub(k.0), Kind::Money)?,
        None => c.text("Сумма контракта, ₽", "")?,
    }
    for (label, date) in
        [("Дата контракта", imp.contract_date), ("Начало работ", imp.start_date), ("Окончание работ", imp.end_date)]
    {
        match date {
            Some(d) => c.date(label, d)?,
            None => c.text(label, "")?,
        }
    }
    c.number("Выполнено", f64::from(imp.percent_done) / 100.0, Kind::Percent)?;
    c.section("Результаты")?;
    c.text("Результаты реализации", &input.results)?;
    c.section("Соответствие условиям софинансирования программы")?;
    if i.flags.is_empty() {
        c.text("Нарушения", "нарушений условий программы нет")?;
    }
    for flag in &i.flags {
        c.text("Нарушение", &flag.message.ru)?;
    }

    c.section("История стадий")?;
    c.table_header(&["Дата", "Из стадии", "В стадию", "Примечание"])?;
    for s in &i.stages {
        let from = s.from.map_or("—", |f| f.label(Lang::Ru));
        c.table_row(Some(s.on), &[from, s.to.label(Lang::Ru), &s.note], None)?;
    }
    c.section("Обсуждения и мероприятия")?;
    c.table_header(&["Дата", "Мероприятие", "Название", "Место", "Участников"])?;
    for e in &events.items {
        c.table_row(Some(e.starts_at.date()), &[e.kind.label(Lang::Ru), &e.title, &e.place], Some(e.headcount))?;
    }
    if events.items.is_empty() {
        c.text("", "мероприятий, связанных с проектом, не записано")?;
    }

    for (col, width) in [(0, 34.0), (1, 24.0), (2, 24.0), (3, 24.0), (4, 40.0)] {
        c.ws.set_column_width(col, width)?;
    }
    c.ws.set_freeze_panes(1, 0)?;
    sheet::print_setup(c.ws, 0)?;
    let count = c.count;
    crate::save(&mut book, path)?;
    Ok(count)
}

/// The initiator's name unless it may be a person's without consent in force today (see
/// [`PERSONAL_INITIATORS`]).
async fn initiator_name(ctx: &Context<'_>, i: &Initiative) -> Result<String> {
    let who = &i.input.initiator;
    let hidden = "имя не раскрывается: нет согласия на обработку персональных данных (152-ФЗ)".to_string();
    let Some(contact) = who.contact_id else {
        return Ok(if PERSONAL_INITIATORS.contains(&who.kind) { hidden } else { who.name.clone() });
    };
    let contact = ctx.store.contact(contact).await?;
    let allowed = contact.input.kind == mestno_core::model::ContactKind::Organisation
        || contact.consents.iter().any(|c| c.is_active(ctx.today));
    Ok(if allowed { if who.name.trim().is_empty() { contact.display_name } else { who.name.clone() } } else { hidden })
}

/// The sheet being written and where the next line goes.
struct Card<'a> {
    ws: &'a mut Worksheet,
    styles: &'a Styles,
    look: sheet::FieldLook,
    row: RowNum,
    count: u64,
}

impl Card<'_> {
    fn section(&mut self, title: &str) -> Result<()> {
        self.row = sheet::section(self.ws, self.styles, self.row, title)?;
        Ok(())
    }

    fn label(&mut self, label: &str) -> Result<()> {
        self.look.label(self.ws, self.row, label)?;
        self.count += 1;
        Ok(())
    }

    /// A field with a text value.
    fn text(&mut self, label: &str, value: &str) -> Result<()> {
        self.look.field(self.ws, self.row, label, value)?;
        self.count += 1;
        self.row += 1;
        Ok(())
    }

    fn number(&mut self, label: &str, value: f64, kind: Kind) -> Result<()> {
        self.label(label)?;
        self.ws.write_number_with_format(self.row, 1, value, self.styles.cell(Weight::Data, kind))?;
        self.row += 1;
        Ok(())
    }

    fn date(&mut self, label: &str, date: chrono::NaiveDate) -> Result<()> {
        self.label(label)?;
        self.ws.write_datetime_with_format(
            self.row,
            1,
            excel_date(date)?,
            self.styles.cell(Weight::Data, Kind::Date),
        )?;
        self.row += 1;
        Ok(())
    }

    fn table_header(&mut self, titles: &[&str]) -> Result<()> {
        for (c, t) in titles.iter().enumerate() {
            self.ws.write_string_with_format(self.row, c as u16, *t, &self.styles.header)?;
        }
        self.row += 1;
        Ok(())
    }

    /// A table row: a date, texts, and a number at the end.
    fn table_row(&mut self, date: Option<chrono::NaiveDate>, texts: &[&str], number: Option<i64>) -> Result<()> {
        if let Some(d) = date {
            self.ws.write_datetime_with_format(
                self.row,
                0,
                excel_date(d)?,
                self.styles.cell(Weight::Data, Kind::Date),
            )?;
        }
        for (k, t) in texts.iter().enumerate() {
            self.ws.write_string_with_format(self.row, 1 + k as u16, *t, self.styles.cell(Weight::Data, Kind::Text))?;
        }
        if let Some(n) = number {
            let at = 1 + texts.len() as u16;
            self.ws.write_number_with_format(self.row, at, n as f64, self.styles.cell(Weight::Data, Kind::Integer))?;
        }
        self.count += 1;
        self.row += 1;
        Ok(())
    }

    /// The budget table: planned, actual and share by source, the totals as formulas.
    fn budget(&mut self, i: &Initiative) -> Result<()> {
        self.table_header(&["Источник финансирования", "План, ₽", "Факт, ₽", "Доля (план)", "Примечание"])?;
        let (first, total_row) = (self.row, self.row + FundingSource::ALL.len() as RowNum);
        let planned_total = i.input.planned_total().0;
        let actual_total: i64 = i.input.budget.iter().map(|l| l.actual.0).sum();
        let (text, money) = (self.styles.cell(Weight::Data, Kind::Text), self.styles.cell(Weight::Data, Kind::Money));
        for source in FundingSource::ALL {
            let line = i.input.budget.iter().find(|l| l.source == source);
            let (planned, actual) = line.map_or((0, 0), |l| (l.planned.0, l.actual.0));
            let n = self.row + 1;
            self.ws.write_string_with_format(self.row, 0, sheet::capitalized(source.label_ru()), text)?;
            self.ws.write_number_with_format(self.row, 1, rub(planned), money)?;
            self.ws.write_number_with_format(self.row, 2, rub(actual), money)?;
            let share = format!("=IF(B{0}>0,B{n}/B{0},0)", total_row + 1);
            self.ws.write_formula_with_format(
                self.row,
                3,
                Formula::new(share).set_result(share_text(planned, planned_total)),
                self.styles.cell(Weight::Data, Kind::Percent),
            )?;
            self.ws.write_string_with_format(self.row, 4, line.map_or("", |l| l.note.as_str()), text)?;
            self.count += 1;
            self.row += 1;
        }
        let styles = self.styles;
        let total = |kind| styles.cell(Weight::Total, kind);
        self.ws.write_string_with_format(total_row, 0, "Итого", total(Kind::Text))?;
        for (c, name, value) in [(1, "B", planned_total), (2, "C", actual_total)] {
            let formula =
                Formula::new(format!("=SUM({name}{}:{name}{})", first + 1, total_row)).set_result(rub_text(value));
            self.ws.write_formula_with_format(total_row, c, formula, total(Kind::Money))?;
        }
        let whole = if planned_total > 0 { "1" } else { "0" };
        let sum = Formula::new(format!("=IF(B{0}>0,B{0}/B{0},0)", total_row + 1)).set_result(whole);
        self.ws.write_formula_with_format(total_row, 3, sum, total(Kind::Percent))?;
        self.ws.write_blank(total_row, 4, total(Kind::Text))?;
        self.row = total_row + 1;
        Ok(())
    }
}
