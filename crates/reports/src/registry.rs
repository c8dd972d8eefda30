//! Реестр проектов: one row per initiative — where, what, which program and stage, money by
//! source, shares of co-financing, beneficiaries and votes — with a subtotal per municipality and
//! the total of the registry, streamed row by row.
//!
//! Subtotals and the total are `SUBTOTAL(9, …)` formulas: the total skips the subtotals inside
//! its range, and both follow the filters a reader sets (only completed projects, one district).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use mestno_core::Lang;
use mestno_core::model::InitiatorKind;
use mestno_core::money::{BySource, FundingSource, Kopecks};
use mestno_core::store::{RegistryRow, ReportScope};
use rust_xlsxwriter::{Formula, RowNum, Workbook, Worksheet};

use crate::sheet::{self, Column, Kind, Styles, TitleBlock, Weight, Widths, col, rub, rub_text, share_text};
use crate::stream::{self, Rows};
use crate::{Context, ReportKind, Result};

const COLUMNS: [Column; 23] = [
    col("№ п/п", Kind::Integer),
    col("Муниципальное образование", Kind::Text),
    col("Территория (населённый пункт)", Kind::Text),
    col("Наименование проекта", Kind::Text),
    col("Тип объекта", Kind::Text),
    col("Программа", Kind::Text),
    col("Год", Kind::Plain),
    col("Стадия", Kind::Text),
    col("Инициатор", Kind::Text),
    col("Стоимость проекта, ₽", Kind::Money),
    col("Федеральный бюджет, ₽", Kind::Money),
    col("Краевой бюджет (субсидия), ₽", Kind::Money),
    col("Местный бюджет, ₽", Kind::Money),
    col("Средства населения, ₽", Kind::Money),
    col("Средства юридических лиц и ИП, ₽", Kind::Money),
    col("Неденежный вклад, ₽", Kind::Money),
    col("Доля населения", Kind::Percent),
    col("Доля бизнеса", Kind::Percent),
    col("Доля внебюджетных средств", Kind::Percent),
    col("Освоено (факт), ₽", Kind::Money),
    col("Благополучатели, чел.", Kind::Integer),
    col("Голосов", Kind::Integer),
    // The record's id: a registry exported, corrected in Excel and imported back updates the
    // projects it came from, whatever their titles have become.
    col("Код записи Mestno", Kind::Text),
];

/// Money columns: the cost, then the six sources in [`FundingSource::ALL`] order.
const COST: u16 = 9;
const RESIDENTS: u16 = 13;
const BUSINESS: u16 = 14;
const IN_KIND: u16 = 15;
const ACTUAL: u16 = 19;
const BENEFICIARIES: u16 = 20;
const VOTES: u16 = 21;
const RECORD_ID: u16 = 22;
/// The columns summed in subtotals and the total.
const SUMMED: [u16; 10] = [9, 10, 11, 12, 13, 14, 15, ACTUAL, BENEFICIARIES, VOTES];

/// The column of a source's planned money.
const fn column(source: FundingSource) -> u16 {
    match source {
        FundingSource::Federal => 10,
        FundingSource::Regional => 11,
        FundingSource::Municipal => 12,
        FundingSource::Residents => RESIDENTS,
        FundingSource::Business => BUSINESS,
        FundingSource::InKind => IN_KIND,
    }
}

/// Sums of the summed columns, in kopecks and people.
#[derive(Clone, Copy, Default)]
struct Sums {
    cost: Kopecks,
    planned: BySource<Kopecks>,
    actual: Kopecks,
    beneficiaries: i64,
    votes: i64,
}

impl Sums {
    fn of(r: &RegistryRow) -> Sums {
        Sums {
            cost: r.total_cost,
            planned: r.planned,
            actual: r.actual,
            beneficiaries: r.beneficiaries,
            votes: r.votes,
        }
    }

    fn add(&mut self, other: &Sums) {
        self.cost += other.cost;
        self.planned += other.planned;
        self.actual += other.actual;
        self.beneficiaries += other.beneficiaries;
        self.votes += other.votes;
    }

    fn get(&self, c: u16) -> i64 {
        match c {
            COST => self.cost.0,
            ACTUAL => self.actual.0,
            BENEFICIARIES => self.beneficiaries,
            VOTES => self.votes,
            c => FundingSource::ALL.into_iter().find(|&s| column(s) == c).map_or(0, |s| self.planned[s].0),
        }
    }
}

