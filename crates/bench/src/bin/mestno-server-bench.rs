//! `mestno-server-bench`: offices syncing with a shared PostgreSQL server on loopback, printed as
//! JSON lines beside the targets. Needs the server scripts/pg-server.sh starts (MESTNO_PG_URL,
//! MESTNO_PG_CA, MESTNO_PG_DIR); scripts/bench.sh runs it so.
//!
//! - The first sync of a settlement holding 10,000 records (pushing them all) ≤ 5 s, and the
//!   district's first sync receiving them;
//! - a sync of 100 changes ≤ 300 ms (the settlement pushing, the district pulling);
//! - 50 offices syncing at once, 1,000 changes each ≤ 60 s, all converged;
//! - the server's peak memory: the sum over its processes, RSS and PSS (shared memory shared out),
//!   sampled every 50 ms through the run.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, ensure};
use clap::Parser;
use mestno_bench::{district as make_district, numbered_villages, open_encrypted};
use mestno_core::{Store, SystemClock};
use mestno_demo::samples::settlement as batch;
use mestno_server::{Invitation, add_office, sync};
use serde_json::json;

/// Benchmark of the shared server.
#[derive(Parser)]
struct Args {
    /// Records of the settlement's first sync.
    #[arg(long, default_value_t = 10_000)]
    records: usize,
    /// Offices syncing at once.
    #[arg(long, default_value_t = 50)]
    offices: usize,
    /// Changes each of them pushes.
    #[arg(long, default_value_t = 1_000)]
    each: usize,
}

/// The server's processes: the postmaster and its children.
fn server_pids() -> Vec<u32> {
    let Ok(dir) = std::env::var("MESTNO_PG_DIR") else { return vec![] };
    let pid = std::fs::read_to_string(format!("{dir}/data/postmaster.pid")).unwrap_or_default();
    let Some(master) = pid.lines().next().and_then(|l| l.trim().parse::<u32>().ok()) else { return vec![] };
    let mut pids = vec![master];
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let ppid = stat.rsplit(')').next().and_then(|rest| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
        if ppid == Some(master) {
            pids.push(pid);
        }
    }
    pids
}

