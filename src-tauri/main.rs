//! Starts the Mestno desktop app.
// No console window behind the app on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    // Before anything starts a thread or WebKit: it may restart the process in place.
    mestno_app::renderer::prefer_plain_renderer();
    match mestno_app::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The window could not even start: say so where a person or a log can see it.
            eprintln!("Не удалось запустить Местно: {e}");
            ExitCode::FAILURE
        }
    }
}
