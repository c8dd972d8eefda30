//! The command table as a front end calls it: a name and JSON arguments in, JSON out, over a real
//! office database in a temporary folder.

use std::sync::{Arc, Mutex};

use chrono::TimeZone;
use mestno_core::vault::Unlock;
use mestno_core::{FixedClock, Sensitive, Store};
use mestno_office::{NAMES, Office, Progress, Shell, dispatch};
use serde_json::{Value, json};

/// A front end that keeps the progress it is told.
#[derive(Default)]
struct Watching(Mutex<Vec<Progress>>);

impl Shell for Watching {
    fn progress(&self, progress: Progress) {
        self.0.lock().unwrap().push(progress);
    }
}

async fn office(dir: &tempfile::TempDir) -> Office {
    let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2025, 6, 16, 9, 0, 0).unwrap()));
    let store = Store::open(&dir.path().join("office.sqlite"), clock, "Петрова А. В.").await.unwrap();
    Office::from_store(store).await.unwrap()
}

async fn call(office: &Office, name: &str, args: Value) -> Result<Value, Value> {
    dispatch(office, name, args, &Watching::default()).await.map_err(|e| serde_json::to_value(e).unwrap())
}

#[tokio::test]
async fn arguments_are_read_as_the_window_sends_them() {
    let dir = tempfile::tempdir().unwrap();
    let office = office(&dir).await;
    let info = call(&office, "app_info", Value::Null).await.expect("no arguments at all count as none");
    assert_eq!(info["empty"], true);

    let setup = json!({"input": {"office_name": "Проектный офис Абанского района",
                                 "territory": {"kind": "district", "name": "Абанский район"}}});
    assert_eq!(call(&office, "setup_office", setup).await.unwrap()["office_name"], "Проектный офис Абанского района");
    let village = json!({"input": {"parent_id": null, "kind": "locality", "name": "с. Берёзовка"}});
    let saved = call(&office, "save_territory", village).await.expect("an Option left out is None: a new territory");
    assert_eq!(saved["name"], "с. Берёзовка");

    let commit = call(&office, "import_commit", json!({"skip_bad": true})).await.unwrap_err();
    assert_eq!(commit["code"], "invalid", "top-level names are camelCase, as Tauri took them: {commit}");
    assert!(commit["message"].as_str().unwrap().contains("skipBad"), "{commit}");
    let bad = call(&office, "stats", json!({"filter": {"year": "прошлый"}})).await.unwrap_err();
    assert_eq!(bad["code"], "invalid", "arguments that cannot be read are refused before the core: {bad}");
    let none = call(&office, "no_such_command", json!({})).await.unwrap_err();
    assert_eq!(none["code"], "not_found");
}

#[tokio::test]
async fn the_profile_is_kept_and_a_new_initiative_starts_as_an_idea_today() {
    let dir = tempfile::tempdir().unwrap();
    let office = office(&dir).await;
    let profile = json!({"name": "Администрация Абанского района", "address": "663740, п. Абан, ул. Пионерская, 4",
                         "responsible_name": "Кузнецова Е. А.", "responsible_position": "заместитель главы района"});
    // A window that does not send the staff (an older one) keeps the profile whole, with none.
    let mut stored = profile.clone();
    stored["staff"] = json!([]);
    assert_eq!(call(&office, "save_office_profile", json!({"profile": profile})).await.unwrap(), stored);
    assert_eq!(call(&office, "office_profile", json!({})).await.unwrap(), stored);
    assert_eq!(call(&office, "app_info", json!({})).await.unwrap()["office_name"], "Администрация Абанского района");

    let territory =
        call(&office, "save_territory", json!({"input": {"kind": "locality", "name": "с. Берёзовка"}})).await.unwrap();
    let input = json!({
        "title": "Ремонт дома культуры", "description": "", "object_type": "culture",
        "territory_id": territory["id"], "program_id": null, "year": 2025,
        "initiator": {"kind": "initiative_group", "name": "Жители с. Берёзовка", "contact_id": null},
        "total_cost": 100_000, "budget": [{"source": "residents", "planned": 100_000, "actual": 0, "note": ""}],
        "beneficiaries": 0, "supporters": 0, "votes": 0,
        "implementation": {"contractor": "", "contract_sum": null, "contract_date": null,
                           "start_date": null, "end_date": null, "percent_done": 0},
        "results": ""
    });
    let saved = call(&office, "save_initiative", json!({"input": input})).await.unwrap();
    assert_eq!(saved["stage"], "idea", "the window and `mestno add` share the default");
    assert_eq!(saved["stages"][0]["on"], "2025-06-16", "today, by the office's clock: {saved}");
}

