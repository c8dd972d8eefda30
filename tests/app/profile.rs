//! The office's profile, edited in the window's settings: what the act of destruction and the
//! data subject's records print as the operator of personal data.

use serde_json::json;

use crate::ipc::{Window, first_sheet_text, person};

fn profile() -> serde_json::Value {
    json!({"name": "Администрация Абанского района", "address": "663740, п. Абан, ул. Пионерская, 4",
           "responsible_name": "Кузнецова Е. А.", "responsible_position": "заместитель главы района",
           "staff": ["Кузнецова Е. А.", "Сидоров И. П."]})
}

#[test]
fn the_profile_saved_in_the_window_is_what_the_act_and_the_export_print() {
    let w = Window::open();
    let (_, village) = w.set_up();
    let started = w.ok("office_profile", json!({}));
    assert_eq!(started["name"], "Проектный офис Абанского района", "the name the office was started with");
    assert_eq!(started["address"], "", "no address yet");

    let nameless = w.err(
        "save_office_profile",
        json!({"profile": {"name": " ", "address": "где-то", "responsible_name": "", "responsible_position": ""}}),
    );
    assert_eq!(nameless["code"], "invalid");
    assert_eq!(nameless["fields"][0]["field"], "name", "{nameless}");
    assert_eq!(w.ok("office_profile", json!({})), started, "a refused profile changes nothing");

    let saved = w.ok("save_office_profile", json!({"profile": profile()}));
    assert_eq!(saved, profile());
    assert_eq!(w.ok("office_profile", json!({})), profile(), "kept");
    assert_eq!(
        w.ok("app_info", json!({}))["office_name"],
        "Администрация Абанского района",
        "the window's title follows"
    );

    let anna = w.ok(
        "save_contact",
        json!({"id": null, "rev": null, "input": person("Семёнова", "Анна", "+7 913 555-12-34", &village)}),
    );
    let export = w.db.with_file_name("сведения.xlsx");
    w.ok("export_person", json!({"id": anna["id"], "path": export}));
    let text = first_sheet_text(&export);
    assert!(
        text.contains(
            "Оператор персональных данных: Администрация Абанского района, 663740, п. Абан, ул. Пионерская, 4"
        ),
        "the export names the operator and its address: {text}"
    );

    let act = w.db.with_file_name("акт.xlsx");
    w.ok(
        "erase_person",
        json!({"id": anna["id"], "act": act,
        "request": {"request_number": "ПД-7/2025", "requested_on": "2025-06-10", "reason": "заявление субъекта",
                    "basis": "subject_request"}}),
    );
    let text = first_sheet_text(&act);
    assert!(text.contains("Оператор персональных данных|Администрация Абанского района"), "{text}");
    assert!(text.contains("Адрес оператора|663740, п. Абан, ул. Пионерская, 4"), "{text}");
    assert!(
        text.contains("Ответственный за организацию обработки персональных данных")
            && text.contains("заместитель главы района|Кузнецова Е. А."),
        "the one responsible signs on the line with their position and name: {text}"
    );
}
