//! The Excel reports: written where the person chose in the save dialog, then shown in the file
//! manager on request.

use std::path::PathBuf;

use mestno_reports::{ReportKind, ReportRequest, ReportSummary};

use super::{Call, Reply};

pub(super) async fn export_report(
    call: Call<'_>,
    kind: ReportKind,
    request: ReportRequest,
    path: PathBuf,
) -> Reply<ReportSummary> {
    let progress = |p| call.shell.progress(p);
    Ok(crate::reports::export_report(call.store()?, kind, &request, &path, &progress).await?)
}

pub(super) async fn reveal(call: Call<'_>, path: PathBuf) -> Reply<()> {
    call.shell.reveal(&path)
}
