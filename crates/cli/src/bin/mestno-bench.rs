//! `mestno-bench`: builds the `large` demo office and prints, as JSON lines, how long it took
//! and the p50/p95 of what staff do all day — a page of initiatives, a page of contacts, a
//! search, the dashboard for the whole krai and for one district — beside each target.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Parser;
use mestno_core::demo::{self, DemoSpec, Scale};
use mestno_core::model::{Stage, TerritoryKind};
use mestno_core::store::{ContactQuery, Direction, InitiativeQuery, InitiativeSort, StatsFilter};
use mestno_core::{Store, SystemClock};
use serde_json::json;

/// Benchmark of the office database.
#[derive(Parser)]
struct Args {
    /// Demo size: small, medium or large.
    #[arg(long, default_value = "large")]
    scale: String,
    /// Repetitions of each measured operation.
    #[arg(long, default_value_t = 60)]
    iterations: usize,
    /// Where to build the database (a temporary folder by default, removed afterwards).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Only build the demo (and print its stage timings), skip the queries.
    #[arg(long)]
    generate_only: bool,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    rt.block_on(bench(args))
}

async fn bench(args: Args) -> Result<()> {
    let scale: Scale = args.scale.parse()?;
    let tmp = tempfile::tempdir()?;
    let dir = args.dir.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("bench.sqlite");
    if path.exists() {
        std::fs::remove_file(&path)?;
    }
    let store = Store::open(&path, Arc::new(SystemClock), "bench").await?;

    let started = Instant::now();
    let cpu_before = cpu_seconds();
    // Wall and CPU time at the last report of each stage, in order.
    let stages: Mutex<Vec<(&'static str, f64, f64)>> = Mutex::new(Vec::new());
    let record = |p: demo::DemoProgress| {
        let mut stages = stages.lock().unwrap_or_else(|e| e.into_inner());
        let (at, cpu) = (started.elapsed().as_secs_f64(), cpu_seconds() - cpu_before);
        match stages.last_mut() {
            Some(last) if last.0 == p.stage => (last.1, last.2) = (at, cpu),
            _ => stages.push((p.stage, at, cpu)),
        }
    };
    let summary = demo::generate(&store, DemoSpec { scale, seed: 42 }, &record).await?;
    let secs = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_before;
    let (mut wall_before, mut cpu_before) = (0.0, 0.0);
    for (stage, at, cpu) in stages.into_inner().unwrap_or_else(|e| e.into_inner()) {
        line(
            json!({ "metric": "demo_stage", "stage": stage, "seconds": round(at - wall_before), "cpu_seconds": round(cpu - cpu_before) }),
        );
        (wall_before, cpu_before) = (at, cpu);
    }
    let analyze = Instant::now();
    store.analyze().await?;
    line(json!({ "metric": "analyze_after_load", "seconds": round(analyze.elapsed().as_secs_f64()) }));
    let rows_per_sec = summary.rows as f64 / secs;
    line(json!({
        "metric": "demo_generate", "scale": args.scale, "rows": summary.rows, "contacts": summary.contacts,
        "initiatives": summary.initiatives, "events": summary.events, "attendances": summary.attendances,
        "seconds": round(secs), "cpu_seconds": round(cpu), "rows_per_sec": rows_per_sec.round(),
        "target_rows_per_sec": 100_000, "ok": rows_per_sec >= 100_000.0,
    }));
    let db_bytes = std::fs::metadata(&path)?.len();
    line(json!({ "metric": "database_size", "megabytes": round(db_bytes as f64 / 1e6) }));
    if args.generate_only {
        store.close().await;
        return Ok(());
    }

    let district = store
        .territories()
        .await?
        .into_iter()
        .find(|t| matches!(t.kind, TerritoryKind::District | TerritoryKind::MunicipalOkrug))
        .context("the demo has no district")?;
    let ppmi = store.find_program("ППМИ").await?;
    let n = args.iterations;

    let variants = [
        (
            "initiatives_page_program_year",
            InitiativeQuery { program_id: Some(ppmi), year: Some(2024), limit: 100, ..Default::default() },
        ),
        (
            "initiatives_page_district_by_cost",
            InitiativeQuery {
                territory_id: Some(district.id),
                sort: InitiativeSort::TotalCost,
                direction: Direction::Desc,
                limit: 100,
                ..Default::default()
            },
        ),
        (
            "initiatives_page_completed_by_update",
            InitiativeQuery {
                year: Some(2023),
                stages: vec![Stage::Completed],
                sort: InitiativeSort::Updated,
                limit: 100,
                ..Default::default()
            },
        ),
        ("initiatives_page_text", InitiativeQuery { text: Some("ремонт".into()), limit: 100, ..Default::default() }),
    ];
    for (metric, q) in variants {
        // A page filtered by words is a search, and is held to the search target.
        let target = if q.text.is_some() { 20.0 } else { 10.0 };
        let times = measure(n, || {
            let (store, q) = (store.clone(), q.clone());
            async move { store.list_initiatives(&q).await.map(|p| p.items.len()) }
        })
        .await?;
        report(metric, &times, target);
    }

    let mut cursor = None;
    let contacts = measure(n, || {
        let q = ContactQuery { after: cursor.take(), limit: 100, ..Default::default() };
        let store = store.clone();
        async move { store.list_contacts(&q).await.map(|p| p.items.len()) }
    })
    .await?;
    report("contacts_page", &contacts, 10.0);

    let queries = [
        "дорога",
        "берёзовка",
        "ремонт водопровода",
        "иванов",
        "сход граждан",
        "детская площадка",
        "семенова анна",
        "освещение ул",
    ];
    let mut k = 0;
    let search = measure(n, || {
        k += 1;
        let q = queries[k % queries.len()];
        let store = store.clone();
        async move { store.search(q, 20).await.map(|h| h.len()) }
    })
    .await?;
    report("search", &search, 20.0);

    let krai = measure(n.min(30), || {
        let store = store.clone();
        async move { store.stats(&StatsFilter::default()).await.map(|s| s.initiatives as usize) }
    })
    .await?;
    report("dashboard_krai", &krai, 200.0);

    let krai_year = measure(n.min(30), || {
        let store = store.clone();
        async move {
            store.stats(&StatsFilter { year: Some(2024), ..Default::default() }).await.map(|s| s.initiatives as usize)
        }
    })
    .await?;
    report("dashboard_krai_2024", &krai_year, 200.0);

    let one = measure(n, || {
        let store = store.clone();
        let f = StatsFilter { territory_id: Some(district.id), ..Default::default() };
        async move { store.stats(&f).await.map(|s| s.initiatives as usize) }
    })
    .await?;
    report("dashboard_district", &one, 200.0);

    store.close().await;
    Ok(())
}

async fn measure<F, Fut>(n: usize, mut op: F) -> Result<Vec<Duration>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = mestno_core::Result<usize>>,
{
    op().await?; // warm the cache once
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        std::hint::black_box(op().await?);
        times.push(t.elapsed());
    }
    Ok(times)
}

fn report(metric: &str, times: &[Duration], target_ms: f64) {
    let mut ms: Vec<f64> = times.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let pct = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
    let p95 = pct(0.95);
    line(
        json!({ "metric": metric, "n": ms.len(), "p50_ms": round(pct(0.5)), "p95_ms": round(p95), "max_ms": round(ms[ms.len() - 1]), "target_p95_ms": target_ms, "ok": p95 <= target_ms }),
    );
}

/// User plus system CPU time of this process so far, seconds (0 where `/proc` is not there).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the command name (which may hold spaces, so split after its closing bracket):
    // utime and stime are the 12th and 13th, in clock ticks of 1/100 s.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |p| p.1).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn line(v: serde_json::Value) {
    println!("{v}");
}
