//! An office started, its records entered and shown, its errors, its language, its demo.

use std::sync::Arc;

use mestno_app::Office;
use mestno_core::SystemClock;
use serde_json::{Value, json};

use super::{ONE_AT_A_TIME, Window, initiative, password, person};

#[test]
fn a_first_start_offers_an_empty_office_and_refuses_a_nameless_one() {
    let w = Window::open();
    let info = w.ok("app_info", json!({}));
    assert_eq!(info["empty"], true);
    assert_eq!(info["lang"], "ru");
    assert_eq!(info["office_name"], Value::Null);
    assert_eq!(info["db_path"], w.db.display().to_string());

    let e = w.err(
        "setup_office",
        json!({"input": {"office_name": "  ", "territory": {"kind": "district", "name": "Абанский район"}}}),
    );
    assert_eq!(e["code"], "invalid");
    assert_eq!(e["message"], "Укажите название офиса");
    assert_eq!(e["fields"][0]["field"], "office_name");
    assert_eq!(w.ok("app_info", json!({}))["empty"], true, "nothing was stored");

    w.set_up();
    assert_eq!(w.ok("app_info", json!({}))["empty"], false);
    let again = w.err(
        "setup_office",
        json!({"input": {"office_name": "Другой", "territory": {"kind": "district", "name": "Другой район"}}}),
    );
    assert_eq!(again["code"], "refused");
    assert!(again["message"].as_str().unwrap().contains("уже"), "{again}");
}

#[test]
fn an_office_that_joins_its_district_starts_without_territories_and_is_not_offered_the_first_start_again() {
    let w = Window::open();
    let info = w.ok("setup_office", json!({"input": {"office_name": "Администрация с. Берёзовка", "territory": null}}));
    assert_eq!(info["empty"], false, "the first-start choice is not offered again: {info}");
    assert_eq!(info["office_name"], "Администрация с. Берёзовка");
    assert_eq!(w.ok("territories", json!({})), json!([]), "the district's first package brings them");
    let status = w.ok("sync_status", json!({}));
    assert_eq!(status["territory_name"], Value::Null, "its card names no territory yet: {status}");
    let card = w.db.with_file_name("берёзовка.mestno-pair");
    w.ok("sync_write_card", json!({"territory": null, "path": card}));
    assert!(card.exists(), "the card to send the district is written");
    assert_eq!(w.ok("app_info", json!({}))["empty"], false, "still so at the next start");
}

