//! The key's life: made on first start, found again, refused when it cannot be kept. The OS store
//! is replaced by an in-memory one that keeps secrets between entries (keyring's own mock does
//! not), and by keyring's mock where a store that fails is wanted.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use keyring::credential::{Credential, CredentialApi, CredentialBuilderApi, CredentialPersistence};

use super::*;
use crate::clock::SystemClock;
use crate::error::ErrorCode;
use crate::file::companion;
use crate::store::{Access, Store};

/// Secrets by service and account.
type Secrets = Arc<Mutex<HashMap<(String, String), Vec<u8>>>>;

/// A credential store in memory, shared by every entry it builds.
#[derive(Clone, Default)]
struct MemoryStore(Secrets);

struct MemoryCredential {
    store: MemoryStore,
    name: (String, String),
}

impl CredentialBuilderApi for MemoryStore {
    fn build(&self, _target: Option<&str>, service: &str, user: &str) -> keyring::Result<Box<Credential>> {
        Ok(Box::new(MemoryCredential { store: self.clone(), name: (service.into(), user.into()) }))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl CredentialApi for MemoryCredential {
    fn set_secret(&self, secret: &[u8]) -> keyring::Result<()> {
        self.store.0.lock().unwrap().insert(self.name.clone(), secret.to_vec());
        Ok(())
    }

    fn get_secret(&self) -> keyring::Result<Vec<u8>> {
        self.store.0.lock().unwrap().get(&self.name).cloned().ok_or(keyring::Error::NoEntry)
    }

    fn delete_credential(&self) -> keyring::Result<()> {
        self.store.0.lock().unwrap().remove(&self.name).map(|_| ()).ok_or(keyring::Error::NoEntry)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A store whose every call fails as a locked or absent Secret Service does: keyring's mock
/// credential with the error set, built by a builder that claims to keep secrets.
struct UnreachableStore;

impl CredentialBuilderApi for UnreachableStore {
    fn build(&self, _target: Option<&str>, _service: &str, _user: &str) -> keyring::Result<Box<Credential>> {
        let credential = keyring::mock::MockCredential::default();
        credential.set_error(keyring::Error::NoStorageAccess("org.freedesktop.secrets is not running".into()));
        Ok(Box::new(credential))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn memory() -> (Keyring, MemoryStore) {
    let store = MemoryStore::default();
    (Keyring::with_builder(Box::new(store.clone())), store)
}

fn password(text: &str) -> Unlock {
    Unlock::Passphrase(Sensitive::new(text.into()))
}

async fn open(path: &Path, key: DatabaseKey) -> Result<Store> {
    Store::open_with(path, Access::Key(key), Arc::new(SystemClock), "тест").await
}

#[tokio::test]
async fn the_first_start_keeps_a_random_key_in_the_store_and_the_next_finds_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let (keyring, secrets) = memory();
    assert_eq!(protection(&db).unwrap(), Protection::New);

    let first = unlock(&db, &Unlock::Keyring(keyring.clone())).await.unwrap();
    assert!(first.created && first.encrypted.is_none());
    let kept = secrets.0.lock().unwrap().clone();
    assert_eq!(kept.len(), 1, "one key, in the store");
    let ((service, account), secret) = kept.into_iter().next().unwrap();
    assert_eq!(service, "ru.mestno.desktop");
    assert!(account.starts_with("office.sqlite "), "{account}");
    assert_eq!(secret, first.key.to_hex().expose().as_bytes(), "kept as hex digits");
    let key_file = std::fs::read_to_string(dir.path().join("office.sqlite.key.json")).unwrap();
    assert!(key_file.contains(&account) && !key_file.contains(first.key.to_hex().expose()), "{key_file}");

    let store = open(&db, first.key.clone()).await.unwrap();
    store.set_setting("office_name", "Абанский проектный офис").await.unwrap();
    store.close().await;
    assert_eq!(protection(&db).unwrap(), Protection::Keyring);

    let again = unlock(&db, &Unlock::Keyring(keyring)).await.unwrap();
    assert!(!again.created);
    assert_eq!(again.key.bytes(), first.key.bytes(), "the same key, read back from the store");
    let store = open(&db, again.key).await.unwrap();
    assert_eq!(store.setting("office_name").await.unwrap().as_deref(), Some("Абанский проектный офис"));
    store.close().await;
}

#[tokio::test]
async fn a_database_made_again_in_the_place_of_one_moved_away_leaves_that_ones_key_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let (keyring, secrets) = memory();
    let first = unlock(&db, &Unlock::Keyring(keyring.clone())).await.unwrap();
    open(&db, first.key.clone()).await.unwrap().close().await;
    let first_key_file = std::fs::read_to_string(key_file_path(&db)).unwrap();
    // Moved to a stick without its key file; the app starts and makes a new, empty office.
    let moved = dir.path().join("moved.sqlite");
    std::fs::rename(&db, &moved).unwrap();
    for wal in ["office.sqlite-wal", "office.sqlite-shm"] {
        let _ = std::fs::remove_file(dir.path().join(wal));
    }
    let second = unlock(&db, &Unlock::Keyring(keyring.clone())).await.unwrap();
    assert!(second.created);
    assert_ne!(second.key.bytes(), first.key.bytes());
    assert_eq!(secrets.0.lock().unwrap().len(), 2, "the first key is still in the store");
    let aside = dir.path().join("office.sqlite.key.json.replaced");
    assert_eq!(std::fs::read_to_string(&aside).unwrap(), first_key_file, "its key file kept aside");
    // Brought back with its key file, the first office opens again.
    std::fs::rename(&aside, key_file_path(&moved)).unwrap();
    let again = unlock(&moved, &Unlock::Keyring(keyring)).await.unwrap();
    assert_eq!(again.key.bytes(), first.key.bytes());
}

#[tokio::test]
async fn two_offices_on_one_computer_have_two_keys() {
    let dir = tempfile::tempdir().unwrap();
    let (keyring, secrets) = memory();
    let a = unlock(&dir.path().join("a/office.sqlite"), &Unlock::Keyring(keyring.clone())).await;
    assert!(a.is_err(), "no folder, no database");
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::create_dir_all(dir.path().join("b")).unwrap();
    let a = unlock(&dir.path().join("a/office.sqlite"), &Unlock::Keyring(keyring.clone())).await.unwrap();
    let b = unlock(&dir.path().join("b/office.sqlite"), &Unlock::Keyring(keyring)).await.unwrap();
    assert_ne!(a.key.bytes(), b.key.bytes());
    assert_eq!(secrets.0.lock().unwrap().len(), 2, "one account per database path");
}

#[tokio::test]
async fn keyrings_mock_store_is_never_taken_for_the_systems() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let mock = Keyring::with_builder(keyring::mock::default_credential_builder());
    let e = unlock(&db, &Unlock::Keyring(mock)).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::KeystoreUnavailable, "a store that forgets is no store: {e}");
    assert!(!db.exists() && !key_file_path(&db).exists(), "nothing was written");
}

#[test]
fn this_build_reaches_the_systems_own_store() {
    // Without keyring's platform features the default store is the mock, which forgets.
    assert!(
        matches!(keyring::default::default_credential_builder().persistence(), CredentialPersistence::UntilDelete),
        "keyring was built without this platform's credential store"
    );
}

#[tokio::test]
async fn an_unreachable_store_is_said_plainly_and_a_password_offered() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let e = unlock(&db, &Unlock::Keyring(Keyring::with_builder(Box::new(UnreachableStore)))).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::KeystoreUnavailable);
    let ru = e.message(crate::Lang::Ru);
    assert!(ru.contains("хранилище паролей системы недоступно"), "{ru}");
    assert!(ru.contains("org.freedesktop.secrets is not running"), "what the store said: {ru}");
    assert!(ru.contains("задайте пароль базы данных"), "{ru}");
    assert!(e.message(crate::Lang::En).contains("set a database password instead"));
    assert!(!db.exists() && !key_file_path(&db).exists(), "no unencrypted database behind the person's back");

