use std::any::Any;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{TimeZone, Utc};
use keyring::credential::{Credential, CredentialApi, CredentialBuilderApi};
use mestno_core::model::{ContactInput, ContactKind, Role, TerritoryInput, TerritoryKind};
use mestno_core::vault::{Keyring, Unlock};
use mestno_core::{Access, DatabaseKey, FixedClock, Sensitive, Store};

/// The name the tests look for in the raw bytes of the files.
pub const NAME: &str = "Семёнова Анна Петровна";

/// Secrets by service and account.
type Secrets = Arc<Mutex<HashMap<(String, String), Vec<u8>>>>;

/// A credential store in memory, shared by every entry it builds: the OS store of one computer.
#[derive(Clone, Default)]
pub struct Computer(Secrets);

struct Secret {
    computer: Computer,
    name: (String, String),
}

impl CredentialBuilderApi for Computer {
    fn build(&self, _target: Option<&str>, service: &str, user: &str) -> keyring::Result<Box<Credential>> {
        Ok(Box::new(Secret { computer: self.clone(), name: (service.into(), user.into()) }))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl CredentialApi for Secret {
    fn set_secret(&self, secret: &[u8]) -> keyring::Result<()> {
        self.computer.0.lock().unwrap().insert(self.name.clone(), secret.to_vec());
        Ok(())
    }

    fn get_secret(&self) -> keyring::Result<Vec<u8>> {
        self.computer.0.lock().unwrap().get(&self.name).cloned().ok_or(keyring::Error::NoEntry)
    }

    fn delete_credential(&self) -> keyring::Result<()> {
        self.computer.0.lock().unwrap().remove(&self.name).map(|_| ()).ok_or(keyring::Error::NoEntry)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Computer {
    /// Unlocking through this computer's store.
    pub fn unlock(&self) -> Unlock {
        Unlock::Keyring(Keyring::with_builder(Box::new(self.clone())))
    }

    /// Keys kept.
    pub fn keys(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

pub fn password(text: &str) -> Unlock {
    Unlock::Passphrase(Sensitive::new(text.into()))
}

pub fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2025, 11, 1, 9, 0, 0).unwrap()))
}

pub async fn open(path: &Path, access: Access) -> mestno_core::Result<Store> {
    Store::open_with(path, access, clock(), "Петрова О. В.").await
}

/// Unlocks and opens the office at `path`.
pub async fn unlock_and_open(path: &Path, how: &Unlock) -> Store {
    let key = mestno_core::vault::unlock(path, how).await.unwrap().key;
    open(path, Access::Key(key)).await.unwrap()
}

pub fn key(u: mestno_core::vault::Unlocked) -> Access {
    Access::Key(u.key)
}

pub fn random_key() -> DatabaseKey {
    DatabaseKey::random().unwrap()
}

/// A village and «Семёнова Анна Петровна» in it, with a phone and a note.
pub async fn add_person(store: &Store) -> mestno_core::model::Id {
    let village = store
        .create_territory(TerritoryInput {
            parent_id: None,
            kind: TerritoryKind::Locality,
            name: "с. Берёзовка".into(),
            oktmo: String::new(),
            population: vec![],
        })
        .await
        .unwrap()
        .id;
    store
        .create_contact(ContactInput {
            kind: ContactKind::Person,
            last_name: "Семёнова".into(),
            first_name: "Анна".into(),
            middle_name: "Петровна".into(),
            org_name: String::new(),
            position: String::new(),
            territory_id: Some(village),
            address: "ул. Лесная, 7".into(),
            notes: format!("{NAME}: звонить вечером"),
            roles: vec![Role::VillageElder],
            phones: vec!["8 913 555-12-34".into()],
            emails: vec![],
            tags: vec![],
        })
        .await
        .unwrap()
        .id
}

/// The file and its SQLite companions (`-wal`, `-shm`, `-journal`) that exist.
pub fn files_of(db: &Path) -> Vec<PathBuf> {
    let mut files = vec![db.to_path_buf()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = db.file_name().unwrap().to_os_string();
        name.push(suffix);
        files.push(db.with_file_name(name));
    }
    files.into_iter().filter(|f| f.exists()).collect()
}

/// Whether `needle`'s UTF-8 bytes are anywhere in the file or its companions.
pub fn holds(db: &Path, needle: &str) -> bool {
    // A log a lagging close removes meanwhile has nothing to show.
    files_of(db).iter().any(|f| {
        let bytes = std::fs::read(f).unwrap_or_default();
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    })
}

/// No trace of the person in the raw bytes (the full name, the surname, the phone's digits).
pub fn assert_no_plaintext(db: &Path) {
    for needle in [NAME, "Семёнова", "звонить вечером", "Берёзовка", "9135551234", "CREATE TABLE"]
    {
        assert!(!holds(db, needle), "«{needle}» is readable in {:?}", files_of(db));
    }
}

pub fn header(db: &Path) -> Vec<u8> {
    std::fs::read(db).unwrap()[..16].to_vec()
}
