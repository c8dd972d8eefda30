//! The Excel reports, written where the person chose, telling the front end how far the writing
//! has got.

use std::path::Path;

use mestno_core::Store;
pub use mestno_reports::{ReportKind, ReportRequest, ReportSummary};

use crate::Progress;
use crate::error::ui_lang;

/// Writes report `kind` for `request` to `path`, telling `progress` the rows read so far (handed
/// to the sheet's writer) under the report's title in the UI's language.
pub async fn export_report(
    store: &Store,
    kind: ReportKind,
    request: &ReportRequest,
    path: &Path,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<ReportSummary, mestno_reports::Error> {
    let task = kind.title_in(ui_lang()).to_owned();
    let report = |rows: u64| progress(Progress { task: task.clone(), done: rows, total: 0 });
    mestno_reports::write_report_with_progress(store, kind, request, path, &report).await
}