    // With a password instead, the office starts.
    let made = unlock(&db, &password("длинный пароль офиса")).await.unwrap();
    open(&db, made.key).await.unwrap().close().await;
    assert_eq!(protection(&db).unwrap(), Protection::Passphrase);
}

#[tokio::test]
async fn a_database_whose_key_is_in_an_unreachable_store_says_so_and_offers_no_password() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let (keyring, _) = memory();
    let made = unlock(&db, &Unlock::Keyring(keyring)).await.unwrap();
    open(&db, made.key).await.unwrap().close().await;
    let e = unlock(&db, &Unlock::Keyring(Keyring::with_builder(Box::new(UnreachableStore)))).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::KeystoreRequired, "a password cannot open it: {e}");
    assert!(e.to_string().contains("разблокируйте хранилище"), "{e}");

    let (empty, _) = memory();
    let e = unlock(&db, &Unlock::Keyring(empty)).await.unwrap_err();
    assert!(matches!(e, Error::KeyMissing), "{e}");
    assert_eq!(e.code(), ErrorCode::WrongKey);
    let e = unlock(&db, &password("какой-то пароль")).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Refused, "the key is in the store, not a password: {e}");
}

#[tokio::test]
async fn a_password_database_asks_for_its_password_and_a_wrong_one_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let short = unlock(&db, &password("1234")).await.unwrap_err();
    assert_eq!(short.field_errors()[0].field, "passphrase");
    assert!(!key_file_path(&db).exists());

    let made = unlock(&db, &password("правильный пароль")).await.unwrap();
    let store = open(&db, made.key).await.unwrap();
    store.set_setting("office_name", "Тасеевский офис").await.unwrap();
    store.close().await;
    let (keyring, _) = memory();
    let e = unlock(&db, &Unlock::Keyring(keyring)).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::PassphraseRequired, "{e}");

    // The database and its log (empty, if closing left one; the shared-memory index is a cache).
    let contents = || [db.clone(), companion(&db, "-wal")].map(|f| std::fs::read(f).unwrap_or_default());
    let before = contents();
    let wrong = unlock(&db, &password("неправильный пароль")).await.unwrap();
    let e = open(&db, wrong.key).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::WrongKey);
    assert_eq!(e.to_string(), "неверный ключ или пароль базы данных (или файл повреждён)");
    assert!(!e.to_string().contains("неправильный"), "the password is never echoed");
    assert!(contents() == before, "a wrong password changes nothing");

    let right = unlock(&db, &password("правильный пароль")).await.unwrap();
    let store = open(&db, right.key).await.unwrap();
    assert_eq!(store.setting("office_name").await.unwrap().as_deref(), Some("Тасеевский офис"));
    store.close().await;
}

