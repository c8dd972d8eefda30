//! Mestno's import: the registries, contact lists and attendance sheets offices already keep in
//! Excel and CSV, brought into the office's database without retyping and without corrupting it.
//!
//! The import runs in the steps of the desktop app's wizard, and the `mestno import` command runs
//! the same steps in one go:
//!
//! 1. [`open`] reads a file into a [`Source`]: xlsx (streamed cell by cell, with merged cells and
//!    hidden columns), xls, ods, or CSV in UTF-8 (with or without BOM), UTF-16 or Windows-1251,
//!    `;`, `,` or tab separated. The format is told by the bytes; damaged, truncated or foreign
//!    files are refused with a reason, never a panic.
//! 2. [`inspect`] looks for a table of a [`Kind`] on every sheet: the header under the title rows
//!    (two levels and a row of column numbers allowed), each column's [`Field`] guessed from its
//!    heading («Наименование проекта», «Населённый пункт», «Вклад населения», «ФИО», «Телефон»…,
//!    case, «ё» and punctuation ignored), and a preview — a [`Workbook`].
//! 3. A [`Mapping`] says which column feeds which field (the guesses, corrected by the user), plus
//!    [`Defaults`] for what the file lacks; it is saved as JSON and used again next time.
//! 4. [`validate`] reads every data row — money exact to the kopeck («1 234 567,89», «1234567.89
//!    руб.», thousands of roubles), dates (dd.mm.yyyy, Excel serials, ISO), phones to +7 —
//!    leaves out totals rows and section headings, runs the core's own checks, matches rows
//!    already stored (a contact's phone, e-mail, or name and settlement) and returns a [`Plan`]:
//!    the records ready, each [`Problem`] with its sheet, row, column and reason in Russian and
//!    English, the matched rows and the likely duplicates to merge. Nothing is written.
//! 5. [`commit`] writes the plan in one transaction, all or nothing unless bad rows are to be
//!    skipped ([`CommitOptions`]), reporting [`Progress`]; a failure or a killed process leaves the
//!    database as it was. [`write_report`] puts the problems in an .xlsx.
#![deny(missing_docs)]

mod commit;
mod dedup;
mod error;
mod fields;
mod header;
mod inspect;
mod labels;
mod mapping;
mod parse;
mod places;
mod plan;
mod read;
mod records;
mod report;
mod table;
mod territories;
mod totals;
mod update;

pub use commit::{CommitOptions, Progress, Summary, commit, commit_plan, refuse_bad_rows};
pub use error::{Error, Result};
pub use fields::{Field, Kind};
pub use header::Header;
pub use inspect::{ColumnSummary, PREVIEW_ROWS, PreviewRow, SheetSummary, Workbook, inspect};
pub use mapping::{ColumnMapping, Defaults, Mapping};
pub use parse::MoneyUnit;
pub use plan::{Conflict, Duplicate, FieldChange, Plan, PlannedColumn, PlannedUpdate, Problem, Skipped, validate};
pub use read::{MAX_CELL_BYTES, MAX_CELLS, MAX_FILE_BYTES, MAX_TEXT_BYTES, from_bytes, open};
pub use report::write_report;
pub use table::{Format, Region, Source, Table, Value, column_letter};
pub use territories::PlannedTerritory;
