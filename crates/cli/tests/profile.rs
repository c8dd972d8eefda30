//! The office's profile on the command line: what `mestno init` sets, and what the window's
//! settings save through the office's command table, is what `mestno office` shows.

mod support;

use std::sync::Arc;

use mestno_core::vault::Unlock;
use mestno_core::{Sensitive, SystemClock};
use mestno_office::{NoShell, Office};
use serde_json::json;
use support::PASSWORD;

#[test]
fn init_sets_what_is_given_and_office_shows_it() {
    let o = support::Office::new();
    o.ok(&[
        "init",
        "--office",
        "Администрация Абанского района",
        "--address",
        "663740, п. Абан, ул. Пионерская, 4",
        "--responsible",
        "Кузнецова Е. А.",
        "--responsible-position",
        "заместитель главы района",
    ]);
    let shown = o.ok(&["office"]);
    assert!(shown.contains("Офис (оператор персональных данных): Администрация Абанского района"), "{shown}");
    assert!(shown.contains("Адрес: 663740, п. Абан, ул. Пионерская, 4"), "{shown}");
    assert!(shown.contains("Кузнецова Е. А., заместитель главы района"), "{shown}");

    o.ok(&["init", "--address", "663740, п. Абан, ул. Советская, 1"]);
    let json = o.json(&["office", "--json"]);
    assert_eq!(
        json,
        json!({"name": "Администрация Абанского района", "address": "663740, п. Абан, ул. Советская, 1",
               "responsible_name": "Кузнецова Е. А.", "responsible_position": "заместитель главы района", "staff": [],
               "working": null, "login": "тест"}),
        "only the address changed"
    );
}

#[test]
fn the_profile_the_window_saves_is_what_the_command_line_shows() {
    let o = support::Office::new();
    let db = o.db();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let unlock = Unlock::Passphrase(Sensitive::new(PASSWORD.into()));
        let office = Office::open_with(db.clone(), Arc::new(SystemClock), "Петрова А. В.".into(), unlock).await;
        let profile = json!({"name": "Проектный офис Абанского района", "address": "663740, п. Абан, ул. Пионерская, 4",
                             "responsible_name": "Кузнецова Е. А.", "responsible_position": ""});
        mestno_office::dispatch(&office, "save_office_profile", json!({"profile": profile}), &NoShell).await.unwrap();
        office.close().await;
    });
    let shown = o.ok(&["--lang", "en", "office"]);
    assert!(shown.contains("Office (operator of personal data): Проектный офис Абанского района"), "{shown}");
    assert!(shown.contains("Address: 663740, п. Абан, ул. Пионерская, 4"), "{shown}");
    assert!(
        shown.contains("Responsible for processing personal data: Кузнецова Е. А.\n"),
        "no position, no comma: {shown}"
    );
}

#[test]
fn the_staff_and_the_person_at_the_computer_are_set_here_and_the_history_names_her() {
    let o = support::Office::new();
    o.ok(&[
        "init",
        "--office",
        "Администрация Абанского района",
        "--staff",
        "Петрова А. В.",
        "--staff",
        "Сидоров И. Н.",
    ]);
    let shown = o.ok(&["office"]);
    assert!(shown.contains("Сотрудники: Петрова А. В., Сидоров И. Н."), "{shown}");
    assert!(shown.contains("За этим компьютером работает: никто в отдельности (тест)"), "{shown}");

    // Someone not on the staff is refused, in the user's language, and nothing changes.
    let refused = o.run(&["init", "--working", "Иванов П. П."]);
    assert!(!refused.status.success());
    assert!(
        support::stderr(&refused).contains("Такого сотрудника нет в профиле офиса"),
        "{}",
        support::stderr(&refused)
    );
    assert!(o.ok(&["office"]).contains("никто в отдельности"));

    // Added and chosen at once; the history of what is done from now on names her.
    o.ok(&["init", "--staff", "Петрова А. В.", "--staff", "Иванов П. П.", "--working", "Иванов П. П."]);
    let shown = o.ok(&["--lang", "en", "office"]);
    assert!(shown.contains("Staff: Петрова А. В., Иванов П. П."), "{shown}");
    assert!(shown.contains("Working at this computer: Иванов П. П."), "{shown}");
    let added = o.add("territory", r#"{"parent_id": null, "kind": "district", "name": "Абанский район"}"#);
    assert!(added.status.success(), "{}", support::stderr(&added));
    let id = String::from_utf8(added.stdout).unwrap().trim().to_owned();
    let history = o.json(&["history", &id]);
    assert_eq!(history[0]["actor"], "Иванов П. П.", "{history}");

    // Taken off the staff, he no longer works here: the history names the login again.
    o.ok(&["init", "--staff", "Петрова А. В."]);
    assert!(o.ok(&["office"]).contains("никто в отдельности (тест)"));
}