#[test]
fn an_initiative_event_and_contacts_show_in_lists_dashboard_and_history() {
    let w = Window::open();
    let (district, village) = w.set_up();
    let program = w.program();

    // The form asks for the shares before saving.
    let check =
        w.ok("check_initiative", json!({"input": initiative(&village, &program, "Ремонт ДК"), "stage": "application"}));
    let share = |source: &str| {
        check["shares"].as_array().unwrap().iter().find(|s| s["source"] == source).unwrap()["share_bp"].clone()
    };
    assert_eq!(share("regional"), 7500);
    assert_eq!(share("municipal"), 1500);
    assert_eq!(share("residents"), 1000);
    assert_eq!(check["errors"], json!([]));

    let saved = w.ok(
        "save_initiative",
        json!({"id": null, "rev": null, "input": initiative(&village, &program, "Ремонт дома культуры в с. Берёзовка"),
               "stage": "application", "on": "2025-02-10"}),
    );
    let initiative_id = saved["id"].as_str().unwrap().to_owned();
    assert_eq!(saved["stage"], "application");

    let ivanova = w.ok(
        "save_contact",
        json!({"id": null, "rev": null, "input": person("Иванова", "Мария", "8 (913) 555-12-34", &village)}),
    );
    assert_eq!(ivanova["phones"], json!(["+79135551234"]));
    let sidorov = w.ok(
        "save_contact",
        json!({"id": null, "rev": null, "input": person("Сидоров", "Пётр", "+7 913 555 00 11", &village)}),
    );

    let event = w.ok(
        "save_event",
        json!({"id": null, "rev": null, "input": {
            "kind": "citizens_gathering", "title": "Собрание жителей о ремонте ДК", "starts_at": "2025-02-01T18:00:00",
            "ends_at": null, "place": "ДК с. Берёзовка", "territory_id": village, "headcount": 45,
            "attendees": [{"contact_id": ivanova["id"], "role": "speaker"}, {"contact_id": sidorov["id"], "role": "participant"}],
            "initiative_ids": [initiative_id], "outcome": "Решили участвовать в ППМИ", "minutes": ""}}),
    );
    assert_eq!(event["attendees"].as_array().unwrap().len(), 2);

    let page = w.ok("list_initiatives", json!({"query": {"territory_id": district, "limit": 50}}));
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["title"], "Ремонт дома культуры в с. Берёзовка");
    assert_eq!(page["items"][0]["territory_name"], "с. Берёзовка");
    assert_eq!(page["items"][0]["residents"], 20_000_000);
    let events = w.ok("list_events", json!({"query": {}}));
    assert_eq!(events["total"], 1);
    assert_eq!(w.ok("list_contacts", json!({"query": {}}))["total"], 2);

    let stats = w.ok("stats", json!({"filter": {"program_id": null, "year": 2025, "territory_id": district}}));
    assert_eq!(stats["initiatives"], 1);
    assert_eq!(stats["initiatives_by_stage"]["application"], 1);
    assert_eq!(stats["funds_total_kopecks"], 200_000_000);
    assert_eq!(stats["funds_kopecks"]["residents"], 20_000_000);
    assert_eq!(stats["events"], 1);
    assert_eq!(stats["unique_people"], 2);
    assert_eq!(stats["people_reached"], 45, "the two named and the 43 others at the gathering");
    assert_eq!(stats["population"], 20_000);
    assert_eq!(stats["people_reached_share"], 0.00225, "45 of 20 000 reached");

    let activity = w.ok("contact_activity", json!({"id": ivanova["id"]}));
    assert_eq!(activity["events"][0]["title"], "Собрание жителей о ремонте ДК");
    assert_eq!(activity["events"][0]["role"], "speaker");
    assert_eq!(activity["initiatives"][0]["id"], initiative_id, "linked through the event");
    assert_eq!(activity["initiatives"][0]["initiator"], false);

    let moved = w.ok(
        "change_stage",
        json!({"id": initiative_id, "rev": saved["stamp"]["rev"], "to": "selected", "on": "2025-04-01", "note": "протокол № 3"}),
    );
    assert_eq!(moved["stage"], "selected");
    let stages: Vec<&str> = moved["stages"].as_array().unwrap().iter().map(|s| s["to"].as_str().unwrap()).collect();
    assert_eq!(stages, ["application", "selected"]);
    let history = w.ok("history", json!({"id": initiative_id}));
    let ops: Vec<&str> = history.as_array().unwrap().iter().map(|h| h["op"].as_str().unwrap()).collect();
    assert!(ops.contains(&"create") && ops.contains(&"stage"), "{history}");
    assert!(history.as_array().unwrap().iter().all(|h| h["actor"] == "Петрова А. В."), "{history}");

    let hits = w.ok("search", json!({"text": "берез", "limit": 10}));
    let entities: Vec<&str> = hits.as_array().unwrap().iter().map(|h| h["entity"].as_str().unwrap()).collect();
    assert!(entities.contains(&"initiative"), "«берез» finds «Берёзовка»: {hits}");
}

