//! [`validate`]: the mapped sheet chosen, its header found, its rows told apart and read into
//! records, then checked against the office's database.

use mestno_core::store::Batch;
use mestno_core::{Lang, Store, Text};

use super::core_checks::check_with_core;
use super::{Plan, PlannedColumn, Skipped};
use crate::error::{Error, Result};
use crate::fields::{Field, Kind};
use crate::header::{DataCells, Header, detect, is_totals_marker};
use crate::inspect::{summarize, summarize_with};
use crate::mapping::{Column, Mapping};
use crate::places::{Places, Programs};
use crate::records::{self, Context, Row};
use crate::table::{Source, Table, column_letter};
use crate::territories;
use crate::totals;
use crate::{dedup, update};

/// Reads and checks every row of the mapped sheet against the office's database.
pub async fn validate(store: &Store, source: &Source, mapping: &Mapping) -> Result<Plan> {
    let kind = mapping.kind;
    let table = choose_table(source, mapping)?;
    let (header, summary) = match mapping.header_row {
        Some(row) if row >= 1 && (row as usize) <= table.rows.len() => {
            let header = given_header(table, row as usize - 1);
            let summary = summarize_with(table, kind, &header, 0);
            (header, summary)
        }
        Some(row) => {
            return Err(Error::mapping(
                format!("в листе «{}» нет строки {row}", table.name),
                format!("sheet «{}» has no row {row}", table.name),
            ));
        }
        None => {
            let found = detect(table, kind).ok_or(Error::NoTable)?;
            let summary = summarize_with(table, kind, &found.header, found.recognised);
            (found.header, summary)
        }
    };
    let columns = mapping.resolve(&header.names, &summary)?;
    require(kind, &columns, mapping)?;
    let office_places = Places::new(store.territories().await?);
    let programs = Programs::new(&store.programs().await?);
    let default_territory = match &mapping.defaults.territory {
        Some(name) => Some(office_places.find(name, None).map_err(|t| Error::mapping(t.ru, t.en))?),
        None => None,
    };
    let default_program = match &mapping.defaults.program {
        Some(code) => Some(programs.find(code).map_err(|t| Error::mapping(t.ru, t.en))?),
        None => None,
    };
    let cells = DataCells::new(table, header.data_row);
    let rows: Vec<(usize, RowKind)> =
        (header.data_row..table.rows.len()).map(|r| (r, row_kind(&cells, &columns, r))).collect();
    let data_rows = rows.iter().filter(|(_, k)| *k == RowKind::Data).map(|(r, _)| *r);
    let missing = territories::scan(&cells, &columns, data_rows, &office_places, default_territory, || store.new_id());
    let places = if mapping.create_territories { &missing.places } else { &office_places };
    let ctx = Context {
        sheet: &table.name,
        names: &header.names,
        columns: &columns,
        cells: &cells,
        places,
        programs: &programs,
        defaults: &mapping.defaults,
        default_territory,
        default_program,
        today: store.clock().today(),
    };
    let mut plan = Plan {
        kind,
        file: source.file_name(),
        sheet: table.name.clone(),
        header_row: header.first_row as u32 + 1,
        columns: columns
            .iter()
            .map(|c| PlannedColumn {
                column: column_letter(c.index as u32),
                heading: header.names.get(c.index).cloned().unwrap_or_default(),
                field: c.field,
            })
            .collect(),
        rows_read: 0,
        batch: Batch::default(),
        batch_rows: Vec::new(),
        problems: Vec::new(),
        bad_rows: Vec::new(),
        skipped: Vec::new(),
        matched: Vec::new(),
        likely_duplicates: Vec::new(),
        new_territories: missing.planned,
        warnings: Vec::new(),
        updates: Vec::new(),
        conflicts: Vec::new(),
    };
    if mapping.create_territories {
        plan.batch.territories = missing.new;
    }
    let of = |kind: RowKind| rows.iter().filter(|(_, k)| *k == kind).map(|(r, _)| *r).collect::<Vec<_>>();
    plan.warnings.extend(totals::check(
        &table.name,
        &header.names,
        &cells,
        &columns,
        &of(RowKind::Data),
        &of(RowKind::Totals),
    ));
    for (r, what) in rows {
        match what {
            RowKind::Blank => continue,
            RowKind::Section => {
                plan.skipped
                    .push(Skipped {
                        row: r as u32 + 1, reason: Text::new("заголовок раздела", "a section heading")
                    });
                continue;
            }
            RowKind::Totals => {
                plan.skipped.push(Skipped {
                    row: r as u32 + 1, reason: Text::new("строка итогов", "a totals row")
                });
                continue;
            }
            RowKind::Data => {}
        }
        plan.rows_read += 1;
        let mut row = Row::new(&ctx, r);
        let ok = match kind {
            Kind::Contacts => records::contact(&mut row).map(|c| plan.batch.contacts.push(c)),
            Kind::Initiatives => records::initiative(&mut row).map(|i| plan.batch.initiatives.push(i)),
            Kind::Events => records::event(&mut row).map(|e| plan.batch.events.push(e)),
        };
        plan.warnings.append(&mut row.warnings);
        if ok.is_some() {
            plan.batch_rows.push(r as u32 + 1);
        } else {
            plan.bad_rows.push(r as u32 + 1);
            plan.problems.extend(row.problems);
        }
    }
    check_with_core(store, &mut plan, &ctx).await?;
    let mut again = update::by_id_column(store, &mut plan, &ctx).await?;
    let by_id: std::collections::HashSet<u32> = again.iter().map(|(row, _, _)| *row).collect();
    let numbered = update::by_number(store, &mut plan).await?;
    let by_number: std::collections::HashSet<u32> = numbered.iter().map(|(row, _, _)| *row).collect();
    again.extend(numbered);
    again.extend(dedup::apply(store, &mut plan, places).await?);
    update::plan_updates(store, &mut plan, &ctx, again, &by_id, &by_number).await?;
    plan.problems.sort_by_key(|p| p.row);
    plan.bad_rows.sort_unstable();
    Ok(plan)
}

