//! What can go wrong with an import as a whole, said in Russian (and in English on request).
//!
//! A row that cannot be read is not an error of this kind: it is a [`Problem`](crate::Problem) of
//! the [`Plan`](crate::Plan), shown with its sheet, row and column. These errors stop the import
//! before or instead of writing anything.

use std::path::PathBuf;

use mestno_core::{ErrorCode, Lang, Text};

/// Everything an import can fail with. `Display` is the Russian message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The office's database said no.
    #[error("{0}")]
    Core(#[from] mestno_core::Error),
    /// The file could not be read at all.
    #[error("не удалось прочитать файл «{}»: {}", .path.display(), mestno_core::io_reason(.source, Lang::Ru))]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The path names a folder, a pipe, a device or a socket, not a file: refused before it is
    /// opened, since reading a pipe or a device would wait or never end.
    #[error("«{}» — {}, а не файл: выберите файл .xlsx, .xls, .ods или .csv", .path.display(), .what.ru)]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is instead.
        what: Text,
    },
    /// The file holds nothing.
    #[error("файл «{}» пуст", .path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file is neither a workbook (xlsx, xls, ods) nor text a table could be read from.
    #[error("файл «{}» не похож на таблицу: откройте его в Excel и сохраните как .xlsx или .csv", .path.display())]
    NotSpreadsheet {
        /// The file.
        path: PathBuf,
    },
    /// The workbook is damaged or cut short.
    #[error("файл «{}» повреждён или записан не до конца ({detail})", .path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What the reader said.
        detail: String,
    },
    /// The file is bigger than an import takes.
    #[error("файл «{}» слишком велик для загрузки: {}", .path.display(), .what.ru)]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Which limit.
        what: Text,
    },
    /// No sheet of that name.
    #[error("в файле нет листа «{name}»; есть: {}", .sheets.join(", "))]
    SheetNotFound {
        /// The name asked for.
        name: String,
        /// The sheets the file has.
        sheets: Vec<String>,
    },
    /// No sheet holds a table of this kind.
    #[error("в файле не найдено ни одной таблицы с данными")]
    NoTable,
    /// The mapping cannot be used with this file.
    #[error("сопоставление столбцов не подходит: {ru}")]
    Mapping {
        /// Why, in Russian.
        ru: String,
        /// Why, in English.
        en: String,
    },
    /// Some rows cannot be read, and the user did not ask to skip them: nothing was written.
    #[error(
        "в файле есть строки с ошибками ({0}); ничего не загружено — исправьте их или загрузите остальные, пропустив ошибочные"
    )]
    RowsRejected(usize),
    /// The report of problems could not be written.
    #[error("не удалось сохранить отчёт об ошибках в «{}»: {source}", .path.display())]
    Report {
        /// The file.
        path: PathBuf,
        /// Why.
        source: rust_xlsxwriter::XlsxError,
    },
}

/// `Result` with the import's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The error's kind, from the core's closed list, for a caller to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Core(e) => e.code(),
            Error::Io { .. } | Error::Report { .. } => ErrorCode::Io,
            Error::Empty { .. }
            | Error::NotAFile { .. }
            | Error::NotSpreadsheet { .. }
            | Error::Damaged { .. }
            | Error::TooLarge { .. }
            | Error::NoTable
            | Error::Mapping { .. }
            | Error::RowsRejected(_) => ErrorCode::Invalid,
            Error::SheetNotFound { .. } => ErrorCode::NotFound,
        }
    }

    /// The message for a person in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::Ru {
            return self.to_string();
        }
        match self {
            Error::Core(e) => e.message(lang),
            Error::Io { path, source } => {
                format!("could not read «{}»: {}", path.display(), mestno_core::io_reason(source, lang))
            }
            Error::NotAFile { path, what } => {
                format!("«{}» is {}, not a file: choose an .xlsx, .xls, .ods or .csv file", path.display(), what.en)
            }
            Error::Empty { path } => format!("«{}» is empty", path.display()),
            Error::NotSpreadsheet { path } => format!(
                "«{}» does not look like a table: open it in Excel and save it as .xlsx or .csv",
                path.display()
            ),
            Error::Damaged { path, detail } => format!("«{}» is damaged or cut short ({detail})", path.display()),
            Error::TooLarge { path, what } => format!("«{}» is too large to import: {}", path.display(), what.en),
            Error::SheetNotFound { name, sheets } => {
                format!("the file has no sheet «{name}»; it has: {}", sheets.join(", "))
            }
            Error::NoTable => "no sheet of the file holds a table of data".into(),
            Error::Mapping { en, .. } => format!("the column mapping does not fit: {en}"),
            Error::RowsRejected(n) => format!(
                "{n} rows have problems; nothing was imported — fix them, or import the rest skipping the bad rows"
            ),
            Error::Report { path, source } => {
                format!("could not save the problem report to «{}»: {source}", path.display())
            }
        }
    }

    pub(crate) fn mapping(ru: impl Into<String>, en: impl Into<String>) -> Self {
        Error::Mapping { ru: ru.into(), en: en.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejected_import_says_nothing_was_loaded_in_both_languages() {
        let e = Error::RowsRejected(3);
        assert!(e.to_string().contains("ничего не загружено"), "a person must know the database is untouched");
        assert!(e.message(Lang::En).contains("nothing was imported"));
        assert_eq!(e.code(), ErrorCode::Invalid);
    }
}
