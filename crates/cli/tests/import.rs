//! `mestno import` end to end: the real binary over real files and a real database, including an
//! import killed while it writes.

mod support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::Office;

impl Office {
    /// An office with its two villages.
    fn with_villages() -> Self {
        let o = Office::new();
        o.ok(&["init", "--office", "Абанский проектный офис"]);
        for name in ["с. Берёзовка", "д. Ивановка"] {
            let json = format!(r#"{{"kind": "locality", "name": "{name}"}}"#);
            let out = o.add("territory", &json);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
        o
    }

    fn contacts(&self) -> i64 {
        let page: serde_json::Value =
            serde_json::from_str(&self.ok(&["list", "contacts", "--json", "--limit", "1"])).unwrap();
        page["total"].as_i64().unwrap()
    }

    fn check(&self) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["check", "--json"])).unwrap()
    }
}

const LIST: &str = "\
Список старост;;;
ФИО;Населённый пункт;Телефон;E-mail
Семёнова Анна Петровна;с. Берёзовка;8 (913) 555-12-34;anna@mail.ru
Иванов Пётр;д. Ивановка;2-12-34;
Орлова Нина;д. Ивановка;+7 913 000 00 01;
";

fn cp1251(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            'А'..='я' => (c as u32 - 'А' as u32 + 0xC0) as u8,
            'ё' => 0xB8,
            'Ё' => 0xA8,
            c if c.is_ascii() => c as u8,
            other => panic!("{other} is not in the test's code page"),
        })
        .collect()
}

#[test]
fn a_list_with_a_bad_row_is_refused_whole_then_loaded_without_it_when_asked() {
    let o = Office::with_villages();
    let file = o.path("старосты.csv");
    std::fs::write(&file, cp1251(LIST)).unwrap();
    let file = file.to_str().unwrap();

    let out = o.run(&["import", "contacts", file]);
    assert!(!out.status.success(), "a bad row stops the import");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("лист «старосты», строка 4, столбец C («Телефон»)"), "the place of the problem: {stdout}");
    assert!(stdout.contains("«2-12-34» не похоже на российский номер телефона"), "{stdout}");
    assert!(stderr.contains("ничего не загружено"), "{stderr}");
    assert_eq!(o.contacts(), 0, "all or nothing");

    let dry = o.run(&["import", "contacts", file, "--dry-run", "--skip-bad"]);
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    assert!(String::from_utf8_lossy(&dry.stdout).contains("ничего не записано"));
    assert_eq!(o.contacts(), 0, "a dry run writes nothing");

    let report = o.path("ошибки.xlsx");
    let out = o.ok(&["import", "contacts", file, "--skip-bad", "--report", report.to_str().unwrap()]);
    assert!(out.contains("Загружено: 2"), "{out}");
    assert!(report.exists(), "the report of problems is written");
    assert_eq!(o.contacts(), 2);

    let again: serde_json::Value =
        serde_json::from_str(&o.ok(&["import", "contacts", file, "--skip-bad", "--json"])).unwrap();
    assert_eq!(again["summary"]["created"], 0, "the same people are not added twice: {again}");
    assert_eq!(again["matched"].as_array().unwrap().len(), 2);
    assert_eq!(again["problems"][0]["column"], "C");

    let en = o.run(&["--lang", "en", "import", "contacts", file]);
    assert!(String::from_utf8_lossy(&en.stdout).contains("sheet «старосты», row 4, column C"));
    assert!(String::from_utf8_lossy(&en.stderr).contains("nothing was imported"));
    assert_eq!(o.check()["ok"], true);
}

