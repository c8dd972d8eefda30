//! Erasing a person on request (152-ФЗ), as one procedure the window and the command line share:
//! the erasure in the database ([`Store::erase_person`]), the act of destruction written
//! ([`mestno_reports::erasure_act`]), the attached files no record needs any more removed, and the
//! database file rewritten without the free space that could still hold the erased values.

use std::path::{Path, PathBuf};

use mestno_core::model::{ErasureLogEntry, ErasureRequest, Id};
use mestno_core::{ErrorCode, Lang, Store, Text};
use serde::Serialize;

/// What erasing a person did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Erased {
    /// The erasure log's entry: the act's number, the request, what was destroyed (no personal
    /// data).
    pub log: ErasureLogEntry,
    /// Where the act of destruction was saved.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub act: PathBuf,
    /// Attached files removed from the files folder because no record refers to them any more.
    pub files_removed: u64,
}

/// What erasing a person can fail with. `Display` is the Russian message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The erasure itself was refused or failed: nothing was destroyed.
    #[error("{0}")]
    Core(#[from] mestno_core::Error),
    /// A person's data were erased, but a step after the erasure failed.
    #[error("данные уничтожены (акт № {act_number}, запись журнала {log_id}), но {}: {}", .step.words(Lang::Ru), .detail.ru)]
    Unfinished {
        /// The act's number.
        act_number: String,
        /// The erasure log's entry, from which the act can be written again.
        log_id: Id,
        /// The step that failed.
        step: Step,
        /// Why.
        detail: Text,
    },
}

impl Error {
    /// The error's kind, from the core's closed list.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Core(e) => e.code(),
            Error::Unfinished { .. } => ErrorCode::Io,
        }
    }

    /// The message for a person in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Error::Core(e) => e.message(lang),
            Error::Unfinished { .. } if lang == Lang::Ru => self.to_string(),
            Error::Unfinished { act_number, log_id, step, detail } => format!(
                "the data were destroyed (act No. {act_number}, log entry {log_id}), but {}: {}",
                step.words(lang),
                detail.en
            ),
        }
    }
}

/// A step of an erasure after the data are destroyed, which can fail on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Writing the act of destruction.
    Act,
    /// Removing the attached files no record refers to any more.
    Files,
    /// Rewriting the database file without its free space.
    Compact,
}

impl Step {
    /// What was not done, in `lang`.
    pub fn words(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Step::Act, Lang::Ru) => "акт не записан — составьте его заново по записи журнала",
            (Step::Act, Lang::En) => "the act was not written — write it again from the log entry",
            (Step::Files, Lang::Ru) => "файлы вложений не удалены",
            (Step::Files, Lang::En) => "the attached files were not removed",
            (Step::Compact, Lang::Ru) => "файл базы данных не сжат",
            (Step::Compact, Lang::En) => "the database file was not compacted",
        }
    }
}

/// Erases contact `id` as `request` asks and writes the act of destruction to `act`. Once the
/// erasure is committed, a later step that fails is reported as [`Error::Unfinished`], naming
/// the act's number and the log entry, so the act can be written again from the log.
pub async fn erase_person(store: &Store, id: Id, request: ErasureRequest, act: &Path) -> Result<Erased, Error> {
    // A folder the act cannot go into refuses the erasure before anything is destroyed, rather
    // than after, when the act could only be made again from the log.
    let folder = mestno_core::folder_of(act);
    let refused = |ru: String, en: String| Err(Error::Core(mestno_core::Error::Refused(Text::new(ru, en))));
    if act.is_dir() {
        return refused(
            format!("«{}» — папка, а не файл для акта об уничтожении: данные не уничтожены", act.display()),
            format!("«{}» is a folder, not a file for the act of destruction: nothing was destroyed", act.display()),
        );
    }
    if !folder.is_dir() {
        return refused(
            format!("нет папки «{}» для акта об уничтожении: данные не уничтожены", folder.display()),
            format!("there is no folder «{}» for the act of destruction: nothing was destroyed", folder.display()),
        );
    }
    let record = store.erase_person(id, request).await?;
    let log = record.log;
    let unfinished = |step: Step, detail: Text| Error::Unfinished {
        act_number: log.act_number.clone(),
        log_id: log.id,
        step,
        detail,
    };
    mestno_reports::erasure_act(store, log.id, act)
        .await
        .map_err(|e| unfinished(Step::Act, Text::new(e.to_string(), e.message(Lang::En))))?;
    let core = |e: mestno_core::Error| Text::new(e.to_string(), e.message(Lang::En));
    let removed = store
        .remove_unreferenced_files(&record.unreferenced_files)
        .await
        .map_err(|e| unfinished(Step::Files, core(e)))?;
    store.compact().await.map_err(|e| unfinished(Step::Compact, core(e)))?;
    Ok(Erased { log, act: act.to_path_buf(), files_removed: removed.len() as u64 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unfinished_erasure_names_the_act_and_the_log_entry_in_both_languages() {
        let e = Error::Unfinished {
            act_number: "1/2025".into(),
            log_id: Id::nil(),
            step: Step::Act,
            detail: Text::new("диск заполнен", "the disk is full"),
        };
        assert!(e.to_string().starts_with("данные уничтожены (акт № 1/2025"), "{e}");
        assert!(e.message(Lang::En).contains("the act was not written"), "{}", e.message(Lang::En));
        assert_eq!(e.code(), ErrorCode::Io, "the data are gone; what failed is writing a file");
    }
}
