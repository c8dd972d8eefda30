//! The `mestno` command end to end: a real binary over a real database file.

mod kill;
mod privacy;
#[path = "../support/mod.rs"]
mod support;

use std::process::Command;

use support::{Office, PASSWORD, PASSWORD_VAR, stderr};

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

/// `mestno list contacts | head`: a reader that stops reading ends the listing quietly — no
/// panic, no error — and a command whose output cannot be written (a full disk) fails saying so.
#[test]
fn output_into_a_closed_pipe_ends_quietly_and_into_a_full_disk_fails() {
    let o = Office::new();
    o.ok(&["demo", "--scale", "small", "--seed", "3"]);
    // The reading end is closed before the command starts: its first line meets a broken pipe.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = o.cmd().args(["list", "contacts"]).stdout(writer).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "nothing said about the reader that went away");

    // The work is still done: an import whose summary nobody reads still imports.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let file = o.path("контакты.csv");
    std::fs::write(&file, "Фамилия;Имя;Телефон\nСеменова;Анна;+7 913 555-12-34\n").unwrap();
    let before = o.json(&["list", "contacts", "--json"])["total"].as_i64().unwrap();
    let out = o.cmd().args(["import", "contacts", file.to_str().unwrap()]).stdout(writer).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(o.json(&["list", "contacts", "--json"])["total"].as_i64().unwrap(), before + 1);

    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = o.cmd().args(["list", "contacts"]).stdout(full).output().unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("не удалось вывести результат"), "{}", stderr(&out));
}

/// A file that is not there, or a folder that is not, is said so in Russian: not «No such file or
/// directory (os error 2)» nor «entity not found».
#[test]
fn a_missing_file_or_folder_is_said_so_in_russian() {
    let o = Office::new();
    o.ok(&["init"]);
    let missing = o.path("нет-такого.xlsx");
    let gone = o.path("нет-такой-папки/реестр.xlsx");
    let out = o.run(&["backup", o.path("нет-такой-папки/копия.sqlite").to_str().unwrap()]);
    assert!(stderr(&out).contains("папки") && stderr(&out).contains("для копии нет"), "{}", stderr(&out));
    for args in [
        vec!["import", "contacts", missing.to_str().unwrap()],
        vec!["restore", missing.to_str().unwrap()],
        vec!["report", "registry", "-o", gone.to_str().unwrap()],
    ] {
        let out = o.run(&args);
        assert!(!out.status.success(), "{args:?}");
        let said = stderr(&out);
        assert!(said.contains("нет такого файла или папки"), "{args:?}: {said}");
        assert!(!said.contains("os error") && !said.contains("entity not found"), "{args:?}: {said}");
    }
}

/// A date is taken as people write it, 31.12.2025, or as ISO does; a wrong one is refused in
/// Russian, as is a number that is not one.
#[test]
fn dates_are_taken_as_people_write_them_and_wrong_values_are_refused_in_russian() {
    let o = Office::new();
    o.ok(&["demo", "--scale", "small", "--seed", "3"]);
    let list = o.json(&["list", "initiatives", "--json", "--limit", "100"]);
    let idea = list["items"].as_array().unwrap().iter().find(|i| i["stage"] == "idea").expect("an idea")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let since = o.json(&["show", "initiative", &idea])["stage_on"].as_str().unwrap().to_owned();
    let (y, m, d) = (&since[0..4], &since[5..7], &since[8..10]);
    o.ok(&["stage", &idea, "discussion", "--on", &format!("{d}.{m}.{y}")]);
    let now = o.json(&["show", "initiative", &idea]);
    assert_eq!((now["stage"].as_str(), now["stage_on"].as_str()), (Some("discussion"), Some(since.as_str())));

    let out = o.run(&["stage", &idea, "selected", "--on", "32.12.2025"]);
    assert!(stderr(&out).contains("нужна дата: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД"), "{}", stderr(&out));
    let out = o.run(&["list", "contacts", "--limit", "много"]);
    assert!(stderr(&out).contains("нужно целое число"), "{}", stderr(&out));
}
