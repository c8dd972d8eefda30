//! Вовлечённость: events by kind, participants, unique people, people reached and the shares of
//! the population they make, for each part of the report's territory in the period, with a chart
//! of the shares.
//!
//! Events, participants, unique people and people reached count as on the dashboard: unique
//! people are the different named attendees; people reached add each event's anonymous
//! participants (its headcount less its named attendees, a column of its own), counted once at
//! each event. The total's unique people are counted over the whole territory (a person at events
//! in two villages counts once), and its population is the territory's own — neither is the sum
//! of the rows, and the sheet says so; the anonymous participants are, and people reached are
//! unique people plus anonymous participants, a formula on every row and in the total.

use std::collections::HashMap;
use std::path::Path;

use mestno_core::model::EventKind;
use mestno_core::store::ReportScope;
use rust_xlsxwriter::{Chart, ChartLegendPosition, ChartType, Formula, Workbook, Worksheet};

use crate::sheet::{self, Kind, Styles, TitleBlock, Weight, col, ratio_text};
use crate::{Context, ReportKind, Result};

const FIRST_KIND: u16 = 3;
const PARTICIPANTS: u16 = FIRST_KIND + EventKind::ALL.len() as u16;
const UNIQUE: u16 = PARTICIPANTS + 1;
const SHARE: u16 = UNIQUE + 1;
const ANONYMOUS: u16 = SHARE + 1;
const REACHED: u16 = ANONYMOUS + 1;
const REACHED_SHARE: u16 = REACHED + 1;
const SHEET: &str = "Вовлечённость";

/// A row's figures.
struct Row {
    name: String,
    population: Option<i64>,
    by_kind: Vec<i64>,
    participants: i64,
    unique: i64,
    /// Each event's headcount less its named attendees, added up.
    anonymous: i64,
}

