use std::path::Path;
use std::process::Command;

use mestno_core::store::InitiativeQuery;
use mestno_reports::{ReportKind, ReportRequest};

use crate::util::*;

/// Writes all five reports of `o` into its folder; the card is of the office's first initiative.
pub async fn write_all(o: &Office) -> Vec<std::path::PathBuf> {
    let first =
        o.store.list_initiatives(&InitiativeQuery { limit: 1, ..Default::default() }).await.unwrap().items[0].id;
    let mut paths = Vec::new();
    for kind in ReportKind::ALL {
        let request =
            ReportRequest { initiative_id: (kind == ReportKind::Initiative).then_some(first), ..Default::default() };
        paths.push(o.write(kind, &request).await);
    }
    paths
}

/// Runs `check_reports.py`: openpyxl reads the files, sqlite3 recomputes every figure from the
/// database file with its own SQL.
fn python_check(db: &Path, dir: &Path, card: &str) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/check_reports.py");
    let out = Command::new("python3")
        .arg(&script)
        .args([db.as_os_str(), dir.as_os_str()])
        .args([TODAY, card])
        .output()
        .expect("python3 runs (scripts/install-deps.sh installs it with openpyxl)");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "openpyxl's reading of the reports disagrees with the database:\n{text}");
    assert!(text.contains("checked"), "the script says what it checked:\n{text}");
}

#[tokio::test]
async fn openpyxl_reads_the_same_figures_as_sqlite_computes() {
    for o in [hand_built().await, demo_office().await] {
        write_all(&o).await;
        let first =
            o.store.list_initiatives(&InitiativeQuery { limit: 1, ..Default::default() }).await.unwrap().items[0].id;
        python_check(o.store.path(), o.dir.path(), &first.to_string());
    }
}
