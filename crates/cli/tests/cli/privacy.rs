//! The office file is encrypted, its backups travel with a password, and a person is erased.

use std::process::{Command, Stdio};

use super::{Office, stderr};

/// Whether `needle` is readable in the database file or its write-ahead log.
fn readable(db: &std::path::Path, needle: &str) -> bool {
    let wal = db.with_file_name(format!("{}-wal", db.file_name().unwrap().to_string_lossy()));
    [db.to_path_buf(), wal]
        .iter()
        .filter(|f| f.exists())
        .any(|f| std::fs::read(f).unwrap().windows(needle.len()).any(|w| w == needle.as_bytes()))
}

const ANNA: &str = r#"{"kind": "person", "last_name": "Семёнова", "first_name": "Анна", "middle_name": "Петровна",
                      "phones": ["8 913 555-12-34"], "notes": "Семёнова Анна Петровна, звонить вечером"}"#;

#[test]
fn the_office_file_holds_no_name_in_the_clear_and_a_wrong_password_changes_nothing() {
    let o = Office::new();
    o.ok(&["init"]);
    let out = o.add("contact", ANNA);
    assert!(out.status.success(), "{}", stderr(&out));
    for needle in ["Семёнова Анна Петровна", "Семёнова", "звонить вечером", "SQLite format 3"]
    {
        assert!(!readable(&o.db(), needle), "«{needle}» is readable in the office file");
    }
    let before = std::fs::read(o.db()).unwrap();
    let wrong = Command::new(env!("CARGO_BIN_EXE_mestno"))
        .env("MESTNO_DB", o.db())
        .env("OTHER_PASSWORD", "не тот пароль")
        .args(["--passphrase-env", "OTHER_PASSWORD", "list", "contacts"])
        .output()
        .unwrap();
    assert!(!wrong.status.success());
    assert!(stderr(&wrong).contains("неверный ключ или пароль базы данных"), "{}", stderr(&wrong));
    assert!(!stderr(&wrong).contains("не тот"), "the password is never echoed");
    assert_eq!(std::fs::read(o.db()).unwrap(), before, "the file is as it was");
    assert_eq!(o.json(&["list", "contacts", "--json"])["total"], 1, "the right password still opens it");
}

#[cfg(target_os = "linux")]
#[test]
fn without_the_systems_password_store_the_command_says_so_and_makes_nothing() {
    let o = Office::new();
    let out = Command::new(env!("CARGO_BIN_EXE_mestno"))
        .env("MESTNO_DB", o.db())
        // No Secret Service can answer at this address, whatever desktop runs the tests.
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mestno-test-bus")
        .env_remove("DISPLAY")
        .args(["init"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("хранилище паролей системы недоступно") && err.contains("задайте пароль"), "{err}");
    assert!(err.contains("--passphrase-env"), "a script is told how to give a password: {err}");
    assert_eq!(std::fs::read_dir(o.dir.path()).unwrap().count(), 0, "no database, encrypted or not");
}

#[test]
fn an_unencrypted_office_of_an_older_mestno_is_encrypted_by_the_next_command() {
    let o = Office::new();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let clock = std::sync::Arc::new(mestno_core::SystemClock);
        let store = mestno_core::Store::open(&o.db(), clock, "тест").await.unwrap();
        store.create_contact(serde_json::from_str(ANNA).unwrap()).await.unwrap();
        store.close().await;
    });
    assert!(readable(&o.db(), "Семёнова"), "the yardstick: an unencrypted file shows the name");

    let out = o.run(&["list", "contacts", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("База данных зашифрована"), "{}", stderr(&out));
    let page: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["display_name"], "Семёнова Анна Петровна");
    assert!(!readable(&o.db(), "Семёнова"), "encrypted in place");
    assert!(o.dir.path().join("office.sqlite.key.json").exists());
    assert!(!stderr(&o.run(&["stats"])).contains("зашифрована"), "once");
}

