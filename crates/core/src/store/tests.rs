use std::sync::Arc;

use super::{Access, Footprint, Store};
use crate::SystemClock;

/// What a reader connection of `store` says of `pragma`.
async fn reader_pragma(store: &Store, pragma: &str) -> i64 {
    sqlx::query_scalar(&format!("PRAGMA {pragma}")).fetch_one(store.reader()).await.unwrap()
}

/// SQLite built with memory management keeps every connection's page cache under one lock,
/// which the readers of an encrypted office (no memory map) then take turns at; the workspace's
/// `.cargo/config.toml` builds it without.
#[tokio::test]
async fn each_connection_has_a_page_cache_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("office.sqlite"), Arc::new(SystemClock), "тест").await.unwrap();
    let options: Vec<String> = sqlx::query_scalar("PRAGMA compile_options").fetch_all(store.reader()).await.unwrap();
    assert!(options.iter().any(|o| o == "HAS_CODEC"), "SQLCipher is linked: {options:?}");
    assert!(
        !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
        "SQLite was built with one page-cache lock for all connections; build from the workspace, \
         whose .cargo/config.toml sets LIBSQLITE3_FLAGS: {options:?}"
    );
    store.close().await;
}

#[tokio::test]
async fn the_apps_small_footprint_keeps_small_page_caches_and_maps_no_pages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("office.sqlite");
    let large = Store::open(&path, Arc::new(SystemClock), "тест").await.unwrap();
    assert_eq!(reader_pragma(&large, "cache_size").await, -32_768);
    assert_eq!(reader_pragma(&large, "mmap_size").await, 1_073_741_824, "the command line maps the file");
    large.close().await;

    let small = Store::open_sized(&path, Access::Plain, Footprint::Small, Arc::new(SystemClock), "тест").await.unwrap();
    assert_eq!(reader_pragma(&small, "cache_size").await, -8_192, "8 MB a reader");
    assert_eq!(reader_pragma(&small, "mmap_size").await, 0, "no pages mapped into the app's memory");
    let writer: i64 = sqlx::query_scalar("PRAGMA cache_size").fetch_one(small.writer()).await.unwrap();
    assert_eq!(writer, -32_768, "32 MB for the writer");
    small.close().await;
}
