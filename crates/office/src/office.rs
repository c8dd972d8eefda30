//! The office a person works on: its database, opened once (at the app's start, or when the
//! person gives its password) and again after a restore, what the window shows about it, its
//! profile and its first start.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use mestno_core::model::{OfficeProfile, TerritoryInput};
use mestno_core::vault::{self, Keyring, Unlock};
use mestno_core::{Access, Clock, ErrorCode, Footprint, Lang, Sensitive, Store, SystemClock};
use serde::{Deserialize, Serialize};

use crate::backup::Daily;
use crate::error::{AppError, set_ui_lang, ui_lang};
use crate::import::ImportDesk;

/// The setting that keeps the language the person chose.
const LANG: &str = "ui_lang";

/// What the window shows about the app and its office.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// The database file.
    pub db_path: String,
    /// The office's name, once set.
    pub office_name: Option<String>,
    /// True while the office holds no records: the window offers the first-start choice.
    pub empty: bool,
    /// The language the person chose.
    pub lang: Lang,
}

/// What a person enters to start an empty office.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OfficeSetup {
    /// The office's name, e.g. «Проектный офис Абанского района».
    pub office_name: String,
    /// The territory the office serves (usually its district or town); none for an office that
    /// joins a district already working in Mestno: the district's first exchange package brings
    /// the territories and the programs.
    #[serde(default)]
    pub territory: Option<TerritoryInput>,
}

/// Set while an office started to join its district waits for the district's first package: it
/// holds no records yet, and the window no longer offers the first-start choice.
const JOINING: &str = "joining_district";

/// The office database a person works on, or why it is not open yet.
pub struct Office {
    path: PathBuf,
    clock: Arc<dyn Clock>,
    actor: String,
    /// How the database was first asked to open: from the OS store (the app) or with a password
    /// (tests); tried again when the person asks, once the store is reachable.
    opened_with: Unlock,
    /// How the open database was unlocked: what opens it again after a restore.
    unlocked_with: Mutex<Option<Unlock>>,
    /// Set when the database opens (at start, or when the person gives its password); empty
    /// while a restore replaces the file. A command holds its own handle while it runs.
    store: RwLock<Option<Arc<Store>>>,
    /// Why `store` is not set: what every command reports until it is.
    closed: Mutex<AppError>,
    /// One password tried, or one restore done, at a time.
    unlocking: tokio::sync::Mutex<()>,
    import: ImportDesk,
    /// The automatic backup started when the office opened.
    daily: Daily,
}

impl Office {
    /// Opens (creating if need be) the database at `path`, encrypted with its key from the OS
    /// credential store (a new one on first start; an unencrypted database is encrypted on the
    /// way), on the system clock, with the person logged in to the computer as the history's
    /// actor. A file that cannot be opened is kept as an error every command reports, so the
    /// window can say what is wrong: `keystore_unavailable` or `passphrase_required` mean the
    /// window should ask for the database password and give it to [`Office::unlock`];
    /// `keystore_required`, that only the OS store can open it, and [`Office::unlock`] without a
    /// password tries the store again.
    pub async fn open(path: PathBuf) -> Office {
        let actor = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_default();
        Office::open_with(path, Arc::new(SystemClock), actor, Unlock::Keyring(Keyring::system())).await
    }

    /// [`Office::open`] with a given clock and actor (tests pass a fixed clock), the key got as
    /// `unlock` says: from the OS store, or from a password.
    pub async fn open_with(path: PathBuf, clock: Arc<dyn Clock>, actor: String, unlock: Unlock) -> Office {
        let office = Office::closed(path, clock, actor, unlock);
        match office.try_open(&office.opened_with).await {
            Ok(()) => office.start_daily_backup().await,
            Err(e) => *office.closed.lock().unwrap_or_else(PoisonError::into_inner) = e,
        }
        office
    }

