//! `mestno-report-bench`: how fast each report of a large office is written, in how much memory,
//! beside rust_xlsxwriter alone writing the same cells (see `writer`), measured in the same run,
//! and the registry beside Python's XlsxWriter writing the same rows from the same database.
//! Prints JSON lines, each figure beside its reference and its target.
//!
//! The demo office is built first (or an existing file is reused with `--db`). Every
//! measurement runs in a child process of this binary, so that its peak memory (VmHWM) is its
//! own, and is repeated (`--repeat`), the report and its yardstick taking turns, so that both
//! see the same machine; the figures are the medians. A report's time is the report's, from the
//! query to the saved file, as the app would spend it with its store open; opening the store is
//! timed apart. The registry's memory is sampled every 2 000 rows to show the profile stays flat.
//! Python's time runs from connecting to the closed file.

mod writer;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Parser;
use mestno_bench::open_encrypted_sized;
use mestno_core::model::Id;
use mestno_core::store::InitiativeQuery;
use mestno_core::vault;
use mestno_core::{Clock, Footprint, Store, SystemClock};
use mestno_demo::{self as demo, DemoSpec, Scale};
use mestno_reports::{ReportKind, ReportRequest};
use serde_json::{Value, json};

/// The Python yardstick: XlsxWriter writing the same registry from the same SQLite file.
const PYTHON: &str = include_str!("../../../python/registry_xlsxwriter.py");

/// Targets: the registry within 1.3× of the writer alone, at least 10× Python, at most 100 MB;
/// every other report within 1.5× of the writer alone.
const REGISTRY_VS_WRITER: f64 = 1.3;
const REGISTRY_VS_PYTHON: f64 = 10.0;
const REGISTRY_PEAK_MB: f64 = 100.0;
const OTHER_VS_WRITER: f64 = 1.5;

/// Benchmark of the reports.
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
    /// Runs of each measurement; the medians are reported.
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Only these reports (codes: registry, funding, engagement, initiative, contacts).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Measure the unencrypted office only, without the encrypted copy users' offices are. With
    /// `--db`, the copy is kept beside it (`*.encrypted.sqlite`) and used again by the next run:
    /// delete it when the office changes.
    #[arg(long)]
    plain_only: bool,
    /// Internal: write report `--measure` of `--db` to `--out` in this process and report.
    #[arg(long, hide = true)]
    measure: Option<String>,
    /// Internal: write the report at `--from` again with rust_xlsxwriter alone to `--out`.
    #[arg(long, hide = true)]
    writer: Option<PathBuf>,
    /// Internal: the file a child writes.
    #[arg(long, hide = true)]
    out: Option<PathBuf>,
    /// Internal: the initiative of the card.
    #[arg(long, hide = true)]
    initiative: Option<String>,
    /// Internal: the writer in constant-memory mode, as the registry and the contacts are written.
    #[arg(long, hide = true)]
    constant_memory: bool,
    /// Internal: `--db` is encrypted; open it as the desktop app does (its key, small caches).
    #[arg(long, hide = true)]
    encrypted: bool,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    match (&args.measure, &args.writer, &args.out) {
        (Some(code), _, Some(out)) => rt.block_on(measure(&args, code, out)),
        (_, Some(from), Some(out)) => {
            let seconds = writer::replay(from, out, args.constant_memory)?;
            line(json!({ "seconds": round(seconds), "peak_rss_mb": round(mb("VmHWM:")) }));
            Ok(())
        }
        _ => rt.block_on(bench(&args)),
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
    let card = {
        let store = Store::open(&db, Arc::new(SystemClock), "bench").await?;
        let page = store.list_initiatives(&InitiativeQuery { limit: 1, ..Default::default() }).await?;
        store.close().await;
        page.items.first().map(|i| i.id).context("the office has no initiative for the card")?
    };
    let encrypted = if args.plain_only { None } else { Some(encrypted_copy(&db).await?) };
    let mut registry_seconds = f64::NAN;
    for kind in ReportKind::ALL {
        if !args.only.is_empty() && !args.only.iter().any(|c| c == kind.code()) {
            continue;
        }
        let runs = beside_the_writer(args, &db, encrypted.as_deref(), kind, card, tmp.path())?;
        let target = if kind == ReportKind::Registry { REGISTRY_VS_WRITER } else { OTHER_VS_WRITER };
        for (office, report) in [("", &runs.plain), ("_encrypted", &runs.encrypted)] {
            if report.is_empty() {
                continue;
            }
            let seconds = median(report.iter().map(|r| r["seconds"].as_f64().unwrap_or(f64::NAN)));
            let writer_seconds = median(runs.writer.iter().copied());
            let peak = report.iter().map(|r| r["peak_rss_mb"].as_f64().unwrap_or(f64::NAN)).fold(0.0, f64::max);
            let ratio = seconds / writer_seconds;
            if kind == ReportKind::Registry {
                if office.is_empty() {
                    registry_seconds = seconds;
                }
                let mut first = report[0].clone();
                first["metric"] = json!(format!("registry_rust{office}"));
                line(first);
            }
            line(json!({
                "metric": format!("report_vs_writer{office}"), "report": kind.code(), "rows": report[0]["rows"],
                "seconds": round(seconds), "writer_seconds": round(writer_seconds), "ratio": round(ratio),
                "target_ratio": target, "ok": ratio <= target, "peak_rss_mb": round(peak),
                "runs": report.iter().zip(&runs.writer).map(|(r, w)| json!([r["seconds"], round(*w)])).collect::<Vec<_>>(),
            }));
            if kind == ReportKind::Registry {
                line(json!({
                    "metric": format!("registry_peak_memory{office}"), "peak_rss_mb": round(peak),
                    "target_mb": REGISTRY_PEAK_MB, "ok": peak <= REGISTRY_PEAK_MB,
                }));
            }
        }
    }
    if registry_seconds.is_finite() {
        python(args, &db, tmp.path(), registry_seconds)?;
    }
    Ok(())
}

