use std::sync::Arc;

use mestno_core::{ErrorCode, Store, SystemClock};

use crate::util::*;

#[tokio::test]
async fn a_new_file_is_created_migrated_and_reopened_with_its_data() {
    let o = office().await;
    let g = geo(&o.store).await;
    let path = o.store.path().to_path_buf();
    let device = o.store.device().to_string();
    o.store.clone().close().await;
    let again = Store::open(&path, Arc::new(SystemClock), "x").await.unwrap();
    assert_eq!(again.territory(g.elkino).await.unwrap().input.name, "д. Ёлкино");
    assert_eq!(again.device(), device, "the laptop keeps its device id");
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
}

#[tokio::test]
async fn another_programs_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accounting.sqlite");
    // SQLite is set up before any thread starts it (see mestno_core::route_sqlite).
    mestno_core::route_sqlite();
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display())).await.unwrap();
    sqlx::query("CREATE TABLE ledger(x)").execute(&pool).await.unwrap();
    pool.close().await;
    let err = Store::open(&path, Arc::new(SystemClock), "x").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Refused);
    assert!(err.to_string().contains("другой программы"), "{err}");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'").fetch_all(&pool).await.unwrap();
    assert_eq!(tables, ["ledger"], "not a single table added");
}

#[tokio::test]
async fn a_file_that_is_not_a_database_gets_a_plain_russian_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.xlsx");
    std::fs::write(&path, vec![0x50u8; 8192]).unwrap();
    let err = Store::open(&path, Arc::new(SystemClock), "x").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Storage);
    assert!(err.to_string().contains("не является базой данных"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), vec![0x50u8; 8192], "the file is untouched");
}
