//! An office whose key the OS credential store cannot keep: missing, or locked for a while.

use std::sync::{Arc, Mutex, MutexGuard};

use mestno_app::Office;
use mestno_core::SystemClock;
use mestno_core::vault::{Keyring, Unlock};
use serde_json::json;

use super::Window;

/// keyring's mock store, which forgets what it keeps: the app must take it for no store at all.
fn no_keystore() -> Unlock {
    Unlock::Keyring(Keyring::with_builder(keyring::mock::default_credential_builder()))
}

#[test]
fn without_the_os_store_the_window_sets_a_password_and_nothing_is_written_before() {
    let w = Window::open_with(no_keystore());
    let e = w.err("app_info", json!({}));
    assert_eq!(e["code"], "keystore_unavailable", "{e}");
    assert!(e["message"].as_str().unwrap().contains("задайте пароль базы данных"), "{e}");
    assert_eq!(w.err("territories", json!({}))["code"], "keystore_unavailable", "every call says why");
    assert!(!w.db.exists() || std::fs::metadata(&w.db).unwrap().len() == 0, "no database yet");

    let short = w.err("unlock_office", json!({"passphrase": "1234"}));
    assert_eq!(short["code"], "invalid");
    assert_eq!(short["fields"][0]["field"], "passphrase", "{short}");
    let info = w.ok("unlock_office", json!({"passphrase": "пароль проектного офиса"}));
    assert_eq!(info["empty"], true, "the office is open, and new");
    w.set_up();
    let head = std::fs::read(&w.db).unwrap();
    assert_ne!(&head[..15], b"SQLite format 3", "encrypted");
    assert_eq!(w.ok("unlock_office", json!({"passphrase": "что угодно"}))["empty"], false, "an open office stays open");

    // The next start: the password the office was given, and no other.
    let db = w.db.clone();
    let dir = w._dir;
    drop((w.webview, w._app));
    tauri::async_runtime::block_on(async {
        let office = Office::open_with(db.clone(), Arc::new(SystemClock), String::new(), no_keystore()).await;
        let e = office.info().await.unwrap_err();
        assert_eq!(e.code, mestno_core::ErrorCode::PassphraseRequired, "{e:?}");
        let wrong = office.unlock(Some("не тот пароль".into())).await.unwrap_err();
        assert_eq!(wrong.code, mestno_core::ErrorCode::WrongKey, "{wrong:?}");
        let info = office.unlock(Some("пароль проектного офиса".into())).await.unwrap();
        assert_eq!(info.office_name.as_deref(), Some("Проектный офис Абанского района"));
    });
    drop(dir);
}

/// An OS credential store that keeps its secrets in memory and can be made unreachable, as a
/// Secret Service is while the person's keyring is locked or not running.
#[derive(Clone, Default)]
struct SwitchedStore {
    secrets: Arc<Mutex<std::collections::HashMap<String, Vec<u8>>>>,
    unreachable: Arc<std::sync::atomic::AtomicBool>,
}

struct SwitchedEntry {
    store: SwitchedStore,
    name: String,
}

impl SwitchedStore {
    fn keyring(&self) -> Unlock {
        Unlock::Keyring(Keyring::with_builder(Box::new(self.clone())))
    }

    fn set_reachable(&self, reachable: bool) {
        self.unreachable.store(!reachable, std::sync::atomic::Ordering::SeqCst);
    }
}

impl keyring::credential::CredentialBuilderApi for SwitchedStore {
    fn build(&self, _target: Option<&str>, service: &str, user: &str) -> keyring::Result<Box<keyring::Credential>> {
        Ok(Box::new(SwitchedEntry { store: self.clone(), name: format!("{service}/{user}") }))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl SwitchedEntry {
    fn secrets(&self) -> keyring::Result<MutexGuard<'_, std::collections::HashMap<String, Vec<u8>>>> {
        if self.store.unreachable.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(keyring::Error::NoStorageAccess("org.freedesktop.secrets is locked".into()));
        }
        Ok(self.store.secrets.lock().unwrap())
    }
}

impl keyring::credential::CredentialApi for SwitchedEntry {
    fn set_secret(&self, secret: &[u8]) -> keyring::Result<()> {
        self.secrets()?.insert(self.name.clone(), secret.to_vec());
        Ok(())
    }

    fn get_secret(&self) -> keyring::Result<Vec<u8>> {
        self.secrets()?.get(&self.name).cloned().ok_or(keyring::Error::NoEntry)
    }

    fn delete_credential(&self) -> keyring::Result<()> {
        self.secrets()?.remove(&self.name).map(|_| ()).ok_or(keyring::Error::NoEntry)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[test]
fn an_office_whose_key_is_in_a_locked_store_waits_for_it_and_opens_when_it_is_unlocked() {
    // A first start while the store is locked: a new office may take a password, or wait.
    let store = SwitchedStore::default();
    store.set_reachable(false);
    let w = Window::open_with(store.keyring());
    assert_eq!(w.err("app_info", json!({}))["code"], "keystore_unavailable");
    assert_eq!(w.err("unlock_office", json!({"passphrase": null}))["code"], "keystore_unavailable", "still locked");
    store.set_reachable(true);
    let info = w.ok("unlock_office", json!({"passphrase": null}));
    assert_eq!(info["empty"], true, "the person unlocked the store: the office opens, its key kept there");
    w.set_up();

    // Its next start with the store locked: only the store can open it, and the window says so.
    let db = w.db.clone();
    let dir = w._dir;
    drop((w.webview, w._app));
    store.set_reachable(false);
    tauri::async_runtime::block_on(async {
        let office = Office::open_with(db.clone(), Arc::new(SystemClock), String::new(), store.keyring()).await;
        let e = office.info().await.unwrap_err();
        assert_eq!(e.code, mestno_core::ErrorCode::KeystoreRequired, "{e:?}");
        assert!(e.message.contains("разблокируйте хранилище"), "{}", e.message);
        let again = office.unlock(None).await.unwrap_err();
        assert_eq!(again.code, mestno_core::ErrorCode::KeystoreRequired, "{again:?}");
        assert!(office.unlock(Some("пароль проектного офиса".into())).await.is_err(), "no password opens it");
        assert!(office.store().is_err(), "still closed");

        store.set_reachable(true);
        let info = office.unlock(None).await.unwrap();
        assert_eq!(info.office_name.as_deref(), Some("Проектный офис Абанского района"));
    });
    drop(dir);
}
