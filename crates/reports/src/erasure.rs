//! Erasing a person on request, as one procedure the command line and the app share: the erasure
//! in the database ([`Store::erase_person`]), the act of destruction written ([`erasure_act`]),
//! the attached files no record needs any more removed, and the database file rewritten without
//! the free space that could still hold the erased values.

use std::path::{Path, PathBuf};

use mestno_core::model::{ErasureLogEntry, ErasureRequest, Id};
use mestno_core::{Lang, Store, Text};
use serde::Serialize;

use crate::error::ErasureStep;
use crate::{Error, Result, erasure_act};

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

/// Erases contact `id` as `request` asks and writes the act of destruction to `act`. Once the
/// erasure is committed, a later step that fails is reported as [`Error::Unfinished`], naming
/// the act's number and the log entry, so the act can be written again from the log.
pub async fn erase_person(store: &Store, id: Id, request: ErasureRequest, act: &Path) -> Result<Erased> {
    let record = store.erase_person(id, request).await?;
    let log = record.log;
    let unfinished = |step: ErasureStep, detail: Text| Error::Unfinished {
        act_number: log.act_number.clone(),
        log_id: log.id,
        step,
        detail,
    };
    erasure_act(store, log.id, act)
        .await
        .map_err(|e| unfinished(ErasureStep::Act, Text::new(e.to_string(), e.message(Lang::En))))?;
    let core = |e: mestno_core::Error| Text::new(e.to_string(), e.message(Lang::En));
    let removed = store
        .remove_unreferenced_files(&record.unreferenced_files)
        .await
        .map_err(|e| unfinished(ErasureStep::Files, core(e)))?;
    store.compact().await.map_err(|e| unfinished(ErasureStep::Compact, core(e)))?;
    Ok(Erased { log, act: act.to_path_buf(), files_removed: removed.len() as u64 })
}
