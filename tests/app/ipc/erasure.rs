//! A person's records exported, then the person erased with an act and a log entry.

use serde_json::json;

use super::{Window, first_sheet_text, person};

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
