//! The window's commands, called as the window calls them: JSON through Tauri's IPC (on its mock
//! runtime), into a real office database in a temporary folder.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::TimeZone;
use mestno_app::Office;
use mestno_core::vault::{Keyring, Unlock};
use mestno_core::{FixedClock, Sensitive, SystemClock};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// The office's database password: the tests have no OS credential store (the core's
/// `keyring_secret_service` test tries a real one).
fn password() -> Unlock {
    Unlock::Passphrase(Sensitive::new("пароль проектного офиса".into()))
}

/// Messages follow the language the person chose, which is one per process: the tests that
/// talk to an office take turns.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The app with its office and its main window, on a fresh database.
pub(crate) struct Window {
    webview: WebviewWindow<MockRuntime>,
    _app: App<MockRuntime>,
    pub(crate) db: PathBuf,
    _dir: tempfile::TempDir,
    _turn: MutexGuard<'static, ()>,
}

impl Window {
    pub(crate) fn open() -> Window {
        Window::open_with(password())
    }

    /// The app on a fresh database, its key got as `unlock` says.
    fn open_with(unlock: Unlock) -> Window {
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        mestno_app::error::set_ui_lang(mestno_core::Lang::Ru);
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("office.sqlite");
        let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2025, 6, 16, 9, 0, 0).unwrap()));
        let office =
            tauri::async_runtime::block_on(Office::open_with(db.clone(), clock, "Петрова А. В.".into(), unlock));
        let app = mestno_app::with_commands(mock_builder())
            .manage(office)
            .build(mestno_app::context())
            .expect("the app builds");
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
        Window { webview, _app: app, db, _dir: dir, _turn: turn }
    }

    /// Calls `cmd` with `args`; the reply, or the error the window would receive.
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            // The page the window shows: the app's own UI, which the grants are for.
            url: self.webview.url().expect("the window's URL"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.webview, request).map(|body| body.deserialize::<Value>().unwrap())
    }

    pub(crate) fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    pub(crate) fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} should have failed, replied {v}"),
            Err(e) => e,
        }
    }

    /// A started office: «Абанский район» with one village.
    pub(crate) fn set_up(&self) -> (String, String) {
        let info = self.ok(
            "setup_office",
            json!({"input": {"office_name": "Проектный офис Абанского района",
                             "territory": {"kind": "district", "name": "Абанский район",
                                           "population": [{"year": 2025, "population": 20000}]}}}),
        );
        assert_eq!(info["office_name"], "Проектный офис Абанского района");
        let district = self.ok("territories", json!({}))[0]["id"].as_str().unwrap().to_owned();
        let village = self.ok(
            "save_territory",
            json!({"id": null, "rev": null,
                   "input": {"parent_id": district, "kind": "locality", "name": "с. Берёзовка",
                             "population": [{"year": 2025, "population": 1200}]}}),
        );
        (district, village["id"].as_str().unwrap().to_owned())
    }

    fn program(&self) -> String {
        let program = self.ok(
            "save_program",
            json!({"id": null, "rev": null, "input": {
                "code": "ППМИ-2025", "name": "Поддержка местных инициатив", "kind": "ppmi", "description": "",
                "rules": {"min_residents_share_bp": 300, "min_business_share_bp": 0, "min_municipal_share_bp": 500,
                          "max_subsidy_share_bp": null, "max_subsidy_kopecks": null},
                "cycles": [{"year": 2025, "applications_open": "2025-01-15", "applications_close": "2025-03-01",
                            "fund_kopecks": 50_000_000_000i64}]}}),
        );
        program["id"].as_str().unwrap().to_owned()
    }
}

/// A well-formed initiative: 1 500 000 ₽ from the region, 300 000 ₽ from the district and
/// 200 000 ₽ from the residents.
fn initiative(village: &str, program: &str, title: &str) -> Value {
    json!({
        "title": title, "description": "Замена кровли и окон", "object_type": "culture",
        "territory_id": village, "program_id": program, "year": 2025,
        "initiator": {"kind": "initiative_group", "name": "Жители с. Берёзовка", "contact_id": null},
        "total_cost": 200_000_000,
        "budget": [
            {"source": "regional", "planned": 150_000_000, "actual": 0, "note": ""},
            {"source": "municipal", "planned": 30_000_000, "actual": 0, "note": ""},
            {"source": "residents", "planned": 20_000_000, "actual": 0, "note": ""}
        ],
        "beneficiaries": 1200, "supporters": 340, "votes": 0,
        "implementation": {"contractor": "", "contract_sum": null, "contract_date": null,
                           "start_date": null, "end_date": null, "percent_done": 0},
        "results": ""
    })
}

