//! The import wizard: a list of people checked, refused, imported and merged; a registry's new villages.

use serde_json::{Value, json};

use super::{Window, person};

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
