use mestno_core::vault::{self, Protection};
use mestno_core::{Access, ErrorCode};

use crate::util::*;

#[tokio::test]
async fn the_file_and_its_log_hold_no_name_in_the_clear() {
    let dir = tempfile::tempdir().unwrap();

    // The yardstick: the same office unencrypted shows the name, so the search below would find it.
    let plain = dir.path().join("plain.sqlite");
    let store = open(&plain, Access::Plain).await.unwrap();
    add_person(&store).await;
    store.close().await;
    assert!(holds(&plain, NAME), "an unencrypted file has the name in the clear");

    let db = dir.path().join("office.sqlite");
    let computer = Computer::default();
    let store = unlock_and_open(&db, &computer.unlock()).await;
    let id = add_person(&store).await;
    // While the office is open the newest pages are in the write-ahead log.
    assert!(files_of(&db).len() > 1, "the log is there to look into: {:?}", files_of(&db));
    assert_no_plaintext(&db);
    store.close().await;
    assert_no_plaintext(&db);
    assert_ne!(header(&db), b"SQLite format 3\0", "not even SQLite's header is readable");
    assert_eq!(vault::protection(&db).unwrap(), Protection::Keyring);

    let store = unlock_and_open(&db, &computer.unlock()).await;
    assert_eq!(store.contact(id).await.unwrap().input.last_name, "Семёнова", "and the key opens it again");
    assert_eq!(store.search("семенова", 5).await.unwrap().len(), 1, "search works on the encrypted file");
    assert!(store.check().await.unwrap().ok);
    store.close().await;
}

#[tokio::test]
async fn a_wrong_key_fails_with_a_clear_message_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let store = unlock_and_open(&db, &Computer::default().unlock()).await;
    add_person(&store).await;
    store.close().await;
    // The database and its log (empty, if closing left one; the shared-memory index is a cache).
    let wal = db.with_file_name("office.sqlite-wal");
    let contents = || [&db, &wal].map(|f| std::fs::read(f).unwrap_or_default());
    let before = contents();

    let e = open(&db, Access::Key(random_key())).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::WrongKey);
    assert_eq!(e.message(mestno_core::Lang::Ru), "неверный ключ или пароль базы данных (или файл повреждён)");
    assert_eq!(e.message(mestno_core::Lang::En), "wrong database key or password (or the file is damaged)");
    assert!(contents() == before, "the database and its log are as they were");

    let e = open(&db, Access::Plain).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Storage, "without a key it is no database at all: {e}");
    assert!(contents() == before);

    // Another computer's store has no key for it.
    let e = vault::unlock(&db, &Computer::default().unlock()).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::WrongKey);
    assert!(e.to_string().contains("нет ключа этой базы данных"), "{e}");
}

#[tokio::test]
async fn a_backup_is_encrypted_with_the_same_key_and_opens_on_this_computer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let computer = Computer::default();
    let store = unlock_and_open(&db, &computer.unlock()).await;
    let id = add_person(&store).await;
    let backup = dir.path().join("копия.sqlite");
    store.backup(&backup).await.unwrap();
    store.close().await;

    assert_no_plaintext(&backup);
    assert!(vault::key_file_path(&backup).exists(), "its key file beside it");
    assert_eq!(vault::protection(&backup).unwrap(), Protection::Keyring);
    let copy = unlock_and_open(&backup, &computer.unlock()).await;
    assert_eq!(copy.contact(id).await.unwrap().input.first_name, "Анна");
    assert!(copy.check().await.unwrap().ok);
    copy.close().await;
    assert_eq!(computer.keys(), 1, "the copy uses the database's own key");
}

#[tokio::test]
async fn a_backup_with_a_password_opens_with_the_password_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let computer = Computer::default();
    let unlocked = vault::unlock(&db, &computer.unlock()).await.unwrap();
    let own_key = unlocked.key.clone();
    let store = open(&db, key(unlocked)).await.unwrap();
    let id = add_person(&store).await;
    let backup = dir.path().join("для района.sqlite");
    let short = store.backup_with_passphrase(&backup, &mestno_core::Sensitive::new("123".into())).await;
    assert_eq!(short.unwrap_err().code(), ErrorCode::Invalid, "a password too short");
    assert!(!backup.exists());
    store.backup_with_passphrase(&backup, &mestno_core::Sensitive::new("пароль для района".into())).await.unwrap();
    store.close().await;

    assert_no_plaintext(&backup);
    assert_eq!(vault::protection(&backup).unwrap(), Protection::Passphrase);
    assert_eq!(open(&backup, Access::Key(own_key)).await.unwrap_err().code(), ErrorCode::WrongKey, "re-keyed");
    let wrong = vault::unlock(&backup, &password("не тот пароль")).await.unwrap();
    assert_eq!(open(&backup, key(wrong)).await.unwrap_err().code(), ErrorCode::WrongKey);
    let copy = unlock_and_open(&backup, &password("пароль для района")).await;
    assert_eq!(copy.contact(id).await.unwrap().input.middle_name, "Петровна");
    copy.close().await;
    assert!(!dir.path().join("для района.sqlite.part").exists());
}
