//! Records entered, listed, changed, reported, backed up and erased, all in English.

use super::{BACKUP_VAR, Office, run};

/// The ids of the records [`office_with_records`] enters.
struct Records {
    birch: String,
    program: String,
    anna: String,
    twin: String,
    bob: String,
    well: String,
    meeting: String,
}

const NO_SUCH_ID: &str = "019a3ea5-1e80-7604-9fed-783415de31d8";

/// An office with a record of each kind, entered with `mestno add` in English: two territories,
/// a program, three contacts (one a duplicate), an initiative and an event.
fn office_with_records() -> (Office, Records) {
    let o = Office::new();
    let out = o.ok(&["init", "--office", "Birch district office", "--address", "1 Pioneer Street, Birch"]);
    assert!(out.contains("Created the office database") && out.contains("encrypted, the key derived"), "{out}");
    let birch = o.add(
        "territory",
        r#"{"kind": "locality", "name": "Birch", "population": [{"year": 2025, "population": 1180}]}"#,
    );
    let program = o.add("program", r#"{"code": "PPMI", "name": "Local initiatives support", "kind": "ppmi"}"#);
    let anna = o.add(
        "contact",
        &format!(
            r#"{{"kind": "person", "last_name": "Smith", "first_name": "Anna", "phones": ["8 913 555-12-34"],
                "emails": ["anna@example.org"], "territory_id": "{birch}", "roles": ["village_elder"],
                "notes": "call in the evening"}}"#
        ),
    );
    let twin = o.add(
        "contact",
        &format!(r#"{{"kind": "person", "last_name": "Smith", "first_name": "Anna", "territory_id": "{birch}"}}"#),
    );
    let bob = o.add(
        "contact",
        r#"{"kind": "person", "last_name": "Brown", "first_name": "Bob", "phones": ["+7 913 000-00-02"]}"#,
    );
    let well = o.add("initiative", &initiative(&birch, &program, &anna, 10_000_000));
    let meeting = o.add("event", &event(&birch, &anna, &well));
    (o, Records { birch, program, anna, twin, bob, well, meeting })
}

fn initiative(territory: &str, program: &str, initiator: &str, residents: i64) -> String {
    format!(
        r#"{{"title": "Well repair", "object_type": "water_supply", "territory_id": "{territory}", "program_id": "{program}",
            "year": 2025, "initiator": {{"kind": "village_elder", "contact_id": "{initiator}", "name": "Anna Smith"}},
            "total_cost": 100000000, "stage": "application", "stage_on": "2025-03-01",
            "budget": [{{"source": "regional", "planned": 90000000}}, {{"source": "residents", "planned": {residents}}}]}}"#
    )
}

fn event(territory: &str, attendee: &str, initiative: &str) -> String {
    format!(
        r#"{{"kind": "citizens_gathering", "title": "Choosing a project", "starts_at": "2025-02-10T18:00:00",
            "territory_id": "{territory}", "headcount": 40, "attendees": [{{"contact_id": "{attendee}"}}],
            "initiative_ids": ["{initiative}"]}}"#
    )
}

