//! The office database's key, and the file kept encrypted at rest.
//!
//! [`unlock`] gives the [`DatabaseKey`] a database opens with ([`Store::open_with`] and
//! [`Access::Key`](crate::store::Access::Key)). On first start it makes one: 32 random bytes kept
//! in the OS credential store through [`Keyring`] (Keychain, Windows Credential Manager, Secret
//! Service), or — when the caller [chooses](Unlock::Passphrase) a password — derived from it with
//! Argon2id. The database's key file beside it (`<database>.key.json`) records which, never the
//! key. An unencrypted database is encrypted on the way ([`EncryptReport`]); [`restore`] puts a
//! backup back. When the OS store cannot be reached, unlocking fails with
//! [`Error::KeystoreUnavailable`]: nothing ever falls back to an unencrypted file or a mock store.
//!
//! [`Store::open_with`]: crate::Store::open_with

mod backup;
mod encrypt;
mod key_file;
mod restore;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use keyring::credential::CredentialPersistence;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

pub use backup::BackupReport;
pub use encrypt::EncryptReport;
pub use key_file::MIN_PASSPHRASE_CHARS;
pub use restore::{RestoreReport, restore};

pub(crate) use key_file::{Kdf, KeyFile, check_new_passphrase};

use crate::error::{Error, Result, Text};
use crate::file::{self, FileState};
use crate::secret::{DatabaseKey, Sensitive};

/// The service name database keys are kept under in the OS credential store.
pub const KEYRING_SERVICE: &str = crate::APP_IDENTIFIER;

/// Where the office database's key comes from, as the caller chooses.
#[derive(Clone, Debug)]
pub enum Unlock {
    /// A random key kept in the OS credential store: the default.
    Keyring(Keyring),
    /// A key derived from a password the person types: where there is no OS store, or for a
    /// backup carried to another computer.
    Passphrase(Sensitive<String>),
}

/// The OS credential store: keyring's store for this platform, or one a test brings.
#[derive(Clone)]
pub struct Keyring {
    builder: Arc<keyring::CredentialBuilder>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keyring")
    }
}

impl Keyring {
    /// The store of this computer: Keychain on macOS, Credential Manager on Windows, the Secret
    /// Service (GNOME Keyring, KWallet) on Linux.
    pub fn system() -> Keyring {
        Keyring { builder: Arc::from(keyring::default::default_credential_builder()) }
    }

    /// A store of the caller's (tests bring an in-memory one). A store that does not keep its
    /// secrets past the entry that wrote them — keyring's mock — is refused on use.
    pub fn with_builder(builder: Box<keyring::CredentialBuilder>) -> Keyring {
        Keyring { builder: Arc::from(builder) }
    }

    fn entry(&self, service: &str, account: &str) -> Result<keyring::Entry, keyring::Error> {
        Ok(keyring::Entry::new_with_credential(self.builder.build(None, service, account)?))
    }

    /// Refuses a store that forgets: keyring falls back to its mock on a platform whose feature
    /// is missing, and a key kept there would be lost with the process.
    fn check_keeps_secrets(&self, passphrase_instead: bool) -> Result<()> {
        match self.builder.persistence() {
            CredentialPersistence::UntilDelete | CredentialPersistence::UntilReboot => Ok(()),
            _ => Err(Error::KeystoreUnavailable {
                detail: "в этой сборке Mestno нет доступа к хранилищу системы / this build has no access to the system's store"
                    .into(),
                passphrase_instead,
            }),
        }
    }

    /// Keeps `key` under `account`, replacing what was there.
    fn store(&self, service: &str, account: &str, key: &DatabaseKey) -> Result<()> {
        self.check_keeps_secrets(true)?;
        let entry = self.entry(service, account).map_err(|e| keystore_error(e, true))?;
        entry.set_password(key.to_hex().expose()).map_err(|e| keystore_error(e, true))
    }

