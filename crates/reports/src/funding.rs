//! Привлечённые средства: budget and extra-budgetary money by source, for each part of the
//! report's territory and each year, with the money by source summed below and shown as a chart.
//!
//! Money counts as on the dashboard: planned amounts of initiatives not rejected or withdrawn.

use std::collections::HashMap;
use std::path::Path;

use mestno_core::money::{BySource, FundingSource, Kopecks};
use mestno_core::store::ReportScope;
use rust_xlsxwriter::{Chart, ChartDataLabel, ChartType, Formula, Workbook, Worksheet};

use crate::sheet::{self, Column, Kind, Styles, TitleBlock, Weight, col, rub, rub_text, share_text};
use crate::{Context, ReportKind, Result};

const COLUMNS: [Column; 15] = [
    col("Территория", Kind::Text),
    col("Год", Kind::Plain),
    col("Проектов", Kind::Integer),
    col("Федеральный бюджет, ₽", Kind::Money),
    col("Краевой бюджет (субсидия), ₽", Kind::Money),
    col("Местный бюджет, ₽", Kind::Money),
    col("Бюджетные средства, всего, ₽", Kind::Money),
    col("Средства населения, ₽", Kind::Money),
    col("Средства юридических лиц и ИП, ₽", Kind::Money),
    col("Неденежный вклад, ₽", Kind::Money),
    col("Внебюджетные средства, всего, ₽", Kind::Money),
    col("Всего, ₽", Kind::Money),
    col("Доля внебюджетных средств", Kind::Percent),
    col("Привлечено на 1 ₽ бюджета, ₽", Kind::Money),
    col("Поступило и освоено (факт), ₽", Kind::Money),
];
const SHEET: &str = "Средства";

/// The column of a source's money.
const fn column(source: FundingSource) -> u16 {
    match source {
        FundingSource::Federal => 3,
        FundingSource::Regional => 4,
        FundingSource::Municipal => 5,
        FundingSource::Residents => 7,
        FundingSource::Business => 8,
        FundingSource::InKind => 9,
    }
}

/// One row's figures: initiatives, the planned money by source, the actual total.
#[derive(Clone, Copy, Default)]
struct Figures {
    initiatives: i64,
    planned: BySource<Kopecks>,
    actual: Kopecks,
}

impl Figures {
    fn add(&mut self, initiatives: i64, planned: &BySource<Kopecks>, actual: &BySource<Kopecks>) {
        self.initiatives += initiatives;
        self.planned += *planned;
        self.actual += actual.total();
    }

    fn merge(&mut self, other: &Figures) {
        self.initiatives += other.initiatives;
        self.planned += other.planned;
        self.actual += other.actual;
    }
}

/// Writes the funding report; returns the number of territory × year rows.
pub(crate) async fn write(ctx: &Context<'_>, path: &Path) -> Result<u64> {
    let groups = ctx.territories.by_part(ctx.filter.territory_id)?;
    let within =
        ctx.filter.territory_id.map(|_| groups.iter().flat_map(|g| g.members.iter().copied()).collect::<Vec<_>>());
    let scope =
        ReportScope { program_id: ctx.filter.program_id, year: ctx.filter.year, territories: within.as_deref() };
    let group_of: HashMap<_, _> =
        groups.iter().enumerate().flat_map(|(i, g)| g.members.iter().map(move |m| (*m, i))).collect();
    let mut rows: std::collections::BTreeMap<(usize, i32), Figures> = Default::default();
    for f in ctx.store.funds_by_territory(&scope).await? {
        if let Some(&g) = group_of.get(&f.territory_id) {
            rows.entry((g, f.year)).or_default().add(f.initiatives, &f.planned, &f.actual);
        }
    }

    let mut book = Workbook::new();
    let styles = Styles::new();
    let title = ReportKind::Funding.title();
    sheet::set_properties(&mut book, title, &ctx.office, ctx.today)?;
    let ws = book.add_worksheet();
    ws.set_name(SHEET)?;
    let block = TitleBlock {
        title: title.into(),
        lines: ctx.title_lines(),
        notes: vec!["Плановые суммы проектов, кроме не отобранных и отозванных; итоги — формулы.".into()],
    };
    let header = block.write(ws, &styles)?;
    let mut widths = sheet::write_header(ws, &styles, header, &COLUMNS)?;
    let mut row = header + 1;
    let mut total = Figures::default();
    let root = ctx.territories.parts_root(ctx.filter.territory_id);
    for ((g, year), figures) in &rows {
        let id = groups[*g].id;
        let name = if Some(id) == root {
            format!("{} — без разбивки", ctx.territories.name(id))
        } else {
            ctx.territories.name(id).to_string()
        };
        ws.write_string_with_format(row, 0, &name, styles.cell(Weight::Data, Kind::Text))?;
        widths.text(0, &name);
        ws.write_number_with_format(row, 1, f64::from(*year), styles.cell(Weight::Data, Kind::Plain))?;
        figures_row(ws, &styles, &mut widths, Weight::Data, row, figures, None)?;
        total.merge(figures);
        row += 1;
    }
    if rows.is_empty() {
        ws.write_string_with_format(
            row,
            0,
            "Нет средств, отвечающих условиям отбора",
            styles.cell(Weight::Data, Kind::Text),
        )?;
        row += 1;
    }
    let total_row = row;
    ws.write_string_with_format(row, 0, "Итого", styles.cell(Weight::Total, Kind::Text))?;
    ws.write_blank(row, 1, styles.cell(Weight::Total, Kind::Text))?;
    figures_row(ws, &styles, &mut widths, Weight::Total, row, &total, Some(header + 1))?;
    widths.apply(ws)?;
    sheet::finish_table(ws, header, total_row - 1, COLUMNS.len() as u16 - 1, 1)?;
    by_source(ws, &styles, total_row + 2, total_row, &total)?;
    crate::save(&mut book, path)?;
    Ok(rows.len() as u64)
}

