//! What the front end around the office offers the commands: the window's progress bar, the file
//! manager, the file the app was started with. The Tauri shell implements [`Shell`] over its
//! window; a test, the command line or a loopback bridge may give [`NoShell`].

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use mestno_core::ErrorCode;
use serde::Serialize;

use crate::AppError;
use crate::updates::UpdateCheck;

/// What a front end's long work on the office's behalf returns (looking for an update,
/// installing it).
pub type ShellFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send + 'a>>;

/// How far long work has got; the window receives it as a `progress` event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Progress {
    /// What is being done, in the UI's language.
    pub task: String,
    /// Done so far.
    pub done: u64,
    /// To do in all; 0 when unknown.
    pub total: u64,
}

/// The front end's side of a command.
pub trait Shell: Send + Sync {
    /// Tells the person how far long work has got. A front end that went away misses the news;
    /// the work goes on.
    fn progress(&self, progress: Progress);

    /// Shows the file at `path` in the system's file manager.
    fn reveal(&self, path: &Path) -> Result<(), AppError> {
        let _ = path;
        Err(AppError::new(ErrorCode::Refused, "Здесь нельзя открыть папку", "No folder can be shown here"))
    }

    /// The spreadsheet the app was started with (`mestno-app реестр.xlsx`), the first time it is
    /// asked for; then none.
    fn take_open_file(&self) -> Option<PathBuf> {
        None
    }

    /// Looks for a newer version of the app at `url` (the update manifest the office set),
    /// keeping what it found for [`Shell::install_update`]. No connection is an error that says
    /// so («нет связи»).
    fn check_update<'a>(&'a self, url: &'a str) -> ShellFuture<'a, UpdateCheck> {
        let _ = url;
        Box::pin(async { Err(no_updates()) })
    }

    /// Downloads the version the last [`Shell::check_update`] found, sending progress, checks
    /// its signature and installs it; one whose signature does not match is refused and nothing
    /// is installed. The new version runs from the next start ([`Shell::restart`]).
    fn install_update(&self) -> ShellFuture<'_, ()> {
        Box::pin(async { Err(no_updates()) })
    }

    /// Starts the app again (after an update was installed).
    fn restart(&self) -> Result<(), AppError> {
        Err(no_updates())
    }
}

fn no_updates() -> AppError {
    AppError::new(ErrorCode::Refused, "Здесь приложение не обновляется", "The app is not updated from here")
}

/// A front end with no window: progress goes nowhere, no file was given at start, and no folder
/// can be shown.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoShell;

impl Shell for NoShell {
    fn progress(&self, _: Progress) {}
}
