//! Money by source in SQL: which initiatives' money counts, and the columns a query spreads money
//! by source over, read back as a [`BySource<Kopecks>`].

use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};

use crate::error::Result;
use crate::model::Stage;
use crate::money::{BySource, FundingSource, Kopecks};

/// `i.stage NOT IN ('rejected', 'withdrawn')`: the initiatives (as `i`) whose money counts, as
/// [`Stage::counts_money`] decides — on the dashboard and in the reports alike.
pub(crate) fn money_counts() -> String {
    let excluded: Vec<String> =
        Stage::ALL.iter().filter(|s| !s.counts_money()).map(|s| format!("'{}'", s.as_str())).collect();
    format!("i.stage NOT IN ({})", excluded.join(", "))
}

/// The columns of a query that hold money by source, one for each source: `{prefix}{code}`.
pub(crate) struct SourceColumns(BySource<String>);

impl SourceColumns {
    /// The columns `{prefix}federal`, `{prefix}regional`, …
    pub(crate) fn new(prefix: &str) -> SourceColumns {
        SourceColumns(BySource::from_fn(|source| format!("{prefix}{}", source.as_str())))
    }

    /// `, {sql} AS {column}` for each source, `sql(code)` giving the source's amount.
    pub(crate) fn push(&self, qb: &mut QueryBuilder<'_, Sqlite>, sql: impl Fn(&str) -> String) {
        for (source, column) in self.0.iter() {
            qb.push(format!(", {} AS {column}", sql(source.as_str())));
        }
    }

    /// The money the columns hold in `row`.
    pub(crate) fn read(&self, row: &SqliteRow) -> Result<BySource<Kopecks>> {
        BySource::try_from_fn(|source: FundingSource| Ok(Kopecks(row.try_get(self.0[source].as_str())?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_counts_unless_the_initiative_was_rejected_or_withdrawn() {
        assert_eq!(money_counts(), "i.stage NOT IN ('rejected', 'withdrawn')");
    }
}
