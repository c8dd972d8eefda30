//! The import wizard's desk: the file the person opened, read once, and the checked plan that
//! waits for the go-ahead. One wizard runs at a time; opening another file starts over.
//!
//! The wizard runs the import's one flow ([`super`]) step by step: open and inspect → map (the
//! mapping saved last time for this kind of records, spelled out for the chosen sheet) → check
//! (nothing written) → commit (one transaction). Replies stay small: the plan's records stay
//! here, and its lists of problems, warnings, duplicates, updates and conflicts cross IPC cut to
//! [`LISTED`] entries with their totals (the territories to create cross whole: the person
//! decides on all of them).

use std::path::PathBuf;

use mestno_core::model::Id;
use mestno_core::{ErrorCode, Store, Text};
use mestno_import::{
    Conflict, Duplicate, Kind, Mapping, Plan, PlannedColumn, PlannedTerritory, PlannedUpdate, Problem, Skipped,
    Workbook,
};
use serde::Serialize;
use tokio::sync::Mutex;

use super::ImportFile;
use crate::AppError;
use crate::error::ui_lang;

/// The most problems, skipped rows or duplicates one reply lists (the rest are counted, and the
/// problems all go into the .xlsx report).
pub const LISTED: usize = 200;

/// A file opened in the wizard.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportOpened {
    /// Its sheets, headers, guessed columns and first rows.
    pub workbook: Workbook,
    /// The mapping to start from, spelled out for the suggested sheet.
    pub mapping: Mapping,
    /// True when the mapping is the one saved after the last import of this kind.
    pub saved: bool,
}

/// What the import would do, as the wizard shows it before anything is written.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportCheck {
    /// The sheet read.
    pub sheet: String,
    /// The header's first row.
    pub header_row: u32,
    /// The columns read, with their fields.
    pub columns: Vec<PlannedColumn>,
    /// Data rows looked at.
    pub rows_read: u32,
    /// Records ready to add.
    pub ready: u32,
    /// Rows with problems.
    pub bad_rows: u32,
    /// Problems, the first [`LISTED`].
    pub problems: Vec<Problem>,
    /// Problems in all.
    pub problems_total: u32,
    /// Totals rows and section headings left out, the first [`LISTED`].
    pub skipped: Vec<Skipped>,
    /// Rows left out in all.
    pub skipped_total: u32,
    /// Rows already stored (not added again), the first [`LISTED`].
    pub matched: Vec<Duplicate>,
    /// Rows already stored in all.
    pub matched_total: u32,
    /// Rows added that may be people already stored, the first [`LISTED`].
    pub likely_duplicates: Vec<Duplicate>,
    /// Likely duplicates in all.
    pub likely_duplicates_total: u32,
    /// Territories the file names that the office lacks, all of them: created with the import
    /// when the check was made with `create_territories`, else their rows are refused.
    pub new_territories: Vec<PlannedTerritory>,
    /// Whether the check was made to create `new_territories` with the import.
    pub create_territories: bool,
    /// What the person should know though nothing is refused, the first [`LISTED`].
    pub warnings: Vec<Problem>,
    /// Warnings in all.
    pub warnings_total: u32,
    /// Stored initiatives the file changes, with each field from and to, the first [`LISTED`].
    pub updates: Vec<PlannedUpdate>,
    /// Initiatives changed in all.
    pub updates_total: u32,
    /// Fields changed in Mestno since the file was exported, not overwritten, the first [`LISTED`].
    pub conflicts: Vec<Conflict>,
    /// Conflicts in all.
    pub conflicts_total: u32,
}

/// What the import did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportDone {
    /// Records added.
    pub created: u32,
    /// Territories the file named that the office lacked, created with the import.
    pub territories_created: u32,
    /// Residents' meetings added as events with the initiatives they chose.
    pub meetings: u32,
    /// Stored initiatives updated from the file.
    pub updated: u32,
    /// Rows that were records already stored.
    pub matched: u32,
    /// Rows added that may duplicate stored contacts.
    pub likely_duplicates: u32,
    /// Rows with problems left out.
    pub bad_rows_skipped: u32,
    /// Totals rows and section headings left out.
    pub rows_skipped: u32,
    /// The contacts just added that may be people already stored, each with its new id, for
    /// the person to merge (the first [`LISTED`]).
    pub to_merge: Vec<MergeCandidate>,
}

