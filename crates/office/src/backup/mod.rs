//! The office's backups, as the window makes them: a copy now (where the person chooses, with a
//! password for another computer if they like), automatic copies into a chosen folder (a USB
//! stick) at the first start of each day, the newest [`BackupSettings::keep`] kept, and a restore
//! that replaces the open office ([`Office::restore_backup`]). Each copy is encrypted as
//! [`Store::backup`] makes it: with the office's own key (its key file beside it), or with a
//! password.
//!
//! The settings ([`BackupSettings`]) and when the last copy was made are kept in the office's
//! settings; a restore carries them over into the office it brings back, since they are about this
//! computer and its stick, not the office's data. [`status`] is what the window shows, with the
//! warning it gives when the last copy is more than a week old ([`overdue`]).
//!
//! The automatic copy is started when the office opens ([`Office::open_with`], [`Office::unlock`])
//! and made in the background ([`Daily`]): the window does not wait for it.

mod folder;
mod restore;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::NaiveDate;
use mestno_core::vault::BackupReport;
use mestno_core::{Error, FieldError, Lang, Result, Sensitive, Store, Text};
use serde::{Deserialize, Serialize};
use tokio::task::JoinHandle;

pub use folder::{BackupCopy, copies};

use crate::error::ui_lang;
use crate::{AppError, Office};

/// The settings a backup's state is kept in.
const AUTO: &str = "backup_auto";
const FOLDER: &str = "backup_folder";
const KEEP: &str = "backup_keep";
/// When the last copy was made (ms since the epoch), and where.
const LAST_AT: &str = "backup_last_at";
const LAST_PATH: &str = "backup_last_path";
/// The office's date of the last copy made into the folder: the daily one is due after it.
const LAST_DAILY: &str = "backup_last_daily";
/// Every setting of backups, carried over a restore.
const KEYS: [&str; 6] = [AUTO, FOLDER, KEEP, LAST_AT, LAST_PATH, LAST_DAILY];

/// Copies kept when the office has not said: a week of daily ones.
pub const DEFAULT_KEEP: u32 = 7;
/// The most copies the folder may be asked to keep.
pub const MAX_KEEP: u32 = 365;
/// Past this many days since the last copy, the window warns.
pub const WARN_AFTER_DAYS: i64 = 7;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// How long the automatic copy waits after the office opened: the window's first screens read
/// the database meanwhile, undisturbed (a large office's copy takes seconds of disk and CPU).
const SETTLE: std::time::Duration =
    if cfg!(test) { std::time::Duration::ZERO } else { std::time::Duration::from_secs(5) };

/// How the office backs itself up automatically.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackupSettings {
    /// A copy is made into [`BackupSettings::folder`] at the first start of each day.
    pub auto: bool,
    /// The folder copies go to (a USB stick's, say), as a full path; empty: none chosen.
    pub folder: String,
    /// How many of the newest copies in the folder are kept; older ones are deleted.
    pub keep: u32,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings { auto: false, folder: String::new(), keep: DEFAULT_KEEP }
    }
}

/// What the window shows about the office's backups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackupStatus {
    /// The automatic backups' settings.
    pub settings: BackupSettings,
    /// When the last copy was made (ms since the epoch), from the window or automatically; none
    /// if never.
    pub last_at: Option<i64>,
    /// Where it was written.
    pub last_path: Option<String>,
    /// Whole days since the last copy; none if there was never one.
    pub days_since: Option<i64>,
    /// The window warns: the last copy is more than a week old, or the office holds records and
    /// was never copied.
    pub overdue: bool,
    /// Why the automatic copy at this start failed, in the person's language.
    pub auto_error: Option<String>,
    /// The folder is set but cannot be reached (the stick is not in).
    pub folder_missing: bool,
    /// The copies in the folder, newest first.
    pub copies: Vec<BackupCopy>,
}

/// The office's backup settings (none set: off, no folder, [`DEFAULT_KEEP`]).
pub async fn settings(store: &Store) -> Result<BackupSettings> {
    Ok(BackupSettings {
        auto: store.setting(AUTO).await?.as_deref() == Some("1"),
        folder: store.setting(FOLDER).await?.unwrap_or_default(),
        keep: store.setting(KEEP).await?.and_then(|k| k.parse().ok()).unwrap_or(DEFAULT_KEEP),
    })
}