/// The encrypted copy of the plain office `db` beside it, as the app encrypts an office from an
/// older Mestno; made once and reused after.
async fn encrypted_copy(db: &Path) -> Result<PathBuf> {
    let copy = db.with_extension("encrypted.sqlite");
    let key_file = vault::key_file_path(&copy);
    if copy.exists() && key_file.exists() {
        return Ok(copy);
    }
    for old in [&copy, &key_file] {
        if old.exists() {
            std::fs::remove_file(old)?;
        }
    }
    std::fs::copy(db, &copy)?;
    let started = Instant::now();
    open_encrypted_sized(&copy, Footprint::Small, "bench").await?.close().await;
    line(json!({ "metric": "encrypt_office", "seconds": round(started.elapsed().as_secs_f64()) }));
    Ok(copy)
}

/// The runs of one report: the writer alone, and the report on each office.
struct Runs {
    writer: Vec<f64>,
    plain: Vec<Value>,
    encrypted: Vec<Value>,
}

/// Runs report `kind` of the plain office `db`, the writer alone on its file, and the report of
/// the `encrypted` office, `--repeat` times in turn.
fn beside_the_writer(
    args: &Args,
    db: &Path,
    encrypted: Option<&Path>,
    kind: ReportKind,
    card: Id,
    dir: &Path,
) -> Result<Runs> {
    let mut runs = Runs { writer: Vec::new(), plain: Vec::new(), encrypted: Vec::new() };
    let out = dir.join(format!("{}.xlsx", kind.code()));
    let again = dir.join(format!("{}-writer.xlsx", kind.code()));
    let report = |db: &Path, out: &Path| -> Result<Command> {
        let mut child = Command::new(std::env::current_exe()?);
        child.arg("--db").arg(db).args(["--measure", kind.code()]).arg("--out").arg(out);
        child.args(["--initiative", &card.to_string()]);
        Ok(child)
    };
    for _ in 0..args.repeat.max(1) {
        runs.plain.push(run(&mut report(db, &out)?, kind.code())?);
        let mut child = Command::new(std::env::current_exe()?);
        child.arg("--writer").arg(&out).arg("--out").arg(&again);
        if matches!(kind, ReportKind::Registry | ReportKind::Contacts) {
            child.arg("--constant-memory");
        }
        runs.writer.push(run(&mut child, "the writer alone")?["seconds"].as_f64().unwrap_or(f64::NAN));
        if let Some(encrypted) = encrypted {
            let out = dir.join(format!("{}-encrypted.xlsx", kind.code()));
            let mut child = report(encrypted, &out)?;
            runs.encrypted.push(run(child.arg("--encrypted"), kind.code())?);
        }
    }
    Ok(runs)
}

