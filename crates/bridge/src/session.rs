//! Sessions: one office per browser page. Each session is a folder of its own — the office's
//! database (a fresh one, or a copy of a demo office) and a `Документы` folder where the page's
//! save dialog puts files and where a test puts the files it imports — and the page's stream of
//! progress events. Closing a session deletes its folder.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context;
use hyper::body::Bytes;
use mestno_core::{Access, Footprint, Store, SystemClock};
use mestno_office::{Office, Progress, Shell};
use serde::Serialize;
use tempfile::TempDir;
use tokio::sync::mpsc;

use crate::template::{Preset, Templates};

/// The office's file in a session's folder.
const DATABASE: &str = "office.sqlite";
/// The folder a session's dialogs point into.
const DOCUMENTS: &str = "Документы";

/// One page's office.
pub struct Session {
    /// The session's id, in the URLs of its calls.
    pub id: String,
    /// The office the page works on.
    pub office: Office,
    /// What the commands tell the page: progress events.
    pub shell: PageShell,
    /// The folder the page's dialogs point into.
    pub documents: PathBuf,
    /// The session's folder, deleted with the session (after the office is closed: fields drop
    /// in order).
    _dir: TempDir,
}

/// What a page learns about its session.
#[derive(Serialize)]
pub struct SessionInfo<'a> {
    /// The id its calls name.
    pub id: &'a str,
    /// The folder its dialogs point into.
    pub documents: &'a Path,
}

impl Session {
    /// What the page learns about this session.
    pub fn info(&self) -> SessionInfo<'_> {
        SessionInfo { id: &self.id, documents: &self.documents }
    }
}

/// The page's side of the commands: `progress` events go to every event stream the page has
/// open. Showing a folder and the file the app was started with are the page's own (its shim
/// answers `reveal` and `take_open_file` without asking the bridge).
#[derive(Default)]
pub struct PageShell {
    streams: Mutex<Vec<mpsc::UnboundedSender<Bytes>>>,
}

impl PageShell {
    /// A new stream of the page's events, as server-sent events (`data: {"event", "payload"}`).
    pub fn subscribe(&self) -> mpsc::UnboundedReceiver<Bytes> {
        let (tx, rx) = mpsc::unbounded_channel();
        // A comment first, so the page knows the stream is open before any event comes.
        let _ = tx.send(Bytes::from_static(b": open\n\n"));
        self.streams.lock().unwrap_or_else(PoisonError::into_inner).push(tx);
        rx
    }

    fn send(&self, event: &str, payload: impl Serialize) {
        let Ok(json) = serde_json::to_string(&serde_json::json!({ "event": event, "payload": payload })) else {
            return;
        };
        let line = Bytes::from(format!("data: {json}\n\n"));
        // A stream whose page went away is dropped.
        self.streams.lock().unwrap_or_else(PoisonError::into_inner).retain(|tx| tx.send(line.clone()).is_ok());
    }
}

impl Shell for PageShell {
    fn progress(&self, progress: Progress) {
        self.send("progress", progress);
    }
}

/// The open sessions, and what makes new ones.
pub struct Sessions {
    dir: PathBuf,
    templates: Templates,
    open: Mutex<HashMap<String, Arc<Session>>>,
}

impl Sessions {
    /// Sessions kept in folders under `dir`.
    pub fn new(dir: PathBuf) -> anyhow::Result<Sessions> {
        let templates = dir.join("templates");
        std::fs::create_dir_all(&templates).with_context(|| format!("while creating {}", templates.display()))?;
        Ok(Sessions { dir, templates: Templates::new(templates), open: Mutex::new(HashMap::new()) })
    }

    /// The demo offices, made when first asked for (or ahead of time, see `main`).
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// A new session whose office holds what `preset` says.
    pub async fn create(&self, preset: Preset) -> anyhow::Result<Arc<Session>> {
        let dir = tempfile::Builder::new().prefix("session-").tempdir_in(&self.dir)?;
        let documents = dir.path().join(DOCUMENTS);
        std::fs::create_dir(&documents)?;
        let database = dir.path().join(DATABASE);
        if let Preset::Demo(scale) = preset {
            self.templates.copy(scale, &database).await?;
        }
        // Unencrypted: the key's derivation would cost every page a fifth of a second, and the
        // encryption has tests of its own (crates/core, tests/app, tests/e2e).
        let store =
            Store::open_sized(&database, Access::Plain, Footprint::Small, Arc::new(SystemClock), actor()).await?;
        let office = Office::from_store(store).await.map_err(|e| anyhow::anyhow!("{}", e.message))?;
        // The language of messages is the process's (the app serves one person): a new page
        // starts in Russian, as the app does on a new office, whatever the page before chose.
        mestno_office::error::set_ui_lang(mestno_core::Lang::Ru);
        let id = uuid::Uuid::new_v4().simple().to_string();
        let session = Arc::new(Session { id: id.clone(), office, shell: PageShell::default(), documents, _dir: dir });
        self.open.lock().unwrap_or_else(PoisonError::into_inner).insert(id, session.clone());
        Ok(session)
    }

    /// The open session `id`.
    pub fn get(&self, id: &str) -> Option<Arc<Session>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner).get(id).cloned()
    }

    /// Closes session `id`: its office and folder go once its last call has finished.
    pub fn close(&self, id: &str) -> bool {
        self.open.lock().unwrap_or_else(PoisonError::into_inner).remove(id).is_some()
    }

    /// Closes every session.
    pub fn close_all(&self) {
        self.open.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }
}

/// Who the change history names: the person logged in, as in the app.
fn actor() -> String {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reaches_every_open_stream_as_a_server_sent_event() {
        let shell = PageShell::default();
        let mut first = shell.subscribe();
        let mut second = shell.subscribe();
        shell.progress(Progress { task: "Запись строк".into(), done: 1, total: 4 });
        for stream in [&mut first, &mut second] {
            assert_eq!(stream.try_recv().unwrap(), Bytes::from_static(b": open\n\n"), "a comment opens the stream");
            let event = stream.try_recv().unwrap();
            let text = std::str::from_utf8(&event).unwrap();
            let json: serde_json::Value =
                serde_json::from_str(text.strip_prefix("data: ").unwrap().strip_suffix("\n\n").unwrap()).unwrap();
            assert_eq!(json["event"], "progress");
            assert_eq!(json["payload"]["task"], "Запись строк");
            assert_eq!(json["payload"]["done"], 1);
        }
        drop(first);
        shell.progress(Progress { task: "ещё".into(), done: 2, total: 4 });
        assert_eq!(shell.streams.lock().unwrap().len(), 1, "a stream whose page went away is dropped");
    }
}
