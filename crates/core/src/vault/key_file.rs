//! The key file beside the database, `<database>.key.json`: where the key comes from — the OS
//! credential store (under which name), or a password (with the Argon2id parameters and salt).
//! Never the key itself: whoever can read the database can read this file, and it gives them
//! nothing to open the database with.

use std::io::Write;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use crate::error::{Error, FieldError, Result};
use crate::secret::{DatabaseKey, KEY_BYTES, Sensitive};

/// Argon2id's memory, KiB: 64 MiB (RFC 9106's second recommended setting).
const MEMORY_KIB: u32 = 64 * 1024;
/// Argon2id's passes over the memory.
const ITERATIONS: u32 = 3;
/// Argon2id's lanes.
const PARALLELISM: u32 = 1;
/// The salt's length, bytes.
const SALT_BYTES: usize = 16;
/// The shortest password a new database (or backup) accepts, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// What `<database>.key.json` holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KeyFile {
    /// For a person who opens the file.
    about: String,
    /// The file's format.
    format: u32,
    /// How the database is encrypted: SQLCipher 4 with a raw 256-bit key.
    cipher: String,
    /// Where the key comes from.
    #[serde(flatten)]
    pub(crate) source: KeySource,
}

/// Where a database's key comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub(crate) enum KeySource {
    /// A random key in the OS credential store, under this service and account.
    Keyring {
        /// The service (the app's identifier).
        service: String,
        /// The account: the database's file name and a digest of its full path.
        account: String,
    },
    /// A key derived from a password.
    Passphrase {
        /// How it is derived.
        kdf: Kdf,
    },
}

/// Argon2id's parameters and salt for one database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Kdf {
    algorithm: String,
    version: u32,
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
    /// Hexadecimal.
    salt: String,
}

const FORMAT: u32 = 1;
const CIPHER: &str = "sqlcipher4-raw-key";
const ABOUT: &str = "Mestno: как зашифрована база данных рядом с этим файлом; ключа здесь нет. \
                     How the database beside this file is encrypted; the key is not here.";

impl KeyFile {
    pub(crate) fn keyring(service: &str, account: &str) -> KeyFile {
        KeyFile::with(KeySource::Keyring { service: service.into(), account: account.into() })
    }

    pub(crate) fn passphrase(kdf: Kdf) -> KeyFile {
        KeyFile::with(KeySource::Passphrase { kdf })
    }

    fn with(source: KeySource) -> KeyFile {
        KeyFile { about: ABOUT.into(), format: FORMAT, cipher: CIPHER.into(), source }
    }
}

impl Kdf {
    /// Today's parameters with a new random salt.
    pub(crate) fn new() -> Result<Kdf> {
        let mut salt = [0u8; SALT_BYTES];
        getrandom::fill(&mut salt).map_err(|e| {
            Error::refused(
                format!("генератор случайных чисел системы недоступен: {e}"),
                format!("the system's random number generator is unavailable: {e}"),
            )
        })?;
        Ok(Kdf {
            algorithm: "argon2id".into(),
            version: 0x13,
            memory_kib: MEMORY_KIB,
            iterations: ITERATIONS,
            parallelism: PARALLELISM,
            salt: hex::encode(salt),
        })
    }

    /// The key `passphrase` gives. Slow on purpose (a good part of a second): call it off the
    /// async runtime's threads.
    pub(crate) fn derive(&self, passphrase: &Sensitive<String>) -> Result<DatabaseKey> {
        let damaged = || {
            Error::refused(
                "файл ключа базы данных повреждён: неверные параметры получения ключа из пароля",
                "the database's key file is damaged: wrong key derivation parameters",
            )
        };
        // Bounds a sane file keeps to; a damaged or doctored one must not make us allocate gigabytes.
        let sane = self.algorithm == "argon2id"
            && self.version == 0x13
            && (8 * 1024..=4 * 1024 * 1024).contains(&self.memory_kib)
            && (1..=64).contains(&self.iterations)
            && (1..=16).contains(&self.parallelism);
        let salt = hex::decode(&self.salt).map_err(|_| damaged())?;
        if !sane || !(SALT_BYTES..=64).contains(&salt.len()) {
            return Err(damaged());
        }
        let params =
            Params::new(self.memory_kib, self.iterations, self.parallelism, Some(KEY_BYTES)).map_err(|_| damaged())?;
        let mut out = [0u8; KEY_BYTES];
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(passphrase.expose().as_bytes(), &salt, &mut out)
            .map_err(|_| damaged())?;
        let key = DatabaseKey::from_bytes(out);
        out.zeroize();
        Ok(key)
    }
}

