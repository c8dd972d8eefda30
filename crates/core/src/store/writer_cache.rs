//! The writer's page cache during a large write (an import's batch, a large exchange package or
//! server batch): SQLite writes the pages over the bound to the write-ahead log before the
//! commit instead of holding them all in memory until then.

use std::future::Future;

use super::Store;
use crate::error::Result;

/// Records (or changes) from which a write counts as large.
pub(crate) const LARGE_WRITE: usize = 500;
/// The writer's page cache during a large write, KiB: an import of 100 000 contacts writes about
/// 130 MB of pages, which the writer's own cache (up to 128 MB) would otherwise hold.
const LARGE_WRITE_CACHE_KIB: i64 = 32_768;

impl Store {
    /// Runs `write` (of `records` records or changes) with the writer's page cache bounded when
    /// the write is large, and gives the writer its cache back after, whatever `write` returned.
    pub(crate) async fn with_writer_cache_bounded<T>(
        &self,
        records: usize,
        write: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        if records < LARGE_WRITE {
            return write.await;
        }
        let cache: i64 = sqlx::query_scalar("PRAGMA cache_size").fetch_one(&self.write).await?;
        sqlx::query(&format!("PRAGMA cache_size = {}", cache.max(-LARGE_WRITE_CACHE_KIB))).execute(&self.write).await?;
        let written = write.await;
        sqlx::query(&format!("PRAGMA cache_size = {cache}")).execute(&self.write).await?;
        written
    }
}
