//! A restore from the window: the open office is closed, the backup put in its place by
//! [`vault::restore`] (the checks `mestno restore` makes: the backup unlocked and checked whole
//! before anything is replaced, the previous database kept as `….before-restore`, people erased
//! since the backup erased again), and the office opened again — restored, or as it was.

use std::path::Path;
use std::time::Duration;

use mestno_core::vault::{self, Keyring, Protection, RestoreReport, Unlock};
use mestno_core::{ErrorCode, Lang, Sensitive};

use super::Carried;
use crate::error::{set_ui_lang, ui_lang};
use crate::{AppError, Office};

/// How long a restore waits for the work under way (an import, a report) to end.
const PATIENCE: Duration = Duration::from_secs(30);

impl Office {
    /// Puts the backup at `backup` in the place of the office's database, and opens the office
    /// again on it. A backup made with a password needs `passphrase` (without it the reply is
    /// `passphrase_required`); one made with this computer's key needs none.
    ///
    /// What can be checked without closing the office is checked first (the file is there and
    /// is a Mestno database with its key file). Then the office waits for the work under way to
    /// end, closes, and [`vault::restore`] checks the backup whole before anything is replaced: a
    /// damaged backup or a wrong password leave the office as it was, open again. The backup
    /// settings and the language stay those of this computer.
    pub async fn restore_backup(&self, backup: &Path, passphrase: Option<String>) -> Result<RestoreReport, AppError> {
        let _one_at_a_time = self.one_at_a_time().await;
        let backup_unlock = self.backup_unlock(backup, passphrase)?;
        let carried = Carried::read(&*self.store()?).await?;
        let lang = ui_lang();
        let restoring = AppError::new(
            ErrorCode::Refused,
            "Идёт восстановление из резервной копии; подождите",
            "A backup is being restored; please wait",
        );
        let unlock = self.close_for(restoring, PATIENCE).await?;
        let restored =
            vault::restore(backup, &backup_unlock, self.path(), &unlock, self.clock().clone(), self.actor()).await;
        if restored.is_err() && !self.path().exists() {
            // Failed between moving the database aside and putting the copy in its place: it goes
            // back, rather than a new empty office being opened there.
            let mut aside = self.path().as_os_str().to_owned();
            aside.push(".before-restore");
            let _ = std::fs::rename(aside, self.path());
        }
        let reopened = self.reopen(&unlock).await;
        set_ui_lang(lang);
        let report = match (restored, reopened) {
            (Err(e), _) => return Err(not_restored(&e)),
            (Ok(report), Ok(())) => report,
            (Ok(report), Err(e)) => {
                // The restored database does not open here (a newer Mestno's, say): the one it
                // replaced goes back.
                if let Some(previous) = &report.previous {
                    for suffix in ["-wal", "-shm"] {
                        let mut name = self.path().as_os_str().to_owned();
                        name.push(suffix);
                        let _ = std::fs::remove_file(name);
                    }
                    if std::fs::rename(previous, self.path()).is_ok() {
                        self.reopen(&unlock).await?;
                    }
                }
                return Err(AppError::new(
                    e.code,
                    &format!("Восстановленная копия не открывается: {}. Офис остался как был.", e.message),
                    &format!("The restored copy does not open: {}. The office was left as it was.", e.message),
                ));
            }
        };
        let store = self.store()?;
        carried.write(&store).await?;
        self.set_lang(lang).await?;
        Ok(report)
    }

    /// What unlocks the backup at `backup`, refused before the office is closed when it is
    /// plainly no backup or wants a password that was not given.
    fn backup_unlock(&self, backup: &Path, passphrase: Option<String>) -> Result<Unlock, AppError> {
        if !backup.is_file() {
            return Err(AppError::new(
                ErrorCode::Io,
                &format!("Файл «{}» не найден", backup.display()),
                &format!("The file «{}» was not found", backup.display()),
            ));
        }
        match vault::protection(backup).map_err(|e| not_restored(&e))? {
            Protection::Passphrase => match passphrase.filter(|p| !p.is_empty()) {
                Some(passphrase) => Ok(Unlock::Passphrase(Sensitive::new(passphrase))),
                // A copy of this office made with its own key: its key file is the office's, and
                // the office's password opens it.
                None => self.unlocked_with().filter(|_| same_key(backup, self.path())).ok_or_else(|| {
                    AppError::new(
                        ErrorCode::PassphraseRequired,
                        "Копия защищена паролем: введите пароль копии",
                        "The backup is protected by a password: enter the backup's password",
                    )
                }),
            },
            Protection::New | Protection::Unknown => Err(AppError::new(
                ErrorCode::Storage,
                &format!(
                    "Файл «{}» — не резервная копия Mestno, или рядом с ней нет её файла ключа «{}». Офис остался как был.",
                    backup.display(),
                    vault::key_file_path(backup).display()
                ),
                &format!(
                    "«{}» is not a Mestno backup, or its key file «{}» is not beside it. The office was left as it was.",
                    backup.display(),
                    vault::key_file_path(backup).display()
                ),
            )),
            Protection::Keyring | Protection::Plain => Ok(Unlock::Keyring(self.keyring())),
        }
    }
}

/// Whether the databases at `a` and `b` have the same key file: a copy and the database it was
/// made of, with the same key.
fn same_key(a: &Path, b: &Path) -> bool {
    match (std::fs::read(vault::key_file_path(a)), std::fs::read(vault::key_file_path(b))) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A restore that failed, the office as it was.
fn not_restored(e: &mestno_core::Error) -> AppError {
    AppError::new(
        e.code(),
        &format!("Копия не восстановлена: {}. Офис остался как был.", e.message(Lang::Ru)),
        &format!("The backup was not restored: {}. The office was left as it was.", e.message(Lang::En)),
    )
}

impl Office {
    /// The OS credential store the office was asked to open with (the system's, unless a test
    /// brought its own).
    fn keyring(&self) -> Keyring {
        match self.opened_with() {
            Unlock::Keyring(keyring) => keyring.clone(),
            Unlock::Passphrase(_) => Keyring::system(),
        }
    }
}
