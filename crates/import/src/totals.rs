//! The totals row checked against the rows above it. Offices report the figures of their
//! registry's «Итого»; a file whose rows do not add up to them (a row typed over, a formula
//! that misses the last rows) is imported as its rows say, with a warning naming each column
//! whose total differs — so the person finds out before the region does.

use mestno_core::Text;

use crate::header::DataCells;
use crate::mapping::Column;
use crate::parse;
use crate::plan::Problem;
use crate::table::column_letter;

/// The last totals row's figures that are neither the sum of every data row nor the sum of the
/// rows since the totals row before it (a file with subtotals), as warnings. Nothing when the
/// sheet has no totals row below its data.
pub(crate) fn check(
    sheet: &str,
    names: &[String],
    cells: &DataCells<'_>,
    columns: &[Column],
    data: &[usize],
    totals: &[usize],
) -> Vec<Problem> {
    let Some(&last) = totals.last() else { return Vec::new() };
    if data.last().is_some_and(|&r| r > last) {
        return Vec::new();
    }
    let previous = totals.iter().rev().nth(1).copied();
    let mut out = Vec::new();
    for c in columns.iter().filter(|c| c.field.is_numeric() && !c.field.takes_many()) {
        let value = |r: usize| -> Option<i64> {
            let v = cells.get(r, c.index);
            if c.field.is_money() {
                parse::money(v, c.unit).ok().flatten().map(|k| k.0)
            } else {
                parse::count(v).ok().flatten()
            }
        };
        let Some(stated) = value(last) else { continue };
        let all: i64 = data.iter().filter_map(|&r| value(r)).sum();
        let group: i64 = data.iter().filter(|&&r| previous.is_none_or(|p| r > p)).filter_map(|&r| value(r)).sum();
        if stated == all || stated == group {
            continue;
        }
        let show = |n: i64| {
            if c.field.is_money() { mestno_core::money::Kopecks(n).to_string() } else { n.to_string() }
        };
        let heading = names.get(c.index).cloned().unwrap_or_default();
        out.push(Problem {
            sheet: sheet.to_string(),
            row: last as u32 + 1,
            column: Some(column_letter(c.index as u32)),
            heading: Some(heading),
            value: Some(show(stated)),
            message: Text::new(
                format!("в строке итогов {}, а строки файла дают в сумме {}; проверьте файл", show(stated), show(all)),
                format!(
                    "the totals row says {}, while the file's rows add up to {}; check the file",
                    show(stated),
                    show(all)
                ),
            ),
        });
    }
    out
}
