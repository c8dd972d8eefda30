use mestno_core::vault::{self, Protection};
use mestno_core::{Access, ErrorCode, Sensitive};

use crate::util::*;

#[tokio::test]
async fn a_backup_restores_over_the_office_with_the_key_and_the_old_one_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let computer = Computer::default();
    let store = unlock_and_open(&db, &computer.unlock()).await;
    let anna = add_person(&store).await;
    let backup = dir.path().join("копия.sqlite");
    store.backup(&backup).await.unwrap();
    // Later the contact is deleted by mistake.
    store.delete_contact(anna).await.unwrap();
    store.close().await;

    let report =
        vault::restore(&backup, &computer.unlock(), &db, &computer.unlock(), clock(), "Петрова О. В.").await.unwrap();
    assert!(report.rows > 0);
    let previous = report.previous.clone().expect("the replaced office is kept");
    assert_eq!(previous, dir.path().join("office.sqlite.before-restore"));

    let store = unlock_and_open(&db, &computer.unlock()).await;
    assert_eq!(store.contact(anna).await.unwrap().input.last_name, "Семёнова", "back from the backup");
    assert!(store.check().await.unwrap().ok);
    store.close().await;
    assert_no_plaintext(&db);
    let old = unlock_and_open(&previous, &computer.unlock()).await;
    assert!(old.contact(anna).await.is_err(), "the one replaced, as it was");
    old.close().await;
    assert_eq!(computer.keys(), 1, "one office, one key");
    assert!(backup.exists(), "the backup is only read");
}

#[tokio::test]
async fn a_password_backup_restores_on_another_computer_and_a_wrong_password_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let office = Computer::default();
    let store = unlock_and_open(&db, &office.unlock()).await;
    let anna = add_person(&store).await;
    let keyed = dir.path().join("копия.sqlite");
    store.backup(&keyed).await.unwrap();
    let carried = dir.path().join("флешка.sqlite");
    store.backup_with_passphrase(&carried, &Sensitive::new("пароль для переноса".into())).await.unwrap();
    store.close().await;

    let laptop = Computer::default();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("mestno.sqlite");

    // The copy made with the office computer's key does not open here.
    let e = vault::restore(&keyed, &laptop.unlock(), &target, &laptop.unlock(), clock(), "Петрова О. В.")
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::WrongKey, "{e}");
    let e = vault::restore(&carried, &password("не тот пароль"), &target, &laptop.unlock(), clock(), "Петрова О. В.")
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::WrongKey, "{e}");
    let e = vault::restore(&carried, &laptop.unlock(), &target, &laptop.unlock(), clock(), "Петрова О. В.")
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::PassphraseRequired, "{e}");
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0, "nothing written on the laptop");
    assert_eq!(laptop.keys(), 0);

    let report =
        vault::restore(&carried, &password("пароль для переноса"), &target, &laptop.unlock(), clock(), "Петрова О. В.")
            .await
            .unwrap();
    assert_eq!(report.previous, None);
    assert_eq!(vault::protection(&target).unwrap(), Protection::Keyring, "the laptop's own key now");
    assert_eq!(laptop.keys(), 1);
    let store = unlock_and_open(&target, &laptop.unlock()).await;
    assert_eq!(store.contact(anna).await.unwrap().input.first_name, "Анна");
    store.close().await;
    assert_no_plaintext(&target);

    // Restored again with a password for the laptop's office itself.
    let with_password = elsewhere.path().join("с паролем.sqlite");
    vault::restore(
        &carried,
        &password("пароль для переноса"),
        &with_password,
        &password("пароль ноутбука"),
        clock(),
        "Петрова О. В.",
    )
    .await
    .unwrap();
    let key = vault::unlock(&with_password, &password("пароль ноутбука")).await.unwrap();
    let store = open(&with_password, Access::Key(key.key)).await.unwrap();
    assert_eq!(store.search("Семёнова", 5).await.unwrap().len(), 1);
    store.close().await;
}

