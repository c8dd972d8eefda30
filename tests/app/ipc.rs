//! The window's commands, called as the window calls them: JSON through Tauri's IPC (on its mock
//! runtime), into a real office database in a temporary folder.

mod erasure;
mod import;
mod keystore;
mod office;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::TimeZone;
use mestno_app::{Office, OfficeSlot};
use mestno_core::vault::Unlock;
use mestno_core::{FixedClock, Sensitive};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// The office's database password: the tests have no OS credential store (the core's
/// `keyring_secret_service` test tries a real one).
fn password() -> Unlock {
    Unlock::Passphrase(Sensitive::new("пароль проектного офиса".into()))
}

/// Messages follow the language the person chose, which is one per process: the tests that
/// talk to an office take turns.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The app with its office and its main window, on a fresh database.
pub(crate) struct Window {
    webview: WebviewWindow<MockRuntime>,
    _app: App<MockRuntime>,
    pub(crate) db: PathBuf,
    _dir: tempfile::TempDir,
    _turn: MutexGuard<'static, ()>,
}

impl Window {
    pub(crate) fn open() -> Window {
        Window::open_with(password())
    }

    /// The app on a fresh database, its key got as `unlock` says.
    fn open_with(unlock: Unlock) -> Window {
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        mestno_app::error::set_ui_lang(mestno_core::Lang::Ru);
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("office.sqlite");
        let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2025, 6, 16, 9, 0, 0).unwrap()));
        let office =
            tauri::async_runtime::block_on(Office::open_with(db.clone(), clock, "Петрова А. В.".into(), unlock));
        let app = mestno_app::with_commands(mock_builder())
            .manage(OfficeSlot::ready(office))
            .build(mestno_app::context())
            .expect("the app builds");
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
        Window { webview, _app: app, db, _dir: dir, _turn: turn }
    }

    /// Calls `cmd` with `args`; the reply, or the error the window would receive.
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            // The page the window shows: the app's own UI, which the grants are for.
            url: self.webview.url().expect("the window's URL"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.webview, request).map(|body| body.deserialize::<Value>().unwrap())
    }

    pub(crate) fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    pub(crate) fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} should have failed, replied {v}"),
            Err(e) => e,
        }
    }

    /// A started office: «Абанский район» with one village.
    pub(crate) fn set_up(&self) -> (String, String) {
        let info = self.ok(
            "setup_office",
            json!({"input": {"office_name": "Проектный офис Абанского района",
                             "territory": {"kind": "district", "name": "Абанский район",
                                           "population": [{"year": 2025, "population": 20000}]}}}),
        );
        assert_eq!(info["office_name"], "Проектный офис Абанского района");
        let district = self.ok("territories", json!({}))[0]["id"].as_str().unwrap().to_owned();
        let village = self.ok(
            "save_territory",
            json!({"id": null, "rev": null,
                   "input": {"parent_id": district, "kind": "locality", "name": "с. Берёзовка",
                             "population": [{"year": 2025, "population": 1200}]}}),
        );
        (district, village["id"].as_str().unwrap().to_owned())
    }

    fn program(&self) -> String {
        let program = self.ok(
            "save_program",
            json!({"id": null, "rev": null, "input": {
                "code": "ППМИ-2025", "name": "Поддержка местных инициатив", "kind": "ppmi", "description": "",
                "rules": {"min_residents_share_bp": 300, "min_business_share_bp": 0, "min_municipal_share_bp": 500,
                          "max_subsidy_share_bp": null, "max_subsidy_kopecks": null},
                "cycles": [{"year": 2025, "applications_open": "2025-01-15", "applications_close": "2025-03-01",
                            "fund_kopecks": 50_000_000_000i64}]}}),
        );
        program["id"].as_str().unwrap().to_owned()
    }
}

/// A well-formed initiative: 1 500 000 ₽ from the region, 300 000 ₽ from the district and
/// 200 000 ₽ from the residents.
fn initiative(village: &str, program: &str, title: &str) -> Value {
    json!({
        "title": title, "description": "Замена кровли и окон", "object_type": "culture",
        "territory_id": village, "program_id": program, "year": 2025,
        "initiator": {"kind": "initiative_group", "name": "Жители с. Берёзовка", "contact_id": null},
        "total_cost": 200_000_000,
        "budget": [
            {"source": "regional", "planned": 150_000_000, "actual": 0, "note": ""},
            {"source": "municipal", "planned": 30_000_000, "actual": 0, "note": ""},
            {"source": "residents", "planned": 20_000_000, "actual": 0, "note": ""}
        ],
        "beneficiaries": 1200, "supporters": 340, "votes": 0,
        "implementation": {"contractor": "", "contract_sum": null, "contract_date": null,
                           "start_date": null, "end_date": null, "percent_done": 0},
        "results": ""
    })
}

pub(crate) fn person(last: &str, first: &str, phone: &str, village: &str) -> Value {
    json!({"kind": "person", "last_name": last, "first_name": first, "middle_name": "", "org_name": "",
           "position": "", "territory_id": village, "address": "", "notes": "", "roles": ["resident"],
           "phones": [phone], "emails": [], "tags": []})
}

/// Every cell of the workbook's first sheet, as calamine reads them, joined by «|».
pub(crate) fn first_sheet_text(path: &std::path::Path) -> String {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let first = book.sheet_names()[0].clone();
    let sheet = book.worksheet_range(&first).unwrap();
    sheet.rows().flatten().map(|c| c.to_string()).collect::<Vec<_>>().join("|")
}
