//! Keyset pagination: a page ends with a cursor naming its last row's sort key and id, and the
//! next page starts strictly after it — stable under inserts, and as fast on page 200 as on page 1.

use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite};

use crate::error::{Error, Result};
use crate::model::Id;

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Where the next page starts; none on the last page.
    pub next: Option<Cursor>,
    /// How many rows match the filter in all.
    pub total: i64,
}

/// An opaque position in a sorted list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct Cursor(String);

/// The value of the sort column in the last row of a page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum SortValue {
    Int(i64),
    Text(String),
}

#[derive(Serialize, Deserialize)]
struct Position {
    key: SortValue,
    id: Id,
}

impl Cursor {
    pub(crate) fn new(key: SortValue, id: Id) -> Self {
        Cursor(serde_json::to_string(&Position { key, id }).unwrap_or_default())
    }

    fn position(&self) -> Result<Position> {
        serde_json::from_str(&self.0).map_err(|_| {
            Error::refused("неверная позиция в списке; откройте список заново", "bad list position; reload the list")
        })
    }
}

/// Sort direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A → Я, small → large, old → new.
    #[default]
    Asc,
    /// The other way.
    Desc,
}

/// The largest page a caller may ask for.
pub const MAX_PAGE: u32 = 500;

/// Appends `AND (col, id) > (key, id)` (or `<` descending) for the page after `after`.
pub(crate) fn push_after(
    qb: &mut QueryBuilder<'_, Sqlite>,
    column: &str,
    id_column: &str,
    dir: Direction,
    after: Option<&Cursor>,
) -> Result<()> {
    let Some(after) = after else { return Ok(()) };
    let pos = after.position()?;
    let op = if dir == Direction::Asc { ">" } else { "<" };
    qb.push(format!(" AND ({column}, {id_column}) {op} ("));
    match pos.key {
        SortValue::Int(v) => qb.push_bind(v),
        SortValue::Text(v) => qb.push_bind(v),
    };
    qb.push(", ").push_bind(pos.id).push(")");
    Ok(())
}

/// Appends `ORDER BY col, id LIMIT n+1` (one extra row tells whether there is a next page).
pub(crate) fn push_order(qb: &mut QueryBuilder<'_, Sqlite>, column: &str, id_column: &str, dir: Direction, limit: u32) {
    let d = if dir == Direction::Asc { "ASC" } else { "DESC" };
    qb.push(format!(" ORDER BY {column} {d}, {id_column} {d} LIMIT "));
    qb.push_bind(i64::from(limit.clamp(1, MAX_PAGE)) + 1);
}

/// Cuts the extra row and makes the cursor from the last kept row.
pub(crate) fn finish<T>(mut rows: Vec<T>, limit: u32, total: i64, key: impl Fn(&T) -> (SortValue, Id)) -> Page<T> {
    let limit = limit.clamp(1, MAX_PAGE) as usize;
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| {
            let (k, id) = key(r);
            Cursor::new(k, id)
        })
    } else {
        None
    };
    Page { items: rows, next, total }
}

/// `WITH RECURSIVE sub(id) AS (…)`: the territory and everything under it, as a CTE named `sub`.
pub(crate) fn push_subtree_cte(qb: &mut QueryBuilder<'_, Sqlite>, territory: Option<Id>) {
    if let Some(t) = territory {
        qb.push("WITH RECURSIVE sub(id) AS (SELECT ");
        qb.push_bind(t);
        qb.push(" UNION ALL SELECT t.id FROM territories t JOIN sub ON t.parent_id = sub.id) ");
    }
}
