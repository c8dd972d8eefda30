//! `mestno-bench`: builds the `large` demo office and prints, as JSON lines, how long it took
//! and the p50/p95 of what staff do all day — a page of initiatives, a page of contacts, a
//! search, the dashboard for the whole krai and for one district — beside each target.
//!
//! The same figures are taken on an encrypted copy of the office (SQLCipher, as the app keeps it;
//! encrypted the way an existing office is, which is timed too), turn about with the unencrypted
//! one so both see the same machine, and each is printed beside its unencrypted figure with the
//! ratio (target: pages and search at most 15 % slower). Last, the krai dashboard on the encrypted
//! copy opened as the desktop app opens it, with its small page caches (target: p95 100 ms).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Parser;
use mestno_core::model::{Stage, TerritoryKind};
use mestno_core::store::{ContactQuery, Direction, InitiativeQuery, InitiativeSort, StatsFilter};
use mestno_core::vault::{self, Unlock};
use mestno_core::{Access, Footprint, Sensitive, Store, SystemClock};
use mestno_demo::{self as demo, DemoSpec, Scale};
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
    /// Measure the unencrypted office only, without the encrypted copy.
    #[arg(long)]
    plain_only: bool,
}

/// How much slower an encrypted office's pages and search may be.
const TARGET_RATIO: f64 = 1.15;

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

    // The encrypted copy, made as an existing unencrypted office is encrypted on its first start.
    let mut stores = vec![store.clone()];
    // The encrypted copy and how to open it again, as the app does, for the dashboard below.
    let mut app_copy = None;
    if !args.plain_only {
        let encrypted = dir.join("bench-encrypted.sqlite");
        for old in [encrypted.clone(), vault::key_file_path(&encrypted)] {
            if old.exists() {
                std::fs::remove_file(&old)?;
            }
        }
        store.close().await;
        std::fs::copy(&path, &encrypted)?;
        let started = Instant::now();
        let password = Unlock::Passphrase(Sensitive::new("mestno-bench password".into()));
        let unlocked = vault::unlock(&encrypted, &password).await?;
        let report = unlocked.encrypted.context("the copy was not encrypted")?;
        line(json!({
            "metric": "encrypt_existing_office", "tables": report.tables, "rows": report.rows,
            "seconds": round(started.elapsed().as_secs_f64()),
            "megabytes": round(std::fs::metadata(&encrypted)?.len() as f64 / 1e6),
        }));
        stores = vec![
            Store::open(&path, Arc::new(SystemClock), "bench").await?,
            Store::open_with(&encrypted, Access::Key(unlocked.key), Arc::new(SystemClock), "bench").await?,
        ];
        app_copy = Some((encrypted, password));
    }
    let store = stores[0].clone();

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
        let times = measure(&stores, n, 1, |store, _| {
            let q = q.clone();
            async move { store.list_initiatives(&q).await.map(|p| p.items.len()) }
        })
        .await?;
        report(metric, &times, target, Some(TARGET_RATIO));
    }

    let contacts = measure(&stores, n, 1, |store, _| async move {
        let q = ContactQuery { limit: 100, ..Default::default() };
        store.list_contacts(&q).await.map(|p| p.items.len())
    })
    .await?;
    report("contacts_page", &contacts, 10.0, Some(TARGET_RATIO));

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
    let search = measure(&stores, n, queries.len(), |store, i| async move {
        let q = queries[(i + 1) % queries.len()];
        store.search(q, 20).await.map(|h| h.len())
    })
    .await?;
    report("search", &search, 20.0, Some(TARGET_RATIO));

    let krai = measure(&stores, n.min(30), 1, |store, _| async move {
        store.stats(&StatsFilter::default()).await.map(|s| s.initiatives as usize)
    })
    .await?;
    report("dashboard_krai", &krai, 200.0, None);

    let krai_year = measure(&stores, n.min(30), 1, |store, _| async move {
        store.stats(&StatsFilter { year: Some(2024), ..Default::default() }).await.map(|s| s.initiatives as usize)
    })
    .await?;
    report("dashboard_krai_2024", &krai_year, 200.0, None);

    let one = measure(&stores, n, 1, |store, _| async move {
        let f = StatsFilter { territory_id: Some(district.id), ..Default::default() };
        store.stats(&f).await.map(|s| s.initiatives as usize)
    })
    .await?;
    report("dashboard_district", &one, 200.0, None);

    for store in stores {
        store.close().await;
    }

    // The krai dashboard as the desktop app shows it: the encrypted office with the app's own page
    // caches (Footprint::Small: two readers of 8 MB each), which hold little of a large office.
    if let Some((encrypted, password)) = app_copy {
        let key = vault::unlock(&encrypted, &password).await?.key;
        let app =
            Store::open_sized(&encrypted, Access::Key(key), Footprint::Small, Arc::new(SystemClock), "bench").await?;
        let krai = measure(std::slice::from_ref(&app), n.min(30), 1, |store, _| async move {
            store.stats(&StatsFilter::default()).await.map(|s| s.initiatives as usize)
        })
        .await?;
        report("dashboard_krai_encrypted_app_cache", &krai, 100.0, None);
        app.close().await;
    }
    Ok(())
}

