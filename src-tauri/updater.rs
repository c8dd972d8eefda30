//! Updates of the app with Tauri's updater: the office's commands `check_update` and
//! `install_update` (in [`mestno_office::commands`]) come here through the window's
//! [`mestno_office::Shell`], since the updater needs the app's handle.
//!
//! The manifest is read from the address the office set (never from one built in); the package
//! it names is installed only when its signature matches the public key in `tauri.conf.json`
//! (`plugins.updater.pubkey`). On Linux the .deb or .rpm the app was installed from is replaced
//! by the newer one (`dpkg -i`/`rpm -U`, asking for the administrator's password through
//! pkexec); the new version runs from the next start.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use mestno_core::ErrorCode;
use mestno_office::updates::{UpdateCheck, UpdateFound};
use mestno_office::{AppError, Progress};
use tauri::{AppHandle, Manager, Runtime, Url};
use tauri_plugin_updater::{Error, Update, UpdaterExt};

/// How long a request to the update server may take before it counts as no connection.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The update the last check found, until it is installed; managed by [`crate::run`] together
/// with the updater plugin (without it the window cannot update the app).
#[derive(Default)]
pub struct Pending(Mutex<Option<Update>>);

impl Pending {
    fn put(&self, update: Option<Update>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = update;
    }

    fn take(&self) -> Option<Update> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// Looks for a newer version at `url`, keeping it for [`install`].
pub async fn check<R: Runtime>(app: &AppHandle<R>, url: &str) -> Result<UpdateCheck, AppError> {
    let pending = app.try_state::<Pending>().ok_or_else(not_here)?;
    let endpoint = Url::parse(url).map_err(|e| with_detail(bad_address(), e))?;
    let updater =
        app.updater_builder().endpoints(vec![endpoint]).map_err(failed)?.timeout(TIMEOUT).build().map_err(failed)?;
    let found = updater.check().await.map_err(failed)?;
    let update = found.as_ref().map(|u| UpdateFound {
        version: u.version.clone(),
        notes: u.body.clone().filter(|b| !b.trim().is_empty()),
        date: u.raw_json.get("pub_date").and_then(|d| d.as_str()).map(str::to_owned),
    });
    pending.put(found);
    Ok(UpdateCheck { current_version: app.package_info().version.to_string(), update })
}

/// Downloads the update [`check`] found, telling `progress` how far it got, checks its
/// signature and installs it. A package whose signature does not match is refused, and nothing
/// is installed.
pub async fn install<R: Runtime>(app: &AppHandle<R>, progress: impl Fn(Progress)) -> Result<(), AppError> {
    let pending = app.try_state::<Pending>().ok_or_else(not_here)?;
    let Some(update) = pending.take() else {
        return Err(AppError::new(
            ErrorCode::Refused,
            "Сначала проверьте, есть ли обновление",
            "Look for an update first",
        ));
    };
    let task = AppError::new(ErrorCode::Io, "Загрузка обновления", "Downloading the update").message;
    let mut done = 0u64;
    // The download checks the signature before it returns the bytes.
    let bytes = update
        .download(
            |chunk, total| {
                done += chunk as u64;
                progress(Progress { task: task.clone(), done, total: total.unwrap_or(0) });
            },
            || {},
        )
        .await
        .map_err(failed)?;
    // The installer waits for dpkg/rpm (and the administrator's password): off the async threads.
    tauri::async_runtime::spawn_blocking(move || update.install(bytes))
        .await
        .map_err(|e| with_detail(install_failed(), e))?
        .map_err(failed)
}

/// What went wrong with the updater, said for a person: no connection, a signature that does
/// not match, an address with no updates of Mestno, or an install that was not allowed.
fn failed(e: Error) -> AppError {
    let err = match &e {
        Error::Reqwest(_) | Error::Network(_) => {
            AppError::new(ErrorCode::Io, "Нет связи с сервером обновлений", "No connection to the update server")
        }
        Error::Minisign(_)
        | Error::Base64(_)
        | Error::SignatureUtf8(_)
        | Error::SignedVersionMismatch { .. }
        | Error::MissingSignedVersion => AppError::new(
            ErrorCode::Refused,
            "Подпись обновления не совпадает с ключом Местно: обновление отклонено, ничего не установлено",
            "The update's signature does not match Mestno's key: the update was refused, nothing was installed",
        ),
        Error::ReleaseNotFound
        | Error::Serialization(_)
        | Error::TargetNotFound(_)
        | Error::TargetsNotFound(_)
        | Error::Semver(_) => AppError::new(
            ErrorCode::NotFound,
            "По этому адресу нет сведений об обновлениях Местно",
            "This address holds no updates of Mestno",
        ),
        Error::InsecureTransportProtocol | Error::UrlParse(_) => bad_address(),
        Error::AuthenticationFailed => AppError::new(
            ErrorCode::Refused,
            "Обновление не установлено: нужен пароль администратора компьютера",
            "The update was not installed: the computer's administrator password is needed",
        ),
        _ => install_failed(),
    };
    with_detail(err, e)
}

fn bad_address() -> AppError {
    AppError::new(
        ErrorCode::Invalid,
        "Адрес обновлений должен начинаться с https://",
        "The update address must start with https://",
    )
}

fn install_failed() -> AppError {
    AppError::new(ErrorCode::Io, "Обновление не установлено", "The update was not installed")
}

fn not_here() -> AppError {
    AppError::new(ErrorCode::Refused, "Здесь приложение не обновляется", "The app is not updated from here")
}

/// `err` with what the updater said after it, for whoever reads the message to the end.
fn with_detail(mut err: AppError, detail: impl std::fmt::Display) -> AppError {
    err.message = format!("{} ({detail})", err.message);
    err
}