#[test]
fn entering_listing_and_changing_records_speaks_english() {
    let none = Office::new();
    none.fails(&["stats"], "mestno init");
    none.fails(&["--db", "/dev/null/office/office.sqlite", "init"], "could not make the folder");
    let (o, r) = office_with_records();
    assert!(o.ok(&["init"]).contains("already exists"));
    let mut wrong = o.cmd_without_password();
    wrong.env("OTHER_PASSWORD", "not the password").args(["--passphrase-env", "OTHER_PASSWORD"]);
    run(wrong, &["stats"], None).fails(&[], "wrong database key or password");
    let mut unset = o.cmd_without_password();
    unset.args(["--passphrase-env", "MESTNO_EN_NO_SUCH_VARIABLE"]);
    run(unset, &["stats"], None).fails(&[], "MESTNO_EN_NO_SUCH_VARIABLE is not set");

    // add: from a file too; broken and invalid input of each kind.
    let file = o.path("oak.json");
    std::fs::write(&file, r#"{"kind": "locality", "name": "Oak", "population": [{"year": 2025, "population": 300}]}"#)
        .unwrap();
    let oak = o.ok(&["add", "territory", "--file", file.to_str().unwrap()]).trim().to_owned();
    o.add_fails("territory", r#"{"kind": "locality", "name": ""}"#, "nothing was saved");
    o.add_fails("territory", "{\"kind\": \"locality\",\n \"name\": }", "invalid JSON (line 2");
    o.fails(&["add", "territory", "--file", &o.arg("missing.json")], "could not read the file");
    o.add_fails("program", r#"{"code": "", "name": "", "kind": "ppmi"}"#, "program's code");
    o.add_fails("contact", r#"{"kind": "person", "last_name": "Brown", "phones": ["2-12"]}"#, "nothing was saved");
    o.add_fails("initiative", &initiative(&r.birch, &r.program, &r.anna, 5_000_000), "budget");
    o.add_fails("event", &event(NO_SUCH_ID, &r.anna, &r.well), "unknown territory");

    // list, show, search, stats, history
    for what in ["initiatives", "contacts", "events"] {
        let out = o.ok(&["list", what]);
        assert!(out.contains("shown of"), "the list's footer: {out}");
        o.ok(&["list", what, "--json", "--territory", "Birch"]);
    }
    o.ok(&["list", "initiatives", "--program", "PPMI", "--year", "2025", "--text", "well"]);
    for what in ["territories", "programs"] {
        let out = o.ok(&["list", what, "--limit", "1"]);
        assert!(out.contains("1 shown of"), "one line and the footer: {out}");
        let all: serde_json::Value = serde_json::from_str(&o.ok(&["list", what, "--json"])).unwrap();
        assert!(all.as_array().is_some_and(|a| !a.is_empty()), "the whole list as JSON: {all}");
    }
    o.fails(&["list", "initiatives", "--territory", "Nowhere"], "no such territory: «Nowhere»");
    o.fails(&["list", "initiatives", "--program", "NOPE"], "no such program");
    for (what, id) in [
        ("territory", &oak),
        ("program", &r.program),
        ("initiative", &r.well),
        ("contact", &r.anna),
        ("event", &r.meeting),
    ] {
        o.ok(&["show", what, id]);
        o.fails(&["show", what, NO_SUCH_ID], &format!("no such {what}"));
    }
    o.fails(&["show", "initiative", "nine"], "«nine» does not look like a record's id");
    assert!(o.ok(&["search", "well"]).contains("Well repair"));
    o.ok(&["search", "smith", "--json"]);
    assert!(o.ok(&["search", "zzzz"]).contains("Nothing found."));
    let stats = o.ok(&["stats"]);
    assert!(stats.contains("Initiatives: 1") && stats.contains("Events: 1") && stats.contains("Votes"), "{stats}");
    o.ok(&["stats", "--json", "--program", "PPMI", "--year", "2025", "--territory", "Birch"]);
    o.fails(&["stats", "--program", "NOPE"], "no such program");
    o.fails(&["stats", "--territory", "Nowhere"], "no such territory");
    o.ok(&["history", &r.anna]);
    o.fails(&["history", "nine"], "does not look like a record's id");

    // stage, merge, check
    let out = o.ok(&["stage", &r.well, "selected", "--on", "2025-04-20", "--note", "minutes No 4"]);
    assert!(out.contains("Well repair: application → selected"), "the stages' English names: {out}");
    o.fails(&["stage", &r.well, "approved"], "unknown stage «approved»");
    o.fails(&["stage", &r.well, "idea"], "cannot move from");
    o.fails(&["stage", &r.well, "completed", "--on", "2999-01-01"], "nothing was saved");
    assert!(o.ok(&["merge", &r.anna, &r.twin]).contains("Smith Anna"));
    o.fails(&["merge", &r.anna, &r.twin], "no such contact");
    o.fails(&["merge", &r.anna, &r.anna], "cannot be merged with itself");
    assert!(o.ok(&["check"]).contains("Check passed: no problems."));
    o.ok(&["check", "--json"]);
}

#[test]
fn reports_backups_and_a_persons_requests_speak_english() {
    let (o, r) = office_with_records();

    // report: each kind; the filters a report does not take; a file that cannot be written.
    for what in ["registry", "funding", "engagement", "contacts"] {
        let out = o.ok(&["report", what, "-o", &o.arg(&format!("{what}.xlsx"))]);
        assert!(out.contains(&format!("Report «{what}» saved")), "{out}");
    }
    assert!(o.ok(&["report", "contacts", "-o", &o.arg("c.xlsx")]).contains("left out for want of consent"));
    o.ok(&[
        "report",
        "registry",
        "--program",
        "PPMI",
        "--year",
        "2025",
        "--territory",
        "Birch",
        "-o",
        &o.arg("r.xlsx"),
    ]);
    o.ok(&["report", "initiative", "--id", &r.well, "-o", &o.arg("card.xlsx")]);
    o.fails(&["report", "initiative", "-o", &o.arg("card.xlsx")], "an initiative's card needs the initiative");
    o.fails(
        &["report", "initiative", "--id", "nine", "-o", &o.arg("card.xlsx")],
        "does not look like an initiative's id",
    );
    o.fails(&["report", "contacts", "--year", "2025", "-o", &o.arg("c.xlsx")], "cannot be filtered by year");
    o.fails(&["report", "registry", "--program", "NOPE", "-o", &o.arg("r.xlsx")], "no such program");
    o.fails(&["report", "registry", "-o", "/dev/null/registry.xlsx"], "could not save the report");

    // backup, before the erasure below: restoring it does the erasure again.
    assert!(o.ok(&["backup", &o.arg("own-key.sqlite")]).contains("encrypted with this computer's key"));
    let portable = o.arg("portable.sqlite");
    assert!(o.ok(&["backup", &portable, "--backup-passphrase-env", BACKUP_VAR]).contains("encrypted with a password"));
    o.fails(&["backup", &portable], "already exists");
    o.fails(&["backup", &o.arg("b.sqlite"), "--backup-passphrase-env", "MESTNO_EN_NO_SUCH_VARIABLE"], "is not set");

    // person: export, erase, log, act.
    let out = o.ok(&["person", "export", &r.anna, "-o", &o.arg("records.xlsx")]);
    assert!(out.contains("The data subject's records are saved"), "{out}");
    o.fails(&["person", "export", "nine", "-o", &o.arg("records.xlsx")], "does not look like a record's id");
    assert!(o.ok(&["person", "log"]).contains("The erasure log is empty."));
    let act = o.arg("act.xlsx");
    let erase = ["person", "erase", &r.anna, "--reason", "the subject's written request", "--request", "PD-12/2025"];
    let out = o.ok(&[&erase[..], &["--requested-on", "2025-10-28", "--act", &act]].concat());
    assert!(out.contains("Act No. ") && out.contains("Request: No. PD-12/2025 of 28.10.2025"), "{out}");
    assert!(out.contains("Destroyed: surname, first name, patronymic; phone numbers"), "{out}");
    assert!(out.contains("Method: deletion from the database"), "{out}");
    o.fails(&[&erase[..], &["--act", &act]].concat(), "no such contact");
    let bob = ["person", "erase", &r.bob, "--request", "PD-13/2025", "--act", &act];
    o.fails(&[&bob[..], &["--reason", " "]].concat(), "nothing was saved");
    o.fails(&[&bob[..], &["--reason", "r", "--requested-on", "2999-01-01"]].concat(), "future");
    assert!(o.ok(&["person", "log"]).contains("Basis: the data subject's demand"));
    let log = o.ok_allowing(&["person", "log", "--json"], &kept_words());
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
    for kept in log[0]["categories"].as_array().unwrap() {
        let kept = kept.as_str().unwrap();
        let known = mestno_core::model::ERASURE_CATEGORIES.iter().any(|(ru, _)| *ru == kept);
        assert!(known, "only the act's own words are let through: {kept}");
    }
    assert_eq!(log[0]["method"], mestno_core::model::ERASURE_METHOD);
    let log_id = log[0]["id"].as_str().unwrap();
    assert!(
        o.ok(&["person", "act", log_id, "-o", &o.arg("act-again.xlsx")]).contains("The act of destruction is saved")
    );
    o.fails(&["person", "act", NO_SUCH_ID, "-o", &o.arg("a.xlsx")], "the erasure log has no entry");
    o.fails(&["person", "act", "nine", "-o", &o.arg("a.xlsx")], "does not look like a record's id");

    // restore: into another office, and over this one from a backup older than the erasure.
    let elsewhere = Office::new();
    elsewhere.fails(&["restore", &portable], "the backup is protected by a password");
    let mut wrong = elsewhere.cmd();
    wrong.env(BACKUP_VAR, "not the password");
    run(wrong, &["restore", &portable, "--backup-passphrase-env", BACKUP_VAR], None)
        .fails(&[], "wrong database key or password");
    elsewhere.fails(&["restore", &o.arg("missing.sqlite"), "--backup-passphrase-env", BACKUP_VAR], "could not read");
    let out = elsewhere.ok(&["restore", &portable, "--backup-passphrase-env", BACKUP_VAR]);
    assert!(out.contains("The database was restored from"), "{out}");
    let out = o.ok(&["restore", &portable, "--backup-passphrase-env", BACKUP_VAR]);
    assert!(
        out.contains("predates the acts of destruction") && out.contains("The previous database was kept as"),
        "{out}"
    );
}

/// The act's words the erasure log keeps in Russian (its categories and method), which its JSON
/// shows as kept.
fn kept_words() -> Vec<&'static str> {
    let mut words: Vec<&str> = mestno_core::model::ERASURE_CATEGORIES.iter().map(|(ru, _)| *ru).collect();
    words.push(mestno_core::model::ERASURE_METHOD);
    // Longest first, so that a category is not cut by a shorter one inside it.
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words
}