    /// The office over a store already open (with a key the caller got, or unencrypted in a
    /// test), on the store's clock and actor; its history names the person chosen as working at
    /// the computer, as when the app opens it.
    pub async fn from_store(store: Store) -> Result<Office, AppError> {
        let office = Office::closed(
            store.path().to_path_buf(),
            store.clock().clone(),
            store.actor().to_owned(),
            Unlock::Keyring(Keyring::system()),
        );
        office.resume_working_person(&store).await?;
        *office.store.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(store));
        Ok(office)
    }

    fn closed(path: PathBuf, clock: Arc<dyn Clock>, actor: String, unlock: Unlock) -> Office {
        Office {
            path,
            clock,
            actor,
            opened_with: unlock,
            unlocked_with: Mutex::new(None),
            store: RwLock::new(None),
            closed: Mutex::new(AppError::new(ErrorCode::Storage, "база данных не открыта", "the database is not open")),
            unlocking: tokio::sync::Mutex::new(()),
            import: ImportDesk::default(),
            daily: Daily::default(),
        }
    }

    /// Opens the database with the password the person typed: the one it is protected by, or a
    /// new one when the OS credential store is unavailable and the database is new or not yet
    /// encrypted. A wrong password changes nothing, and the window may ask again. Without a
    /// password, tries again as at start (the OS store, once the person has unlocked it).
    pub async fn unlock(&self, passphrase: Option<String>) -> Result<AppInfo, AppError> {
        let one_at_a_time = self.unlocking.lock().await;
        if self.store().is_err() {
            match passphrase {
                Some(passphrase) => self.try_open(&Unlock::Passphrase(Sensitive::new(passphrase))).await?,
                None => self.try_open(&self.opened_with).await?,
            }
            drop(one_at_a_time);
            self.start_daily_backup().await;
        }
        self.info().await
    }

    async fn try_open(&self, unlock: &Unlock) -> Result<(), AppError> {
        let key = vault::unlock(&self.path, unlock).await?.key;
        // The office stays open all day beside the browser engine: small page caches.
        let store =
            Store::open_sized(&self.path, Access::Key(key), Footprint::Small, self.clock.clone(), self.actor.clone())
                .await?;
        if let Ok(Some(lang)) = store.setting(LANG).await {
            set_ui_lang(if lang == "en" { Lang::En } else { Lang::Ru });
        }
        self.resume_working_person(&store).await?;
        // Only `unlock` and a restore open after start, one call at a time, while nothing is set.
        *self.store.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(store));
        *self.unlocked_with.lock().unwrap_or_else(PoisonError::into_inner) = Some(unlock.clone());
        Ok(())
    }

    /// The open store, or why there is none. The handle keeps a restore waiting until it is
    /// dropped: hold it for one piece of work, not longer.
    pub fn store(&self) -> Result<Arc<Store>, AppError> {
        match &*self.store.read().unwrap_or_else(PoisonError::into_inner) {
            Some(store) => Ok(store.clone()),
            None => Err(self.closed.lock().unwrap_or_else(PoisonError::into_inner).clone()),
        }
    }

    /// Starts the day's automatic backup in the background, if it is due (see
    /// [`crate::backup`]); the office does not wait for it.
    async fn start_daily_backup(&self) {
        if let Ok(store) = self.store() {
            self.daily.start(store, self.clock.today()).await;
        }
    }

    /// The automatic backup started with the office, and why it failed.
    pub(crate) fn daily(&self) -> &Daily {
        &self.daily
    }

    /// Closes the database for a restore, once the automatic backup and every command running
    /// have let go of it (at most `patience`), and gives what unlocked it. Until
    /// [`Office::reopen`], every command is refused with `why`. The caller holds
    /// [`Office::one_at_a_time`] throughout.
    pub(crate) async fn close_for(&self, why: AppError, patience: Duration) -> Result<Unlock, AppError> {
        let unlock = self.unlocked_with().ok_or_else(|| {
            AppError::new(
                ErrorCode::Refused,
                "Эта база данных открыта без ключа: восстановите её командой mestno restore",
                "This database was opened without a key: restore it with mestno restore",
            )
        })?;
        self.daily.wait().await;
        let Some(mut store) = self.store.write().unwrap_or_else(PoisonError::into_inner).take() else {
            return Err(self.store().err().unwrap_or_else(|| why.clone()));
        };
        *self.closed.lock().unwrap_or_else(PoisonError::into_inner) = why;
        let deadline = tokio::time::Instant::now() + patience;
        let store = loop {
            match Arc::try_unwrap(store) {
                Ok(store) => break store,
                Err(shared) if tokio::time::Instant::now() < deadline => {
                    store = shared;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(shared) => {
                    *self.store.write().unwrap_or_else(PoisonError::into_inner) = Some(shared);
                    return Err(AppError::new(
                        ErrorCode::Refused,
                        "Офис занят (идёт загрузка, отчёт или другая работа); дождитесь её окончания и повторите",
                        "The office is busy (an import, a report or other work is running); wait for it to end and try again",
                    ));
                }
            }
        };
        self.import.close().await;
        store.close().await;
        Ok(unlock)
    }

    /// Opens the database again after [`Office::close_for`]; on failure every command reports
    /// why.
    pub(crate) async fn reopen(&self, unlock: &Unlock) -> Result<(), AppError> {
        let opened = self.try_open(unlock).await;
        if let Err(e) = &opened {
            *self.closed.lock().unwrap_or_else(PoisonError::into_inner) = e.clone();
        }
        opened
    }

    /// Held while the database is opened, or closed and replaced: one at a time.
    pub(crate) async fn one_at_a_time(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.unlocking.lock().await
    }

    /// How the open database was unlocked; none while it is not open, or was opened elsewhere.
    pub(crate) fn unlocked_with(&self) -> Option<Unlock> {
        self.unlocked_with.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// How the database was first asked to open.
    pub(crate) fn opened_with(&self) -> &Unlock {
        &self.opened_with
    }

    /// The clock the office works on.
    pub(crate) fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The person the history names for the office's changes.
    pub(crate) fn actor(&self) -> &str {
        &self.actor
    }

    /// Closes the office's database, its log copied into the file, so the file alone holds the
    /// office (for another program to open next). An automatic backup under way ends first; one
    /// not yet begun is left for the next start.
    pub async fn close(self) {
        self.daily.finish().await;
        let store = self.store.into_inner().unwrap_or_else(PoisonError::into_inner);
        // A handle still held elsewhere shares the pools this closes.
        if let Some(store) = store {
            Store::clone(&store).close().await;
        }
    }

    /// The import wizard's file and plan.
    pub fn import(&self) -> &ImportDesk {
        &self.import
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the window shows about the app and its office.
    pub async fn info(&self) -> Result<AppInfo, AppError> {
        let store = self.store()?;
        let name = store.office_profile().await?.name;
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            db_path: self.path.display().to_string(),
            office_name: Some(name).filter(|n| !n.is_empty()),
            empty: store.is_empty().await? && store.setting(JOINING).await?.is_none(),
            lang: ui_lang(),
        })
    }

    /// Starts an empty office: its name and the territory it serves, or (no territory) an office
    /// that joins its district and takes the territories from the district's first package.
    /// Refused once the office holds records.
    pub async fn set_up(&self, setup: OfficeSetup) -> Result<AppInfo, AppError> {
        let store = self.store()?;
        let name = setup.office_name.trim();
        if name.is_empty() {
            let mut e = AppError::new(ErrorCode::Invalid, "Укажите название офиса", "Enter the office's name");
            e.fields.push(mestno_core::FieldError::new(
                "office_name",
                "укажите название офиса",
                "enter the office's name",
            ));
            return Err(e);
        }
        if !store.is_empty().await? {
            return Err(AppError::new(
                ErrorCode::Refused,
                "В базе уже есть данные: офис уже начат",
                "The database already holds data: the office is already set up",
            ));
        }
        match setup.territory {
            Some(territory) => {
                store.create_territory(territory).await?;
            }
            None => store.set_setting(JOINING, "1").await?,
        }
        let profile = OfficeProfile { name: name.to_owned(), ..store.office_profile().await? };
        store.save_office_profile(&profile).await?;
        self.info().await
    }

    /// The office's profile: its name, address and the operator's details the papers print.
    pub async fn profile(&self) -> Result<OfficeProfile, AppError> {
        Ok(self.store()?.office_profile().await?)
    }

    /// Changes the office's profile; a profile without a name is refused with the field's error.
    /// A person taken off the staff no longer works at the computer.
    pub async fn save_profile(&self, profile: OfficeProfile) -> Result<OfficeProfile, AppError> {
        let store = self.store()?;
        let saved = store.save_office_profile(&profile).await?;
        self.resume_working_person(&store).await?;
        Ok(saved)
    }

    /// Switches the language of the app's messages and remembers it for the next start.
    pub async fn set_lang(&self, lang: Lang) -> Result<(), AppError> {
        set_ui_lang(lang);
        let code = match lang {
            Lang::Ru => "ru",
            Lang::En => "en",
        };
        self.store()?.set_setting(LANG, code).await?;
        Ok(())
    }
}