fn choose_table<'s>(source: &'s Source, mapping: &Mapping) -> Result<&'s Table> {
    match &mapping.sheet {
        Some(name) => source.table(name).ok_or_else(|| Error::SheetNotFound {
            name: name.clone(),
            sheets: source.tables.iter().map(|t| t.name.clone()).collect(),
        }),
        None => {
            let best = source
                .tables
                .iter()
                .map(|t| (t, summarize(t, mapping.kind)))
                .filter(|(_, s)| s.header_row.is_some() && s.data_rows > 0)
                .max_by_key(|(_, s)| (!s.hidden, s.recognised, s.data_rows));
            best.map(|(t, _)| t).ok_or(Error::NoTable)
        }
    }
}

/// A header the user pointed at: that row's texts, data from the next row.
fn given_header(table: &Table, row: usize) -> Header {
    let names = table.rows[row].iter().map(|v| v.display().split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    Header { first_row: row, data_row: row + 1, names }
}

/// Refuses a mapping that lacks what every record needs.
fn require(kind: Kind, columns: &[Column], mapping: &Mapping) -> Result<()> {
    let has = |f: Field| columns.iter().any(|c| c.field == f);
    let d = &mapping.defaults;
    let missing: Vec<Field> = match kind {
        Kind::Contacts => {
            if [Field::FullName, Field::LastName, Field::FirstName, Field::OrgName].iter().any(|&f| has(f)) {
                vec![]
            } else {
                vec![Field::FullName]
            }
        }
        Kind::Initiatives => [
            (!has(Field::Title)).then_some(Field::Title),
            (!has(Field::Territory) && !has(Field::District) && d.territory.is_none()).then_some(Field::Territory),
            (![Field::TotalCost, Field::Federal, Field::Regional, Field::Municipal, Field::Residents, Field::Business]
                .iter()
                .any(|&f| has(f)))
            .then_some(Field::TotalCost),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Kind::Events => [
            (!has(Field::Date)).then_some(Field::Date),
            (!has(Field::Territory) && !has(Field::District) && d.territory.is_none()).then_some(Field::Territory),
        ]
        .into_iter()
        .flatten()
        .collect(),
    };
    if missing.is_empty() {
        return Ok(());
    }
    let names = |lang| missing.iter().map(|f| format!("«{}»", f.label(lang))).collect::<Vec<_>>().join(", ");
    Err(Error::mapping(
        format!("не найден столбец {}; укажите, какой столбец его содержит", names(Lang::Ru)),
        format!("no column for {}; say which column holds it", names(Lang::En)),
    ))
}

/// What a row below the header is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowKind {
    Data,
    Blank,
    Section,
    Totals,
}

fn row_kind(cells: &DataCells<'_>, columns: &[Column], r: usize) -> RowKind {
    if cells.is_section(r) {
        RowKind::Section
    } else if columns.iter().all(|c| cells.get(r, c.index).is_blank()) {
        RowKind::Blank
    } else if is_totals(cells, columns, r) {
        RowKind::Totals
    } else {
        RowKind::Data
    }
}

/// A totals row: «Итого»/«Всего» in one of its first cells that is not a number column.
fn is_totals(cells: &DataCells<'_>, columns: &[Column], r: usize) -> bool {
    let numeric = |c: usize| columns.iter().any(|col| col.index == c && col.field.is_numeric());
    (0..columns.iter().map(|c| c.index + 1).max().unwrap_or(0))
        .filter(|&c| !cells.get(r, c).is_blank() && !numeric(c))
        .take(3)
        .any(|c| is_totals_marker(cells.get(r, c)))
}