#[test]
fn a_saved_mapping_is_written_and_used_next_time() {
    let o = Office::with_villages();
    let file = o.path("a.csv");
    std::fs::write(&file, "Ф.И.О.;Нас. пункт;Моб.\nОрлова Нина;д. Ивановка;89130000001\n").unwrap();
    let mapping = o.path("m.json");
    o.ok(&["import", "contacts", file.to_str().unwrap(), "--dry-run", "--save-mapping", mapping.to_str().unwrap()]);
    let saved: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&mapping).unwrap()).unwrap();
    assert_eq!(saved["kind"], "contacts");
    assert_eq!(saved["columns"][2]["field"], "phone");
    let out = o.ok(&["import", "contacts", file.to_str().unwrap(), "--mapping", mapping.to_str().unwrap()]);
    assert!(out.contains("Загружено: 1"), "{out}");
}

#[test]
fn an_import_killed_while_it_writes_leaves_the_database_as_it_was() {
    let o = Office::with_villages();
    o.ok(&["import", "contacts", write_list(&o, "first.csv", 0, 3).to_str().unwrap()]);
    let before = o.contacts();
    let check_before = o.check();
    let big = write_list(&o, "big.csv", 10, 60_000);

    let mut child = o
        .cmd()
        .args(["import", "contacts", big.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = Instant::now();
    loop {
        let line = lines.next().expect("the import ended before writing").unwrap();
        if line.contains("Записываю в базу") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "the import never started writing");
    }
    std::thread::sleep(Duration::from_millis(150));
    assert!(child.try_wait().unwrap().is_none(), "the kill must land while the import is writing");
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the import was killed");

    assert_eq!(o.contacts(), before, "not one of the 60 000 contacts is in the database");
    let check = o.check();
    assert_eq!(check["ok"], true, "the file is sound and the search index matches: {check}");
    assert_eq!(check["counts"], check_before["counts"]);
    let out = o.ok(&["import", "contacts", write_list(&o, "small.csv", 100, 5).to_str().unwrap()]);
    assert!(out.contains("Загружено: 5"), "the office works on after the kill: {out}");
    assert_eq!(o.check()["ok"], true, "the search trigger set aside during the killed import is back");
}

/// A contact list of `n` people with unique names and phones, numbered from `from`.
fn write_list(o: &Office, name: &str, from: usize, n: usize) -> PathBuf {
    let mut text = String::from("ФИО;Населённый пункт;Телефон\n");
    for i in from..from + n {
        text.push_str(&format!(
            "Житель{i} Иван;с. Берёзовка;8 913 {:03}-{:02}-{:02}\n",
            i / 10_000 % 1000,
            i / 100 % 100,
            i % 100
        ));
    }
    let path = o.path(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_likely_duplicate_is_merged_into_the_stored_contact() {
    let o = Office::with_villages();
    let stored = o.add(
        "contact",
        r#"{"kind": "person", "last_name": "Семёнова", "first_name": "Анна", "middle_name": "Петровна",
            "phones": ["+7 913 000-00-01"]}"#,
    );
    assert!(stored.status.success(), "{}", String::from_utf8_lossy(&stored.stderr));
    let stored = String::from_utf8(stored.stdout).unwrap().trim().to_owned();
    let file = o.path("список.csv");
    std::fs::write(&file, "ФИО;Телефон;Населённый пункт\nСемёнова Анна Петровна;8 (913) 555-12-34;с. Берёзовка\n")
        .unwrap();
    let out = o.ok(&["import", "contacts", file.to_str().unwrap()]);
    assert!(out.contains("Семёнова Анна Петровна"), "the likely duplicate is shown: {out}");
    assert_eq!(o.contacts(), 2);
    let list: serde_json::Value = serde_json::from_str(&o.ok(&["list", "contacts", "--json"])).unwrap();
    let imported = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .find(|id| *id != stored)
        .unwrap()
        .to_owned();

    let merged = o.ok(&["merge", &stored, &imported]);
    assert!(merged.contains("Семёнова Анна Петровна"), "{merged}");
    assert_eq!(o.contacts(), 1, "one person again");
    let shown: serde_json::Value = serde_json::from_str(&o.ok(&["show", "contact", &stored])).unwrap();
    assert_eq!(shown["phones"], serde_json::json!(["+79130000001", "+79135551234"]));
    let again = o.run(&["merge", &stored, &imported]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("не найден"), "plain words for a gone contact");
}
