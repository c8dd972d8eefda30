//! The import's one flow, as the window's wizard runs it through the command table and the
//! `mestno` command runs it in one go: the records go into the database uncopied, and a commit
//! that fails leaves the wizard what it needs — the problems to save, another try.

use std::sync::Arc;

use chrono::TimeZone;
use mestno_core::{FixedClock, Store};
use mestno_office::import::{self, ImportFile, Kind, Mapping};
use mestno_office::{Call, NoShell, Office, dispatch};
use serde_json::{Value, json};

const ELDERS: &str = "\
ФИО;Населённый пункт;Телефон
Семёнова Анна Петровна;с. Берёзовка;+7 913 555-12-34
Орлова Нина Ивановна;с. Берёзовка;+7 913 000-00-01
Петров Пётр;с. Берёзовка;2-12-34
";

async fn office(dir: &tempfile::TempDir) -> Office {
    let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2025, 6, 16, 9, 0, 0).unwrap()));
    let store = Store::open(&dir.path().join("office.sqlite"), clock, "Петрова А. В.").await.unwrap();
    Office::from_store(store).await.unwrap()
}

async fn call(office: &Office, name: &str, args: Value) -> Result<Value, Value> {
    dispatch(office, name, args, &NoShell).await.map_err(|e| serde_json::to_value(e).unwrap())
}

async fn village(office: &Office) -> Value {
    let input = json!({"input": {"kind": "locality", "name": "с. Берёзовка"}});
    call(office, "save_territory", input).await.unwrap()
}

#[tokio::test]
async fn a_commit_that_fails_while_writing_leaves_the_problems_and_another_try() {
    let dir = tempfile::tempdir().unwrap();
    let office = office(&dir).await;
    let village = village(&office).await;
    let file = dir.path().join("старосты.csv");
    std::fs::write(&file, ELDERS).unwrap();

    let opened = call(&office, "import_open", json!({"path": file, "kind": "contacts"})).await.unwrap();
    let check = call(&office, "import_check", json!({"mapping": opened["mapping"]})).await.unwrap();
    assert_eq!((&check["ready"], &check["bad_rows"]), (&json!(2), &json!(1)), "{check}");
    let refused = call(&office, "import_commit", json!({"skipBad": false})).await.unwrap_err();
    assert!(
        refused["message"].as_str().unwrap().contains("ничего не загружено"),
        "a bad row refuses it all: {refused}"
    );

    // The village the rows name goes between the check and the import: the writing fails and
    // is undone, the records it was given gone with it.
    call(&office, "delete_territory", json!({"id": village["id"]})).await.unwrap();
    call(&office, "import_commit", json!({"skipBad": true})).await.expect_err("the rows name a deleted village");
    assert_eq!(call(&office, "list_contacts", json!({"query": {}})).await.unwrap()["total"], 0, "all or nothing");

    let problems = dir.path().join("ошибки.xlsx");
    call(&office, "import_problems", json!({"path": problems})).await.expect("the plan is there to report");
    assert!(problems.exists());
    let done = call(&office, "import_commit", json!({"skipBad": true})).await.expect("and to try again");
    assert_eq!(done["created"], 2, "the plan was made again from the open file: {done}");
    assert_eq!(call(&office, "list_contacts", json!({"query": {}})).await.unwrap()["total"], 2);
}

#[tokio::test]
async fn the_command_lines_flow_commits_the_plan_it_checked_and_keeps_its_lists() {
    let dir = tempfile::tempdir().unwrap();
    let office = office(&dir).await;
    village(&office).await;
    let path = dir.path().join("старосты.csv");
    std::fs::write(&path, ELDERS).unwrap();
    let store = office.store().unwrap();

    let file = ImportFile::open(path).await.unwrap();
    let mapping = Mapping::guessed(Kind::Contacts);
    let mut plan = file.check(&store, &mapping).await.unwrap();
    assert_eq!((plan.ready(), plan.bad_rows.len()), (2, 1));
    let used = file.used_mapping(&plan, &mapping);
    assert_eq!(used.sheet.as_deref(), Some(plan.sheet.as_str()), "the sheet read, for next time");
    assert_eq!(used.columns.len(), 3, "every column read: {used:?}");

    let refused = import::commit(&store, &mut plan, false, &|_, _| {}).await.unwrap_err();
    assert_eq!(refused.message, import::refuse_bad_rows(&plan, false).unwrap_err().message);
    assert_eq!(plan.ready(), 2, "a refused plan is left as it was");

    let told = std::sync::Mutex::new(Vec::new());
    let summary =
        import::commit(&store, &mut plan, true, &|done, total| told.lock().unwrap().push((done, total))).await.unwrap();
    assert_eq!((summary.created, summary.bad_rows_skipped), (2, 1));
    assert_eq!(plan.ready(), 0, "the records went in uncopied");
    assert_eq!(plan.problems.len(), 1, "the plan keeps its lists");
    assert!(told.lock().unwrap().last().is_some_and(|(done, total)| done == total), "progress to the end");

    let page = Call::new(&office, &NoShell).list_contacts(Default::default()).await.unwrap();
    assert_eq!(page.total, 2, "the table's commands, typed, see what the import wrote");
}
