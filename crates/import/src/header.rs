//! Finding the table in a sheet: the header under the title rows (one or two levels, merged
//! cells spread over the columns they cover, a row of column numbers skipped), and which rows
//! below it are data, totals or section headings.

use std::collections::HashMap;

use mestno_core::text::fold;
use serde::{Deserialize, Serialize};

use crate::fields::{Kind, best_field};
use crate::table::{Region, Table, Value};

/// Rows searched for the header: title blocks are rarely longer.
const SEARCH_ROWS: usize = 40;

/// Where a sheet's table starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Header {
    /// The first header row, 0-based.
    pub first_row: usize,
    /// The first data row, 0-based.
    pub data_row: usize,
    /// Each column's heading; a two-level heading reads «Источники / Население».
    pub names: Vec<String>,
}

/// What the header search found: the header and how many headings were recognised.
pub(crate) struct Found {
    pub header: Header,
    pub recognised: usize,
}

/// Finds the header of `table` for `kind`: the row among the first forty with the most
/// recognised headings, extended down over a second heading level and a row of column numbers.
/// Without any recognised heading, the first row of two or more text cells.
pub(crate) fn detect(table: &Table, kind: Kind) -> Option<Found> {
    let limit = table.rows.len().min(SEARCH_ROWS);
    let filled = header_cells(table, 0, limit);
    // Distinct texts: a title merged across the sheet is one text, not one per column.
    let distinct = |r: usize| -> Vec<&String> {
        let mut seen: Vec<&String> = filled[r].iter().filter(|s| !s.is_empty()).collect();
        seen.sort();
        seen.dedup();
        seen
    };
    let recognised = |r: usize| -> usize { distinct(r).into_iter().filter(|s| best_field(kind, s).is_some()).count() };
    let text_cells = |r: usize| distinct(r).len();
    let mut best: Option<(usize, usize)> = None;
    for r in 0..limit {
        let n = recognised(r);
        if n > 0 && text_cells(r) >= 2 && best.is_none_or(|(_, b)| n > b) {
            best = Some((r, n));
        }
    }
    let (best_row, hits) = match best {
        Some(b) => b,
        None => ((0..limit).find(|&r| text_cells(r) >= 2 && all_text(table, r))?, 0),
    };
    // An upper level: a heading merged down into the best row, or group headings merged across
    // (a title merged across the sheet has one cell, not several, and stays out).
    let mut first = best_row;
    while first > 0 && first + 2 > best_row {
        let above = first - 1;
        let merged_down = table.merged.iter().any(|m| m.first_row as usize == above && m.last_row as usize >= first);
        let groups = table.merged.iter().any(|m| m.first_row as usize == above && m.width() > 1)
            && all_text(table, above)
            && text_cells(above) >= 2;
        if merged_down || groups {
            first = above;
        } else {
            break;
        }
    }
    let mut last = best_row;
    // A second level: under a heading merged across several columns, or a row of headings.
    while last + 1 < limit && last < first + 2 {
        let next = last + 1;
        if text_cells(next) == 0 {
            break;
        }
        let spans =
            table.merged.iter().any(|m| m.first_row as usize <= last && m.last_row as usize >= last && m.width() > 1);
        let next_hits = recognised(next);
        let headingish = all_text(table, next) && text_cells(next) > 0;
        let below_merge = table.merged.iter().any(|m| m.first_row as usize == first && m.last_row as usize >= next);
        if headingish && (spans || below_merge || (next_hits >= 2 && next_hits * 2 >= text_cells(next))) {
            last = next;
        } else {
            break;
        }
    }
    let mut data_row = last + 1;
    if is_numbering(table, data_row) {
        data_row += 1;
    }
    let width = table.rows[first..=last].iter().map(Vec::len).max().unwrap_or(0);
    let filled = header_cells(table, first, last + 1);
    let names = (0..width)
        .map(|c| {
            let mut parts: Vec<&str> = Vec::new();
            for row in &filled {
                if let Some(s) = row.get(c).filter(|s| !s.is_empty())
                    && !parts.contains(&s.as_str())
                {
                    parts.push(s);
                }
            }
            parts.join(" / ")
        })
        .collect();
    let recognised = if hits == 0 { 0 } else { (first..=last).map(recognised).max().unwrap_or(0).max(hits) };
    Some(Found { header: Header { first_row: first, data_row, names }, recognised })
}

/// The header rows' texts with merged blocks spread over every cell they cover.
fn header_cells(table: &Table, from: usize, to: usize) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = (from..to)
        .map(|r| table.rows[r].iter().map(|v| v.display().split_whitespace().collect::<Vec<_>>().join(" ")).collect())
        .collect();
    for m in &table.merged {
        let top = table.cell(m.first_row as usize, m.first_col as usize).display();
        let top = top.split_whitespace().collect::<Vec<_>>().join(" ");
        if top.is_empty() {
            continue;
        }
        for r in (m.first_row as usize).max(from)..=(m.last_row as usize).min(to.saturating_sub(1)) {
            let row = &mut rows[r - from];
            let last = (m.last_col as usize).min(16_383);
            if row.len() <= last {
                row.resize(last + 1, String::new());
            }
            for cell in &mut row[m.first_col as usize..=last] {
                if cell.is_empty() {
                    cell.clone_from(&top);
                }
            }
        }
    }
    rows
}

fn all_text(table: &Table, r: usize) -> bool {
    table.rows.get(r).is_some_and(|row| row.iter().all(|v| matches!(v, Value::Empty | Value::Text(_))))
}