/// A password for a new database or backup: long enough, else a field error the form shows.
pub(crate) fn check_new_passphrase(passphrase: &Sensitive<String>) -> Result<()> {
    if passphrase.expose().trim().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::Invalid(vec![FieldError::new(
            "passphrase",
            format!("пароль базы данных слишком короткий: нужно не менее {MIN_PASSPHRASE_CHARS} знаков"),
            format!("the database password is too short: at least {MIN_PASSPHRASE_CHARS} characters"),
        )]));
    }
    Ok(())
}

/// `<database>.key.json`, beside the database.
pub(crate) fn path_of(db: &Path) -> PathBuf {
    crate::file::sibling(db, "key.json")
}

/// The key file of the database at `db`, if there is one.
pub(crate) fn read(db: &Path) -> Result<Option<KeyFile>> {
    let path = path_of(db);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    match serde_json::from_str::<KeyFile>(&text) {
        Ok(file) if file.format == FORMAT && file.cipher == CIPHER => Ok(Some(file)),
        _ => Err(Error::refused(
            format!("файл ключа базы данных «{}» повреждён или создан другой версией Mestno", path.display()),
            format!("the database's key file «{}» is damaged or was made by another version of Mestno", path.display()),
        )),
    }
}

/// Moves an existing key file of the database at `db` to `<database>.key.json.replaced`
/// (replacing an older one there).
pub(crate) fn set_aside(db: &Path) -> Result<()> {
    let path = path_of(db);
    match std::fs::rename(&path, crate::file::sibling(&path, "replaced")) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Writes the key file of the database at `db`, atomically: a crash leaves the old file or the
/// new one, never half of one.
pub(crate) fn write(db: &Path, file: &KeyFile) -> Result<()> {
    let path = path_of(db);
    let part = crate::file::sibling(&path, "part");
    let text = serde_json::to_string_pretty(file).map_err(|e| Error::io(&path, std::io::Error::other(e)))?;
    let written = (|| {
        let mut f = std::fs::File::create(&part)?;
        f.write_all(text.as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        std::fs::rename(&part, &path)
    })();
    written.map_err(|e| Error::io(&path, e))?;
    crate::file::sync_dir(&path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_password_and_salt_give_the_same_key_and_another_password_another() {
        let kdf = Kdf::new().unwrap();
        let a = kdf.derive(&Sensitive::new("Берёзовка-2025".into())).unwrap();
        let b = kdf.derive(&Sensitive::new("Берёзовка-2025".into())).unwrap();
        let c = kdf.derive(&Sensitive::new("Берёзовка-2026".into())).unwrap();
        assert_eq!(a.bytes(), b.bytes(), "the key is found again from the password");
        assert_ne!(a.bytes(), c.bytes());
        let other_salt = Kdf::new().unwrap();
        assert_ne!(other_salt.derive(&Sensitive::new("Берёзовка-2025".into())).unwrap().bytes(), a.bytes());
        assert_eq!(kdf.memory_kib, 65536, "at least 64 MiB");
    }

    #[test]
    fn the_key_file_says_where_the_key_is_and_never_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("office.sqlite");
        assert_eq!(read(&db).unwrap(), None);
        let kdf = Kdf::new().unwrap();
        let password = Sensitive::new(String::from("очень секретный пароль"));
        let key = kdf.derive(&password).unwrap();
        write(&db, &KeyFile::passphrase(kdf.clone())).unwrap();
        let text = std::fs::read_to_string(dir.path().join("office.sqlite.key.json")).unwrap();
        assert!(text.contains("\"source\": \"passphrase\"") && text.contains("argon2id"), "{text}");
        assert!(!text.contains("секретный") && !text.contains(&key.to_hex().expose()[..16]), "no secret: {text}");
        assert_eq!(read(&db).unwrap(), Some(KeyFile::passphrase(kdf)));

        write(&db, &KeyFile::keyring("ru.mestno.desktop", "office.sqlite 0011")).unwrap();
        let text = std::fs::read_to_string(path_of(&db)).unwrap();
        assert!(text.contains("\"source\": \"keyring\"") && text.contains("office.sqlite 0011"), "{text}");
        assert!(!dir.path().join("office.sqlite.key.json.part").exists(), "written through a temporary file");
    }

    #[test]
    fn a_damaged_key_file_or_doctored_parameters_are_refused_plainly() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("office.sqlite");
        std::fs::write(path_of(&db), "{ not json").unwrap();
        let e = read(&db).unwrap_err();
        assert!(e.to_string().contains("повреждён"), "{e}");
        let mut kdf = Kdf::new().unwrap();
        kdf.memory_kib = u32::MAX;
        assert!(kdf.derive(&Sensitive::new("пароль-пароль".into())).is_err(), "no 4 TiB allocation");
    }

    #[test]
    fn a_short_password_is_a_field_error() {
        let e = check_new_passphrase(&Sensitive::new("  1234  ".into())).unwrap_err();
        assert_eq!(e.field_errors()[0].field, "passphrase");
        assert!(check_new_passphrase(&Sensitive::new("восемь зн".into())).is_ok());
    }
}