/// Keeps `settings`, the folder trimmed. Refused with the field's error: automatic copies
/// without a folder, a folder that is not a full path or not an existing folder, a number kept
/// outside 1…[`MAX_KEEP`].
pub async fn save_settings(store: &Store, settings: BackupSettings) -> Result<BackupSettings> {
    let settings = BackupSettings { folder: settings.folder.trim().to_owned(), ..settings };
    let mut problems = Vec::new();
    let folder = Path::new(&settings.folder);
    if settings.folder.is_empty() {
        if settings.auto {
            problems.push(FieldError::new(
                "folder",
                "выберите папку для автоматических копий",
                "choose the folder for automatic copies",
            ));
        }
    } else if !folder.is_absolute() {
        problems.push(FieldError::new(
            "folder",
            "укажите полный путь к папке, например /media/usb/Mestno",
            "give the folder's full path, e.g. /media/usb/Mestno",
        ));
    } else if !folder.is_dir() {
        problems.push(FieldError::new(
            "folder",
            "такой папки нет (флешка не вставлена?)",
            "there is no such folder (is the stick in?)",
        ));
    }
    if !(1..=MAX_KEEP).contains(&settings.keep) {
        problems.push(FieldError::new(
            "keep",
            format!("от 1 до {MAX_KEEP} копий"),
            format!("from 1 to {MAX_KEEP} copies"),
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    store.set_setting(AUTO, if settings.auto { "1" } else { "0" }).await?;
    store.set_setting(FOLDER, &settings.folder).await?;
    store.set_setting(KEEP, &settings.keep.to_string()).await?;
    Ok(settings)
}

/// Whole days since the last copy (none if never), and whether the window should warn: more than
/// [`WARN_AFTER_DAYS`] days ago, or never while the office holds records (an office just started
/// has nothing to lose yet).
pub fn overdue(last_at: Option<i64>, now_ms: i64, empty: bool) -> (Option<i64>, bool) {
    match last_at {
        Some(at) => {
            let age = now_ms.saturating_sub(at).max(0);
            (Some(age / DAY_MS), age > WARN_AFTER_DAYS * DAY_MS)
        }
        None => (None, !empty),
    }
}

/// Whether the automatic copy is due `today`: automatic copies are on, a folder is chosen, and
/// none was made into it on or after `today` (the first start of the day makes it; a start
/// after one that failed tries again).
pub fn due(settings: &BackupSettings, last_daily: Option<NaiveDate>, today: NaiveDate) -> bool {
    settings.auto && !settings.folder.is_empty() && last_daily.is_none_or(|last| last < today)
}

/// Writes a copy of the office to `path` (never over an existing file): with the office's own
/// key, or with a key from `passphrase` (to open on another computer).
pub async fn back_up(store: &Store, path: &Path, passphrase: Option<String>) -> Result<BackupReport> {
    let report = match passphrase.filter(|p| !p.is_empty()) {
        Some(passphrase) => store.backup_with_passphrase(path, &Sensitive::new(passphrase)).await?,
        None => store.backup(path).await?,
    };
    record(store, &report).await?;
    Ok(report)
}

/// Writes a copy into the folder of `settings` now, as the automatic one does (named by
/// `today`, the oldest beyond [`BackupSettings::keep`] deleted), and counts it as today's.
pub async fn to_folder(store: &Store, settings: &BackupSettings, today: NaiveDate) -> Result<BackupReport> {
    if settings.folder.is_empty() {
        return Err(Error::Refused(Text::new(
            "папка для копий не выбрана",
            "no folder for the copies has been chosen",
        )));
    }
    let folder = Path::new(&settings.folder);
    let report = folder::write(store, folder, today).await?;
    record(store, &report).await?;
    store.set_setting(LAST_DAILY, &today.to_string()).await?;
    folder::rotate(folder, settings.keep, &report.path)?;
    Ok(report)
}

/// The automatic copy, if it is due today: the copy it made, or none.
pub async fn daily(store: &Store, today: NaiveDate) -> Result<Option<BackupReport>> {
    match due_today(store, today).await? {
        Some(settings) => to_folder(store, &settings, today).await.map(Some),
        None => Ok(None),
    }
}

/// The settings to make today's automatic copy with, if it is due.
async fn due_today(store: &Store, today: NaiveDate) -> Result<Option<BackupSettings>> {
    let settings = settings(store).await?;
    let last = store.setting(LAST_DAILY).await?.and_then(|d| d.parse().ok());
    Ok(due(&settings, last, today).then_some(settings))
}

/// Notes when and where the last copy was made.
async fn record(store: &Store, report: &BackupReport) -> Result<()> {
    store.set_setting(LAST_AT, &store.clock().now().timestamp_millis().to_string()).await?;
    store.set_setting(LAST_PATH, &report.path.display().to_string()).await
}

/// What the window shows about the office's backups; waits for the automatic copy started with
/// the office, so that what it says is settled.
pub async fn status(office: &Office) -> std::result::Result<BackupStatus, AppError> {
    let auto_error = office.daily().wait().await.map(|text| text.get(ui_lang()).to_owned());
    let store = office.store()?;
    let settings = settings(&store).await?;
    let last_at = store.setting(LAST_AT).await?.and_then(|at| at.parse::<i64>().ok());
    let last_path = store.setting(LAST_PATH).await?.filter(|p| !p.is_empty());
    let (days_since, overdue) = overdue(last_at, store.clock().now().timestamp_millis(), store.is_empty().await?);
    let (copies, folder_missing) = match settings.folder.as_str() {
        "" => (Vec::new(), false),
        folder => copies(Path::new(folder)).map_or((Vec::new(), true), |c| (c, false)),
    };
    Ok(BackupStatus { settings, last_at, last_path, days_since, overdue, auto_error, folder_missing, copies })
}

/// The backup settings of an office, as stored, to be written into the one a restore brings.
#[derive(Debug, Default)]
pub(crate) struct Carried(Vec<(&'static str, String)>);

impl Carried {
    pub(crate) async fn read(store: &Store) -> Result<Carried> {
        let mut kept = Vec::with_capacity(KEYS.len());
        for key in KEYS {
            // A setting never made is written as empty, which reads back as never made.
            kept.push((key, store.setting(key).await?.unwrap_or_default()));
        }
        Ok(Carried(kept))
    }

    pub(crate) async fn write(&self, store: &Store) -> Result<()> {
        for (key, value) in &self.0 {
            store.set_setting(key, value).await?;
        }
        Ok(())
    }
}

/// The automatic copy started when the office opened, run in the background, and why it failed.
#[derive(Default)]
pub(crate) struct Daily {
    task: tokio::sync::Mutex<Option<JoinHandle<Result<Option<BackupReport>>>>>,
    /// The copy has begun (the office's first seconds are over).
    copying: Arc<AtomicBool>,
    failed: Mutex<Option<Text>>,
}

impl Daily {
    /// Starts [`daily`] on `store` in the background, a few seconds after the office opened (on
    /// the running Tokio runtime; none, no copy), unless one is under way.
    pub(crate) async fn start(&self, store: Arc<Store>, today: NaiveDate) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let mut task = self.task.lock().await;
        if task.is_none() {
            let copying = self.copying.clone();
            *task = Some(runtime.spawn(async move {
                // Whether it is due is read at once (a few settings), so that a start with nothing
                // to copy has nothing pending.
                let Some(settings) = due_today(&store, today).await? else {
                    return Ok(None);
                };
                tokio::time::sleep(SETTLE).await;
                copying.store(true, Ordering::SeqCst);
                to_folder(&store, &settings, today).await.map(Some)
            }));
        }
    }

    /// Waits for the automatic copy to end; why it failed, if it did.
    pub(crate) async fn wait(&self) -> Option<Text> {
        let mut task = self.task.lock().await;
        if let Some(handle) = task.take() {
            let failed = match handle.await {
                Ok(Ok(_)) => None,
                Ok(Err(e)) => Some(Text::new(e.message(Lang::Ru), e.message(Lang::En))),
                Err(e) => Some(Text::new(format!("внутренняя ошибка: {e}"), format!("internal error: {e}"))),
            };
            *self.failed.lock().unwrap_or_else(PoisonError::into_inner) = failed.map(|why| {
                Text::new(
                    format!("Автоматическая резервная копия не сделана: {}", why.ru),
                    format!("The automatic backup was not made: {}", why.en),
                )
            });
        }
        self.failed.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Before the office closes: a copy not yet begun is given up (the next start makes it), one
    /// under way is waited for.
    pub(crate) async fn finish(&self) {
        if !self.copying.load(Ordering::SeqCst)
            && let Some(handle) = self.task.lock().await.take()
        {
            handle.abort();
            let _ = handle.await;
        }
        self.wait().await;
    }

    /// Forgets a failure: a copy into the folder has been made since.
    pub(crate) fn made(&self) {
        *self.failed.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

impl Office {
    /// Writes a copy of the office into the backup folder now, as the automatic copy would.
    pub async fn backup_to_folder(&self) -> std::result::Result<BackupReport, AppError> {
        self.daily().wait().await;
        let store = self.store()?;
        let settings = settings(&store).await?;
        let report = to_folder(&store, &settings, self.clock().today()).await?;
        self.daily().made();
        Ok(report)
    }
}