    /// The key under `account`; `None` if the store has none.
    fn read(&self, service: &str, account: &str) -> Result<Option<DatabaseKey>> {
        self.check_keeps_secrets(false)?;
        let entry = self.entry(service, account).map_err(|e| keystore_error(e, false))?;
        match entry.get_password() {
            Ok(text) => {
                let text = Sensitive::new(text);
                DatabaseKey::from_hex(text.expose()).map(Some).ok_or_else(damaged_key_in_store)
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(keyring::Error::BadEncoding(mut bytes)) => {
                zeroize::Zeroize::zeroize(&mut bytes);
                Err(damaged_key_in_store())
            }
            Err(e) => Err(keystore_error(e, false)),
        }
    }

    /// Removes the key of the database at `db` from the store (when the database itself is
    /// deleted); false if there was none or the database does not use the store.
    pub async fn forget(&self, db: &Path) -> Result<bool> {
        let Some(KeyFile { source: key_file::KeySource::Keyring { service, account }, .. }) = key_file::read(db)?
        else {
            return Ok(false);
        };
        let store = self.clone();
        blocking(move || {
            let entry = store.entry(&service, &account).map_err(|e| keystore_error(e, false))?;
            match entry.delete_credential() {
                Ok(()) => Ok(true),
                Err(keyring::Error::NoEntry) => Ok(false),
                Err(e) => Err(keystore_error(e, false)),
            }
        })
        .await
    }
}

fn keystore_error(e: keyring::Error, passphrase_instead: bool) -> Error {
    let detail = match e {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => inner.to_string(),
        // The matching credentials' Debug could show more than a message should.
        keyring::Error::Ambiguous(found) => format!("{} records match the database's name", found.len()),
        other => other.to_string(),
    };
    Error::KeystoreUnavailable { detail, passphrase_instead }
}

fn damaged_key_in_store() -> Error {
    Error::refused(
        "ключ базы данных в хранилище паролей системы повреждён",
        "the database key in the system's password store is damaged",
    )
}

/// How a database file is protected: what [`unlock`] needs for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Protection {
    /// No database yet: the first start makes one, and its key.
    New,
    /// An unencrypted database: unlocking encrypts it.
    Plain,
    /// Encrypted with a random key kept in the OS credential store.
    Keyring,
    /// Encrypted with a key derived from a password: ask the person for it.
    Passphrase,
    /// Not a database Mestno can open: damaged, not a database, or its key file is missing.
    Unknown,
}

/// How the database at `path` is protected, from its first bytes and its key file; reads no
/// secret, so a window can tell whether to ask for a password before it unlocks.
pub fn protection(path: &Path) -> Result<Protection> {
    Ok(match file::state(path)? {
        FileState::Missing | FileState::Empty => Protection::New,
        FileState::Plain => Protection::Plain,
        FileState::Other => match key_file::read(path) {
            Ok(Some(KeyFile { source: key_file::KeySource::Keyring { .. }, .. })) => Protection::Keyring,
            Ok(Some(KeyFile { source: key_file::KeySource::Passphrase { .. }, .. })) => Protection::Passphrase,
            Ok(None) | Err(_) => Protection::Unknown,
        },
    })
}

/// The key [`unlock`] found or made.
#[derive(Debug)]
pub struct Unlocked {
    /// The database's key.
    pub key: DatabaseKey,
    /// The key is new: there was no database, and the key file was written.
    pub created: bool,
    /// The database was unencrypted and has just been encrypted.
    pub encrypted: Option<EncryptReport>,
}

/// The key of the database at `path`, from where its key file says it is (`how` must match: a
/// password for a password-protected database, the OS store for one whose key is there).
///
/// Where there is no database yet, makes the key the way `how` says and writes the key file: a
/// random key into the OS store, or a password's (at least [`MIN_PASSPHRASE_CHARS`] long) with a
/// new salt. An unencrypted database gets a key the same way and is encrypted in place, rows
/// checked, before this returns; the unencrypted file does not survive. Fails with
/// [`Error::KeystoreUnavailable`] when the OS store cannot be reached, [`Error::PassphraseRequired`]
/// when the database wants a password and the store was offered, [`Error::KeyMissing`] when the
/// store has no key for it. A wrong password is found out when the database is opened
/// ([`Error::WrongKey`]).
pub async fn unlock(path: &Path, how: &Unlock) -> Result<Unlocked> {
    match file::state(path)? {
        FileState::Missing | FileState::Empty => {
            let (key, file) = new_key(path, how).await?;
            // A key file without its database: left by a crash, or its database was moved away
            // without it. Kept aside, not overwritten: it may be the only way back into that one.
            key_file::set_aside(path)?;
            key_file::write(path, &file)?;
            Ok(Unlocked { key, created: true, encrypted: None })
        }
        FileState::Plain => {
            // Another program's database, or one open elsewhere, is refused before a key is made.
            let plain = encrypt::PlainDatabase::take(path).await?;
            let (key, file) = new_key(path, how).await?;
            let report = plain.encrypt(&key, &file).await?;
            Ok(Unlocked { key, created: false, encrypted: Some(report) })
        }
        FileState::Other => {
            let file = key_file::read(path)?.ok_or_else(|| no_key_file(path))?;
            let key = existing_key(&file, how).await?;
            Ok(Unlocked { key, created: false, encrypted: None })
        }
    }
}

/// A new key for the database at `path`, made the way `how` says, and its key file (not yet
/// written).
async fn new_key(path: &Path, how: &Unlock) -> Result<(DatabaseKey, KeyFile)> {
    match how {
        Unlock::Keyring(store) => {
            let account = account_for(path)?;
            let key = DatabaseKey::random()?;
            let (store, for_store, name) = (store.clone(), key.clone(), account.clone());
            blocking(move || store.store(KEYRING_SERVICE, &name, &for_store)).await?;
            Ok((key, KeyFile::keyring(KEYRING_SERVICE, &account)))
        }
        Unlock::Passphrase(passphrase) => passphrase_key(passphrase).await,
    }
}

