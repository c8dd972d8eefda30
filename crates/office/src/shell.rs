//! What the front end around the office offers the commands: the window's progress bar, the file
//! manager, the file the app was started with. The Tauri shell implements [`Shell`] over its
//! window; a test, the command line or a loopback bridge may give [`NoShell`].

use std::path::{Path, PathBuf};

use mestno_core::ErrorCode;
use serde::Serialize;

use crate::AppError;

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
}

/// A front end with no window: progress goes nowhere, no file was given at start, and no folder
/// can be shown.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoShell;

impl Shell for NoShell {
    fn progress(&self, _: Progress) {}
}