/// Writes the registry; returns the number of initiatives. The sheet is written on a thread of
/// its own while the initiatives are read ([`stream`](crate::stream)).
pub(crate) async fn write(ctx: &Context<'_>, path: &Path, progress: &(dyn Fn(u64) + Send + Sync)) -> Result<u64> {
    let groups = ctx.territories.by_municipality(ctx.filter.territory_id)?;
    let scopes: Vec<ReportScope> = groups
        .iter()
        .map(|g| ReportScope {
            program_id: ctx.filter.program_id,
            year: ctx.filter.year,
            territories: Some(&g.members),
        })
        .collect();
    let sheet = Sheet {
        path: path.to_path_buf(),
        office: ctx.office.clone(),
        today: ctx.today,
        lines: ctx.title_lines(),
        names: groups.iter().map(|g| ctx.territories.name(g.id).to_owned()).collect(),
    };
    let (feed, writer) = stream::spawn(progress, move |rows| sheet.write(rows))?;
    let read = ctx.store.registry_rows(&scopes, ctx.today, |batch| feed.send(batch)).await;
    writer.finish(feed, read.map(drop)).await
}

/// What the writing thread needs to know: the file, the title block and the municipalities'
/// names, by the index the rows come with.
struct Sheet {
    path: PathBuf,
    office: String,
    today: NaiveDate,
    lines: Vec<String>,
    names: Vec<String>,
}

impl Sheet {
    fn write(self, mut rows: Rows<(usize, RegistryRow)>) -> Result<u64> {
        let mut book = Workbook::new();
        let styles = Styles::new();
        let title = ReportKind::Registry.title();
        sheet::set_properties(&mut book, title, &self.office, self.today)?;
        let ws = book.add_worksheet_with_constant_memory()?;
        ws.set_name("Реестр")?;
        let block = TitleBlock {
            title: title.into(),
            lines: self.lines,
            notes: vec![
                "Проекты всех стадий. Суммы — плановые, в рублях; итоги — формулы, пересчитываются при фильтрации.".into(),
                "Имена инициаторов-граждан показаны только при действующем согласии на обработку персональных данных (152-ФЗ).".into(),
            ],
        };
        let header = block.write(ws, &styles)?;
        let widths = sheet::write_header(ws, &styles, header, &COLUMNS)?;
        let names = &self.names;
        let mut w = Registry { ws, styles: &styles, widths, row: header + 1, count: 0 };
        let mut group: Option<usize> = None;
        let (mut first, mut sums, mut total) = (header + 1, Sums::default(), Sums::default());
        while let Some(batch) = rows.next()? {
            for (k, r) in batch {
                if let Some(previous) = group.filter(|&g| g != k) {
                    w.totals(Weight::Subtotal, &names[previous], "Итого по муниципальному образованию", first, &sums)?;
                    total.add(&sums);
                    (first, sums) = (w.row, Sums::default());
                }
                group = Some(k);
                sums.add(&Sums::of(&r));
                w.initiative(&names[k], &r)?;
            }
        }
        if let Some(last) = group {
            w.totals(Weight::Subtotal, &names[last], "Итого по муниципальному образованию", first, &sums)?;
            total.add(&sums);
        }
        if w.count == 0 {
            w.ws.write_string_with_format(
                w.row,
                3,
                "Нет проектов, отвечающих условиям отбора",
                styles.cell(Weight::Data, Kind::Text),
            )?;
            w.row += 1;
        }
        let end = w.row;
        w.totals(Weight::Total, "", "Итого по реестру", header + 1, &total)?;
        w.widths.apply(w.ws)?;
        sheet::finish_table(w.ws, header, end - 1, COLUMNS.len() as u16 - 1, 4)?;
        let count = w.count;
        crate::save(&mut book, &self.path)?;
        Ok(count)
    }
}

/// The sheet being written and where the next row goes.
struct Registry<'a> {
    ws: &'a mut Worksheet,
    styles: &'a Styles,
    widths: Widths,
    row: RowNum,
    count: u64,
}

