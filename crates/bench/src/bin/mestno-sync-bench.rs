//! `mestno-sync-bench`: exchange packages at the sizes offices meet, printed as JSON lines beside
//! the targets.
//!
//! - One package of 100 000 changes (60 000 contacts and 40 000 initiatives with their budgets,
//!   as a settlement's whole registry): made (read, compressed, encrypted, signed) ≤ 3 s, and
//!   loaded into an empty office (checked, merged, written) ≤ 3 s; its size per change.
//! - A district consolidating 20 settlements of 5 000 changes each: ≤ 30 s, and the district's
//!   figures equal the sum of the settlements' to the kopeck.
//!
//! Offices are encrypted, as the app and the `mestno` command keep them.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, ensure};
use clap::Parser;
use mestno_bench::{district as make_district, numbered_villages, open_encrypted as open, reset_peak, status_mb};
use mestno_core::Store;
use mestno_core::model::*;
use mestno_core::store::StatsFilter;
use mestno_demo::samples::settlement as batch;
use mestno_sync::exchange;
use serde_json::json;

/// Benchmark of exchange packages.
#[derive(Parser)]
struct Args {
    /// Changes in the one large package.
    #[arg(long, default_value_t = 100_000)]
    changes: usize,
    /// Settlements consolidated into the district.
    #[arg(long, default_value_t = 20)]
    settlements: usize,
    /// Changes each settlement sends.
    #[arg(long, default_value_t = 5_000)]
    per_settlement: usize,
    /// Where to put the databases (a temporary folder by default).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Loads the package in this file into the office `--into`, and prints what it took: how the
    /// benchmark loads the large package in a process of its own, so that the memory the
    /// loading takes is not hidden in what the making of the package gave back.
    #[arg(long, requires = "into", hide = true)]
    load: Option<PathBuf>,
    /// The office `--load` loads into.
    #[arg(long, hide = true)]
    into: Option<PathBuf>,
}

/// Loads the package `file` into the office `into`, in this process: its time, the memory the
/// loading added to the process's opened office, and the records written.
async fn load_alone(file: &std::path::Path, into: &std::path::Path) -> Result<()> {
    let office = open(into, "Новый офис").await?;
    let bytes = std::fs::read(file)?;
    let before = mb("VmRSS:");
    reset_peak();
    let started = Instant::now();
    let loaded = exchange::load(&office, &bytes, false).await?;
    let apply_s = started.elapsed().as_secs_f64();
    let written: u64 = loaded.applied.added.values().sum();
    let (added_peak, process_peak) = (mb("VmHWM:").saturating_sub(before), mb("VmHWM:"));
    // The log the loading wrote is copied into the file after it, in the background; closing the
    // office waits for that copy (and empties the log), which the user does not wait for.
    let closing = Instant::now();
    office.close().await;
    println!(
        "{}",
        json!({"apply_s": apply_s, "apply_added_peak_mb": added_peak, "apply_process_peak_mb": process_peak,
               "closed_after_s": closing.elapsed().as_secs_f64(), "written": written})
    );
    Ok(())
}

/// Pairs `a` with `b` through their cards; at `b`, `a` answers for `a_territory`, and at `a`,
/// `b` for `b_territory` (each its card's when not given).
async fn pair(a: &Store, b: &Store, a_territory: Option<Id>, b_territory: Option<Id>) -> Result<()> {
    let a_card = exchange::card(a, None).await?;
    let b_card = exchange::card(b, None).await?;
    exchange::pair(b, &a_card, a_territory).await?;
    exchange::pair(a, &b_card, b_territory).await?;
    Ok(())
}

