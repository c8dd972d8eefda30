//! `mestno server …` and `mestno sync join` / `mestno sync server` against a real PostgreSQL
//! (scripts/pg-test.sh starts one; without it this test says so and passes, unless
//! MESTNO_PG_REQUIRED=1).

mod support;

use std::process::Command;

use support::{Office, stderr};

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{052F}').contains(&c)
}

/// A database of this test's own on the test server.
fn database() -> Option<(String, String)> {
    let Ok(url) = std::env::var("MESTNO_PG_URL") else {
        if std::env::var("MESTNO_PG_REQUIRED").is_ok_and(|v| v == "1") {
            panic!("MESTNO_PG_REQUIRED=1 but MESTNO_PG_URL is not set: run scripts/pg-test.sh");
        }
        eprintln!("SKIPPED: no PostgreSQL (MESTNO_PG_URL); run scripts/pg-test.sh");
        return None;
    };
    let db = format!("mestno_cli_{}", std::process::id());
    let psql = |sql: &str| {
        let dir = std::env::var("MESTNO_PG_DIR").unwrap();
        let port = url.rsplit(':').next().unwrap().split('/').next().unwrap().to_owned();
        let psql = std::env::var("MESTNO_PG_PSQL").unwrap_or_else(|_| "psql".into());
        let out = Command::new(psql)
            .args(["-h", &dir, "-p", &port, "-U", "postgres", "-d", "postgres", "-c", sql])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    psql(&format!("DROP DATABASE IF EXISTS {db}"));
    psql(&format!("CREATE DATABASE {db}"));
    Some((url.replacen("/postgres?", &format!("/{db}?"), 1), std::env::var("MESTNO_PG_CA").unwrap()))
}

#[test]
fn a_server_its_offices_and_a_sync_from_the_command_line_in_both_languages() {
    let Some((url, ca)) = database() else { return };
    let district = Office::new();
    district.ok(&["init", "--office", "Проектный офис района"]);
    let top = district.add("territory", r#"{"parent_id": null, "kind": "district", "name": "Абанский район"}"#);
    let top_id = String::from_utf8(top.stdout).unwrap().trim().to_owned();
    let child = format!(r#"{{"parent_id": "{top_id}", "kind": "locality", "name": "с. Берёзовка"}}"#);
    let village_id = String::from_utf8(district.add("territory", &child).stdout).unwrap().trim().to_owned();
    let admin = |lang: &str, args: &[&str]| {
        let mut cmd = district.cmd();
        cmd.env("MESTNO_SERVER_URL", &url).args(["--lang", lang, "server"]).args(args);
        cmd.output().unwrap()
    };
    let ready = admin("ru", &["init", "--ca", &ca]);
    assert!(ready.status.success(), "{}", stderr(&ready));
    assert!(String::from_utf8_lossy(&ready.stdout).contains("Сервер готов"));
    let d_file = district.path("district.mestno-server");
    let v_file = district.path("village.mestno-server");
    let added =
        admin("en", &["add-office", "--territory", &top_id, "--name", "District", "-o", d_file.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&added.stdout).to_string();
    assert!(added.status.success() && said.contains("Office added") && !said.chars().any(is_cyrillic), "{said}");
    let added =
        admin("ru", &["add-office", "--territory", &village_id, "--name", "Село", "-o", v_file.to_str().unwrap()]);
    assert!(added.status.success(), "{}", stderr(&added));
    let listed = admin("ru", &["list-offices", "--json"]);
    let offices: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(offices.as_array().unwrap().len(), 2);
    let bad = admin("en", &["add-office", "--territory", "nope", "--name", "X", "-o", "x"]);
    assert!(!bad.status.success() && stderr(&bad).contains("is not a territory id"), "{}", stderr(&bad));

    // The district joins and syncs; the village joins empty and receives the tree.
    let joined = district.ok(&["--lang", "en", "sync", "join", d_file.to_str().unwrap()]);
    assert!(joined.contains("joined the server") && !joined.chars().any(is_cyrillic), "{joined}");
    let synced = district.ok(&["--lang", "en", "sync", "server"]);
    assert!(synced.contains("changes sent: 2") && !synced.chars().any(is_cyrillic), "{synced}");
    let village = Office::new();
    village.ok(&["init", "--office", "Администрация с. Берёзовка"]);
    let not_joined = village.run(&["--lang", "en", "sync", "server"]);
    assert!(!not_joined.status.success() && stderr(&not_joined).contains("has not joined a server"));
    village.ok(&["sync", "join", v_file.to_str().unwrap()]);
    let report = village.json(&["sync", "server", "--json"]);
    assert_eq!(report["pulled"], 2, "{report}");
    assert_eq!(village.json(&["list", "territories", "--json"]).as_array().unwrap().len(), 2);

    // Revoked: refused with a message in the language asked for.
    let login = offices[1]["login"].as_str().unwrap().to_owned();
    assert!(admin("ru", &["revoke-office", &login]).status.success());
    let refused = village.run(&["--lang", "en", "sync", "server"]);
    assert!(!refused.status.success() && stderr(&refused).contains("was revoked"), "{}", stderr(&refused));
    let refused = village.run(&["sync", "server"]);
    assert!(stderr(&refused).contains("отозван"), "{}", stderr(&refused));
}
