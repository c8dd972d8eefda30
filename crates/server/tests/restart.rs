//! The shared server restarted by its administrator while an office syncs. scripts/pg-test.sh
//! runs this binary by itself: a restart ends every connection to the server, other tests' too.

mod common;

use common::*;
use mestno_server::{ServerError, sync};
use sqlx::Connection;
use sqlx::postgres::PgConnection;

/// Restarts the test server as an administrator would (`pg_ctl restart -m fast`: every
/// connection ended at once), and waits until it accepts connections again.
fn restart_server() {
    let command = std::env::var("MESTNO_PG_RESTART").expect("MESTNO_PG_RESTART: run scripts/pg-test.sh");
    let status = std::process::Command::new("sh").arg("-c").arg(&command).status().unwrap();
    assert!(status.success(), "{command}");
}

/// How many changes the server holds from `login`.
async fn pushed_by(url: &str, login: &str) -> i64 {
    let mut admin = PgConnection::connect(url).await.unwrap();
    sqlx::query_scalar("SELECT count(*) FROM mestno.changes WHERE pushed_by = $1")
        .bind(login)
        .fetch_one(&mut admin)
        .await
        .unwrap()
}

/// A sync cut by the restart: the office is told the server is unreachable, in its language.
fn cut_by_restart(cut: Result<mestno_server::Report, ServerError>) {
    match cut {
        Err(e @ ServerError::Unreachable { .. }) => {
            assert!(e.to_string().starts_with("Сервер недоступен"), "{e}");
            assert!(e.message().en.starts_with("The server cannot be reached"), "{e}");
        }
        other => panic!("the sync should have been cut by the restart: {other:?}"),
    }
}

const PEOPLE: usize = 20_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_restarted_mid_sync_loses_nothing_and_the_next_sync_finishes() {
    let Some(pg) = pg().await else { return };
    let s = district(&pg).await;
    sync(&s.district, &s.d_inv).await.unwrap();
    sync(&s.a, &s.a_inv).await.unwrap();
    add_people(&s.a, s.a_id, PEOPLE, "А").await;

    // Mid-push: the server restarts once it has taken some of the settlement's changes.
    let (url, login) = (pg.url.clone(), s.a_inv.login.clone());
    let restarter = tokio::spawn(async move {
        while pushed_by(&url, &login).await == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
        tokio::task::spawn_blocking(restart_server).await.unwrap();
    });
    let cut = sync(&s.a, &s.a_inv).await;
    restarter.await.unwrap();
    cut_by_restart(cut);
    // What the server committed before it went down is there; the next sync pushes the rest,
    // and the district receives every change once.
    let kept = pushed_by(&pg.url, &s.a_inv.login).await;
    assert!(kept > 0 && kept < PEOPLE as i64, "{kept}");
    let next = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!(next.pushed as i64 + kept, PEOPLE as i64, "{next:?}");
    let d = sync(&s.district, &s.d_inv).await.unwrap();
    assert_eq!(d.applied.new_changes, PEOPLE as u64);
    assert_eq!(changes(&s.district).await, 3 + PEOPLE as u64);

    // Mid-pull: the district's new changes for the settlement; the server restarts once the
    // settlement has applied its first batch.
    add_people(&s.district, s.a_id, PEOPLE, "Р").await;
    sync(&s.district, &s.d_inv).await.unwrap();
    let key = mestno_server::sync::cursor_key(s.a_inv.server_id);
    let before = s.a.setting(&key).await.unwrap();
    let restarter = async {
        while s.a.setting(&key).await.unwrap() == before {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        tokio::task::spawn_blocking(restart_server).await.unwrap();
    };
    let (cut, ()) = tokio::join!(sync(&s.a, &s.a_inv), restarter);
    cut_by_restart(cut);
    let held = changes(&s.a).await;
    let total = 3 + 2 * PEOPLE as u64;
    assert!(held > 3 + PEOPLE as u64 && held < total, "{held}");
    let pulled = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!(held - (3 + PEOPLE as u64) + pulled.applied.new_changes, PEOPLE as u64, "{pulled:?}");
    assert_eq!(changes(&s.a).await, total);
    // Both offices hold the same, and syncing again moves nothing.
    assert_eq!(changes(&s.district).await, total);
    let idle = sync(&s.a, &s.a_inv).await.unwrap();
    assert_eq!((idle.pushed, idle.pulled), (0, 0));
}
