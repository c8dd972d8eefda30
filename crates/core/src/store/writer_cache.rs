//! A large write (an import's batch, a large exchange package or server batch): the writer's
//! page cache is bounded while it goes in, so that SQLite writes the pages over the bound to the
//! write-ahead log before the commit instead of holding them all in memory until then; and the
//! log, which then holds about every page the write touched, is copied into the file after the
//! commit on a task of its own, not by the commit itself.

use std::future::Future;

use super::Store;
use crate::error::Result;

/// Records (or changes) from which a write counts as large.
pub(crate) const LARGE_WRITE: usize = 500;
/// The writer's page cache during a large write, KiB: an import of 100 000 contacts writes about
/// 130 MB of pages, which the writer's own cache (up to 128 MB) would otherwise hold.
const LARGE_WRITE_CACHE_KIB: i64 = 32_768;

impl Store {
    /// Runs `write` (of `records` records or changes). When the write is large, the writer's page
    /// cache is bounded and the log is not checkpointed by its commit; the writer gets both back
    /// after, whatever `write` returned, and the log of a write that went through is copied into
    /// the file in the background (see [`Store::checkpoint_later`]; after a preview, which rolls
    /// back, the copy finds nothing new). Large writes run one at a time: each reads the
    /// settings it puts back, so one must not read them while another has them changed.
    pub(crate) async fn large_write<T>(&self, records: usize, write: impl Future<Output = Result<T>>) -> Result<T> {
        if records < LARGE_WRITE {
            return write.await;
        }
        let _one_at_a_time = self.large_writes.lock().await;
        let cache: i64 = sqlx::query_scalar("PRAGMA cache_size").fetch_one(&self.write).await?;
        let checkpoint: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint").fetch_one(&self.write).await?;
        let set = format!("PRAGMA cache_size = {}; PRAGMA wal_autocheckpoint = 0", cache.max(-LARGE_WRITE_CACHE_KIB));
        let written = match sqlx::raw_sql(&set).execute(&self.write).await {
            Ok(_) => write.await,
            Err(e) => Err(e.into()),
        };
        let restore = format!("PRAGMA cache_size = {cache}; PRAGMA wal_autocheckpoint = {checkpoint}");
        if let Err(e) = sqlx::raw_sql(&restore).execute(&self.write).await {
            // What was written stays written: the caller is told what the write did, not this.
            tracing::warn!("the writer's cache and checkpoints could not be put back after a large write: {e}");
        }
        if written.is_ok() {
            self.checkpoint_later();
        }
        written
    }

    /// Copies the write-ahead log into the database file on a task of its own. The commit has
    /// already made the write durable (the log is synced), and readers read the log meanwhile;
    /// the copy of a large write's log (about 150 MB for a package of 100 000 changes, 0.2 s)
    /// no longer lengthens the write the user waits for. The next write waits for it instead,
    /// on the one writer connection, unless it has run by then. Best effort, like every
    /// checkpoint: what it does not copy, the next one or the next open does.
    fn checkpoint_later(&self) {
        let write = self.write.clone();
        tokio::spawn(async move {
            let _ = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&write).await;
        });
    }
}
