//! Load on loopback: 50 settlements syncing at once, 1,000 changes each; nothing lost, all
//! converge, in bounded time.

mod common;

use std::time::{Duration, Instant};

use common::*;
use mestno_core::model::*;
use mestno_server::{add_office, sync};

const OFFICES: usize = 50;
const EACH: usize = 1_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_offices_syncing_at_once_converge() {
    let Some(pg) = pg().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let district = office(dir.path(), "district").await;
    let d = territory(&district, None, TerritoryKind::District, "Район").await;
    let mut settlements = Vec::new();
    for i in 0..OFFICES {
        settlements
            .push(territory(&district, Some(d), TerritoryKind::RuralSettlement, &format!("Сельсовет {i}")).await);
    }
    let d_inv = add_office(&pg.url, d, "Район").await.unwrap();
    sync(&district, &d_inv).await.unwrap();
    let mut offices = Vec::new();
    for (i, t) in settlements.iter().enumerate() {
        let inv = add_office(&pg.url, *t, &format!("Сельсовет {i}")).await.unwrap();
        let store = office(dir.path(), &format!("s{i}")).await;
        sync(&store, &inv).await.unwrap();
        add_people(&store, *t, EACH, &i.to_string()).await;
        offices.push((store, inv));
    }

    let started = Instant::now();
    let all = offices.iter().map(|(store, inv)| async move { sync(store, inv).await });
    let reports = futures_join_all(all).await;
    let took = started.elapsed();
    for r in &reports {
        let r = r.as_ref().unwrap();
        assert_eq!(r.pushed, EACH as u64, "{r:?}");
    }
    let d_report = sync(&district, &d_inv).await.unwrap();
    assert_eq!(d_report.applied.new_changes, (OFFICES * EACH) as u64);
    assert_eq!(changes(&district).await, (1 + OFFICES + OFFICES * EACH) as u64);
    // Every settlement holds its own and the tree, nothing of the others'.
    for (store, inv) in &offices {
        let again = sync(store, inv).await.unwrap();
        assert_eq!((again.pushed, again.pulled), (0, 0));
        assert_eq!(changes(store).await, (1 + OFFICES + EACH) as u64);
    }
    eprintln!("{OFFICES} offices × {EACH} changes pushed at once in {took:?}");
    assert!(took < Duration::from_secs(60), "{took:?}");
}

/// Runs the futures at once on this task.
async fn futures_join_all<F: std::future::Future>(all: impl Iterator<Item = F>) -> Vec<F::Output> {
    let handles: Vec<_> = all.map(Box::pin).collect();
    let mut out = Vec::new();
    let mut pending: Vec<_> = handles.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut done = true;
        for (i, slot) in pending.iter_mut().enumerate() {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        results[i] = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => done = false,
                }
            }
        }
        if done { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await;
    for r in results {
        out.extend(r);
    }
    out
}