#[tokio::test]
async fn an_old_unencrypted_backup_restores_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.sqlite");
    let store = open(&old, Access::Plain).await.unwrap();
    let anna = add_person(&store).await;
    let backup = dir.path().join("старая копия.sqlite");
    store.backup(&backup).await.unwrap();
    store.close().await;
    assert!(holds(&backup, NAME), "made before encryption");

    let db = dir.path().join("office.sqlite");
    let computer = Computer::default();
    vault::restore(&backup, &computer.unlock(), &db, &computer.unlock(), clock(), "Петрова О. В.").await.unwrap();
    assert_no_plaintext(&db);
    let store = unlock_and_open(&db, &computer.unlock()).await;
    assert_eq!(store.contact(anna).await.unwrap().input.middle_name, "Петровна");
    store.close().await;
}

#[tokio::test]
async fn a_file_that_is_not_a_backup_is_refused_before_anything_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let computer = Computer::default();
    let store = unlock_and_open(&db, &computer.unlock()).await;
    add_person(&store).await;
    store.close().await;
    let before = std::fs::read(&db).unwrap();
    let text = dir.path().join("notes.sqlite");
    std::fs::write(&text, "не копия").unwrap();
    let e =
        vault::restore(&text, &computer.unlock(), &db, &computer.unlock(), clock(), "Петрова О. В.").await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Storage, "{e}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert!(!dir.path().join("office.sqlite.before-restore").exists());
}

#[tokio::test]
async fn a_person_erased_after_the_backup_stays_erased_when_it_is_restored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let computer = Computer::default();
    let store = unlock_and_open(&db, &computer.unlock()).await;
    let anna = add_person(&store).await;
    // An import entered her twice.
    let mut twin = store.contact(anna).await.unwrap().input;
    twin.notes = "дубль из импорта".into();
    let twin = store.create_contact(twin).await.unwrap().id;
    let backup = dir.path().join("копия.sqlite");
    store.backup(&backup).await.unwrap();
    let request = mestno_core::model::ErasureRequest {
        request_number: "ПД-12/2025".into(),
        requested_on: "2025-10-28".parse().unwrap(),
        reason: "заявление субъекта".into(),
        basis: mestno_core::model::ErasureBasis::SubjectRequest,
    };
    // After the backup her duplicate was merged into her record, then she was erased.
    let rev = store.contact(anna).await.unwrap().stamp.rev;
    store.merge_contacts(anna, rev, twin).await.unwrap();
    let act = store.erase_person(anna, request).await.unwrap().log;
    store.close().await;

    let report =
        vault::restore(&backup, &computer.unlock(), &db, &computer.unlock(), clock(), "Петрова О. В.").await.unwrap();
    assert_eq!(
        report.erasures_redone,
        std::slice::from_ref(&act.act_number),
        "the backup predates act {}",
        act.act_number
    );
    for leftover in ["office.sqlite.restoring", "office.sqlite.restoring-wal", "office.sqlite.restoring-shm"] {
        assert!(!dir.path().join(leftover).exists(), "{leftover} is gone: the erasure is in the file itself");
    }
    let store = unlock_and_open(&db, &computer.unlock()).await;
    let gone = store.contact(anna).await.unwrap_err();
    assert_eq!(gone.code(), ErrorCode::NotFound, "she does not come back with the backup");
    assert_eq!(store.contact(twin).await.unwrap_err().code(), ErrorCode::NotFound, "nor does her duplicate");
    assert!(store.search("Семёнова", 20).await.unwrap().is_empty());
    assert_eq!(store.erasure_log().await.unwrap(), [act], "the act is in the restored office's log, once");
    assert!(store.check().await.unwrap().ok);
    let history = serde_json::to_string(&store.history(anna).await.unwrap()).unwrap();
    assert!(!history.contains("Семёнова"), "nor in its history: {history}");
    store.close().await;

    // Restoring the same backup once more: the act is carried again, not twice.
    let report =
        vault::restore(&backup, &computer.unlock(), &db, &computer.unlock(), clock(), "Петрова О. В.").await.unwrap();
    assert_eq!(report.erasures_redone.len(), 1);
    let store = unlock_and_open(&db, &computer.unlock()).await;
    assert_eq!(store.erasure_log().await.unwrap().len(), 1);
    store.close().await;
}