pub(crate) fn person(last: &str, first: &str, phone: &str, village: &str) -> Value {
    json!({"kind": "person", "last_name": last, "first_name": first, "middle_name": "", "org_name": "",
           "position": "", "territory_id": village, "address": "", "notes": "", "roles": ["resident"],
           "phones": [phone], "emails": [], "tags": []})
}

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

#[test]
fn the_import_wizard_checks_refuses_bad_rows_imports_and_remembers_the_mapping() {
    let w = Window::open();
    w.set_up();
    let file = w.db.with_file_name("старосты.csv");
    std::fs::write(
        &file,
        "Список старост на 01.03.2025\n\
         ФИО;Телефон;Населённый пункт;Примечание\n\
         Семёнова Анна Петровна;8 (913) 555-12-34;с. Берёзовка;звонить вечером\n\
         Петров Пётр Ильич;+7 913 555 12 35;с. Берёзовка;\n\
         Сидоров Иван;2-12-34;с. Берёзовка;\n",
    )
    .unwrap();

    let opened = w.ok("import_open", json!({"path": file, "kind": "contacts"}));
    assert_eq!(opened["saved"], false, "no import of contacts yet");
    assert_eq!(opened["workbook"]["sheets"][0]["header_row"], 2, "the title line is not the header");
    let mut mapping = opened["mapping"].clone();
    let fields: Vec<&Value> = mapping["columns"].as_array().unwrap().iter().map(|c| &c["field"]).collect();
    assert_eq!(fields, [&json!("full_name"), &json!("phone"), &json!("territory"), &json!("notes")]);
    // The person chooses to leave the notes out.
    mapping["columns"][3]["field"] = Value::Null;

    let check = w.ok("import_check", json!({"mapping": mapping}));
    assert_eq!((check["ready"].as_u64(), check["bad_rows"].as_u64()), (Some(2), Some(1)), "{check}");
    let problem = &check["problems"][0];
    assert_eq!((problem["row"].as_u64(), problem["column"].as_str()), (Some(5), Some("B")), "{problem}");
    assert!(problem["message"]["ru"].as_str().unwrap().contains("«2-12-34» не похоже на российский номер"));
    let contacts = |w: &Window| w.ok("list_contacts", json!({"query": {}}))["total"].as_u64().unwrap();
    assert_eq!(contacts(&w), 0, "a check writes nothing");

    let report = w.db.with_file_name("ошибки.xlsx");
    w.ok("import_problems", json!({"path": report}));
    assert_eq!(&std::fs::read(&report).unwrap()[..2], b"PK", "the problems as an .xlsx");

    let refused = w.err("import_commit", json!({"skipBad": false}));
    assert_eq!(refused["code"], "invalid");
    assert!(refused["message"].as_str().unwrap().contains("ничего не загружено"), "{refused}");
    assert_eq!(contacts(&w), 0, "all or nothing: nothing");

    let done = w.ok("import_commit", json!({"skipBad": true}));
    assert_eq!((done["created"].as_u64(), done["bad_rows_skipped"].as_u64()), (Some(2), Some(1)), "{done}");
    assert_eq!(contacts(&w), 2);
    let hits = w.ok("search", json!({"text": "семенова", "limit": 10}));
    assert_eq!(hits.as_array().unwrap().len(), 1, "imported contacts are found: {hits}");
    assert_eq!(w.err("import_commit", json!({"skipBad": true}))["code"], "refused", "the wizard closed");

    // Next time the same list opens with the person's choices, and the stored people are matched.
    let again = w.ok("import_open", json!({"path": file, "kind": "contacts"}));
    assert_eq!(again["saved"], true);
    assert_eq!(again["mapping"]["columns"][3]["field"], Value::Null, "the notes stay left out");
    let check = w.ok("import_check", json!({"mapping": again["mapping"]}));
    assert_eq!((check["ready"].as_u64(), check["matched_total"].as_u64()), (Some(0), Some(2)), "{check}");
    w.ok("import_close", json!({}));

    let not_a_table = w.db.with_file_name("фото.xlsx");
    std::fs::write(&not_a_table, [0x89, b'P', b'N', b'G', 0, 1, 2, 3]).unwrap();
    let e = w.err("import_open", json!({"path": not_a_table, "kind": "contacts"}));
    assert_eq!(e["code"], "invalid");
    let message = e["message"].as_str().unwrap();
    assert!(message.contains("фото.xlsx") && message.contains("не похож на таблицу"), "{e}");
}

