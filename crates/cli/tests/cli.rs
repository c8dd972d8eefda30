//! The `mestno` command end to end: a real binary over a real database file.

use std::io::{BufRead, BufReader, Lines, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStderr, Command, Output, Stdio};

/// The variable the office's password is passed in, and the password.
const PASSWORD_VAR: &str = "MESTNO_TEST_PASSPHRASE";
const PASSWORD: &str = "пароль проектного офиса";

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

    /// `mestno` on this office, its database protected by a password (the tests have no OS
    /// credential store; `scripts/keyring-test.sh` tries a real one).
    fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_mestno"));
        c.env("MESTNO_DB", self.db()).env("MESTNO_USER", "тест");
        c.env(PASSWORD_VAR, PASSWORD).args(["--passphrase-env", PASSWORD_VAR]);
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
        "people_reached",
        "people_reached_share",
        "beneficiaries",
    ] {
        assert!(stats.get(key).is_some(), "stats JSON has «{key}»");
    }
    assert!(stats["initiatives"].as_i64().unwrap() > 0);
    assert!(stats["unique_people"].as_i64().unwrap() <= stats["participants"].as_i64().unwrap());
    let reached = stats["people_reached"].as_i64().unwrap();
    assert!(
        stats["unique_people"].as_i64().unwrap() < reached && reached <= stats["participants"].as_i64().unwrap(),
        "the demo's events have anonymous participants: people reached lie between unique people and participants"
    );
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
        .env(PASSWORD_VAR, PASSWORD)
        .args(["--passphrase-env", PASSWORD_VAR, "--db", backup.to_str().unwrap(), "stats", "--json"])
        .output()
        .unwrap();
    let copy: serde_json::Value = serde_json::from_slice(&copy.stdout).unwrap();
    assert_eq!(copy, stats, "the backup shows the same figures");

    let again = o.run(&["demo", "--scale", "small"]);
    assert!(!again.status.success(), "demo data only fills an empty office");
    assert!(stderr(&again).contains("уже содержит данные"), "{}", stderr(&again));
}