/// The money columns of a row: values for a territory, `SUBTOTAL` formulas from `sum_from` for
/// the total; sums and shares are formulas either way.
fn figures_row(
    ws: &mut Worksheet,
    styles: &Styles,
    widths: &mut sheet::Widths,
    weight: Weight,
    row: u32,
    f: &Figures,
    sum_from: Option<u32>,
) -> Result<()> {
    let n = row + 1;
    let money = styles.cell(weight, Kind::Money);
    let sources = f.planned.iter().map(|(source, amount)| (column(source), amount.0));
    let cells = [(2, f.initiatives)].into_iter().chain(sources).chain([(14, f.actual.0)]);
    for (c, value) in cells {
        let (format, cached) =
            if c == 2 { (styles.cell(weight, Kind::Integer), value.to_string()) } else { (money, rub_text(value)) };
        match sum_from {
            Some(first) => {
                let name = rust_xlsxwriter::utility::column_number_to_name(c);
                let formula = Formula::new(format!("=SUBTOTAL(9,{name}{}:{name}{})", first + 1, row.max(first + 1)));
                ws.write_formula_with_format(row, c, formula.set_result(cached), format)?;
            }
            None => {
                ws.write_number_with_format(row, c, if c == 2 { value as f64 } else { rub(value) }, format)?;
            }
        }
        widths.money(c, value);
    }
    let (budget, extra) = (f.planned.budget().0, f.planned.extra_budgetary().0);
    let all = budget + extra;
    let sums = [
        (6, format!("=SUM(D{n}:F{n})"), rub_text(budget), money),
        (10, format!("=SUM(H{n}:J{n})"), rub_text(extra), money),
        (11, format!("=G{n}+K{n}"), rub_text(all), money),
        (12, format!("=IF(L{n}>0,K{n}/L{n},0)"), share_text(extra, all), styles.cell(weight, Kind::Percent)),
        (13, format!("=IF(G{n}>0,K{n}/G{n},0)"), share_text(extra, budget), money),
    ];
    for (c, formula, cached, format) in sums {
        ws.write_formula_with_format(row, c, Formula::new(formula).set_result(cached), format)?;
    }
    for (c, value) in [(6, budget), (10, extra), (11, all)] {
        widths.money(c, value);
    }
    widths.money(1, all); // the sums by source below the table stand in this column
    Ok(())
}

/// The money of the total row by source, with shares, and a pie chart of it.
fn by_source(ws: &mut Worksheet, styles: &Styles, top: u32, total_row: u32, total: &Figures) -> Result<()> {
    ws.write_string_with_format(top, 0, "Средства по источникам", &styles.label)?;
    let header = top + 1;
    for (c, title) in ["Источник финансирования", "Сумма, ₽", "Доля"].iter().enumerate()
    {
        ws.write_string_with_format(header, c as u16, *title, &styles.header)?;
    }
    let all = total.planned.total().0;
    let (first, last) = (header + 1, header + FundingSource::ALL.len() as u32);
    for (row, (source, amount)) in (first..).zip(total.planned.iter()) {
        let (amount, name) = (amount.0, rust_xlsxwriter::utility::column_number_to_name(column(source)));
        let label = sheet::capitalized(source.label_ru());
        ws.write_string_with_format(row, 0, &label, styles.cell(Weight::Data, Kind::Text))?;
        let amount_formula = Formula::new(format!("={name}{}", total_row + 1)).set_result(rub_text(amount));
        ws.write_formula_with_format(row, 1, amount_formula, styles.cell(Weight::Data, Kind::Money))?;
        let share = Formula::new(format!("=IF(B{}>0,B{}/B{},0)", last + 2, row + 1, last + 2))
            .set_result(share_text(amount, all));
        ws.write_formula_with_format(row, 2, share, styles.cell(Weight::Data, Kind::Percent))?;
    }
    let sum_row = last + 1;
    ws.write_string_with_format(sum_row, 0, "Всего", styles.cell(Weight::Total, Kind::Text))?;
    let sum = Formula::new(format!("=SUM(B{}:B{})", first + 1, last + 1)).set_result(rub_text(all));
    ws.write_formula_with_format(sum_row, 1, sum, styles.cell(Weight::Total, Kind::Money))?;
    ws.write_number_with_format(
        sum_row,
        2,
        if all > 0 { 1.0 } else { 0.0 },
        styles.cell(Weight::Total, Kind::Percent),
    )?;

    let mut chart = Chart::new(ChartType::Pie);
    chart.title().set_name("Средства по источникам финансирования");
    chart
        .add_series()
        .set_name("Сумма, ₽")
        .set_categories((SHEET, first, 0, last, 0))
        .set_values((SHEET, first, 1, last, 1))
        .set_data_label(ChartDataLabel::new().show_percentage().show_leader_lines());
    chart.set_width(560).set_height(340);
    ws.insert_chart(top, 4, &chart)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_source_has_its_column_inside_the_sum_it_belongs_to() {
        for source in FundingSource::ALL {
            let c = column(source);
            let (budget, extra) = ((3..=5).contains(&c), (7..=9).contains(&c));
            assert!(if source.is_budget() { budget } else { extra }, "{source:?}: budget D:F, the rest H:J");
            assert!(COLUMNS[usize::from(c)].header.ends_with(", ₽"), "{source:?} sits in a money column");
        }
        let columns: std::collections::BTreeSet<u16> = FundingSource::ALL.into_iter().map(column).collect();
        assert_eq!(columns.len(), FundingSource::ALL.len(), "one column each");
    }
}