async fn package(from: &Store, to: &Store) -> Result<(Vec<u8>, u64)> {
    let partner = exchange::find_partner(from, to.replica()).await?;
    Ok(exchange::export(from, &partner).await?)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    if let (Some(file), Some(into)) = (&args.load, &args.into) {
        return load_alone(file, into).await;
    }
    let tmp = tempfile::tempdir()?;
    let dir = args.dir.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;

    // The district makes the territories; every office starts from them.
    let district = open(&dir.join("district.sqlite"), "Район").await?;
    let (top, villages) = make_district(&district, numbered_villages(args.settlements.max(1))).await?;

    // One large package: a settlement's whole registry.
    let big = open(&dir.join("big.sqlite"), "Поселение").await?;
    let empty = open(&dir.join("empty.sqlite"), "Новый офис").await?;
    // Both get the territories from the district first, as new offices do.
    for office in [&big, &empty] {
        pair(office, &district, Some(villages[0]), None).await?;
        let (first, _) = package(&district, office).await?;
        exchange::load(office, &first, false).await?;
    }
    let contacts = args.changes * 3 / 5;
    big.insert_batch(batch(villages[0], contacts, args.changes - contacts, "A"), "замер", &|_| {}).await?;
    pair(&big, &empty, Some(villages[0]), Some(top)).await?;
    let before_export = mb("VmRSS:");
    reset_peak();
    let started = Instant::now();
    let (bytes, changes) = package(&big, &empty).await?;
    let export_s = started.elapsed().as_secs_f64();
    let export_peak = mb("VmHWM:").saturating_sub(before_export);
    let process_peak = mb("VmHWM:");
    // Loaded in a process of its own, as an office loads a package it was brought.
    let file = dir.join("package.mestno-sync");
    std::fs::write(&file, &bytes)?;
    let empty_path = empty.path().to_path_buf();
    empty.close().await;
    let out = std::process::Command::new(std::env::current_exe()?)
        .arg("--load")
        .arg(&file)
        .arg("--into")
        .arg(&empty_path)
        .output()?;
    ensure!(out.status.success(), "loading the package: {}", String::from_utf8_lossy(&out.stderr));
    let loaded: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    ensure!(loaded["written"] == json!(args.changes), "every record written: {loaded}");
    println!(
        "{}",
        json!({"case": "one package", "changes": changes, "export_s": export_s, "export_target_s": 3.0,
               "apply_s": loaded["apply_s"], "apply_target_s": 3.0, "package_bytes": bytes.len(),
               "apply_then_closed_after_s": loaded["closed_after_s"],
               "bytes_per_change": bytes.len() as f64 / changes as f64,
               "export_added_peak_mb": export_peak, "export_process_peak_mb": process_peak,
               "apply_added_peak_mb": loaded["apply_added_peak_mb"],
               "apply_process_peak_mb": loaded["apply_process_peak_mb"]})
    );

    // A district consolidating its settlements.
    let mut packages = Vec::new();
    let (mut expected, mut projects) = (0i64, 0i64);
    for (i, &village) in villages.iter().enumerate() {
        let office = open(&dir.join(format!("village-{i}.sqlite")), "Поселение").await?;
        pair(&office, &district, Some(village), None).await?;
        let (first, _) = package(&district, &office).await?;
        exchange::load(&office, &first, false).await?;
        let half = args.per_settlement / 2;
        office.insert_batch(batch(village, half, args.per_settlement - half, &i.to_string()), "замер", &|_| {}).await?;
        let stats = office.stats(&StatsFilter::default()).await?;
        expected += stats.funds_total_kopecks;
        projects += stats.initiatives;
        packages.push(package(&office, &district).await?.0);
        office.close().await;
    }
    let before = mb("VmRSS:");
    reset_peak();
    let started = Instant::now();
    for p in &packages {
        exchange::load(&district, p, false).await?;
    }
    let consolidate_s = started.elapsed().as_secs_f64();
    let got = district.stats(&StatsFilter::default()).await?;
    ensure!(
        got.funds_total_kopecks == expected,
        "the district's money {} is the sum of its settlements' {expected}",
        got.funds_total_kopecks
    );
    ensure!(
        got.initiatives == projects,
        "the district's projects {} are the sum of its settlements' {projects}",
        got.initiatives
    );
    println!(
        "{}",
        json!({"case": "district consolidation", "settlements": packages.len(), "changes_each": args.per_settlement,
               "seconds": consolidate_s, "target_s": 30.0, "planned_kopecks_equal": true,
               "added_peak_mb": mb("VmHWM:").saturating_sub(before)})
    );
    Ok(())
}

/// The process's figure `field` in whole MB.
fn mb(field: &str) -> u64 {
    status_mb(field).unwrap_or_default() as u64
}
