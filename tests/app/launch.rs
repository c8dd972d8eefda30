//! The app started with a spreadsheet on its command line (`mestno-app реестр.csv`, what
//! «Открыть в Mestno» in a file manager runs): the window is handed the file once, through IPC,
//! and opens it in the import wizard as if chosen in the open dialog.

use std::ffi::OsString;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::TimeZone;
use mestno_app::{Office, OfficeSlot, OpenFile, launch};
use mestno_core::vault::Unlock;
use mestno_core::{FixedClock, Sensitive};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

/// A new office in `dir`, opened.
fn office_in(dir: &Path) -> Office {
    let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2025, 6, 16, 9, 0, 0).unwrap()));
    let unlock = Unlock::Passphrase(Sensitive::new("пароль проектного офиса".into()));
    tauri::async_runtime::block_on(Office::open_with(dir.join("office.sqlite"), clock, "Петрова А. В.".into(), unlock))
}

/// The app on a new office in `dir`, started with `args` after the program's name.
fn started_with(dir: &Path, args: &[&Path]) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    started(OfficeSlot::ready(office_in(dir)), args)
}

/// The app with `slot` for its office, started with `args` after the program's name.
fn started(slot: OfficeSlot, args: &[&Path]) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let file = launch::file_to_open(args.iter().map(|a| OsString::from(a.as_os_str())));
    let app = mestno_app::with_commands(mock_builder())
        .manage(slot)
        .manage(OpenFile::new(file))
        .build(mestno_app::context())
        .expect("the app builds");
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    (app, webview)
}

fn call(webview: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Value {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: webview.url().expect("the window's URL"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(webview, request)
        .map(|body| body.deserialize::<Value>().unwrap())
        .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
}

/// The registry as the office keeps it, naming a village the office has not entered.
const REGISTRY: &str = "Муниципальный район;Населённый пункт;Наименование проекта;Год;Общая стоимость проекта, руб.\n\
                        Манский район;с. Новосёлово;Ремонт водопровода;2025;1 000 000,00\n";

#[test]
fn the_window_is_handed_the_spreadsheet_the_app_was_started_with_once_and_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let registry = dir.path().join("реестр.csv");
    std::fs::write(&registry, REGISTRY).unwrap();
    let notes = dir.path().join("заметки.txt");
    std::fs::write(&notes, "не таблица").unwrap();
    let folder = dir.path().join("архив.xlsx");
    std::fs::create_dir(&folder).unwrap();
    let (_app, window) = started_with(dir.path(), &[Path::new("--automation"), &notes, &folder, &registry]);

    let file = call(&window, "take_open_file", json!({}));
    assert_eq!(file, json!(registry.to_str().unwrap()), "the flag, a text file and a folder are passed over");
    assert_eq!(call(&window, "take_open_file", json!({})), Value::Null, "a reloaded window does not open it again");

    let opened = call(&window, "import_open", json!({"path": file, "kind": "initiatives"}));
    assert_eq!(opened["workbook"]["file"], "реестр.csv", "the wizard shows the file it was handed");
    assert_eq!(opened["workbook"]["format"], json!({"format": "csv", "encoding": "utf-8", "delimiter": ";"}));
    assert_eq!(opened["workbook"]["kind"], "initiatives");
}

#[test]
fn the_app_started_without_a_spreadsheet_hands_over_none() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("нет такого.xlsx");
    let (_app, window) = started_with(dir.path(), &[&missing]);
    assert_eq!(call(&window, "take_open_file", json!({})), Value::Null, "a missing file is not offered");
    let other = tempfile::tempdir().unwrap();
    let (_app, window) = started_with(other.path(), &[]);
    assert_eq!(call(&window, "take_open_file", json!({})), Value::Null, "no arguments, no file");
}

/// The app opens its office on the async runtime while the window loads its page: a command the
/// window sends before the office is in waits for it, and is answered by that office.
#[test]
fn a_command_sent_before_the_office_is_open_waits_for_it() {
    let (dir, other) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (app, window) = started(OfficeSlot::default(), &[]);
    let (answer, answered) = std::sync::mpsc::channel();
    // A thread of its own, not joined: a failed assertion below fails the test, never waits for it.
    let sender = window.clone();
    std::thread::spawn(move || answer.send(call(&sender, "app_info", json!({}))));
    assert!(answered.recv_timeout(Duration::from_millis(300)).is_err(), "no answer while the office is not in");
    assert!(app.state::<OfficeSlot>().fill(office_in(dir.path())), "the slot takes the office");
    let info = answered.recv_timeout(Duration::from_secs(30)).expect("the command is answered once it is in");
    let db = dir.path().join("office.sqlite");
    assert_eq!(info["db_path"], json!(db.to_str().unwrap()), "by the office put in");
    assert_eq!(info["empty"], json!(true));
    assert!(!app.state::<OfficeSlot>().fill(office_in(other.path())), "the slot is filled once");
}