/// A contact just added that may be someone already in the office.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MergeCandidate {
    /// The file's row.
    pub row: u32,
    /// The new contact.
    pub id: Id,
    /// Its name.
    pub name: String,
    /// The contact it may be.
    pub existing_id: Id,
    /// That contact's name.
    pub existing_name: String,
    /// Why they look the same.
    pub reason: Text,
}

/// The wizard's state between its steps.
#[derive(Default)]
pub struct ImportDesk {
    open: Mutex<Option<Session>>,
}

struct Session {
    file: ImportFile,
    workbook: Workbook,
    /// The mapping the wizard started from (saved or guessed), kept to spell out for other sheets.
    start: Mapping,
    /// The last check, and the mapping it was made with.
    plan: Option<(Plan, Mapping)>,
}

impl ImportDesk {
    /// Reads the file at `path` for importing `kind`, and offers the mapping saved last time (or
    /// the guesses) for the sheet that fits best.
    pub async fn open(&self, store: &Store, path: PathBuf, kind: Kind) -> Result<ImportOpened, AppError> {
        let file = ImportFile::open(path).await?;
        let workbook = file.inspect(kind);
        let Some(sheet) = workbook.suggested_sheet.clone() else {
            return Err(AppError::from(mestno_import::Error::NoTable));
        };
        let saved = match store.setting(&mapping_key(kind)).await? {
            Some(json) => serde_json::from_str::<Mapping>(&json).ok().filter(|m| m.kind == kind),
            None => None,
        };
        let summary = workbook.sheets.iter().find(|s| s.name == sheet).expect("the suggested sheet is one of them");
        // A saved mapping is tried on the sheet it named if the file has it with a table.
        let saved_sheet = saved
            .as_ref()
            .and_then(|m| m.sheet.as_ref())
            .and_then(|name| workbook.sheets.iter().find(|s| &s.name == name && s.header_row.is_some()));
        let (mapping, saved) = match saved.as_ref().and_then(|m| m.for_sheet(saved_sheet.unwrap_or(summary)).ok()) {
            Some(mapping) => (mapping, true),
            None => {
                let guess = Mapping::from_guess(kind, summary);
                // Spelled out: every column listed, those without a guess as not loaded.
                (guess.for_sheet(summary).unwrap_or(guess), false)
            }
        };
        *self.open.lock().await =
            Some(Session { file, workbook: workbook.clone(), start: mapping.clone(), plan: None });
        Ok(ImportOpened { workbook, mapping, saved })
    }

    /// The mapping the wizard started from, spelled out for another `sheet` of the open file.
    pub async fn mapping_for(&self, sheet: &str) -> Result<Mapping, AppError> {
        let guard = self.open.lock().await;
        let session = guard.as_ref().ok_or_else(nothing_open)?;
        let Some(summary) = session.workbook.sheets.iter().find(|s| s.name == sheet) else {
            let sheets = session.workbook.sheets.iter().map(|s| s.name.clone()).collect();
            return Err(AppError::from(mestno_import::Error::SheetNotFound { name: sheet.to_owned(), sheets }));
        };
        if summary.header_row.is_none() {
            return Err(AppError::new(
                ErrorCode::Invalid,
                &format!("На листе «{sheet}» не найдена таблица с заголовками"),
                &format!("No table with headings was found on sheet «{sheet}»"),
            ));
        }
        Ok(session.start.for_sheet(summary).unwrap_or_else(|_| Mapping::from_guess(session.start.kind, summary)))
    }

    /// Reads and checks every row with `mapping`; nothing is written. The plan waits for
    /// [`ImportDesk::commit`].
    pub async fn check(&self, store: &Store, mapping: Mapping) -> Result<ImportCheck, AppError> {
        let mut guard = self.open.lock().await;
        let session = guard.as_mut().ok_or_else(nothing_open)?;
        if mapping.kind != session.start.kind {
            return Err(AppError::new(
                ErrorCode::Invalid,
                "Сопоставление сделано для других записей",
                "The mapping is for another kind of records",
            ));
        }
        session.plan = None;
        let plan = session.file.check(store, &mapping).await?;
        let check = ImportCheck {
            sheet: plan.sheet.clone(),
            header_row: plan.header_row,
            columns: plan.columns.clone(),
            rows_read: plan.rows_read,
            ready: count(plan.ready()),
            bad_rows: count(plan.bad_rows.len()),
            problems: first(&plan.problems),
            problems_total: count(plan.problems.len()),
            skipped: first(&plan.skipped),
            skipped_total: count(plan.skipped.len()),
            matched: first(&plan.matched),
            matched_total: count(plan.matched.len()),
            likely_duplicates: first(&plan.likely_duplicates),
            likely_duplicates_total: count(plan.likely_duplicates.len()),
            new_territories: plan.new_territories.clone(),
            create_territories: mapping.create_territories,
            warnings: first(&plan.warnings),
            warnings_total: count(plan.warnings.len()),
            updates: first(&plan.updates),
            updates_total: count(plan.updates.len()),
            conflicts: first(&plan.conflicts),
            conflicts_total: count(plan.conflicts.len()),
        };
        session.plan = Some((plan, mapping));
        Ok(check)
    }