#[test]
fn stats_give_unique_people_and_people_reached_with_their_shares() {
    let o = Office::new();
    o.ok(&["init"]);
    let out = o.add(
        "territory",
        r#"{"kind": "locality", "name": "с. Берёзовка", "population": [{"year": 2025, "population": 1000}]}"#,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let place = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let person = |name: &str| {
        let out =
            o.add("contact", &format!(r#"{{"kind": "person", "last_name": "{name}", "territory_id": "{place}"}}"#));
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let (anna, boris) = (person("Семёнова"), person("Борисов"));
    for (at, headcount, named) in
        [("2025-02-10T18:00:00", 120, vec![&anna, &boris]), ("2025-05-10T10:00:00", 35, vec![&anna])]
    {
        let attendees: Vec<String> = named.iter().map(|id| format!(r#"{{"contact_id": "{id}"}}"#)).collect();
        let event = format!(
            r#"{{"kind": "citizens_gathering", "title": "Сход", "starts_at": "{at}", "territory_id": "{place}",
                "headcount": {headcount}, "attendees": [{}]}}"#,
            attendees.join(", ")
        );
        let out = o.add("event", &event);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let stats = o.json(&["stats", "--json"]);
    let figures = ["participants", "unique_people", "people_reached", "population"].map(|k| stats[k].as_i64().unwrap());
    assert_eq!(figures, [155, 2, 2 + 118 + 34, 1000], "Анна at both events is one person; 152 took part unnamed");
    assert_eq!(stats["engagement_share"], 0.002, "2 of 1000 named");
    assert_eq!(stats["people_reached_share"], 0.154, "154 of 1000 reached");

    let human = o.ok(&["stats"]);
    assert!(human.contains("Охвачено людей (поимённые по разу, анонимные — на каждом мероприятии): 154"), "{human}");
    assert!(human.contains("Доля охваченного населения (охвачено ÷ население): 15,40"), "{human}");
    let english = o.ok(&["--lang", "en", "stats"]);
    assert!(english.contains("People reached (the named once, the anonymous at each event): 154"), "{english}");
    assert!(english.contains("Unique people (different, named): 2"), "{english}");
}

#[test]
fn a_demo_killed_midway_leaves_the_database_as_it_was() {
    let o = Office::new();
    o.ok(&["init"]);
    let mut child = o.demo_in_background();
    // The line comes once the first events are written into the open transaction.
    let _stderr = wait_for_stage(&mut child, "мероприятия");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(o.journal().exists(), "killed inside the transaction: a hot journal is left to roll back");
    o.assert_untouched();
}

#[cfg(unix)]
#[test]
fn a_demo_killed_while_it_writes_the_file_leaves_the_database_as_it_was() {
    use std::os::unix::fs::MetadataExt;
    // At the commit SQLite sets the file to its new size (about 40 MB) and then writes the
    // pages in: watch the disk space the file takes and pull the plug half-way. Should the
    // commit slip through between two looks, the next attempt catches it.
    let taken = |o: &Office| std::fs::metadata(o.db()).map_or(0, |m| m.blocks() * 512);
    for _ in 0..5 {
        let o = Office::new();
        o.ok(&["init"]);
        let empty = taken(&o);
        let mut child = o.demo_in_background();
        let _stderr = wait_for_stage(&mut child, "сохранение");
        let mut caught = false;
        while child.try_wait().unwrap().is_none() {
            if taken(&o) > empty + 16_000_000 && o.journal().exists() {
                child.kill().unwrap();
                caught = true;
                break;
            }
        }
        child.wait().unwrap();
        if !caught {
            continue;
        }
        let written = taken(&o);
        assert!(written > empty && written < 38_000_000, "killed with the file half-written: {written} bytes");
        o.assert_untouched();
        assert!(!o.journal().exists(), "the journal was rolled back and removed");
        return;
    }
    panic!("the commit never was caught half-way in five attempts");
}

#[test]
fn a_demo_killed_while_another_program_has_the_office_open_leaves_it_as_it_was() {
    let o = Office::new();
    o.ok(&["init"]);
    // Another program holds the file open, so the demo cannot take it for itself and writes
    // through the write-ahead log, as every other write does: its commit writes some 40 MB into
    // the log, the commit mark last. Pull the plug a fifth of the way.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let clock = std::sync::Arc::new(mestno_core::SystemClock);
    let other = rt.block_on(async {
        let password = mestno_core::vault::Unlock::Passphrase(mestno_core::Sensitive::new(PASSWORD.into()));
        let key = mestno_core::vault::unlock(&o.db(), &password).await.unwrap().key;
        mestno_core::Store::open_with(&o.db(), mestno_core::Access::Key(key), clock, "другая программа").await
    });
    let other = other.unwrap();
    let wal = o.dir.path().join("office.sqlite-wal");
    let mut child = o.demo_in_background();
    let _stderr = wait_for_stage(&mut child, "сохранение");
    while child.try_wait().unwrap().is_none() {
        if std::fs::metadata(&wal).map_or(0, |m| m.len()) > 8_000_000 {
            child.kill().unwrap();
            break;
        }
    }
    child.wait().unwrap();
    assert!(!o.journal().exists(), "the demo went through the write-ahead log");
    assert!(std::fs::metadata(&wal).unwrap().len() > 8_000_000, "killed with the commit half-written to the log");
    assert!(rt.block_on(other.is_empty()).unwrap(), "the other program sees the office as it was");
    o.assert_untouched();
    rt.block_on(other.close());
}

impl Office {
    fn journal(&self) -> PathBuf {
        self.dir.path().join("office.sqlite-journal")
    }

    /// `mestno demo --scale medium`, its stage lines on a pipe.
    fn demo_in_background(&self) -> Child {
        self.cmd().args(["demo", "--scale", "medium"]).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap()
    }

    /// The file is consistent and holds no demo data, as after `mestno init`.
    fn assert_untouched(&self) {
        assert!(self.ok(&["check"]).contains("Проверка пройдена"), "the file is consistent after the kill");
        let stats = self.json(&["stats", "--json"]);
        assert_eq!(stats["initiatives"], 0, "all or nothing: no half-made demo");
        assert_eq!(self.json(&["list", "contacts", "--json"])["total"], 0);
        let again = self.run(&["demo", "--scale", "small"]);
        assert!(again.status.success(), "the office takes a demo again: {}", stderr(&again));
    }
}

/// Reads the demo's stage lines until `stage` begins; fails if the demo ends first. The rest of
/// its stderr is returned, to be kept open while the demo runs.
fn wait_for_stage(child: &mut Child, stage: &str) -> Lines<BufReader<ChildStderr>> {
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        if line.unwrap().contains(stage) {
            return lines;
        }
    }
    panic!("the demo stopped before «{stage}»");
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