impl Registry<'_> {
    fn initiative(&mut self, municipality: &str, r: &RegistryRow) -> Result<()> {
        let (row, n) = (self.row, self.row + 1);
        let text = self.styles.cell(Weight::Data, Kind::Text);
        let initiator = initiator(r.initiator_kind, r.initiator_name.as_deref());
        self.count += 1;
        self.ws.write_number_with_format(row, 0, self.count as f64, self.styles.cell(Weight::Data, Kind::Integer))?;
        let program = r.program_code.as_deref().unwrap_or("вне программ");
        for (c, value) in
            [(1, municipality), (2, &r.territory), (3, &r.title), (4, r.object_type.label(Lang::Ru)), (5, program)]
        {
            self.ws.write_string_with_format(row, c, value, text)?;
            self.widths.text(c, value);
        }
        self.ws.write_number_with_format(row, 6, f64::from(r.year), self.styles.cell(Weight::Data, Kind::Plain))?;
        let id = r.id.to_string();
        self.ws.write_string_with_format(row, RECORD_ID, &id, text)?;
        self.widths.text(RECORD_ID, &id);
        self.ws.write_string_with_format(row, 7, r.stage.label(Lang::Ru), text)?;
        self.widths.text(7, r.stage.label(Lang::Ru));
        self.ws.write_string_with_format(row, 8, &initiator, text)?;
        self.widths.text(8, &initiator);
        let money = self.styles.cell(Weight::Data, Kind::Money);
        let sums = Sums::of(r);
        for c in (COST..=IN_KIND).chain([ACTUAL]) {
            self.ws.write_number_with_format(row, c, rub(sums.get(c)), money)?;
            self.widths.money(c, sums.get(c));
        }
        for c in [BENEFICIARIES, VOTES] {
            self.ws.write_number_with_format(
                row,
                c,
                sums.get(c) as f64,
                self.styles.cell(Weight::Data, Kind::Integer),
            )?;
        }
        self.shares(Weight::Data, n, &sums)?;
        self.row += 1;
        Ok(())
    }

    /// The three shares of a row, as formulas over its own cells.
    fn shares(&mut self, weight: Weight, n: RowNum, s: &Sums) -> Result<()> {
        let percent = self.styles.cell(weight, Kind::Percent);
        let money = |source: FundingSource| s.planned[source].0;
        let cost = s.cost.0;
        let (residents, business, in_kind) =
            (money(FundingSource::Residents), money(FundingSource::Business), money(FundingSource::InKind));
        let extra = rub(residents) + rub(business) + rub(in_kind);
        let cached_extra = if cost > 0 { (extra / rub(cost)).to_string() } else { "0".into() };
        let formulas = [
            (16, format!("=IF(J{n}>0,N{n}/J{n},0)"), share_text(residents, cost)),
            (17, format!("=IF(J{n}>0,O{n}/J{n},0)"), share_text(business, cost)),
            (18, format!("=IF(J{n}>0,(N{n}+O{n}+P{n})/J{n},0)"), cached_extra),
        ];
        for (c, formula, cached) in formulas {
            self.ws.write_formula_with_format(self.row, c, Formula::new(formula).set_result(cached), percent)?;
        }
        Ok(())
    }

    /// A subtotal or total row over the rows from `first` to the row above.
    fn totals(&mut self, weight: Weight, municipality: &str, label: &str, first: RowNum, sums: &Sums) -> Result<()> {
        let (row, n) = (self.row, self.row + 1);
        let text = self.styles.cell(weight, Kind::Text);
        for c in [0, 2, 4, 5, 6, 7, 8, RECORD_ID] {
            self.ws.write_blank(row, c, text)?;
        }
        self.ws.write_string_with_format(row, 1, municipality, text)?;
        self.ws.write_string_with_format(row, 3, label, text)?;
        for c in SUMMED {
            let name = rust_xlsxwriter::utility::column_number_to_name(c);
            let kind = if c >= BENEFICIARIES { Kind::Integer } else { Kind::Money };
            let cached = if kind == Kind::Money { rub_text(sums.get(c)) } else { sums.get(c).to_string() };
            let formula = Formula::new(format!("=SUBTOTAL(9,{name}{}:{name}{})", first + 1, row.max(first + 1)))
                .set_result(cached);
            self.ws.write_formula_with_format(row, c, formula, self.styles.cell(weight, kind))?;
            if kind == Kind::Money {
                self.widths.money(c, sums.get(c));
            }
        }
        self.shares(weight, n, sums)?;
        self.row += 1;
        Ok(())
    }
}

/// The initiator as the registry names it: the kind, and the name unless it is a person's
/// without consent in force.
fn initiator(kind: InitiatorKind, name: Option<&str>) -> String {
    match name.map(str::trim) {
        Some("") => kind.label(Lang::Ru).to_string(),
        Some(name) => name.to_string(),
        None => format!("{} (имя не раскрывается: нет согласия, 152-ФЗ)", kind.label(Lang::Ru)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_the_formulas_name_are_the_columns_the_header_names() {
        let name = |c: u16| rust_xlsxwriter::utility::column_number_to_name(c);
        assert_eq!(
            (name(COST), name(RESIDENTS), name(BUSINESS), name(IN_KIND)),
            ("J".into(), "N".into(), "O".into(), "P".into())
        );
        assert!(COLUMNS[usize::from(COST)].header.starts_with("Стоимость"), "J is the cost the shares divide by");
        assert!(COLUMNS[usize::from(RESIDENTS)].header.contains("населения"), "N is residents' money");
        assert_eq!(usize::from(IN_KIND - COST), FundingSource::ALL.len(), "the six sources follow the cost, in order");
        for (k, source) in FundingSource::ALL.into_iter().enumerate() {
            assert_eq!(column(source), COST + 1 + k as u16, "{source:?} in its place");
        }
    }

    #[test]
    fn a_person_without_consent_is_not_named() {
        assert_eq!(initiator(InitiatorKind::Tos, Some("ТОС «Рассвет»")), "ТОС «Рассвет»");
        assert!(
            initiator(InitiatorKind::Resident, None).contains("нет согласия"),
            "the reader learns why the name is missing"
        );
        assert_eq!(
            initiator(InitiatorKind::Administration, Some(" ")),
            "администрация",
            "an empty name shows the kind"
        );
    }
}
