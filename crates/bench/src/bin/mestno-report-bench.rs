//! `mestno-report-bench`: how fast the registry of a large office is written, in how much
//! memory, and how that compares with Python's XlsxWriter writing the same rows from the same
//! database. Prints JSON lines, each beside its target.
//!
//! The demo office is built first (or an existing file is reused with `--db`); the registry is
//! then written by a child process of this binary, so that its peak memory (VmHWM) is the
//! report's alone, sampled every 2 000 rows to show the profile stays flat. The time is the
//! report's, from the query to the saved file, as the app would spend it with its store open;
//! opening the store is timed apart. Python's time runs from connecting to the closed file.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Parser;
use mestno_core::{Clock, Store, SystemClock};
use mestno_demo::{self as demo, DemoSpec, Scale};
use mestno_reports::{ReportKind, ReportRequest};
use serde_json::{Value, json};

/// The Python yardstick: XlsxWriter writing the same registry from the same SQLite file.
const PYTHON: &str = include_str!("../../python/registry_xlsxwriter.py");

/// Benchmark of the registry report.
#[derive(Parser)]
struct Args {
    /// The office database; built from the demo if missing (a temporary one by default).
    #[arg(long)]
    db: Option<PathBuf>,
    /// Demo size to build: small, medium or large.
    #[arg(long, default_value = "large")]
    scale: String,
    /// The Python interpreter with XlsxWriter.
    #[arg(long, default_value = "python3")]
    python: String,
    /// Internal: write the registry of `--db` to this file and report, in this process.
    #[arg(long, hide = true)]
    measure: Option<PathBuf>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    match &args.measure {
        Some(out) => rt.block_on(measure(args.db.as_deref().context("--measure needs --db")?, out)),
        None => rt.block_on(bench(&args)),
    }
}

async fn bench(args: &Args) -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let db = args.db.clone().unwrap_or_else(|| tmp.path().join("office.sqlite"));
    if !db.exists() {
        let scale: Scale = args.scale.parse()?;
        let store = Store::open(&db, Arc::new(SystemClock), "bench").await?;
        let started = Instant::now();
        let made = demo::generate(&store, DemoSpec { scale, seed: 42 }, &|_| {}).await?;
        // As after any bulk load: the planner's statistics, so that opening the store later does
        // not gather them on the way (the report's run would pay for it).
        store.analyze().await?;
        store.close().await;
        let seconds = started.elapsed().as_secs_f64();
        line(
            json!({ "metric": "demo_generate", "scale": args.scale, "initiatives": made.initiatives, "seconds": round(seconds) }),
        );
    }

    let rust_out = tmp.path().join("registry-rust.xlsx");
    let child = Command::new(std::env::current_exe()?).arg("--db").arg(&db).arg("--measure").arg(&rust_out).output()?;
    if !child.status.success() {
        bail!("the registry run failed: {}", String::from_utf8_lossy(&child.stderr));
    }
    let rust: Value = serde_json::from_slice(&child.stdout).context("the registry run prints one JSON line")?;
    line(rust.clone());

    let script = tmp.path().join("registry_xlsxwriter.py");
    std::fs::write(&script, PYTHON)?;
    let py_out = tmp.path().join("registry-python.xlsx");
    let today = SystemClock.today().to_string();
    let python = Command::new(&args.python).arg(&script).arg(&db).arg(&py_out).arg(&today).output()?;
    if !python.status.success() {
        bail!(
            "Python XlsxWriter failed (scripts/install-deps.sh installs it): {}",
            String::from_utf8_lossy(&python.stderr)
        );
    }
    let py: Value = serde_json::from_slice(&python.stdout).context("the Python script prints one JSON line")?;
    line(
        json!({ "metric": "registry_python_xlsxwriter", "rows": py["rows"], "seconds": py["seconds"], "rows_per_sec": py["rows_per_sec"] }),
    );

    let (rust_s, py_s) = (rust["seconds"].as_f64().unwrap_or(f64::NAN), py["seconds"].as_f64().unwrap_or(f64::NAN));
    let ratio = py_s / rust_s;
    let same_rows = rust["rows"] == py["rows"];
    line(
        json!({ "metric": "registry_speedup_vs_python", "rust_seconds": rust_s, "python_seconds": py_s, "ratio": round(ratio), "same_rows": same_rows, "target_ratio": 4, "ok": ratio >= 4.0 && same_rows }),
    );
    let peak = rust["peak_rss_mb"].as_f64().unwrap_or(f64::NAN);
    line(json!({ "metric": "registry_peak_memory", "peak_rss_mb": peak, "target_mb": 100, "ok": peak <= 100.0 }));
    Ok(())
}

/// Writes the registry of `db` to `out` in this process and prints its figures.
async fn measure(db: &Path, out: &Path) -> Result<()> {
    let samples = Mutex::new(Vec::new());
    let opening = Instant::now();
    let store = Store::open(db, Arc::new(SystemClock), "bench").await?;
    let (open_seconds, after_open) = (opening.elapsed().as_secs_f64(), status_mb("VmHWM:"));
    let started = Instant::now();
    let progress = |rows: u64| {
        if rows.is_multiple_of(2000) {
            samples.lock().unwrap_or_else(|p| p.into_inner()).push(json!([rows, round(status_mb("VmRSS:"))]));
        }
    };
    let summary = mestno_reports::write_report_with_progress(
        &store,
        ReportKind::Registry,
        &ReportRequest::default(),
        out,
        &progress,
    )
    .await?;
    let seconds = started.elapsed().as_secs_f64();
    store.close().await;
    let samples = samples.into_inner().unwrap_or_default();
    line(json!({
        "metric": "registry_rust", "rows": summary.rows, "seconds": round(seconds), "rows_per_sec": (summary.rows as f64 / seconds).round(),
        "file_mb": round(std::fs::metadata(out)?.len() as f64 / 1e6), "peak_rss_mb": round(status_mb("VmHWM:")), "peak_rss_mb_after_opening_the_store": round(after_open), "open_seconds": round(open_seconds), "rss_mb_by_rows": samples,
    }));
    Ok(())
}

/// A memory figure of this process from /proc/self/status, in megabytes.
fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok());
    kb.map_or(f64::NAN, |kb| kb / 1024.0)
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn line(v: Value) {
    println!("{v}");
}