#[tokio::test]
async fn forgetting_a_database_removes_its_key_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let (keyring, secrets) = memory();
    unlock(&db, &Unlock::Keyring(keyring.clone())).await.unwrap();
    assert!(keyring.forget(&db).await.unwrap());
    assert!(secrets.0.lock().unwrap().is_empty());
    assert!(!keyring.forget(&db).await.unwrap(), "nothing left to forget");
}

#[tokio::test]
async fn a_file_that_is_neither_a_database_nor_has_a_key_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    std::fs::write(&db, "это не база данных, а просто текст ".repeat(100)).unwrap();
    let (keyring, secrets) = memory();
    assert_eq!(protection(&db).unwrap(), Protection::Unknown);
    let e = unlock(&db, &Unlock::Keyring(keyring)).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Storage);
    assert!(e.to_string().contains("не является базой данных"), "{e}");
    assert!(secrets.0.lock().unwrap().is_empty(), "no key made for it");
    assert!(std::fs::read_to_string(&db).unwrap().starts_with("это не база"));
}

#[tokio::test]
async fn an_encrypted_offices_search_index_reads_each_leaf_from_one_page() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let (keyring, _) = memory();
    let store = open(&db, unlock(&db, &Unlock::Keyring(keyring)).await.unwrap().key).await.unwrap();
    fill(&store).await;
    for fts in ["initiatives_fts", "contacts_fts", "events_fts"] {
        let blocks: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {fts}_data WHERE length(block) > 3000"))
            .fetch_one(store.reader())
            .await
            .unwrap();
        assert!(blocks >= 5, "{fts}: an index of some size ({blocks} full leaves)");
        let overflow: i64 = sqlx::query_scalar("SELECT count(*) FROM dbstat WHERE name = ? AND pagetype = 'overflow'")
            .bind(format!("{fts}_data"))
            .fetch_one(store.reader())
            .await
            .unwrap();
        assert_eq!(overflow, 0, "{fts}: no leaf of the index spills onto an overflow page");
    }
    store.close().await;
}

