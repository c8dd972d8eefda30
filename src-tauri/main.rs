//! Starts the Mestno desktop app.
// No console window behind the app on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

/// Memory comes from mimalloc: loading a large exchange package allocates and frees millions of
/// small values (its changes' fields), which it serves about a quarter faster than the system's
/// allocator, and with less memory held after.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
