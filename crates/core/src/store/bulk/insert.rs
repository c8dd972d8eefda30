//! Multi-row `INSERT`s: the one way rows go into the office's tables.
//!
//! Every table's columns are declared once, with the type of its rows (see [`rows`](super::rows));
//! the statements are made from that declaration, for one row or for thousands. A statement
//! binds up to [`MAX_BINDS`] values and comes in a few fixed sizes (as many rows as the limit
//! allows, then 512, 32 and 1), so that sqlx's statement cache serves them all: preparing a
//! statement of thousands of values anew for every odd-sized remainder would cost more than
//! running it.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use sqlx::error::BoxDynError;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, Encode, Sqlite, SqliteConnection, Type};

use crate::error::{Error, Result};

/// Bound values per statement: below SQLite's limit of 32 766, and enough to spread the cost of
/// a statement (about 16 µs in sqlx) over thousands of rows.
pub(crate) const MAX_BINDS: usize = 30_000;

/// What a row type tells the store; implemented by the types of [`rows`](super::rows) alone, so
/// that every table's `INSERT` is written here and nowhere else.
pub(crate) mod sealed {
    /// A table's name and columns, and how a row binds its values in their order.
    pub trait Table<'q> {
        /// The table.
        const TABLE: &'static str;
        /// Its columns, in the order [`Table::bind`] binds them.
        const COLUMNS: &'static [&'static str];
        /// Binds the row's values, one per column.
        fn bind(self, values: &mut super::Values<'q>);
    }
}

/// A row of one of the office's tables, as [`Filler::insert`](super::Filler::insert) takes it:
/// one of the types of [`rows`](super::rows).
pub trait Row<'q>: sealed::Table<'q> {}

impl<'q, T: sealed::Table<'q>> Row<'q> for T {}

/// The values of the rows of one statement, bound in column order.
#[derive(Default)]
pub struct Values<'q> {
    args: SqliteArguments<'q>,
    error: Option<BoxDynError>,
}

impl<'q> Values<'q> {
    /// Binds the next column's value.
    pub(crate) fn bind<V>(&mut self, value: V) -> &mut Self
    where
        V: Encode<'q, Sqlite> + Type<Sqlite> + 'q,
    {
        if let Err(e) = self.args.add(value) {
            self.error.get_or_insert(e);
        }
        self
    }
}

/// One multi-row `INSERT` with its values bound: made where the rows are made (the demo makes
/// them on a thread of its own), run where the connection is.
pub(crate) struct Insert<'q> {
    sql: Arc<str>,
    args: SqliteArguments<'q>,
    /// The rows it inserts.
    pub(crate) rows: u64,
}

impl Insert<'_> {
    /// Runs the statement on `conn`.
    pub(crate) async fn execute(self, conn: &mut SqliteConnection) -> Result<()> {
        sqlx::query_with(&self.sql, self.args).execute(conn).await?;
        Ok(())
    }
}

/// The statements that insert `rows`, in their order.
pub(crate) fn statements<'q, R, I>(rows: I) -> Statements<'q, I::IntoIter>
where
    R: Row<'q>,
    I: IntoIterator<Item = R, IntoIter: ExactSizeIterator>,
{
    Statements { rows: rows.into_iter(), values: PhantomData }
}

/// Inserts `rows` on `conn`, in as few statements as the bind limit allows. (A list, not any
/// iterator: what the future holds across its awaits must be `Send` for every lifetime, which a
/// closure over borrowed records is not.)
pub(crate) async fn insert_rows<'q, R: Row<'q>>(conn: &mut SqliteConnection, rows: Vec<R>) -> Result<()> {
    for insert in statements(rows) {
        insert?.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Rows per statement of a table of `columns` columns, at most.
pub(crate) fn rows_per_statement(columns: usize) -> usize {
    (MAX_BINDS / columns.max(1)).max(1)
}

/// The statements of [`statements`], made as they are asked for.
pub(crate) struct Statements<'q, I> {
    rows: I,
    values: PhantomData<fn() -> Values<'q>>,
}

impl<'q, R: Row<'q>, I: ExactSizeIterator<Item = R>> Iterator for Statements<'q, I> {
    type Item = Result<Insert<'q>>;

    fn next(&mut self) -> Option<Self::Item> {
        let left = self.rows.len();
        if left == 0 {
            return None;
        }
        let columns = R::COLUMNS.len();
        let full = rows_per_statement(columns);
        let size = [full, 512, 32, 1].into_iter().find(|&n| n <= full && n <= left).unwrap_or(1);
        let mut values = Values::default();
        for row in self.rows.by_ref().take(size) {
            row.bind(&mut values);
        }
        if let Some(e) = values.error {
            return Some(Err(Error::Database(sqlx::Error::Encode(e))));
        }
        debug_assert_eq!(values.args.len(), size * columns, "{}: every row binds every column", R::TABLE);
        Some(Ok(Insert { sql: statement(R::TABLE, R::COLUMNS, size), args: values.args, rows: size as u64 }))
    }
}

/// `INSERT INTO table(columns) VALUES (?, …), …` for `rows` rows: a handful of shapes per table,
/// made once for the process.
fn statement(table: &'static str, columns: &'static [&'static str], rows: usize) -> Arc<str> {
    /// The statements made so far, by table and rows.
    type Made = HashMap<(&'static str, usize), Arc<str>>;
    static MADE: LazyLock<Mutex<Made>> = LazyLock::new(Default::default);
    let mut made = MADE.lock().unwrap_or_else(PoisonError::into_inner);
    made.entry((table, rows))
        .or_insert_with(|| {
            let row = format!("({})", vec!["?"; columns.len()].join(", "));
            format!("INSERT INTO {table}({}) VALUES {}", columns.join(", "), vec![row; rows].join(", ")).into()
        })
        .clone()
}
