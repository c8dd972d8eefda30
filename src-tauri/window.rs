//! The window's side of the office's commands: one invoke handler that routes every call through
//! the office's command table ([`mestno_office::dispatch`]), and what the commands get from the
//! window ([`Shell`]): `progress` events, the file manager, the file the app was started with.

use std::path::{Path, PathBuf};

use mestno_core::ErrorCode;
use mestno_office::updates::UpdateCheck;
use mestno_office::{AppError, Progress, Shell, ShellFuture};
use tauri::ipc::{Invoke, InvokeBody, InvokeError};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_opener::OpenerExt;

use crate::{OfficeSlot, OpenFile};

/// The handler of every command in [`mestno_office::NAMES`]: it reads the call's name and JSON
/// arguments, runs the command on the async runtime, and resolves the window's promise with the
/// reply or rejects it with the [`AppError`]. A name not in the table is left to Tauri, which
/// says there is no such command (the window's grants refuse it before that).
pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    |invoke: Invoke<R>| {
        let Some(name) = mestno_office::NAMES.iter().find(|n| **n == invoke.message.command()) else {
            return false;
        };
        let args = match invoke.message.payload() {
            InvokeBody::Json(args) => args.clone(),
            InvokeBody::Raw(_) => {
                invoke.resolver.reject(AppError::new(
                    ErrorCode::Invalid,
                    "Команда ждёт аргументы в JSON",
                    "The command takes its arguments as JSON",
                ));
                return true;
            }
        };
        let app = invoke.message.webview().app_handle().clone();
        invoke.resolver.respond_async(async move {
            let Some(slot) = app.try_state::<OfficeSlot>() else {
                return Err(InvokeError::from(AppError::new(
                    ErrorCode::Storage,
                    "база данных не открыта",
                    "the database is not open",
                )));
            };
            let office = slot.office().await;
            let window = Window { app: &app };
            mestno_office::dispatch(office, name, args, &window).await.map_err(InvokeError::from)
        });
        true
    }
}

/// The window, as the commands see it.
struct Window<'a, R: Runtime> {
    app: &'a AppHandle<R>,
}

impl<R: Runtime> Shell for Window<'_, R> {
    fn progress(&self, progress: Progress) {
        // A window that went away while the work goes on misses the news; the work goes on.
        let _ = self.app.emit("progress", progress);
    }

    fn reveal(&self, path: &Path) -> Result<(), AppError> {
        self.app.opener().reveal_item_in_dir(path).map_err(|e| {
            let mut err = AppError::new(ErrorCode::Io, "Не удалось открыть папку", "Could not open the folder");
            err.message = format!("{}: {e}", err.message);
            err
        })
    }

    fn take_open_file(&self) -> Option<PathBuf> {
        self.app.try_state::<OpenFile>()?.take()
    }

    fn check_update<'b>(&'b self, url: &'b str) -> ShellFuture<'b, UpdateCheck> {
        Box::pin(crate::updater::check(self.app, url))
    }

    fn install_update(&self) -> ShellFuture<'_, ()> {
        Box::pin(crate::updater::install(self.app, |p| self.progress(p)))
    }

    fn restart(&self) -> Result<(), AppError> {
        self.app.restart()
    }
}