#[test]
fn a_likely_duplicate_from_an_import_is_merged_into_the_stored_contact() {
    let w = Window::open();
    let (district, _) = w.set_up();
    let mut stored = person("Семёнова", "Анна", "+7 913 000-00-01", &district);
    stored["middle_name"] = json!("Петровна");
    let stored = w.ok("save_contact", json!({"id": null, "rev": null, "input": stored}));
    let file = w.db.with_file_name("список.csv");
    std::fs::write(&file, "ФИО;Телефон;Населённый пункт\nСемёнова Анна Петровна;8 (913) 555-12-34;с. Берёзовка\n")
        .unwrap();

    let opened = w.ok("import_open", json!({"path": file, "kind": "contacts"}));
    let check = w.ok("import_check", json!({"mapping": opened["mapping"]}));
    assert_eq!(check["likely_duplicates_total"], 1, "the same name in another place: {check}");
    let done = w.ok("import_commit", json!({"skipBad": false}));
    let candidate = &done["to_merge"][0];
    assert_eq!(candidate["existing_id"], stored["id"], "{done}");
    assert_eq!(w.ok("list_contacts", json!({"query": {}}))["total"], 2);

    let merged = w.ok(
        "merge_contacts",
        json!({"keep": stored["id"], "rev": stored["stamp"]["rev"], "duplicate": candidate["id"]}),
    );
    assert_eq!(merged["phones"], json!(["+79130000001", "+79135551234"]), "both phones kept");
    assert_eq!(w.ok("list_contacts", json!({"query": {}}))["total"], 1, "one person again");
    let e = w.err(
        "merge_contacts",
        json!({"keep": stored["id"], "rev": merged["stamp"]["rev"], "duplicate": candidate["id"]}),
    );
    assert_eq!(e["code"], "not_found", "{e}");
}

#[test]
fn a_registry_naming_a_village_the_office_lacks_lists_it_and_creates_it_when_asked() {
    let w = Window::open();
    w.set_up();
    let file = w.db.with_file_name("реестр.csv");
    std::fs::write(
        &file,
        "Наименование проекта;Населённый пункт;Год;Общая стоимость;Число присутствовавших на собрании\n\
         Колодец на ул. Лесной;с. Берёзовка;2025;1 000 000;57\n\
         Детская площадка;д. Степановка;2025;300 000;\n\
         Освещение ул. Новой;Степановка;2025;500 000;41\n",
    )
    .unwrap();

    let opened = w.ok("import_open", json!({"path": file, "kind": "initiatives"}));
    let mut mapping = opened["mapping"].clone();
    assert_eq!(mapping["create_territories"], false, "territories are created only when the person asks");
    let check = w.ok("import_check", json!({"mapping": mapping}));
    assert_eq!(check["create_territories"], false);
    let new = check["new_territories"].as_array().unwrap();
    assert_eq!(new.len(), 1, "«д. Степановка» and «Степановка» are one village the office lacks: {check}");
    assert_eq!(
        (&new[0]["name"], &new[0]["kind"], &new[0]["parent"], &new[0]["rows"], &new[0]["first_row"]),
        (&json!("д. Степановка"), &json!("locality"), &json!("Абанский район"), &json!(2), &json!(3)),
        "the wizard lists it with its level, where it goes and the rows naming it: {check}"
    );
    assert_eq!((check["ready"].as_u64(), check["bad_rows"].as_u64()), (Some(1), Some(2)), "its rows wait: {check}");
    assert_eq!(check["updates_total"], 0);
    assert_eq!(check["conflicts_total"], 0);

    // The person ticks «create the missing territories»: the wizard checks again.
    mapping["create_territories"] = json!(true);
    let check = w.ok("import_check", json!({"mapping": mapping}));
    assert_eq!(check["create_territories"], true, "the reply says what the check was made with");
    assert_eq!(check["new_territories"].as_array().unwrap().len(), 1, "still listed, now to be created");
    assert_eq!((check["ready"].as_u64(), check["bad_rows"].as_u64()), (Some(3), Some(0)), "{check}");
    let territories = |w: &Window| w.ok("territories", json!({})).as_array().unwrap().len();
    assert_eq!(territories(&w), 2, "a check writes nothing");

    let done = w.ok("import_commit", json!({"skipBad": false}));
    assert_eq!(
        (&done["created"], &done["territories_created"], &done["meetings"], &done["updated"]),
        (&json!(3), &json!(1), &json!(2), &json!(0)),
        "three projects, the village and the two meetings that chose projects: {done}"
    );
    let tree = w.ok("territories", json!({}));
    let named = |name: &str| tree.as_array().unwrap().iter().find(|t| t["name"] == name).cloned();
    let village = named("д. Степановка").expect("the village is stored");
    assert_eq!(village["parent_id"], named("Абанский район").unwrap()["id"], "inside the district: {tree}");
    let list = w.ok("list_initiatives", json!({"query": {"territory_id": village["id"]}}));
    assert_eq!(list["total"], 2, "both rows naming it point at it: {list}");

    // The mapping is remembered for next time, but not the go-ahead to create territories.
    let again = w.ok("import_open", json!({"path": file, "kind": "initiatives"}));
    assert_eq!((&again["saved"], &again["mapping"]["create_territories"]), (&json!(true), &json!(false)));
    w.ok("import_close", json!({}));
}

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