/// Times of one operation on each store: the first call (cold), then `n` calls after the cache
/// was warmed.
struct Times {
    first: Vec<Duration>,
    warm: Vec<Vec<Duration>>,
}

/// Rounds of every request before the timing: each reader connection of an encrypted store has
/// its own cache of decrypted pages, and a request lands on any of them.
const WARM_ROUNDS: usize = 4;

/// Times `op` on each store: once cold, then each of its `distinct` requests [`WARM_ROUNDS`]
/// times to warm the caches, then `n` times turn about, so a busy moment of the machine falls on
/// both alike: unencrypted then encrypted, then the other way round (neither always runs just
/// after the other has filled the CPU's caches).
async fn measure<F, Fut>(stores: &[Store], n: usize, distinct: usize, mut op: F) -> Result<Times>
where
    F: FnMut(Store, usize) -> Fut,
    Fut: std::future::Future<Output = mestno_core::Result<usize>>,
{
    let mut first = Vec::with_capacity(stores.len());
    for store in stores {
        let t = Instant::now();
        op(store.clone(), 0).await?;
        first.push(t.elapsed());
        for i in 1..distinct * WARM_ROUNDS {
            op(store.clone(), i).await?;
        }
    }
    let mut warm = vec![Vec::with_capacity(n); stores.len()];
    for i in 0..n {
        let mut turn: Vec<(&Store, &mut Vec<Duration>)> = stores.iter().zip(&mut warm).collect();
        if i % 2 == 1 {
            turn.reverse();
        }
        for (store, times) in turn {
            let t = Instant::now();
            std::hint::black_box(op(store.clone(), i).await?);
            times.push(t.elapsed());
        }
    }
    Ok(Times { first, warm })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The p50 and p95 of `times` and the largest, milliseconds.
fn percentiles(times: &[Duration]) -> (f64, f64, f64) {
    let mut ms: Vec<f64> = times.iter().copied().map(ms).collect();
    ms.sort_by(f64::total_cmp);
    let pct = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
    (pct(0.5), pct(0.95), ms[ms.len() - 1])
}

/// A line for the unencrypted office; with an encrypted one, its line and the ratio of the two.
fn report(metric: &str, times: &Times, target_ms: f64, target_ratio: Option<f64>) {
    let (p50, p95, max) = percentiles(&times.warm[0]);
    line(
        json!({ "metric": metric, "n": times.warm[0].len(), "p50_ms": round(p50), "p95_ms": round(p95), "max_ms": round(max), "target_p95_ms": target_ms, "ok": p95 <= target_ms }),
    );
    let Some(encrypted) = times.warm.get(1) else { return };
    let (e50, e95, emax) = percentiles(encrypted);
    line(json!({
        "metric": format!("{metric}_encrypted"), "n": encrypted.len(), "p50_ms": round(e50), "p95_ms": round(e95),
        "max_ms": round(emax), "target_p95_ms": target_ms, "ok": e95 <= target_ms,
    }));
    let (r50, r95) = (e50 / p50.max(1e-6), e95 / p95.max(1e-6));
    line(json!({
        "metric": "encryption_overhead", "of": metric,
        "plain_p50_ms": round(p50), "encrypted_p50_ms": round(e50), "ratio_p50": round(r50),
        "plain_p95_ms": round(p95), "encrypted_p95_ms": round(e95), "ratio_p95": round(r95),
        // The first call, before any cache was warm: an encrypted page is decrypted once per connection.
        "plain_first_ms": round(ms(times.first[0])), "encrypted_first_ms": round(ms(times.first[1])),
        "target_ratio": target_ratio, "ok": target_ratio.map(|t| r50 <= t && r95 <= t),
    }));
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