/// The sum of the server processes' RSS and PSS, in kB.
fn server_memory_kb() -> (u64, u64) {
    let field = |text: &str, name: &str| -> u64 {
        text.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()).unwrap_or(0)
    };
    let (mut rss, mut pss) = (0, 0);
    for pid in server_pids() {
        let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        rss += field(&rollup, "Rss:");
        pss += field(&rollup, "Pss:");
    }
    (rss, pss)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let url = std::env::var("MESTNO_PG_URL").context("MESTNO_PG_URL: start a server with scripts/pg-server.sh")?;
    let ca = std::fs::read_to_string(std::env::var("MESTNO_PG_CA").context("MESTNO_PG_CA")?)?;
    let db = format!("mestno_bench_{}", std::process::id());
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&url).await?;
    sqlx::query(&format!("CREATE DATABASE {db}")).execute(&mut admin).await?;
    let url = url.replacen("/postgres?", &format!("/{db}?"), 1);
    mestno_server::init(&url, &ca, None).await?;

    let (peak_rss, peak_pss, sampling) =
        (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)), Arc::new(AtomicBool::new(true)));
    let sampler = {
        let (peak_rss, peak_pss, sampling) = (peak_rss.clone(), peak_pss.clone(), sampling.clone());
        std::thread::spawn(move || {
            while sampling.load(Ordering::Relaxed) {
                let (rss, pss) = server_memory_kb();
                peak_rss.fetch_max(rss, Ordering::Relaxed);
                peak_pss.fetch_max(pss, Ordering::Relaxed);
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        })
    };

    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let district = open_encrypted(&dir.join("district.sqlite"), "Район").await?;
    let (top, villages) = make_district(&district, numbered_villages(args.offices + 1)).await?;
    let d_inv = add_office(&url, top, "Район").await?;
    sync(&district, &d_inv).await?;

    // A settlement's first sync with its whole registry.
    let village = open_encrypted(&dir.join("village.sqlite"), "Поселение").await?;
    let v_inv = add_office(&url, villages[0], "Поселение 0").await?;
    sync(&village, &v_inv).await?;
    let contacts = args.records * 3 / 5;
    village.insert_batch(batch(villages[0], contacts, args.records - contacts, "A"), "замер", &|_| {}).await?;
    let started = Instant::now();
    let first = sync(&village, &v_inv).await?;
    let first_s = started.elapsed().as_secs_f64();
    ensure!(first.pushed == args.records as u64, "{first:?}");
    let started = Instant::now();
    let received = sync(&district, &d_inv).await?;
    let receive_s = started.elapsed().as_secs_f64();
    ensure!(received.applied.new_changes == args.records as u64, "{received:?}");
    println!(
        "{}",
        json!({"case": "first sync of a settlement", "records": args.records, "push_s": first_s, "target_s": 5.0,
               "district_receives_s": receive_s})
    );

    // A sync of 100 changes.
    village.insert_batch(batch(villages[0], 60, 40, "B"), "замер", &|_| {}).await?;
    let started = Instant::now();
    let small = sync(&village, &v_inv).await?;
    let push_ms = started.elapsed().as_secs_f64() * 1000.0;
    ensure!(small.pushed == 100, "{small:?}");
    let started = Instant::now();
    let pulled = sync(&district, &d_inv).await?;
    let pull_ms = started.elapsed().as_secs_f64() * 1000.0;
    ensure!(pulled.applied.new_changes == 100, "{pulled:?}");
    let started = Instant::now();
    sync(&village, &v_inv).await?;
    let idle_ms = started.elapsed().as_secs_f64() * 1000.0;
    println!(
        "{}",
        json!({"case": "a sync of 100 changes", "push_ms": push_ms, "pull_ms": pull_ms, "target_ms": 300.0,
               "nothing_new_ms": idle_ms})
    );

    // Offices syncing at once.
    let mut offices: Vec<(Store, Invitation)> = Vec::new();
    for (i, &t) in villages[1..].iter().enumerate() {
        let store = Store::open(&dir.join(format!("v{i}.sqlite")), Arc::new(SystemClock), "Поселение").await?;
        let inv = add_office(&url, t, &format!("Поселение {}", i + 1)).await?;
        sync(&store, &inv).await?;
        store.insert_batch(batch(t, args.each, 0, &i.to_string()), "замер", &|_| {}).await?;
        offices.push((store, inv));
    }
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (store, inv) in offices {
        tasks.spawn(async move { sync(&store, &inv).await.map(|r| (r, store, inv)) });
    }
    let mut offices = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (report, store, inv) = done??;
        ensure!(report.pushed == args.each as u64, "{report:?}");
        offices.push((store, inv));
    }
    let at_once_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let all = sync(&district, &d_inv).await?;
    let district_s = started.elapsed().as_secs_f64();
    ensure!(all.applied.new_changes == (args.offices * args.each) as u64, "{all:?}");
    println!(
        "{}",
        json!({"case": "offices syncing at once", "offices": args.offices, "changes_each": args.each,
               "seconds": at_once_s, "target_s": 60.0, "district_receives_all_s": district_s, "converged": true})
    );

    sampling.store(false, Ordering::Relaxed);
    let _ = sampler.join();
    let rows: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {db_schema}.changes", db_schema = "mestno"))
        .fetch_one(&mut <sqlx::PgConnection as sqlx::Connection>::connect(&url).await?)
        .await?;
    let size: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
        .fetch_one(&mut <sqlx::PgConnection as sqlx::Connection>::connect(&url).await?)
        .await?;
    println!(
        "{}",
        json!({"case": "server memory", "peak_rss_mb_sum": peak_rss.load(Ordering::Relaxed) / 1024,
               "peak_pss_mb_sum": peak_pss.load(Ordering::Relaxed) / 1024, "changes_held": rows,
               "database_mb": size / 1_048_576})
    );
    drop(admin);
    Ok(())
}