/// Writes the engagement report; returns the number of territory rows.
pub(crate) async fn write(ctx: &Context<'_>, path: &Path) -> Result<u64> {
    let groups = ctx.territories.by_part(ctx.filter.territory_id)?;
    let root = ctx.territories.parts_root(ctx.filter.territory_id);
    let within =
        ctx.filter.territory_id.map(|_| groups.iter().flat_map(|g| g.members.iter().copied()).collect::<Vec<_>>());
    let scope =
        ReportScope { program_id: ctx.filter.program_id, year: ctx.filter.year, territories: within.as_deref() };
    let group_of: HashMap<_, _> =
        groups.iter().enumerate().flat_map(|(i, g)| g.members.iter().map(move |m| (*m, i))).collect();
    let mut rows: Vec<Row> = groups
        .iter()
        .map(|g| {
            let own_level = Some(g.id) == root;
            Row {
                name: if own_level {
                    format!("{} — без разбивки", ctx.territories.name(g.id))
                } else {
                    ctx.territories.name(g.id).into()
                },
                population: (!own_level).then(|| ctx.territories.population(g.id)),
                by_kind: vec![0; EventKind::ALL.len()],
                participants: 0,
                unique: 0,
                anonymous: 0,
            }
        })
        .collect();
    // The events, and the different people of each part and of them all, counted in one reading.
    let parts: Vec<&[_]> = groups.iter().map(|g| g.members.as_slice()).collect();
    let figures = ctx.store.engagement_figures(&scope, &parts).await?;
    for e in figures.events {
        let (Some(&g), Some(k)) = (group_of.get(&e.territory_id), EventKind::ALL.iter().position(|k| *k == e.kind))
        else {
            continue;
        };
        rows[g].by_kind[k] += e.events;
        rows[g].participants += e.participants;
        rows[g].anonymous += e.participants - e.attendances;
    }
    for (row, unique) in rows.iter_mut().zip(figures.unique_by_group) {
        row.unique = unique;
    }
    rows.retain(|r| r.population.is_some() || r.by_kind.iter().any(|&n| n > 0));
    let unique = figures.unique;
    let population = ctx.territories.scope_population(ctx.filter.territory_id);

    let mut columns = vec![
        col("Территория", Kind::Text),
        col("Население, чел.", Kind::Integer),
        col("Мероприятий, всего", Kind::Integer),
    ];
    let kind_headers: Vec<&'static str> = EventKind::ALL.iter().map(|k| kind_header(*k)).collect();
    columns.extend(kind_headers.iter().map(|h| col(h, Kind::Integer)));
    columns.push(col("Участников (по численности на мероприятиях)", Kind::Integer));
    columns.push(col("Уникальных участников (поимённо)", Kind::Integer));
    columns.push(col("Доля вовлечённого населения (поимённо)", Kind::Percent));
    columns.push(col("Анонимных участников (по численности за вычетом поимённых)", Kind::Integer));
    columns.push(col("Охвачено людей (поимённо и анонимно)", Kind::Integer));
    columns.push(col("Доля охваченного населения", Kind::Percent));

    let mut book = Workbook::new();
    let styles = Styles::new();
    let title = ReportKind::Engagement.title();
    sheet::set_properties(&mut book, title, &ctx.office, ctx.today)?;
    let ws = book.add_worksheet();
    ws.set_name(SHEET)?;
    let block = TitleBlock {
        title: title.into(),
        lines: ctx.title_lines(),
        notes: vec![
            "Участники — сумма численности на мероприятиях: человек на двух мероприятиях считается дважды.".into(),
            "Уникальные участники — разные люди, записанные поимённо, каждый один раз; доля вовлечённого населения — они к численности населения (за год отчёта или последний известный).".into(),
            "Анонимные участники — численность каждого мероприятия за вычетом поимённых, на каждом мероприятии отдельно; охвачено людей — уникальные поимённые плюс анонимные; доля охваченного населения — они к численности населения.".into(),
            "В итоговой строке уникальные участники (и потому охваченные) посчитаны без повторов между территориями, население — всей территории.".into(),
        ],
    };
    let header = block.write(ws, &styles)?;
    let mut widths = sheet::write_header(ws, &styles, header, &columns)?;
    let int = styles.cell(Weight::Data, Kind::Integer);
    let mut row = header + 1;
    for r in &rows {
        let n = row + 1;
        ws.write_string_with_format(row, 0, &r.name, styles.cell(Weight::Data, Kind::Text))?;
        widths.text(0, &r.name);
        match r.population {
            Some(p) => ws.write_number_with_format(row, 1, p as f64, int)?,
            None => ws.write_blank(row, 1, int)?,
        };
        let events: i64 = r.by_kind.iter().sum();
        let last_kind = rust_xlsxwriter::utility::column_number_to_name(PARTICIPANTS - 1);
        ws.write_formula_with_format(
            row,
            2,
            Formula::new(format!("=SUM(D{n}:{last_kind}{n})")).set_result(events.to_string()),
            int,
        )?;
        for (k, &count) in r.by_kind.iter().enumerate() {
            ws.write_number_with_format(row, FIRST_KIND + k as u16, count as f64, int)?;
        }
        ws.write_number_with_format(row, PARTICIPANTS, r.participants as f64, int)?;
        ws.write_number_with_format(row, UNIQUE, r.unique as f64, int)?;
        let share = Formula::new(format!("=IF(B{n}>0,P{n}/B{n},0)"))
            .set_result(ratio_text(r.unique, r.population.unwrap_or(0)));
        ws.write_formula_with_format(row, SHARE, share, styles.cell(Weight::Data, Kind::Percent))?;
        ws.write_number_with_format(row, ANONYMOUS, r.anonymous as f64, int)?;
        write_reached(ws, &styles, Weight::Data, row, r.unique + r.anonymous, r.population.unwrap_or(0))?;
        row += 1;
    }
    if rows.is_empty() {
        ws.write_string_with_format(
            row,
            0,
            "Нет территорий и мероприятий, отвечающих условиям отбора",
            styles.cell(Weight::Data, Kind::Text),
        )?;
        row += 1;
    }
    let total_row = row;
    let (n, first) = (row + 1, header + 2);
    let total = |kind| styles.cell(Weight::Total, kind);
    ws.write_string_with_format(row, 0, "Итого", total(Kind::Text))?;
    ws.write_number_with_format(row, 1, population as f64, total(Kind::Integer))?;
    let events: i64 = rows.iter().flat_map(|r| r.by_kind.iter()).sum();
    let anonymous: i64 = rows.iter().map(|r| r.anonymous).sum();
    let sums = std::iter::once((2, events))
        .chain((0..EventKind::ALL.len()).map(|k| (FIRST_KIND + k as u16, rows.iter().map(|r| r.by_kind[k]).sum())))
        .chain([(PARTICIPANTS, rows.iter().map(|r| r.participants).sum())])
        .chain([(ANONYMOUS, anonymous)]);
    for (c, value) in sums {
        let name = rust_xlsxwriter::utility::column_number_to_name(c);
        let formula =
            Formula::new(format!("=SUBTOTAL(9,{name}{first}:{name}{})", row.max(first))).set_result(value.to_string());
        ws.write_formula_with_format(row, c, formula, total(Kind::Integer))?;
    }
    ws.write_number_with_format(row, UNIQUE, unique as f64, total(Kind::Integer))?;
    let share = Formula::new(format!("=IF(B{n}>0,P{n}/B{n},0)")).set_result(ratio_text(unique, population));
    ws.write_formula_with_format(row, SHARE, share, total(Kind::Percent))?;
    write_reached(ws, &styles, Weight::Total, row, unique + anonymous, population)?;
    widths.apply(ws)?;
    sheet::finish_table(ws, header, total_row - 1, REACHED_SHARE, 1)?;

    if !rows.is_empty() {
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name("Доля вовлечённого и охваченного населения");
        let (top, bottom) = (header + 1, total_row - 1);
        let shares = [("Уникальные поимённо", SHARE), ("Охвачено с анонимными", REACHED_SHARE)];
        for (name, c) in shares {
            let series = chart.add_series().set_name(name).set_categories((SHEET, top, 0, bottom, 0));
            series.set_values((SHEET, top, c, bottom, c));
        }
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.x_axis().set_num_format("0%");
        chart.y_axis().set_reverse().set_crossing(rust_xlsxwriter::ChartAxisCrossing::Max);
        chart.set_width(760).set_height((120 + 22 * rows.len() as u32).clamp(300, 1200));
        ws.insert_chart(total_row + 2, 0, &chart)?;
    }
    crate::save(&mut book, path)?;
    Ok(rows.len() as u64)
}