/// A row «1 2 3 4 …» under the header, numbering the columns.
fn is_numbering(table: &Table, r: usize) -> bool {
    let Some(row) = table.rows.get(r) else { return false };
    let values: Vec<f64> = row
        .iter()
        .filter(|v| !v.is_blank())
        .map(|v| match v {
            Value::Number(n) => Some(*n),
            Value::Text(s) => s.trim().trim_end_matches('.').parse().ok(),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    values.len() >= 3 && values.iter().enumerate().all(|(i, n)| *n == (i + 1) as f64)
}

/// Where a data cell takes its value from: blocks merged down one column give every row they
/// cover the top cell's value (a district written once for its villages); wider blocks keep it
/// in their first cell only.
pub(crate) struct DataCells<'a> {
    table: &'a Table,
    down: HashMap<(usize, usize), (usize, usize)>,
    wide: Vec<Region>,
}

impl<'a> DataCells<'a> {
    pub(crate) fn new(table: &'a Table, data_row: usize) -> Self {
        let mut down = HashMap::new();
        let mut wide = Vec::new();
        for m in table.merged.iter().filter(|m| m.last_row as usize >= data_row) {
            if m.width() == 1 {
                let (r0, c) = (m.first_row as usize, m.first_col as usize);
                for r in (r0 + 1).max(data_row)..=(m.last_row as usize).min(table.rows.len()) {
                    down.insert((r, c), (r0, c));
                }
            } else {
                wide.push(*m);
            }
        }
        DataCells { table, down, wide }
    }

    /// The value of a data cell.
    pub(crate) fn get(&self, r: usize, c: usize) -> &'a Value {
        let cell = self.table.cell(r, c);
        if cell.is_blank()
            && let Some(&(r0, c0)) = self.down.get(&(r, c))
        {
            return self.table.cell(r0, c0);
        }
        cell
    }

    /// A section heading: the row's only text sits in a block merged across columns.
    pub(crate) fn is_section(&self, r: usize) -> bool {
        let row = self.table.rows.get(r).map(Vec::as_slice).unwrap_or_default();
        let filled: Vec<usize> = (0..row.len()).filter(|&c| !row[c].is_blank()).collect();
        matches!(filled.as_slice(), [c] if self.wide.iter().any(|m| m.first_row as usize == r && m.first_col as usize == *c && m.width() >= 2))
    }
}

/// Whether a cell marks a totals row: «Итого», «Всего», «ИТОГО по району:», «Total».
/// Only the cell's first word is folded, and only when it is as short as a marker: every text
/// cell of the first columns of every row is asked.
pub(crate) fn is_totals_marker(v: &Value) -> bool {
    let Value::Text(s) = v else { return false };
    let first = s.split(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()).unwrap_or("");
    (4..=5).contains(&first.chars().count())
        && matches!(fold(first).as_str(), "итого" | "итог" | "всего" | "total" | "итоги")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_row(cells: &[&str]) -> Vec<Value> {
        cells.iter().map(|s| if s.is_empty() { Value::Empty } else { Value::Text((*s).into()) }).collect()
    }

    #[test]
    fn the_header_is_found_under_a_title_block_and_a_numbering_row_is_skipped() {
        let table = Table {
            name: "Реестр".into(),
            rows: vec![
                text_row(&["Реестр инициативных проектов ППМИ-2025"]),
                text_row(&["Абанский район"]),
                vec![],
                text_row(&["№", "Наименование проекта", "Населённый пункт", "Общая стоимость, руб."]),
                vec![Value::Number(1.0), Value::Number(2.0), Value::Number(3.0), Value::Number(4.0)],
                text_row(&["1", "Ремонт водопровода", "с. Берёзовка", "1 000 000"]),
            ],
            ..Default::default()
        };
        let found = detect(&table, Kind::Initiatives).unwrap();
        assert_eq!(found.header.first_row, 3, "the title rows are not the header");
        assert_eq!(found.header.data_row, 5, "the row of column numbers is not data");
        assert_eq!(found.recognised, 3);
    }

    #[test]
    fn a_two_level_header_names_columns_by_both_levels() {
        let table = Table {
            name: "Лист1".into(),
            rows: vec![
                text_row(&["Наименование проекта", "Источники финансирования", "", ""]),
                text_row(&["", "Краевой бюджет", "Местный бюджет", "Население"]),
                text_row(&["Ремонт клуба", "900 000", "50 000", "50 000"]),
            ],
            merged: vec![
                Region { first_row: 0, first_col: 0, last_row: 1, last_col: 0 },
                Region { first_row: 0, first_col: 1, last_row: 0, last_col: 3 },
            ],
            ..Default::default()
        };
        let h = detect(&table, Kind::Initiatives).unwrap().header;
        assert_eq!(h.data_row, 2);
        assert_eq!(h.names[0], "Наименование проекта", "a heading merged down is named once");
        assert_eq!(h.names[3], "Источники финансирования / Население");
    }

    #[test]
    fn totals_markers() {
        for s in ["Итого", "ИТОГО по району:", "Всего:", "итог", "  — ИтОгИ —", "TOTAL", "Итого:"]
        {
            assert!(is_totals_marker(&Value::Text(s.into())), "{s}");
        }
        for s in ["Ремонт дороги", "Итоговое собрание", "Всегда вместе", "Тотальный диктант", "", "Итого2025"]
        {
            assert!(!is_totals_marker(&Value::Text(s.into())), "{s}");
        }
    }
}