#[tokio::test]
async fn the_person_at_the_computer_is_one_of_the_staff_and_the_history_names_her() {
    let dir = tempfile::tempdir().unwrap();
    let office = office(&dir).await;
    let setup = json!({"input": {"office_name": "Проектный офис", "territory": {"kind": "district", "name": "Абанский район"}}});
    call(&office, "setup_office", setup).await.unwrap();
    let nobody = call(&office, "working_person", json!({})).await.unwrap();
    assert_eq!(nobody, json!({"name": null, "login": "Петрова А. В."}), "until someone is chosen, the login");

    let refused = call(&office, "set_working_person", json!({"name": "Сидоров И. П."})).await.unwrap_err();
    assert_eq!(refused["code"], "invalid", "{refused}");
    assert_eq!(refused["fields"][0]["field"], "name", "{refused}");

    let mut profile = call(&office, "office_profile", json!({})).await.unwrap();
    profile["staff"] = json!(["Сидоров И. П.", " Журавлёва О. И. "]);
    let saved = call(&office, "save_office_profile", json!({"profile": profile})).await.unwrap();
    assert_eq!(saved["staff"], json!(["Сидоров И. П.", "Журавлёва О. И."]));
    let chosen = call(&office, "set_working_person", json!({"name": "Журавлёва О. И."})).await.unwrap();
    assert_eq!(chosen["name"], "Журавлёва О. И.");

    let village =
        call(&office, "save_territory", json!({"input": {"kind": "locality", "name": "с. Берёзовка"}})).await.unwrap();
    let history = call(&office, "history", json!({"id": village["id"]})).await.unwrap();
    assert_eq!(history[0]["actor"], "Журавлёва О. И.", "the history names the person chosen: {history}");

    // The next start remembers her.
    office.close().await;
    let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2025, 6, 17, 9, 0, 0).unwrap()));
    let unlock = Unlock::Passphrase(Sensitive::new("пароль офиса".into()));
    let office = Office::open_with(dir.path().join("office.sqlite"), clock, "Петрова А. В.".into(), unlock).await;
    assert_eq!(call(&office, "working_person", json!({})).await.unwrap()["name"], "Журавлёва О. И.");

    // Taken off the staff, she no longer works here: the login is named again.
    profile["staff"] = json!(["Сидоров И. П."]);
    call(&office, "save_office_profile", json!({"profile": profile})).await.unwrap();
    assert_eq!(call(&office, "working_person", json!({})).await.unwrap()["name"], Value::Null);
    let renamed = json!({"input": {"kind": "locality", "name": "с. Берёзовка (Абанский район)"}, "id": village["id"],
                         "rev": village["stamp"]["rev"]});
    call(&office, "save_territory", renamed).await.unwrap();
    let history = call(&office, "history", json!({"id": village["id"]})).await.unwrap();
    assert_eq!(history[1]["actor"], "Петрова А. В.", "{history}");
}

#[tokio::test]
async fn long_work_reports_to_the_front_end() {
    let dir = tempfile::tempdir().unwrap();
    let office = office(&dir).await;
    let watching = Watching::default();
    let info = dispatch(&office, "load_demo", json!({"scale": "small"}), &watching).await.unwrap();
    assert_eq!(info["office_name"], "Проектный офис (демо)");
    let told = watching.0.lock().unwrap();
    assert!(told.iter().any(|p| p.task.starts_with("Демо-данные")), "{told:?}");
}

#[test]
fn every_command_is_named_once() {
    let mut names = NAMES.to_vec();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), NAMES.len(), "a name twice in the table");
}
