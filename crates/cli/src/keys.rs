//! The office database's key for a command: from the OS credential store by default, or from a
//! password — named by `--passphrase-env`, or typed at a terminal when the store cannot be
//! reached or the database wants one. Never an unencrypted database in its place.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{Result, bail};
use mestno_core::vault::{self, Keyring, MIN_PASSPHRASE_CHARS, Unlock, Unlocked};
use mestno_core::{ErrorCode, Lang, Sensitive};

/// How this run gets its keys.
pub struct Keys {
    /// The variable holding the office database's password, if one was named.
    pub passphrase_env: Option<String>,
    /// The language of prompts and notes.
    pub lang: Lang,
}

impl Keys {
    /// What the office database is unlocked with, before any prompt: the named password, else the
    /// OS store.
    pub fn office(&self) -> Result<Unlock> {
        match &self.passphrase_env {
            Some(var) => Ok(Unlock::Passphrase(from_env(var, self.lang)?)),
            None => Ok(Unlock::Keyring(Keyring::system())),
        }
    }

    /// Unlocks the office database at `path`. Where the OS store cannot be reached (and a
    /// password may be set instead) or the database wants its password, a person at a terminal
    /// is asked for it; a script is told how to give it.
    pub async fn unlock(&self, path: &Path) -> Result<Unlocked> {
        let how = self.office()?;
        let unlocked = match vault::unlock(path, &how).await {
            Ok(unlocked) => unlocked,
            Err(e) if self.passphrase_env.is_none() && wants_password(&e) => {
                if !interactive() {
                    bail!("{}\n{}", e.message(self.lang), hint(self.lang));
                }
                eprintln!("{}", e.message(self.lang));
                let new = e.code() == ErrorCode::KeystoreUnavailable;
                let password = prompt(new, self.lang)?;
                vault::unlock(path, &Unlock::Passphrase(password)).await?
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(report) = &unlocked.encrypted {
            match self.lang {
                Lang::Ru => eprintln!(
                    "База данных зашифрована: {} (таблиц {}, строк {}; все строки проверены)",
                    path.display(),
                    report.tables,
                    report.rows
                ),
                Lang::En => eprintln!(
                    "The database was encrypted: {} ({} tables, {} rows, every row checked)",
                    path.display(),
                    report.tables,
                    report.rows
                ),
            }
        }
        Ok(unlocked)
    }

    /// What a backup at `path` is unlocked with: the password named by `var`; else, for a
    /// password-protected backup, one typed at the terminal; else the OS store.
    pub fn backup(&self, path: &Path, var: Option<&str>) -> Result<Unlock> {
        if let Some(var) = var {
            return Ok(Unlock::Passphrase(from_env(var, self.lang)?));
        }
        if vault::protection(path)? == vault::Protection::Passphrase {
            if !interactive() {
                bail!(
                    "{}",
                    match self.lang {
                        Lang::Ru => "копия защищена паролем: укажите --backup-passphrase-env ПЕРЕМЕННАЯ",
                        Lang::En => "the backup is protected by a password: give --backup-passphrase-env VARIABLE",
                    }
                );
            }
            return Ok(Unlock::Passphrase(ask(
                match self.lang {
                    Lang::Ru => "Пароль копии: ",
                    Lang::En => "The backup's password: ",
                },
                self.lang,
            )?));
        }
        Ok(Unlock::Keyring(Keyring::system()))
    }
}

/// A password from the environment variable `var`.
pub fn from_env(var: &str, lang: Lang) -> Result<Sensitive<String>> {
    match std::env::var(var) {
        Ok(value) if !value.is_empty() => Ok(Sensitive::new(value)),
        _ => bail!(
            "{}",
            match lang {
                Lang::Ru => format!("переменная окружения {var} не задана или пуста, а в ней должен быть пароль"),
                Lang::En => format!("the environment variable {var} is not set or empty; it should hold the password"),
            }
        ),
    }
}

fn wants_password(e: &mestno_core::Error) -> bool {
    matches!(e, mestno_core::Error::KeystoreUnavailable { passphrase_instead: true, .. })
        || e.code() == ErrorCode::PassphraseRequired
}

fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

fn hint(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => {
            "подсказка: пароль базы данных можно передать через переменную окружения: --passphrase-env ПЕРЕМЕННАЯ"
        }
        Lang::En => "hint: the database password can be given in an environment variable: --passphrase-env VARIABLE",
    }
}

/// The password typed at the terminal; a new one is typed twice.
fn prompt(new: bool, lang: Lang) -> Result<Sensitive<String>> {
    let (first, again) = match lang {
        Lang::Ru if new => (
            format!("Новый пароль базы данных (не менее {MIN_PASSPHRASE_CHARS} знаков): "),
            "Повторите пароль: ".to_string(),
        ),
        Lang::En if new => (
            format!("A new database password (at least {MIN_PASSPHRASE_CHARS} characters): "),
            "Type it again: ".to_string(),
        ),
        Lang::Ru => ("Пароль базы данных: ".to_string(), String::new()),
        Lang::En => ("The database password: ".to_string(), String::new()),
    };
    let password = ask(&first, lang)?;
    if new && ask(&again, lang)?.expose() != password.expose() {
        bail!(
            "{}",
            match lang {
                Lang::Ru => "пароли не совпали; база данных не создана",
                Lang::En => "the passwords differ; the database was not made",
            }
        );
    }
    Ok(password)
}

fn ask(prompt: &str, lang: Lang) -> Result<Sensitive<String>> {
    match rpassword::prompt_password(prompt) {
        Ok(password) => Ok(Sensitive::new(password)),
        Err(e) => bail!(
            "{}",
            match lang {
                Lang::Ru => format!("не удалось прочитать пароль: {e}"),
                Lang::En => format!("could not read the password: {e}"),
            }
        ),
    }
}
