//! The office itself: what the window shows first, the first-start choice, the language.

use mestno_core::Lang;
use tauri::{AppHandle, Emitter, Runtime};

use super::{OfficeState, Reply};
use crate::{AppInfo, DemoScale, OfficeSetup, Progress};

/// The app and its office.
#[tauri::command]
pub async fn app_info(office: OfficeState<'_>) -> Reply<AppInfo> {
    office.info().await
}

/// Opens the database with the password the person typed (when the OS credential store is
/// unavailable, or the database is protected by a password); without one, tries the OS store
/// again (the person has unlocked it).
#[tauri::command]
pub async fn unlock_office(office: OfficeState<'_>, passphrase: Option<String>) -> Reply<AppInfo> {
    office.unlock(passphrase).await
}

/// Starts an empty office.
#[tauri::command]
pub async fn setup_office(office: OfficeState<'_>, input: OfficeSetup) -> Reply<AppInfo> {
    office.set_up(input).await
}

/// Fills the empty office with demo data, sending `progress` events.
#[tauri::command]
pub async fn load_demo<R: Runtime>(app: AppHandle<R>, office: OfficeState<'_>, scale: DemoScale) -> Reply<AppInfo> {
    let report = move |p: Progress| {
        // A window that went away while the demo loads misses the news; the demo goes on.
        let _ = app.emit("progress", p);
    };
    office.load_demo(scale, &report).await
}

/// Switches the language of messages.
#[tauri::command]
pub async fn set_lang(office: OfficeState<'_>, lang: Lang) -> Reply<()> {
    office.set_lang(lang).await
}