/// Every cell of the workbook's first sheet, as calamine reads them, joined by «|».
pub(crate) fn first_sheet_text(path: &std::path::Path) -> String {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let first = book.sheet_names()[0].clone();
    let sheet = book.worksheet_range(&first).unwrap();
    sheet.rows().flatten().map(|c| c.to_string()).collect::<Vec<_>>().join("|")
}

#[test]
fn a_person_is_exported_then_erased_with_the_act_and_the_log_in_the_window() {
    let w = Window::open();
    let (_, village) = w.set_up();
    let anna = w.ok(
        "save_contact",
        json!({"id": null, "rev": null,
        "input": person("Семёнова", "Анна", "+7 913 555-12-34", &village)}),
    );
    let id = anna["id"].as_str().unwrap().to_owned();

    let export = w.db.with_file_name("сведения.xlsx");
    let rows = w.ok("export_person", json!({"id": id, "path": export}));
    assert!(rows.as_u64().unwrap() > 0, "{rows}");
    let text = first_sheet_text(&export);
    assert!(text.contains("Семёнова") && text.contains("+7 (913) 555-12-34"), "the export names her: {text}");

    let act = w.db.with_file_name("акт.xlsx");
    let bad = w.err("erase_person", json!({"id": id, "act": act,
        "request": {"request_number": " ", "requested_on": "2025-06-10", "reason": "заявление", "basis": "subject_request"}}));
    assert_eq!(bad["code"], "invalid");
    assert_eq!(bad["fields"][0]["field"], "request_number", "{bad}");
    assert!(!act.exists(), "nothing written for a request without its number");
    assert_eq!(w.ok("contact", json!({"id": id}))["last_name"], "Семёнова", "nor erased");

    let erased = w.ok(
        "erase_person",
        json!({"id": id, "act": act,
        "request": {"request_number": "ПД-7/2025", "requested_on": "2025-06-10",
                    "reason": "заявление субъекта", "basis": "subject_request"}}),
    );
    assert_eq!(erased["log"]["request_number"], "ПД-7/2025");
    assert!(!erased.to_string().contains("Семёнова"), "the reply names no one: {erased}");
    let text = first_sheet_text(&act);
    assert!(
        text.contains("АКТ № 1/2025")
            && text.contains("об уничтожении персональных данных")
            && text.contains("№ ПД-7/2025"),
        "{text}"
    );
    assert!(!text.contains("Семёнова"), "the act does not name her");

    assert_eq!(w.err("contact", json!({"id": id}))["code"], "not_found");
    assert_eq!(w.ok("search", json!({"text": "Семёнова"})), json!([]), "the search forgets her");
    let log = w.ok("erasure_log", json!({}));
    assert_eq!(log.as_array().unwrap().len(), 1);
    let again = w.db.with_file_name("акт-2.xlsx");
    w.ok("erasure_act", json!({"id": log[0]["id"], "path": again}));
    assert!(again.exists(), "an act is written again from the log");
}
