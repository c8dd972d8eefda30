//! What can go wrong while writing a report, said in Russian (and in English on request).

use std::path::PathBuf;

use mestno_core::model::Id;
use mestno_core::{ErrorCode, Lang, Text};

use crate::ReportKind;

/// Everything writing a report can fail with. `Display` is the Russian message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The office's database said no.
    #[error("{0}")]
    Core(#[from] mestno_core::Error),
    /// The request names a filter this report does not take.
    #[error("в отчёте «{}» не бывает отбора {}", .report.title(), .filter.ru)]
    NotApplicable {
        /// The report.
        report: ReportKind,
        /// The filter: «по программе», «по году»… and "by program", "by year"…
        filter: Text,
    },
    /// The initiative's card was asked for without naming the initiative.
    #[error("для карточки проекта укажите проект (--id)")]
    InitiativeMissing,
    /// The request names a territory the office does not have.
    #[error("не найдена территория «{0}»")]
    TerritoryNotFound(Id),
    /// The file could not be saved.
    #[error("не удалось сохранить отчёт в файл «{}»: {}", .path.display(), save_reason(.source, Lang::Ru))]
    Save {
        /// The file.
        path: PathBuf,
        /// Why.
        source: rust_xlsxwriter::XlsxError,
    },
    /// The writing of a long sheet stopped before the file was saved: its thread could not start,
    /// or ended without a word.
    #[error("запись отчёта прервалась, файл не сохранён")]
    Interrupted,
    /// The workbook could not be built (a limit of the format was hit).
    #[error("не удалось построить книгу Excel: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Why a workbook could not be saved: a file's reason in the user's language.
fn save_reason(e: &rust_xlsxwriter::XlsxError, lang: Lang) -> String {
    match e {
        rust_xlsxwriter::XlsxError::IoError(io) => mestno_core::io_reason(io, lang),
        other => other.to_string(),
    }
}

/// `Result` with the reports' [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The error's kind, from the core's closed list, for a caller to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Core(e) => e.code(),
            Error::NotApplicable { .. } | Error::InitiativeMissing => ErrorCode::Invalid,
            Error::TerritoryNotFound(_) => ErrorCode::NotFound,
            Error::Save { .. } | Error::Xlsx(_) | Error::Interrupted => ErrorCode::Io,
        }
    }

    /// The message for a person in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::Ru {
            return self.to_string();
        }
        match self {
            Error::Core(e) => e.message(lang),
            Error::NotApplicable { report, filter } => {
                format!("the report «{}» cannot be filtered {}", report.title_in(lang), filter.en)
            }
            Error::InitiativeMissing => "an initiative's card needs the initiative (--id)".into(),
            Error::TerritoryNotFound(id) => format!("no such territory: «{id}»"),
            Error::Save { path, source } => {
                format!("could not save the report to «{}»: {}", path.display(), save_reason(source, lang))
            }
            Error::Interrupted => "writing the report stopped; the file was not saved".into(),
            Error::Xlsx(e) => format!("could not build the Excel workbook: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_russian_and_codes_are_the_cores() {
        let e = Error::NotApplicable { report: ReportKind::Contacts, filter: Text::new("по году", "by year") };
        assert_eq!(e.to_string(), "в отчёте «Контакты» не бывает отбора по году", "a person reads why");
        assert_eq!(e.message(Lang::En), "the report «Contacts» cannot be filtered by year", "or in English");
        assert_eq!(e.code(), ErrorCode::Invalid, "a filter that does not fit is bad input");
        assert_eq!(Error::InitiativeMissing.code(), ErrorCode::Invalid, "so is a card without a project");
    }
}