/// A new key from `passphrase` (checked to be long enough) and the key file that finds it again.
async fn passphrase_key(passphrase: &Sensitive<String>) -> Result<(DatabaseKey, KeyFile)> {
    check_new_passphrase(passphrase)?;
    let kdf = Kdf::new()?;
    let (for_kdf, passphrase) = (kdf.clone(), passphrase.clone());
    let key = blocking(move || for_kdf.derive(&passphrase)).await?;
    Ok((key, KeyFile::passphrase(kdf)))
}

/// `<database>.key.json`: the file beside a database that says where its key comes from (never
/// the key).
pub fn key_file_path(db: &Path) -> PathBuf {
    key_file::path_of(db)
}

/// The key of an encrypted database, from where `file` says it is.
async fn existing_key(file: &KeyFile, how: &Unlock) -> Result<DatabaseKey> {
    match (&file.source, how) {
        (key_file::KeySource::Keyring { service, account }, Unlock::Keyring(store)) => {
            let (store, service, account) = (store.clone(), service.clone(), account.clone());
            blocking(move || store.read(&service, &account)).await?.ok_or(Error::KeyMissing)
        }
        (key_file::KeySource::Keyring { .. }, Unlock::Passphrase(_)) => Err(Error::refused(
            "эта база данных зашифрована ключом из хранилища паролей системы, а не паролем; откройте её без пароля",
            "this database is encrypted with a key from the system's password store, not a password; open it without one",
        )),
        (key_file::KeySource::Passphrase { kdf }, Unlock::Passphrase(passphrase)) => {
            let (kdf, passphrase) = (kdf.clone(), passphrase.clone());
            blocking(move || kdf.derive(&passphrase)).await
        }
        (key_file::KeySource::Passphrase { .. }, Unlock::Keyring(_)) => Err(Error::PassphraseRequired),
    }
}

/// The account a new database's key is kept under: its file name (for a person looking through
/// the store), a digest of its full path (two offices on one computer, two keys) and a random
/// part, so a database made again in the place of one moved away never overwrites that one's key.
/// The key file names the account; the account is never worked out again.
fn account_for(path: &Path) -> Result<String> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => dir.to_path_buf(),
        None => PathBuf::from("."),
    };
    let full = std::fs::canonicalize(&dir).map_err(|e| Error::io(&dir, e))?.join(&name);
    let digest = Sha256::digest(full.as_os_str().as_encoded_bytes());
    let short: String = name.chars().take(64).collect();
    let mut random = [0u8; 4];
    getrandom::fill(&mut random).map_err(|e| {
        Error::refused(
            format!("генератор случайных чисел системы недоступен: {e}"),
            format!("the system's random number generator is unavailable: {e}"),
        )
    })?;
    Ok(format!("{short} {}-{}", hex::encode(&digest[..8]), hex::encode(random)))
}

fn no_key_file(path: &Path) -> Error {
    let key_file = key_file::path_of(path);
    Error::Storage(Text::new(
        format!(
            "файл «{}» не является базой данных Mestno или повреждён; если это зашифрованная база, рядом с ней \
             должен лежать файл ключа «{}»",
            path.display(),
            key_file.display()
        ),
        format!(
            "«{}» is not a Mestno database, or it is damaged; if it is an encrypted one, its key file «{}» must \
             lie beside it",
            path.display(),
            key_file.display()
        ),
    ))
}

/// Rows of every table of `schema` (`main`, or an attached database), by name; the counts a copy
/// must match.
pub(crate) async fn row_counts(conn: &mut SqliteConnection, schema: &str) -> Result<Vec<(String, i64)>> {
    let tables: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT name FROM \"{schema}\".sqlite_master WHERE type = 'table' AND rootpage > 0 ORDER BY name"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut counts = Vec::with_capacity(tables.len());
    for table in tables {
        let sql = format!("SELECT count(*) FROM \"{schema}\".\"{}\"", table.replace('"', "\"\""));
        let n: i64 = sqlx::query_scalar(&sql).fetch_one(&mut *conn).await?;
        counts.push((table, n));
    }
    Ok(counts)
}

/// `PRAGMA integrity_check` of `schema`, as an error unless it says "ok".
pub(crate) async fn check_integrity(conn: &mut SqliteConnection, schema: &str, path: &Path) -> Result<()> {
    let found: Vec<String> =
        sqlx::query_scalar(&format!("PRAGMA \"{schema}\".integrity_check")).fetch_all(&mut *conn).await?;
    if found != ["ok"] {
        return Err(Error::Storage(Text::new(
            format!("файл «{}» повреждён: {}", path.display(), found.join("; ")),
            format!("«{}» is damaged: {}", path.display(), found.join("; ")),
        )));
    }
    Ok(())
}

/// Runs blocking work (the OS store's calls, Argon2id) off the async runtime's threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::refused(format!("внутренняя ошибка: {e}"), format!("internal error: {e}")))?
}

#[cfg(test)]
mod tests;
