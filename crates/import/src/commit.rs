//! Writing a checked [`Plan`]: every record in one transaction, so a failure or a killed process
//! leaves the database exactly as it was.

use mestno_core::Store;
use mestno_core::store::{Batch, BatchIds, BatchProgress};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::plan::Plan;

/// How to commit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommitOptions {
    /// Add the good rows and leave out the rows with problems; without it an import with any bad
    /// row adds nothing.
    pub skip_bad: bool,
}

/// How far [`commit`] has got: records written of those to write.
pub type Progress = BatchProgress;

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Summary {
    /// Records added (the rows' own; territories and meetings are counted apart).
    pub created: usize,
    /// Territories the file named that the office lacked, created with the import.
    pub territories_created: usize,
    /// Residents' meetings added as events with the initiatives they chose.
    pub meetings: usize,
    /// Stored initiatives updated from the file.
    pub updated: usize,
    /// Rows that matched records already stored (or earlier rows) and added nothing.
    pub matched: usize,
    /// Rows added that may duplicate stored contacts (listed in the plan).
    pub likely_duplicates: usize,
    /// Rows with problems left out (only with `skip_bad`).
    pub bad_rows_skipped: usize,
    /// Totals rows and section headings left out.
    pub rows_skipped: usize,
    /// The new records' ids.
    pub ids: BatchIds,
}

/// Adds the plan's records to the office in one transaction. Refuses, writing nothing, if any
/// row has problems and `options.skip_bad` is off. `progress` is told after every statement.
/// The plan stays as it was (its records are copied): see [`commit_plan`] to spare the copy.
pub async fn commit(
    store: &Store,
    plan: &Plan,
    options: CommitOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Summary> {
    refuse_bad_rows(plan, options)?;
    let added = Added::of(&plan.batch);
    let ids = write(store, plan.batch.clone(), &plan.file, progress).await?;
    Ok(added.summary(plan, ids))
}

/// Like [`commit`], but the plan's records go into the database without being copied first,
/// which spares the memory of a second copy of a large file's rows: once the writing has begun,
/// the plan keeps everything but its records (`batch` is left empty, whether the writing
/// succeeded or not). A plan refused for its bad rows is left as it was.
pub async fn commit_plan(
    store: &Store,
    plan: &mut Plan,
    options: CommitOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Summary> {
    refuse_bad_rows(plan, options)?;
    let batch = std::mem::take(&mut plan.batch);
    let added = Added::of(&batch);
    let ids = write(store, batch, &plan.file, progress).await?;
    Ok(added.summary(plan, ids))
}

/// Refuses a plan with rows with problems unless `options.skip_bad`
/// ([`Error::RowsRejected`]): what [`commit`] and [`commit_plan`] check before they write.
pub fn refuse_bad_rows(plan: &Plan, options: CommitOptions) -> Result<()> {
    if !plan.bad_rows.is_empty() && !options.skip_bad {
        return Err(Error::RowsRejected(plan.bad_rows.len()));
    }
    Ok(())
}

async fn write(
    store: &Store,
    batch: Batch,
    file: &str,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<BatchIds> {
    if batch.is_empty() { Ok(BatchIds::default()) } else { Ok(store.insert_batch(batch, file, progress).await?) }
}

/// What a batch adds besides the rows' own records.
struct Added {
    territories: usize,
    meetings: usize,
    updates: usize,
}

impl Added {
    fn of(batch: &Batch) -> Added {
        Added { territories: batch.territories.len(), meetings: batch.meetings(), updates: batch.updates.len() }
    }

    fn summary(self, plan: &Plan, ids: BatchIds) -> Summary {
        Summary {
            created: ids.contacts.len() + ids.initiatives.len() + ids.events.len() - self.meetings,
            territories_created: self.territories,
            meetings: self.meetings,
            updated: self.updates,
            matched: plan.matched.len(),
            likely_duplicates: plan.likely_duplicates.len(),
            bad_rows_skipped: plan.bad_rows.len(),
            rows_skipped: plan.skipped.len(),
            ids,
        }
    }
}
