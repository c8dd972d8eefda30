//! The `mestno` command end to end: a real binary over a real database file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Office {
    dir: tempfile::TempDir,
}

impl Office {
    fn new() -> Self {
        Office { dir: tempfile::tempdir().unwrap() }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("office.sqlite")
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_mestno"));
        c.env("MESTNO_DB", self.db()).env("MESTNO_USER", "тест");
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "mestno {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn add(&self, what: &str, json: &str) -> Output {
        let mut child = self
            .cmd()
            .args(["add", what])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(json.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn without_a_database_every_command_says_how_to_make_one() {
    let o = Office::new();
    let out = o.run(&["stats"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("mestno init"), "{}", stderr(&out));
    assert!(!o.db().exists(), "nothing was created behind the user's back");
}

#[test]
fn an_initiative_whose_budget_does_not_add_up_is_refused_in_russian_and_nothing_is_stored() {
    let o = Office::new();
    o.ok(&["init", "--office", "Абанский проектный офис"]);
    let out = o.add(
        "territory",
        r#"{"kind": "locality", "name": "с. Берёзовка", "population": [{"year": 2025, "population": 1180}]}"#,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let territory = String::from_utf8(out.stdout).unwrap().trim().to_string();

    let bad = format!(
        r#"{{"title": "Ремонт водопровода", "object_type": "water_supply", "territory_id": "{territory}", "year": 2025,
            "initiator": {{"kind": "village_elder", "name": "Староста"}}, "total_cost": 100000000,
            "budget": [{{"source": "regional", "planned": 90000000}}, {{"source": "residents", "planned": 5000000}}]}}"#
    );
    let out = o.add("initiative", &bad);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("ошибка") && err.contains("budget") && err.contains("не равна общей стоимости"), "{err}");
    assert_eq!(o.json(&["list", "initiatives", "--json"])["total"], 0);

    let out = o.cmd().args(["--lang", "en", "add", "initiative", "--file", "/nonexistent.json"]).output().unwrap();
    assert!(!out.status.success());

    let good = bad.replace("5000000", "10000000");
    let out = o.add("initiative", &good);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(o.json(&["list", "initiatives", "--json"])["total"], 1);
    assert_eq!(o.json(&["stats", "--json"])["funds_kopecks"]["residents"], 10_000_000);
}

#[test]
fn broken_json_is_reported_with_its_line_and_nothing_is_stored() {
    let o = Office::new();
    o.ok(&["init"]);
    let out = o.add("contact", "{\"kind\": \"person\",\n \"last_name\": }");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("неверный JSON (строка 2"), "{}", stderr(&out));
    assert_eq!(o.json(&["list", "contacts", "--json"])["total"], 0);
}

#[test]
fn demo_data_gives_the_dashboard_search_check_and_backup_something_real() {
    let o = Office::new();
    let out = o.ok(&["demo", "--scale", "small", "--seed", "3"]);
    assert!(out.contains("Демо-данные готовы"), "{out}");

    let stats = o.json(&["stats", "--json"]);
    for key in [
        "initiatives",
        "initiatives_by_stage",
        "funds_kopecks",
        "funds_total_kopecks",
        "events",
        "events_by_type",
        "participants",
        "unique_people",
        "population",
        "engagement_share",
        "beneficiaries",
    ] {
        assert!(stats.get(key).is_some(), "stats JSON has «{key}»");
    }
    assert!(stats["initiatives"].as_i64().unwrap() > 0);
    assert!(stats["unique_people"].as_i64().unwrap() <= stats["participants"].as_i64().unwrap());
    let by_source: i64 = ["federal", "regional", "municipal", "residents", "business", "in_kind"]
        .iter()
        .map(|k| stats["funds_kopecks"][k].as_i64().unwrap())
        .sum();
    assert_eq!(by_source, stats["funds_total_kopecks"].as_i64().unwrap(), "sources add up to the total");

    let ppmi = o.json(&["stats", "--program", "ппми", "--json"]);
    assert!(ppmi["initiatives"].as_i64().unwrap() < stats["initiatives"].as_i64().unwrap());

    let human = o.ok(&["stats", "--year", "2024"]);
    assert!(human.contains("Проектов:") && human.contains("Доля вовлечённого населения"), "{human}");

    let hits = o.json(&["search", "ремонт", "--json"]);
    assert!(!hits.as_array().unwrap().is_empty(), "the demo has repairs to find");

    assert!(o.ok(&["check"]).contains("Проверка пройдена"));
    let backup = o.dir.path().join("копия.sqlite");
    o.ok(&["backup", backup.to_str().unwrap()]);
    let copy = Command::new(env!("CARGO_BIN_EXE_mestno"))
        .args(["--db", backup.to_str().unwrap(), "stats", "--json"])
        .output()
        .unwrap();
    let copy: serde_json::Value = serde_json::from_slice(&copy.stdout).unwrap();
    assert_eq!(copy, stats, "the backup shows the same figures");

    let again = o.run(&["demo", "--scale", "small"]);
    assert!(!again.status.success(), "demo data only fills an empty office");
    assert!(stderr(&again).contains("уже содержит данные"), "{}", stderr(&again));
}

#[test]
fn a_demo_killed_midway_leaves_the_database_as_it_was() {
    let o = Office::new();
    o.ok(&["init"]);
    let mut child =
        o.cmd().args(["demo", "--scale", "medium"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    // Let it write for a while, then pull the plug.
    wait_for_wal(&o.db(), std::time::Duration::from_secs(20));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(o.ok(&["check"]).contains("Проверка пройдена"), "the file is consistent after the kill");
    let stats = o.json(&["stats", "--json"]);
    assert_eq!(stats["initiatives"], 0, "all or nothing: no half-made demo");
    assert_eq!(o.json(&["list", "contacts", "--json"])["total"], 0);
}

/// Waits until the demo has written a good amount to the write-ahead log.
fn wait_for_wal(db: &Path, limit: std::time::Duration) {
    let wal = db.with_file_name("office.sqlite-wal");
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if std::fs::metadata(&wal).map(|m| m.len() > 2_000_000).unwrap_or(false) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn search_finds_a_person_by_name_with_yo_or_ye() {
    let o = Office::new();
    o.ok(&["init"]);
    let out = o.add(
        "contact",
        r#"{"kind": "person", "last_name": "Семёнов", "first_name": "Фёдор", "phones": ["8 913 000-11-22"]}"#,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let hits = o.json(&["search", "семенов", "--json"]);
    assert_eq!(hits[0]["title"], "Семёнов Фёдор");
    let hits = o.json(&["search", "+79130001122", "--json"]);
    assert_eq!(hits[0]["title"], "Семёнов Фёдор");
    let human = o.ok(&["search", "нет такого"]);
    assert!(human.contains("Ничего не найдено"));
}
