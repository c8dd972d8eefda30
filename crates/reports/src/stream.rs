//! A long sheet written on a thread of its own while its rows are read.
//!
//! The registry and the contacts have as many rows as the office has records. Reading them
//! (SQLite on its connection's thread, then each row turned into its fields) and writing them
//! (rust_xlsxwriter's cells, then the zip) each take about half the time; on one thread the one
//! waits for the other. [`spawn`] starts the writing on a thread of its own and hands back a
//! [`Feed`]: the reading sends its rows through it in batches, a few batches ahead at most, so
//! memory stays flat. The writer saves the file only once the reading has said it is complete
//! ([`Writer::finish`]): a reading that fails leaves no file behind.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::{mpsc, oneshot};

use crate::{Error, Result};

/// Batches the reading may be ahead of the writing.
const AHEAD: usize = 4;
/// Rows between two calls of the progress callback.
const PROGRESS_EVERY: u64 = 1000;

/// What the reading sends.
enum Message<T> {
    /// The next rows, in order.
    Rows(Vec<T>),
    /// Every row has been sent: the file may be saved.
    End,
}

/// The writer's side: the rows as they come.
pub(crate) struct Rows<T> {
    rx: mpsc::Receiver<Message<T>>,
}

impl<T> Rows<T> {
    /// The next batch of rows; `None` once every row has come. An error when the reading stopped
    /// before the end: the writer must not save.
    pub(crate) fn next(&mut self) -> Result<Option<Vec<T>>> {
        match self.rx.blocking_recv() {
            Some(Message::Rows(rows)) => Ok(Some(rows)),
            Some(Message::End) => Ok(None),
            None => Err(Error::Interrupted),
        }
    }
}

/// The reading's side: where the rows go.
pub(crate) struct Feed<'a, T> {
    tx: mpsc::Sender<Message<T>>,
    sent: Arc<AtomicU64>,
    progress: &'a (dyn Fn(u64) + Send + Sync),
}

impl<'a, T: Send + 'a> Feed<'a, T> {
    /// Hands `rows` to the writer, waiting while it is [`AHEAD`] batches behind. The future holds
    /// what it needs, not the feed: a reading can call this from a plain closure.
    pub(crate) fn send(&self, rows: Vec<T>) -> impl Future<Output = Result<()>> + Send + 'a {
        let (tx, sent, progress) = (self.tx.clone(), Arc::clone(&self.sent), self.progress);
        async move {
            let n = rows.len() as u64;
            tx.send(Message::Rows(rows)).await.map_err(|_| Error::Interrupted)?;
            let before = sent.fetch_add(n, Ordering::Relaxed);
            if (before + n) / PROGRESS_EVERY > before / PROGRESS_EVERY {
                progress((before + n) / PROGRESS_EVERY * PROGRESS_EVERY);
            }
            Ok(())
        }
    }
}

/// The writing thread, until it has saved the file.
pub(crate) struct Writer<R> {
    done: oneshot::Receiver<Result<R>>,
}

/// Starts `write` on a thread of its own; it reads its rows from [`Rows`] and returns once it has
/// saved the file. `progress` hears how many rows have been handed over, every thousand.
pub(crate) fn spawn<'a, T, R>(
    progress: &'a (dyn Fn(u64) + Send + Sync),
    write: impl FnOnce(Rows<T>) -> Result<R> + Send + 'static,
) -> Result<(Feed<'a, T>, Writer<R>)>
where
    T: Send + 'static,
    R: Send + 'static,
{
    let (tx, rx) = mpsc::channel(AHEAD);
    let (done_tx, done) = oneshot::channel();
    std::thread::Builder::new()
        .name("mestno-report".into())
        .spawn(move || {
            // The receiver is gone only when the report was abandoned; nobody waits for this.
            let _ = done_tx.send(write(Rows { rx }));
        })
        .map_err(|_| Error::Interrupted)?;
    Ok((Feed { tx, sent: Arc::default(), progress }, Writer { done }))
}

impl<R> Writer<R> {
    /// Tells the writer how the reading ended, and waits for it: its result once it has saved
    /// the file; the reading's error (or the writer's, when the writer stopped the reading).
    pub(crate) async fn finish<T>(self, feed: Feed<'_, T>, read: Result<()>) -> Result<R> {
        match read {
            Ok(()) => {
                // A writer that has already stopped says why below.
                let _ = feed.tx.send(Message::End).await;
                drop(feed);
                self.done.await.map_err(|_| Error::Interrupted)?
            }
            Err(e) => {
                drop(feed);
                let written = self.done.await;
                match (e, written) {
                    // The writer failed first, and the reading only found it gone.
                    (Error::Interrupted, Ok(Err(writer))) => Err(writer),
                    (e, _) => Err(e),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_writer_gets_every_row_in_order_and_progress_every_thousand() {
        let heard = std::sync::Mutex::new(Vec::new());
        let progress = |n| heard.lock().unwrap().push(n);
        let (feed, writer) = spawn(&progress, |mut rows: Rows<u32>| {
            let mut all = Vec::new();
            while let Some(batch) = rows.next()? {
                all.extend(batch);
            }
            Ok(all)
        })
        .unwrap();
        let mut read = Ok(());
        for start in (0..2500).step_by(100) {
            read = read.and(feed.send((start..start + 100).collect()).await);
        }
        let all = writer.finish(feed, read).await.unwrap();
        assert_eq!(all, (0..2500).collect::<Vec<_>>(), "every row, in the order sent");
        assert_eq!(*heard.lock().unwrap(), [1000, 2000], "progress every thousand rows");
    }

    #[tokio::test]
    async fn a_reading_that_fails_leaves_the_writer_without_an_end() {
        let progress = |_| {};
        let (saved_tx, saved_rx) = std::sync::mpsc::channel();
        let (feed, writer) = spawn(&progress, move |mut rows: Rows<u32>| {
            while rows.next()?.is_some() {}
            saved_tx.send(()).unwrap();
            Ok(())
        })
        .unwrap();
        feed.send(vec![1, 2, 3]).await.unwrap();
        let failed = Err(Error::InitiativeMissing);
        let e = writer.finish(feed, failed).await.err().map(|e| e.to_string());
        assert_eq!(e, Some(Error::InitiativeMissing.to_string()), "the reading's error is the report's");
        assert!(saved_rx.try_recv().is_err(), "the writer never reached its save");
    }

    #[tokio::test]
    async fn a_writer_that_fails_stops_the_reading_with_its_own_error() {
        let progress = |_| {};
        let (feed, writer) = spawn(&progress, |_: Rows<u32>| -> Result<()> { Err(Error::InitiativeMissing) }).unwrap();
        let mut read = Ok(());
        for _ in 0..2 * AHEAD + 2 {
            read = read.and(feed.send(vec![1]).await);
        }
        assert!(matches!(read, Err(Error::Interrupted)), "the reading learns the writer is gone");
        let e = writer.finish(feed, read).await.err();
        assert!(matches!(e, Some(Error::InitiativeMissing)), "the writer's own error is said, not «прервалась»");
    }
}