    /// Adds the checked records in one transaction — all or nothing unless `skip_bad` — telling
    /// `progress` (done, total) as it goes; then saves the mapping for next time and closes the
    /// file. The records go in uncopied ([`super::commit`]): an import refused for its bad rows
    /// leaves the check as it was, and one whose writing failed is checked again from the open
    /// file, so the person can still save the problems or try again.
    pub async fn commit(
        &self,
        store: &Store,
        skip_bad: bool,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<ImportDone, AppError> {
        let mut guard = self.open.lock().await;
        let session = guard.as_mut().ok_or_else(nothing_open)?;
        let Some((mut plan, mapping)) = session.plan.take() else {
            return Err(AppError::new(
                ErrorCode::Refused,
                "Сначала проверьте файл: загружается только проверенное",
                "Check the file first: only a checked file is imported",
            ));
        };
        if let Err(refused) = super::refuse_bad_rows(&plan, skip_bad) {
            // Refused as checked: the person may save the problems, or import skipping the rows.
            session.plan = Some((plan, mapping));
            return Err(refused);
        }
        let summary = match super::commit(store, &mut plan, skip_bad, progress).await {
            Ok(summary) => summary,
            Err(e) => {
                // The records went to the writing uncopied, and the writing was undone: the plan
                // is made again from the open file, for its problems' report or another try.
                drop(plan);
                session.plan = session.file.check(store, &mapping).await.ok().map(|plan| (plan, mapping));
                return Err(e);
            }
        };
        // Territories are created only when the person asks, file by file: not saved.
        if let Some(sheet) = session.workbook.sheets.iter().find(|s| s.name == plan.sheet)
            && let Ok(used) = mapping.for_sheet(sheet)
            && let Ok(json) = serde_json::to_string(&Mapping { create_territories: false, ..used })
        {
            store.set_setting(&mapping_key(plan.kind), &json).await?;
        }
        let new_id = |row: u32| {
            plan.batch_rows.iter().position(|&r| r == row).and_then(|i| summary.ids.contacts.get(i)).copied()
        };
        let to_merge = plan
            .likely_duplicates
            .iter()
            .filter_map(|d| {
                Some(MergeCandidate {
                    row: d.row,
                    id: new_id(d.row)?,
                    name: d.name.clone(),
                    existing_id: d.existing_id.or_else(|| d.existing_row.and_then(new_id))?,
                    existing_name: d.existing_name.clone(),
                    reason: d.reason.clone(),
                })
            })
            .take(LISTED)
            .collect();
        *guard = None;
        Ok(ImportDone {
            to_merge,
            created: count(summary.created),
            territories_created: count(summary.territories_created),
            meetings: count(summary.meetings),
            updated: count(summary.updated),
            matched: count(summary.matched),
            likely_duplicates: count(summary.likely_duplicates),
            bad_rows_skipped: count(summary.bad_rows_skipped),
            rows_skipped: count(summary.rows_skipped),
        })
    }

    /// Writes every problem of the last check to an .xlsx at `path`.
    pub async fn write_problems(&self, path: PathBuf) -> Result<(), AppError> {
        let guard = self.open.lock().await;
        let session = guard.as_ref().ok_or_else(nothing_open)?;
        let Some((plan, _)) = session.plan.as_ref() else {
            return Err(AppError::new(ErrorCode::Refused, "Сначала проверьте файл", "Check the file first"));
        };
        super::write_problems(plan, &path, ui_lang())
    }

    /// Forgets the open file.
    pub async fn close(&self) {
        *self.open.lock().await = None;
    }
}

/// The setting that keeps the mapping of the last import of `kind`.
fn mapping_key(kind: Kind) -> String {
    format!("import_mapping.{}", kind.as_str())
}

fn nothing_open() -> AppError {
    AppError::new(ErrorCode::Refused, "Файл для загрузки не открыт", "No file is open for import")
}

fn first<T: Clone>(items: &[T]) -> Vec<T> {
    items.iter().take(LISTED).cloned().collect()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
