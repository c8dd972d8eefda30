//! Mestno's desktop shell: a Tauri 2 window over the office's application layer
//! ([`mestno_office`]), which the `mestno` command uses too.
//!
//! The shell opens the office's database once, as the window loads, and keeps it as Tauri state
//! ([`OfficeSlot`]); one invoke handler ([`window::handler`]) routes every call of the window through the office's
//! command table, giving the commands the window's progress events, file manager and the file
//! the app was started with. Whatever fails crosses IPC as an [`AppError`] `{code, message,
//! fields}` with the message in the user's language. The window is granted exactly the table's
//! commands ([`grants`]); the TypeScript the window is built against is generated from the same
//! table ([`bindings`], [`mestno_office::client`]).
#![deny(missing_docs)]

pub mod grants;
pub mod launch;
pub mod renderer;
pub mod updater;
pub mod window;

use std::path::PathBuf;

use tauri::{Manager, Runtime};

pub use launch::OpenFile;
pub use mestno_office::{AppError, AppInfo, DemoScale, Office, OfficeSetup, Progress, bindings, error};

/// The environment variable that points the app (and the `mestno` command) at another database
/// file, as the end-to-end tests and the benchmark do.
pub const DB_ENV: &str = "MESTNO_DB";

/// Runs the app until its window closes. A spreadsheet named on the command line
/// (`mestno-app реестр.xlsx`) is kept for the window to open in the import wizard.
pub fn run() -> tauri::Result<()> {
    let open_file = launch::file_to_open(std::env::args_os().skip(1));
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(updater::Pending::default())
        .manage(OpenFile::new(open_file))
        .setup(|app| {
            let path = database_path(app.handle())?;
            app.manage(OfficeSlot::default());
            // Opened on the async runtime while the window loads its page. Should opening panic
            // (a defect: every failure the office knows of leaves it closed with a reason), the
            // app stops, as it did when the office was opened here, rather than leave the
            // window waiting for an office that never comes.
            let app = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                match tauri::async_runtime::spawn(Office::open(path)).await {
                    Ok(office) => {
                        app.state::<OfficeSlot>().fill(office);
                    }
                    Err(e) => {
                        eprintln!("Mestno: открытие базы данных прервалось ошибкой программы: {e}");
                        app.exit(1);
                    }
                }
            });
            Ok(())
        });
    with_commands(builder).run(context())
}

/// The office the window's commands work on. The app opens it on the async runtime as it starts
/// (the OS key store is asked for the key, the database file opened and brought up to date), not
/// on the thread that runs the window, which meanwhile loads the page; a command that comes
/// before the office is open waits for it.
#[derive(Default)]
pub struct OfficeSlot(tokio::sync::SetOnce<Office>);

impl OfficeSlot {
    /// An office already open (the tests open theirs with a fixed clock and a password).
    pub fn ready(office: Office) -> OfficeSlot {
        OfficeSlot(tokio::sync::SetOnce::new_with(Some(office)))
    }

    /// Puts in the office once the attempt to open it is over: open, or closed with the reason
    /// (locked, a wrong key, a damaged file) the window then shows. The commands waiting for it
    /// go on. The slot is filled once: `false` when it was already, and `office` is dropped.
    pub fn fill(&self, office: Office) -> bool {
        self.0.set(office).is_ok()
    }

    /// The office, once it is in.
    pub async fn office(&self) -> &Office {
        self.0.wait().await
    }
}

/// The app's configuration, icons, UI and the capabilities its window is granted, as built in;
/// on any runtime, so the tests can run the commands under the same grants as the window.
// The macro's expansion calls `std::process::exit` when the UI's assets cannot be embedded, a
// build-time failure rather than a path through our code.
#[allow(clippy::disallowed_methods)]
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// `builder` with every command the window calls (the tests drive them on Tauri's mock runtime).
/// The commands need an [`OfficeSlot`] managed, and an [`OpenFile`] for `take_open_file`.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(window::handler())
}

/// The names of the commands [`with_commands`] registers, each of them granted to the window by
/// `src-tauri/capabilities/main-window.json`.
pub fn command_names() -> &'static [&'static str] {
    mestno_office::NAMES
}

/// The office database: `MESTNO_DB` if set, else `mestno.sqlite` in the per-user data folder
/// (the folder the `mestno` command uses too). `MESTNO_DB`'s folder is made if it is not there,
/// as the `mestno` command makes it for a new database; where it cannot be made, opening the
/// office says why in the window.
fn database_path(app: &tauri::AppHandle) -> tauri::Result<PathBuf> {
    if let Some(path) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        let _ = std::fs::create_dir_all(mestno_core::folder_of(&path));
        return Ok(path);
    }
    let dir = app.path().app_data_dir()?;
    std::fs::create_dir_all(&dir)?;
    Ok(dir.join(mestno_core::DATABASE_FILE))
}
