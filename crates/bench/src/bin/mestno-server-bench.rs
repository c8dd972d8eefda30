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

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, ensure};
use chrono::NaiveDate;
use clap::Parser;
use mestno_core::model::*;
use mestno_core::money::{FundingSource, Kopecks};
use mestno_core::store::{Batch, NewContact, NewInitiative};
use mestno_core::vault::{self, Unlock};
use mestno_core::{Access, Sensitive, Store, SystemClock};
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

async fn open(path: &Path, who: &str, encrypted: bool) -> Result<Store> {
    if !encrypted {
        return Ok(Store::open(path, Arc::new(SystemClock), who).await?);
    }
    let how = Unlock::Passphrase(Sensitive::new("пароль для замера".to_owned()));
    let key = vault::unlock(path, &how).await?.key;
    Ok(Store::open_with(path, Access::Key(key), Arc::new(SystemClock), who).await?)
}

/// `contacts` people and `initiatives` projects in `territory`.
fn batch(territory: Id, contacts: usize, initiatives: usize, tag: &str) -> Batch {
    let on = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default();
    let person = |i: usize| NewContact {
        input: ContactInput {
            kind: ContactKind::Person,
            last_name: format!("Житель{tag}"),
            first_name: format!("Имя{i}"),
            middle_name: String::new(),
            org_name: String::new(),
            position: String::new(),
            territory_id: Some(territory),
            address: String::new(),
            notes: String::new(),
            roles: vec![],
            phones: vec![format!("+7 913 {:03} {:04}", i / 10_000, i % 10_000)],
            emails: vec![],
            tags: vec![],
        },
        consent: None,
    };
    let project = |i: usize| {
        let budget = vec![
            BudgetLine {
                source: FundingSource::Regional,
                planned: Kopecks(900_000 + i as i64),
                actual: Kopecks::ZERO,
                note: String::new(),
            },
            BudgetLine {
                source: FundingSource::Residents,
                planned: Kopecks(100_000),
                actual: Kopecks::ZERO,
                note: String::new(),
            },
        ];
        NewInitiative {
            input: InitiativeInput {
                title: format!("Проект {tag} № {i}"),
                number: None,
                description: String::new(),
                object_type: ObjectType::Roads,
                territory_id: territory,
                program_id: None,
                year: 2025,
                initiator: Initiator {
                    kind: InitiatorKind::InitiativeGroup, name: "Жители".into(), contact_id: None
                },
                total_cost: budget.iter().map(|l| l.planned).sum(),
                budget,
                beneficiaries: 0,
                supporters: 0,
                votes: 0,
                implementation: Default::default(),
                results: String::new(),
            },
            stage: Stage::Idea,
            stage_on: on,
            meeting: None,
        }
    };
    Batch {
        contacts: (0..contacts).map(person).collect(),
        initiatives: (0..initiatives).map(project).collect(),
        ..Default::default()
    }
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
    let district = open(&dir.join("district.sqlite"), "Район", true).await?;
    let top = district
        .create_territory(TerritoryInput {
            parent_id: None,
            kind: TerritoryKind::District,
            name: "Абанский район".into(),
            oktmo: String::new(),
            population: vec![],
        })
        .await?;
    let mut villages = Vec::new();
    for i in 0..=args.offices {
        let input = TerritoryInput {
            parent_id: Some(top.id),
            kind: TerritoryKind::Locality,
            name: format!("с. Поселение {i}"),
            oktmo: String::new(),
            population: vec![],
        };
        villages.push(district.create_territory(input).await?.id);
    }
    let d_inv = add_office(&url, top.id, "Район").await?;
    sync(&district, &d_inv).await?;

    // A settlement's first sync with its whole registry.
    let village = open(&dir.join("village.sqlite"), "Поселение", true).await?;
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
        let store = open(&dir.join(format!("v{i}.sqlite")), "Поселение", false).await?;
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
