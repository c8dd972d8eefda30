//! What crosses to the window when a command fails: `{code, message, fields}`, the message in
//! the language the person chose.

use std::sync::atomic::{AtomicU8, Ordering};

use mestno_core::{ErrorCode, FieldError, Lang};
use serde::Serialize;

/// A failed command, as the UI receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[error("{message}")]
pub struct AppError {
    /// What kind of failure, from a small closed list the UI branches on.
    pub code: ErrorCode,
    /// For a person, in the language the UI is set to.
    pub message: String,
    /// Rules broken, each naming its input's field (`title`, `budget.residents`…), for a form to
    /// show beside the field; empty for other failures.
    pub fields: Vec<FieldError>,
}

impl AppError {
    /// An error with a message given in both languages.
    pub fn new(code: ErrorCode, ru: &str, en: &str) -> Self {
        let message = match ui_lang() {
            Lang::Ru => ru,
            Lang::En => en,
        };
        AppError { code, message: message.to_owned(), fields: Vec::new() }
    }
}

impl From<mestno_core::Error> for AppError {
    fn from(e: mestno_core::Error) -> Self {
        let fields = match &e {
            mestno_core::Error::Invalid(fields) => fields.clone(),
            _ => Vec::new(),
        };
        AppError { code: e.code(), message: e.message(ui_lang()), fields }
    }
}

impl From<mestno_import::Error> for AppError {
    fn from(e: mestno_import::Error) -> Self {
        match e {
            mestno_import::Error::Core(core) => core.into(),
            e => AppError { code: e.code(), message: e.message(ui_lang()), fields: Vec::new() },
        }
    }
}

impl From<crate::erasure::Error> for AppError {
    fn from(e: crate::erasure::Error) -> Self {
        match e {
            crate::erasure::Error::Core(core) => core.into(),
            e => AppError { code: e.code(), message: e.message(ui_lang()), fields: Vec::new() },
        }
    }
}

impl From<mestno_reports::Error> for AppError {
    fn from(e: mestno_reports::Error) -> Self {
        match e {
            mestno_reports::Error::Core(e) => e.into(),
            e => AppError { code: e.code(), message: e.message(ui_lang()), fields: Vec::new() },
        }
    }
}

/// The language messages are written in: the one the person chose in the window. One process
/// serves one person, so it is kept for the whole process.
static UI_LANG: AtomicU8 = AtomicU8::new(0);

/// The language the UI is set to.
pub fn ui_lang() -> Lang {
    match UI_LANG.load(Ordering::Relaxed) {
        1 => Lang::En,
        _ => Lang::Ru,
    }
}

/// Switches the language of messages.
pub fn set_ui_lang(lang: Lang) {
    UI_LANG.store(if lang == Lang::En { 1 } else { 0 }, Ordering::Relaxed);
}
