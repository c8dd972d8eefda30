//! Updates of the app: where the office looks for a newer version and whether it may look by
//! itself at start ([`UpdateSettings`], kept in the office's settings), and what was found there
//! ([`UpdateCheck`]). Looking and installing are the front end's ([`crate::Shell::check_update`],
//! [`crate::Shell::install_update`]): the desktop shell does them with Tauri's updater, which
//! installs nothing whose signature does not match the app's public key.
//!
//! Nothing is asked of any server until the office has set an address: the app ships with none.

use mestno_core::{ErrorCode, Store};
use serde::{Deserialize, Serialize};

use crate::AppError;

/// The setting that keeps the address of the update manifest.
const URL: &str = "update_url";
/// The setting that keeps the consent to look for updates at each start.
const ON_START: &str = "update_check_on_start";

/// Where the office looks for updates, and whether it may look at each start.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct UpdateSettings {
    /// The address of the update manifest (`latest.json`), `http(s)://…`; empty: none set, and
    /// nothing is ever asked.
    pub url: String,
    /// The office agreed that the app looks for a newer version at each start.
    pub check_on_start: bool,
}

/// A newer version found at the office's address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct UpdateFound {
    /// The newer version.
    pub version: String,
    /// What is new in it, as its publisher wrote it.
    pub notes: Option<String>,
    /// When it was published (RFC 3339), if said.
    pub date: Option<String>,
}

/// What a look for updates found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct UpdateCheck {
    /// The version running now.
    pub current_version: String,
    /// The newer version, or none: this one is the newest.
    pub update: Option<UpdateFound>,
}

/// The office's update settings (none set: an empty address, no consent).
pub async fn settings(store: &Store) -> Result<UpdateSettings, AppError> {
    Ok(UpdateSettings {
        url: store.setting(URL).await?.unwrap_or_default(),
        check_on_start: store.setting(ON_START).await?.as_deref() == Some("1"),
    })
}

/// Keeps `settings`, the address trimmed. An address that is not `http://` or `https://` is
/// refused, and so is consent to look at start without an address.
pub async fn save_settings(store: &Store, settings: UpdateSettings) -> Result<UpdateSettings, AppError> {
    let url = settings.url.trim().to_owned();
    if !url.is_empty() && !is_web_address(&url) {
        return Err(AppError::new(
            ErrorCode::Invalid,
            "Адрес обновлений должен начинаться с https:// (или http://) и не содержать пробелов",
            "The update address must start with https:// (or http://) and hold no spaces",
        ));
    }
    if url.is_empty() && settings.check_on_start {
        return Err(AppError::new(
            ErrorCode::Invalid,
            "Чтобы проверять обновления при запуске, укажите адрес обновлений",
            "To look for updates at start, give the update address",
        ));
    }
    store.set_setting(URL, &url).await?;
    store.set_setting(ON_START, if settings.check_on_start { "1" } else { "0" }).await?;
    Ok(UpdateSettings { url, check_on_start: settings.check_on_start })
}

/// The address to look at, or why there is none.
pub async fn address(store: &Store) -> Result<String, AppError> {
    let url = settings(store).await?.url;
    if url.is_empty() {
        return Err(AppError::new(
            ErrorCode::Refused,
            "Адрес обновлений не задан: укажите его в настройках",
            "No update address is set: give one in the settings",
        ));
    }
    Ok(url)
}

fn is_web_address(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.chars().any(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_are_taken() {
        assert!(is_web_address("https://updates.example.ru/mestno/latest.json"));
        assert!(is_web_address("http://127.0.0.1:8080/latest.json"));
        assert!(!is_web_address("ftp://example.ru/latest.json"));
        assert!(!is_web_address("https://"));
        assert!(!is_web_address("https://example.ru/с пробелом.json"));
        assert!(!is_web_address("file:///etc/passwd"));
    }
}