#[test]
fn a_backup_with_a_password_is_restored_in_another_office_and_over_this_one() {
    let o = Office::new();
    o.ok(&["demo", "--scale", "small", "--seed", "5"]);
    let stats = o.json(&["stats", "--json"]);
    let backup = o.dir.path().join("для района.sqlite");
    let backup_arg = backup.to_str().unwrap();
    let out = o
        .cmd()
        .env("BACKUP_PASSWORD", "пароль для района")
        .args(["backup", backup_arg, "--backup-passphrase-env", "BACKUP_PASSWORD"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("для района.sqlite.key.json"), "the key file is named");
    assert!(!readable(&backup, "SQLite format 3") && !readable(&backup, "CREATE TABLE"), "the backup is encrypted");

    let elsewhere = Office::new();
    let restore = |office: &Office, password: &str| {
        office
            .cmd()
            .env("BACKUP_PASSWORD", password)
            .args(["restore", backup_arg, "--backup-passphrase-env", "BACKUP_PASSWORD"])
            .output()
            .unwrap()
    };
    let wrong = restore(&elsewhere, "не тот пароль");
    assert!(!wrong.status.success());
    assert!(stderr(&wrong).contains("неверный ключ или пароль"), "{}", stderr(&wrong));
    assert!(!elsewhere.db().exists(), "nothing restored with a wrong password");
    let out = restore(&elsewhere, "пароль для района");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(elsewhere.json(&["stats", "--json"]), stats, "the other office has the same figures");

    let out = restore(&o, "пароль для района");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Прежняя база сохранена как"));
    assert_eq!(o.json(&["stats", "--json"]), stats);
    assert!(o.dir.path().join("office.sqlite.before-restore").exists());
}

#[test]
fn a_person_is_exported_then_erased_with_an_act_and_the_log_entry_printed() {
    let o = Office::new();
    o.ok(&["init", "--office", "Администрация Абанского района", "--address", "п. Абан, ул. Пионерская, 4"]);
    let out = o.add(
        "contact",
        r#"{"kind": "person", "last_name": "Семёнова", "first_name": "Анна", "middle_name": "Петровна",
            "phones": ["+7 913 555-12-34"], "emails": ["anna@mail.ru"]}"#,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let id = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let export = o.dir.path().join("сведения.xlsx");
    let said = o.ok(&["person", "export", &id, "-o", export.to_str().unwrap()]);
    assert!(said.contains("Сведения о субъекте персональных данных сохранены") && export.exists(), "{said}");

    let act = o.dir.path().join("акт.xlsx");
    let args = ["person", "erase", &id, "--reason", "заявление субъекта", "--request", "ПД-12/2025"];
    // An act that cannot be written refuses the erasure before anything is destroyed.
    let nowhere = o.dir.path().join("нет такой папки").join("акт.xlsx");
    let refused = o.run(&[&args[..], &["--act", nowhere.to_str().unwrap()]].concat());
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("данные не уничтожены"), "{}", stderr(&refused));
    assert_eq!(o.json(&["search", "Семёнова", "--json"]).as_array().map(Vec::len), Some(1), "she is still there");
    assert_eq!(o.json(&["person", "log", "--json"]), serde_json::json!([]), "and nothing is logged");
    let said = o.ok(&[&args[..], &["--requested-on", "2025-10-28", "--act", act.to_str().unwrap()]].concat());
    assert!(said.contains("Акт № 1/") && said.contains("Запрос: № ПД-12/2025 от 28.10.2025"), "{said}");
    assert!(said.contains("Уничтожены: фамилия, имя, отчество; номера телефонов"), "{said}");
    assert!(!said.contains("Семёнова"), "the log entry printed does not name her: {said}");
    assert!(act.exists(), "the act is written");
    let hits = o.json(&["search", "Семёнова", "--json"]);
    assert_eq!(hits, serde_json::json!([]), "the search forgets her");
    let log = o.json(&["person", "log", "--json"]);
    assert_eq!(log[0]["request_number"], "ПД-12/2025");

    let again = o.run(&[&args[..], &["--act", act.to_str().unwrap()]].concat());
    assert!(!again.status.success(), "a person is erased once");
    assert!(stderr(&again).contains("не найден контакт"), "{}", stderr(&again));
}
