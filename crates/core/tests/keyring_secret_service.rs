//! The database key in a real OS credential store: the Secret Service of a private D-Bus session
//! (gnome-keyring), as `scripts/keyring-test.sh` sets it up. Ignored by a plain `cargo test`;
//! each test also checks the script's variable, so it never runs against a desktop's own keyring
//! by accident. Unit tests use in-memory stores instead (`src/vault/tests.rs`).

use std::path::Path;
use std::sync::Arc;

use mestno_core::model::{ContactInput, ContactKind};
use mestno_core::vault::{self, KEYRING_SERVICE, Keyring, Protection, Unlock};
use mestno_core::{Access, ErrorCode, Store, SystemClock};

fn required(variable: &str) {
    assert_eq!(
        std::env::var(variable).as_deref(),
        Ok("1"),
        "run through scripts/keyring-test.sh, which sets {variable}=1 and the Secret Service up"
    );
}

async fn open(db: &Path, unlock: &Unlock) -> Store {
    let key = vault::unlock(db, unlock).await.unwrap().key;
    Store::open_with(db, Access::Key(key), Arc::new(SystemClock), "тест").await.unwrap()
}

/// The account the key file names.
fn account(db: &Path) -> String {
    let text = std::fs::read_to_string(vault::key_file_path(db)).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["source"], "keyring", "{text}");
    assert_eq!(file["service"], KEYRING_SERVICE);
    file["account"].as_str().unwrap().to_owned()
}

#[tokio::test]
#[ignore = "needs a Secret Service: scripts/keyring-test.sh"]
async fn a_key_kept_in_the_secret_service_is_read_back_and_opens_the_office() {
    required("MESTNO_REAL_KEYRING");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");

    let first = vault::unlock(&db, &Unlock::Keyring(Keyring::system())).await.unwrap();
    assert!(first.created, "a new key, kept in the Secret Service");
    let store = Store::open_with(&db, Access::Key(first.key), Arc::new(SystemClock), "тест").await.unwrap();
    let person = ContactInput {
        kind: ContactKind::Person,
        last_name: "Семёнова".into(),
        first_name: "Анна".into(),
        middle_name: "Петровна".into(),
        org_name: String::new(),
        position: String::new(),
        territory_id: None,
        address: String::new(),
        notes: "ключ в Secret Service".into(),
        roles: vec![],
        phones: vec![],
        emails: vec![],
        tags: vec![],
    };
    let id = store.create_contact(person).await.unwrap().id;
    store.close().await;

    // Read through an entry of keyring's own, as any other program would: the key is there.
    let account = account(&db);
    let kept = keyring::Entry::new(KEYRING_SERVICE, &account).unwrap().get_password().unwrap();
    assert_eq!(kept.len(), 64, "a 256-bit key, as hex digits");
    assert!(kept.chars().all(|c| c.is_ascii_hexdigit()));
    let bytes = std::fs::read(&db).unwrap();
    assert!(!bytes.windows(kept.len()).any(|w| w == kept.as_bytes()), "the key is not in the database file");
    let key_file = std::fs::read_to_string(vault::key_file_path(&db)).unwrap();
    assert!(!key_file.contains(&kept), "nor in its key file");

    // A new store object, new entries: the key comes back from the service and opens the office.
    assert_eq!(vault::protection(&db).unwrap(), Protection::Keyring);
    let store = open(&db, &Unlock::Keyring(Keyring::system())).await;
    assert_eq!(store.contact(id).await.unwrap().input.last_name, "Семёнова");
    assert!(store.check().await.unwrap().ok);
    store.close().await;

    // Forgotten with the office, the key is gone from the service.
    assert!(Keyring::system().forget(&db).await.unwrap());
    assert!(matches!(
        keyring::Entry::new(KEYRING_SERVICE, &account).unwrap().get_password(),
        Err(keyring::Error::NoEntry)
    ));
    let e = vault::unlock(&db, &Unlock::Keyring(Keyring::system())).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::WrongKey, "{e}");
}

#[tokio::test]
#[ignore = "needs no Secret Service at all: scripts/keyring-test.sh"]
async fn without_a_secret_service_the_office_says_so_and_writes_nothing() {
    required("MESTNO_NO_KEYRING");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let e = vault::unlock(&db, &Unlock::Keyring(Keyring::system())).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::KeystoreUnavailable, "{e}");
    assert!(e.to_string().contains("задайте пароль базы данных"), "{e}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no database, no key file");
}