#[test]
fn errors_cross_as_code_message_and_fields_and_store_nothing() {
    let w = Window::open();
    let (_, village) = w.set_up();
    let program = w.program();

    let mut bad = initiative(&village, &program, "");
    bad["budget"][2]["planned"] = json!(10_000_000); // sources no longer add up to the total
    let e = w.err("save_initiative", json!({"id": null, "rev": null, "input": bad, "stage": null, "on": null}));
    assert_eq!(e["code"], "invalid", "{e}");
    assert!(e["message"].as_str().unwrap().chars().any(|c| ('а'..='я').contains(&c)), "Russian: {e}");
    let fields: Vec<&str> = e["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"title"), "{e}");
    assert!(fields.iter().any(|f| f.starts_with("budget") || *f == "total_cost"), "{e}");
    assert_eq!(w.ok("list_initiatives", json!({"query": {}}))["total"], 0);

    let stranger = uuid::Uuid::now_v7().to_string();
    let e = w.err(
        "save_event",
        json!({"id": null, "rev": null, "input": {
            "kind": "meeting", "title": "Встреча", "starts_at": "2025-03-01T10:00:00", "ends_at": null, "place": "",
            "territory_id": village, "headcount": 0, "attendees": [{"contact_id": stranger, "role": "participant"}],
            "initiative_ids": [], "outcome": "", "minutes": ""}}),
    );
    assert_eq!(e["code"], "invalid", "{e}");
    assert!(
        e["fields"].as_array().unwrap().iter().any(|f| f["field"].as_str().unwrap().starts_with("attendees")),
        "{e}"
    );
    assert_eq!(w.ok("list_events", json!({"query": {}}))["total"], 0);

    let e = w.err("initiative", json!({"id": stranger}));
    assert_eq!(e["code"], "not_found");
    assert!(e["message"].as_str().unwrap().starts_with("не найден проект"), "{e}");

    // Arguments the command cannot read are refused before they reach the core.
    assert!(w.call("stats", json!({"filter": {"year": "прошлый"}})).is_err());
}

#[test]
fn markup_in_a_name_is_kept_as_text() {
    let w = Window::open();
    let (_, village) = w.set_up();
    let name = "<script>alert('x')</script> Ковалёв";
    let saved =
        w.ok("save_contact", json!({"id": null, "rev": null, "input": person(name, "Иван", "89135550000", &village)}));
    let again = w.ok("contact", json!({"id": saved["id"]}));
    assert_eq!(again["last_name"], name);
}

#[test]
fn english_messages_once_the_person_switches() {
    let w = Window::open();
    w.ok("set_lang", json!({"lang": "en"}));
    assert_eq!(w.ok("app_info", json!({}))["lang"], "en");
    let e =
        w.err("setup_office", json!({"input": {"office_name": "", "territory": {"kind": "district", "name": "X"}}}));
    assert_eq!(e["message"], "Enter the office's name");
    w.ok("set_lang", json!({"lang": "ru"}));
    let e =
        w.err("setup_office", json!({"input": {"office_name": "", "territory": {"kind": "district", "name": "X"}}}));
    assert_eq!(e["message"], "Укажите название офиса");
}

#[test]
fn the_language_is_remembered_for_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite");
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let reopen = || Office::open_with(db.clone(), Arc::new(SystemClock), String::new(), password());
    tauri::async_runtime::block_on(async {
        let office = reopen().await;
        office.set_lang(mestno_core::Lang::En).await.unwrap();
        drop(office);
        mestno_app::error::set_ui_lang(mestno_core::Lang::Ru);
        let office = reopen().await;
        assert_eq!(office.info().await.unwrap().lang, mestno_core::Lang::En);
    });
    mestno_app::error::set_ui_lang(mestno_core::Lang::Ru);
}

#[test]
fn the_demo_office_fills_and_reports_to_excel() {
    let w = Window::open();
    let info = w.ok("load_demo", json!({"scale": "small"}));
    assert_eq!(info["empty"], false);
    assert_eq!(info["office_name"], "Проектный офис (демо)");
    let stats = w.ok("stats", json!({"filter": {}}));
    assert!(stats["initiatives"].as_u64().unwrap() > 0 && stats["events"].as_u64().unwrap() > 0, "{stats}");
    assert_eq!(w.err("load_demo", json!({"scale": "small"}))["code"], "refused", "only an empty office");

    let out = w.db.with_file_name("реестр.xlsx");
    let summary = w.ok(
        "export_report",
        json!({"kind": "registry", "request": {"program_id": null, "year": null, "territory_id": null, "initiative_id": null},
               "path": out}),
    );
    assert_eq!(summary["rows"], stats["initiatives"], "one row per initiative");
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an .xlsx (zip) file");
}

#[test]
fn a_database_that_cannot_be_opened_is_reported_on_every_call() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    mestno_app::error::set_ui_lang(mestno_core::Lang::Ru);
    let dir = tempfile::tempdir().unwrap();
    let not_a_db = dir.path().join("office.sqlite");
    std::fs::write(&not_a_db, "это не база данных, а просто текст ".repeat(200)).unwrap();
    let office = tauri::async_runtime::block_on(Office::open(not_a_db.clone()));
    let e = tauri::async_runtime::block_on(office.info()).unwrap_err();
    assert_eq!(e.code, mestno_core::ErrorCode::Storage);
    assert!(e.message.chars().any(|c| ('а'..='я').contains(&c)), "{}", e.message);
    assert!(std::fs::read_to_string(&not_a_db).unwrap().starts_with("это не база"), "the file is left alone");
}
