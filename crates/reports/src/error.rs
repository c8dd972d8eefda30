//! What can go wrong while writing a report, said in Russian.

use std::path::PathBuf;

use mestno_core::ErrorCode;
use mestno_core::model::Id;

/// Everything writing a report can fail with. `Display` is the Russian message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The office's database said no.
    #[error("{0}")]
    Core(#[from] mestno_core::Error),
    /// The request names a filter this report does not take.
    #[error("в отчёте «{report}» не бывает отбора {filter}")]
    NotApplicable {
        /// The report's Russian name.
        report: &'static str,
        /// The filter, in the genitive: «по программе», «по году»…
        filter: &'static str,
    },
    /// The initiative's card was asked for without naming the initiative.
    #[error("для карточки проекта укажите проект (--id)")]
    InitiativeMissing,
    /// The request names a territory the office does not have.
    #[error("не найдена территория «{0}»")]
    TerritoryNotFound(Id),
    /// The file could not be saved.
    #[error("не удалось сохранить отчёт в файл «{}»: {source}", .path.display())]
    Save {
        /// The file.
        path: PathBuf,
        /// Why.
        source: rust_xlsxwriter::XlsxError,
    },
    /// The workbook could not be built (a limit of the format was hit).
    #[error("не удалось построить книгу Excel: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// A person's data were erased, but a step after the erasure failed.
    #[error("данные уничтожены (акт № {act_number}, запись журнала {log_id}), но {step}: {detail}")]
    Unfinished {
        /// The act's number.
        act_number: String,
        /// The erasure log's entry, from which the act can be written again.
        log_id: Id,
        /// The step that failed, in Russian.
        step: &'static str,
        /// Why.
        detail: String,
    },
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
            Error::Save { .. } | Error::Xlsx(_) | Error::Unfinished { .. } => ErrorCode::Io,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_russian_and_codes_are_the_cores() {
        let e = Error::NotApplicable { report: "Контакты", filter: "по году" };
        assert_eq!(e.to_string(), "в отчёте «Контакты» не бывает отбора по году", "a person reads why");
        assert_eq!(e.code(), ErrorCode::Invalid, "a filter that does not fit is bad input");
        assert_eq!(Error::InitiativeMissing.code(), ErrorCode::Invalid, "so is a card without a project");
    }
}
