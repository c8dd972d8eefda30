//! Importing records from a spreadsheet: one flow, whichever front end drives it. The window's
//! wizard ([`ImportDesk`]) runs it step by step between the person's clicks; the `mestno import`
//! command runs it in one go.
//!
//! The steps are those of [`mestno_import`]: [`ImportFile::open`] reads the file once;
//! [`ImportFile::inspect`] finds its tables; [`ImportFile::check`] reads and checks every row with
//! a [`Mapping`] into a [`Plan`] (nothing written); [`write_problems`] puts the plan's problems in
//! an .xlsx; [`commit`] writes the plan's records in one transaction without copying them
//! ([`refuse_bad_rows`] says beforehand whether it would refuse).
//!
//! The import's types a front end shows or keeps are re-exported here.

mod desk;

use std::path::{Path, PathBuf};

use mestno_core::{ErrorCode, Lang, Store};
use mestno_import::{ColumnMapping, CommitOptions, Source};
pub use mestno_import::{Kind, Mapping, Plan, Summary, Workbook};

pub use self::desk::{ImportCheck, ImportDesk, ImportDone, ImportOpened, LISTED, MergeCandidate};
use crate::AppError;

/// A spreadsheet opened for importing: read once, then inspected and checked as often as asked.
pub struct ImportFile {
    source: Source,
}

impl ImportFile {
    /// Reads the file at `path` (xlsx, xls, ods or CSV), off the async threads.
    pub async fn open(path: PathBuf) -> Result<ImportFile, AppError> {
        let source = tokio::task::spawn_blocking(move || mestno_import::open(&path))
            .await
            .map_err(|_| AppError::new(ErrorCode::Io, "Чтение файла прервано", "Reading the file was cut short"))?
            .map_err(AppError::from)?;
        Ok(ImportFile { source })
    }

    /// The file's sheets, each with the table of `kind` found on it: its header, guessed columns
    /// and first rows, and the sheet that fits best.
    pub fn inspect(&self, kind: Kind) -> Workbook {
        mestno_import::inspect(&self.source, kind)
    }

    /// Reads and checks every row with `mapping` against the office in `store`; nothing is
    /// written.
    pub async fn check(&self, store: &Store, mapping: &Mapping) -> Result<Plan, AppError> {
        Ok(mestno_import::validate(store, &self.source, mapping).await?)
    }

    /// The mapping `given` as `plan` used it, to read the next file the same way: the sheet, the
    /// header, every column read with its field (and for money its unit).
    pub fn used_mapping(&self, plan: &Plan, given: &Mapping) -> Mapping {
        let workbook = self.inspect(plan.kind);
        let units =
            workbook.sheets.iter().find(|s| s.name == plan.sheet).map(|s| s.columns.clone()).unwrap_or_default();
        Mapping {
            kind: plan.kind,
            sheet: Some(plan.sheet.clone()),
            header_row: given.header_row,
            columns: plan
                .columns
                .iter()
                .map(|c| ColumnMapping {
                    heading: c.heading.clone(),
                    column: Some(c.column.clone()),
                    field: Some(c.field),
                    unit: c
                        .field
                        .is_money()
                        .then(|| units.iter().find(|u| u.letter == c.column).map(|u| u.unit).unwrap_or_default()),
                })
                .collect(),
            defaults: given.defaults.clone(),
            create_territories: given.create_territories,
        }
    }
}

/// Refuses `plan` if any of its rows has problems and `skip_bad` is off: the error [`commit`]
/// gives before writing anything.
pub fn refuse_bad_rows(plan: &Plan, skip_bad: bool) -> Result<(), AppError> {
    Ok(mestno_import::refuse_bad_rows(plan, CommitOptions { skip_bad })?)
}

/// Adds the plan's records to the office in one transaction — all or nothing unless `skip_bad`
/// — telling `progress` (done, total) as it goes. The records go in uncopied: once the writing
/// has begun, `plan` keeps all but its records (its lists of problems, matches, duplicates…),
/// whether it succeeded or not. A plan refused for its bad rows is left as it was.
pub async fn commit(
    store: &Store,
    plan: &mut Plan,
    skip_bad: bool,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<Summary, AppError> {
    let report = |p: mestno_import::Progress| progress(p.done, p.total);
    Ok(mestno_import::commit_plan(store, plan, CommitOptions { skip_bad }, &report).await?)
}

/// Writes every problem, warning and duplicate of `plan` to an .xlsx at `path`, in `lang`.
pub fn write_problems(plan: &Plan, path: &Path, lang: Lang) -> Result<(), AppError> {
    Ok(mestno_import::write_report(plan, path, lang)?)
}