/// People reached on `row` (unique people plus anonymous participants, as a formula) and their
/// share of `population`.
fn write_reached(
    ws: &mut Worksheet,
    styles: &Styles,
    weight: Weight,
    row: u32,
    reached: i64,
    population: i64,
) -> Result<()> {
    let n = row + 1;
    let [unique, anonymous, reached_col] =
        [UNIQUE, ANONYMOUS, REACHED].map(rust_xlsxwriter::utility::column_number_to_name);
    let sum = Formula::new(format!("={unique}{n}+{anonymous}{n}")).set_result(reached.to_string());
    ws.write_formula_with_format(row, REACHED, sum, styles.cell(weight, Kind::Integer))?;
    let share =
        Formula::new(format!("=IF(B{n}>0,{reached_col}{n}/B{n},0)")).set_result(ratio_text(reached, population));
    ws.write_formula_with_format(row, REACHED_SHARE, share, styles.cell(weight, Kind::Percent))?;
    Ok(())
}

/// A column header for a kind of event: the kind's name, capitalised.
fn kind_header(kind: EventKind) -> &'static str {
    match kind {
        EventKind::CitizensGathering => "Сходы граждан",
        EventKind::Meeting => "Собрания",
        EventKind::PublicHearing => "Публичные слушания",
        EventKind::Survey => "Опросы",
        EventKind::Vote => "Голосования",
        EventKind::Subbotnik => "Субботники",
        EventKind::Seminar => "Семинары",
        EventKind::Webinar => "Вебинары",
        EventKind::StrategySession => "Стратегические сессии",
        EventKind::Forum => "Форумы",
        EventKind::ResidentsMeeting => "Встречи с жителями",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mestno_core::Lang;

    #[test]
    fn the_share_formula_divides_unique_people_by_population() {
        assert_eq!(rust_xlsxwriter::utility::column_number_to_name(UNIQUE), "P", "the share formula reads P");
        assert_eq!(SHARE, UNIQUE + 1, "and stands right of it");
        assert_eq!(
            [ANONYMOUS, REACHED, REACHED_SHARE].map(rust_xlsxwriter::utility::column_number_to_name),
            ["R", "S", "T"],
            "people reached follow the share of unique people: anonymous, reached, their share"
        );
        for k in EventKind::ALL {
            let label = k.label(Lang::Ru);
            let first: String = kind_header(*k).chars().take(3).collect::<String>().to_lowercase();
            assert!(label.starts_with(&first), "«{}» heads the column of «{label}»", kind_header(*k));
        }
    }
}