/// Python XlsxWriter writing the registry, `--repeat` times, beside the registry's median.
fn python(args: &Args, db: &Path, dir: &Path, rust_s: f64) -> Result<()> {
    let script = dir.join("registry_xlsxwriter.py");
    std::fs::write(&script, PYTHON)?;
    let py_out = dir.join("registry-python.xlsx");
    let today = SystemClock.today().to_string();
    let mut runs = Vec::new();
    for _ in 0..args.repeat.max(1) {
        let python = Command::new(&args.python).arg(&script).arg(db).arg(&py_out).arg(&today).output()?;
        if !python.status.success() {
            bail!(
                "Python XlsxWriter failed (scripts/install-deps.sh installs it): {}",
                String::from_utf8_lossy(&python.stderr)
            );
        }
        runs.push(serde_json::from_slice::<Value>(&python.stdout).context("the Python script prints one JSON line")?);
    }
    let py_s = median(runs.iter().map(|r| r["seconds"].as_f64().unwrap_or(f64::NAN)));
    line(json!({ "metric": "registry_python_xlsxwriter", "rows": runs[0]["rows"], "seconds": round(py_s) }));
    let ratio = py_s / rust_s;
    line(json!({
        "metric": "registry_speedup_vs_python", "rust_seconds": round(rust_s), "python_seconds": round(py_s),
        "ratio": round(ratio), "target_ratio": REGISTRY_VS_PYTHON, "ok": ratio >= REGISTRY_VS_PYTHON,
    }));
    Ok(())
}

/// Runs a child of this binary and reads the one JSON line it prints.
fn run(child: &mut Command, what: &str) -> Result<Value> {
    let out = child.output()?;
    if !out.status.success() {
        bail!("{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    serde_json::from_slice(&out.stdout).with_context(|| format!("{what} prints one JSON line"))
}

/// Writes report `code` of `--db` to `out` in this process and prints its figures.
async fn measure(args: &Args, code: &str, out: &Path) -> Result<()> {
    let db = args.db.as_deref().context("--measure needs --db")?;
    let kind = ReportKind::ALL.into_iter().find(|k| k.code() == code).context("no such report")?;
    let request = match kind {
        ReportKind::Initiative => {
            let id = args.initiative.as_deref().context("the card needs --initiative")?;
            ReportRequest { initiative_id: Some(id.parse()?), ..Default::default() }
        }
        _ => ReportRequest::default(),
    };
    let samples = Mutex::new(Vec::new());
    let opening = Instant::now();
    let store = match args.encrypted {
        true => open_encrypted_sized(db, Footprint::Small, "bench").await?,
        false => Store::open(db, Arc::new(SystemClock), "bench").await?,
    };
    let (open_seconds, after_open) = (opening.elapsed().as_secs_f64(), mb("VmHWM:"));
    let started = Instant::now();
    let progress = |rows: u64| {
        if rows.is_multiple_of(2000) {
            samples.lock().unwrap_or_else(|p| p.into_inner()).push(json!([rows, round(mb("VmRSS:"))]));
        }
    };
    let summary = mestno_reports::write_report_with_progress(&store, kind, &request, out, &progress).await?;
    let seconds = started.elapsed().as_secs_f64();
    store.close().await;
    let samples = samples.into_inner().unwrap_or_default();
    line(json!({
        "report": code, "rows": summary.rows, "seconds": round(seconds), "rows_per_sec": (summary.rows as f64 / seconds).round(),
        "file_mb": round(std::fs::metadata(out)?.len() as f64 / 1e6), "peak_rss_mb": round(mb("VmHWM:")),
        "peak_rss_mb_after_opening_the_store": round(after_open), "open_seconds": round(open_seconds), "rss_mb_by_rows": samples,
    }));
    Ok(())
}

/// The process's figure `field` of /proc/self/status in MB, NaN where the system has none.
fn mb(field: &str) -> f64 {
    mestno_bench::status_mb(field).unwrap_or(f64::NAN)
}

/// The median of some figures (the mean of the middle two for an even count).
fn median(xs: impl Iterator<Item = f64>) -> f64 {
    let mut xs: Vec<f64> = xs.collect();
    xs.sort_by(f64::total_cmp);
    match xs.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => xs[n / 2],
        n => (xs[n / 2 - 1] + xs[n / 2]) / 2.0,
    }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn line(v: Value) {
    println!("{v}");
}
