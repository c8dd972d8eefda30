//! The office's profile on the command line: what `mestno init` sets, and what the window's
//! settings save through the office's command table, is what `mestno office` shows.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use mestno_core::vault::Unlock;
use mestno_core::{Sensitive, SystemClock};
use mestno_office::{NoShell, Office};
use serde_json::json;

const PASSWORD_VAR: &str = "MESTNO_TEST_PASSPHRASE";
const PASSWORD: &str = "пароль проектного офиса";

fn mestno(db: &PathBuf, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mestno"))
        .env("MESTNO_DB", db)
        .env("MESTNO_USER", "тест")
        .env(PASSWORD_VAR, PASSWORD)
        .args(["--passphrase-env", PASSWORD_VAR])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "mestno {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn init_sets_what_is_given_and_office_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    mestno(
        &db,
        &[
            "init",
            "--office",
            "Администрация Абанского района",
            "--address",
            "663740, п. Абан, ул. Пионерская, 4",
            "--responsible",
            "Кузнецова Е. А.",
            "--responsible-position",
            "заместитель главы района",
        ],
    );
    let shown = mestno(&db, &["office"]);
    assert!(shown.contains("Офис (оператор персональных данных): Администрация Абанского района"), "{shown}");
    assert!(shown.contains("Адрес: 663740, п. Абан, ул. Пионерская, 4"), "{shown}");
    assert!(shown.contains("Кузнецова Е. А., заместитель главы района"), "{shown}");

    mestno(&db, &["init", "--address", "663740, п. Абан, ул. Советская, 1"]);
    let json: serde_json::Value = serde_json::from_str(&mestno(&db, &["office", "--json"])).unwrap();
    assert_eq!(
        json,
        json!({"name": "Администрация Абанского района", "address": "663740, п. Абан, ул. Советская, 1",
               "responsible_name": "Кузнецова Е. А.", "responsible_position": "заместитель главы района"}),
        "only the address changed"
    );
}

#[test]
fn the_profile_the_window_saves_is_what_the_command_line_shows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let unlock = Unlock::Passphrase(Sensitive::new(PASSWORD.into()));
        let office = Office::open_with(db.clone(), Arc::new(SystemClock), "Петрова А. В.".into(), unlock).await;
        let profile = json!({"name": "Проектный офис Абанского района", "address": "663740, п. Абан, ул. Пионерская, 4",
                             "responsible_name": "Кузнецова Е. А.", "responsible_position": ""});
        mestno_office::dispatch(&office, "save_office_profile", json!({"profile": profile}), &NoShell).await.unwrap();
        office.close().await;
    });
    let shown = mestno(&db, &["--lang", "en", "office"]);
    assert!(shown.contains("Office (operator of personal data): Проектный офис Абанского района"), "{shown}");
    assert!(shown.contains("Address: 663740, п. Абан, ул. Пионерская, 4"), "{shown}");
    assert!(
        shown.contains("Responsible for processing personal data: Кузнецова Е. А.\n"),
        "no position, no comma: {shown}"
    );
}