/// A made-up word, another for every `n` below 8 000: three syllables of twenty.
fn word(n: usize) -> String {
    const SYLLABLES: [&str; 20] = [
        "ба", "ве", "го", "ди", "жу", "за", "ки", "ло", "му", "не", "по", "ру", "са", "ти", "фу", "хе", "цо", "чи",
        "ша", "ям",
    ];
    [n % 20, n / 20 % 20, n / 400 % 20].iter().map(|&i| SYLLABLES[i]).collect()
}

/// `words` made-up words from the `from`th on.
fn text(from: usize, words: usize) -> String {
    (0..words).map(|k| word(from + k * 37)).collect::<Vec<_>>().join(" ")
}

/// An office of some size, with texts of many different words as a real office's are: 400
/// contacts, 150 initiatives and 300 events, written through the store's batch path.
async fn fill(store: &Store) {
    use crate::model::*;
    use crate::store::{Batch, NewContact, NewInitiative};
    let place = TerritoryInput {
        parent_id: None,
        kind: TerritoryKind::Locality,
        name: "с. Берёзовка".into(),
        oktmo: String::new(),
        population: vec![],
    };
    let t = store.create_territory(place).await.unwrap().id;
    let on = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    let contacts = (0..400)
        .map(|i| NewContact {
            input: ContactInput {
                kind: ContactKind::Person,
                last_name: word(i),
                first_name: word(i + 3000),
                middle_name: word(i + 6000),
                org_name: String::new(),
                position: text(i, 3),
                territory_id: Some(t),
                address: text(i + 1000, 5),
                notes: text(i + 2000, 10),
                roles: vec![],
                phones: vec![],
                emails: vec![],
                tags: vec![],
            },
            consent: None,
        })
        .collect();
    let initiatives = (0..150)
        .map(|i| NewInitiative {
            input: InitiativeInput {
                title: text(i, 5),
                number: None,
                description: text(i + 500, 40),
                object_type: ObjectType::Roads,
                territory_id: t,
                program_id: None,
                year: 2025,
                initiator: Initiator { kind: InitiatorKind::Resident, name: text(i + 900, 3), contact_id: None },
                total_cost: crate::money::Kopecks::ZERO,
                budget: vec![],
                beneficiaries: 0,
                supporters: 0,
                votes: 0,
                implementation: Implementation::default(),
                results: text(i + 1300, 10),
            },
            stage: Stage::Idea,
            stage_on: on,
            meeting: None,
        })
        .collect();
    let events = (0..300)
        .map(|i| EventInput {
            kind: EventKind::Meeting,
            title: text(i, 5),
            starts_at: on.and_hms_opt(18, 0, 0).unwrap(),
            ends_at: None,
            place: text(i + 700, 4),
            territory_id: t,
            headcount: 10,
            attendees: vec![],
            initiative_ids: vec![],
            outcome: text(i + 1100, 15),
            minutes: text(i + 1500, 10),
        })
        .collect();
    let batch = Batch { contacts, initiatives, events, ..Default::default() };
    store.insert_batch(batch, "fixture", &|_| {}).await.unwrap();
}
