//! The backup folder: copies named by the office's date (`mestno-backup-2025-10-28.sqlite`, a
//! second one that day `mestno-backup-2025-10-28-2.sqlite`), each with its key file beside it
//! (`….sqlite.key.json`), and the oldest beyond the number kept deleted. Only files named so are
//! ever listed or deleted: whatever else the stick holds is left alone.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use mestno_core::vault::{BackupReport, key_file_path};
use mestno_core::{Error, Result, Store, Text};
use serde::Serialize;

const PREFIX: &str = "mestno-backup-";
const EXTENSION: &str = ".sqlite";
/// A copy being written: renamed to its name once whole.
const PART: &str = ".part";

/// One copy in the backup folder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackupCopy {
    /// The file.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub path: PathBuf,
    /// The office's date it was made on.
    pub made_on: NaiveDate,
    /// Its size.
    pub bytes: u64,
}

/// The name of the `n`-th copy made on `day` (the first is 1).
pub(super) fn name(day: NaiveDate, n: u32) -> String {
    match n {
        0 | 1 => format!("{PREFIX}{day}{EXTENSION}"),
        n => format!("{PREFIX}{day}-{n}{EXTENSION}"),
    }
}

/// The day and number of a copy's file name; none for any other file.
pub(super) fn parse(name: &str) -> Option<(NaiveDate, u32)> {
    let stem = name.strip_prefix(PREFIX)?.strip_suffix(EXTENSION)?;
    let (day, n) = match stem.get(10..) {
        Some("") => (stem, 1),
        Some(rest) => (&stem[..10], rest.strip_prefix('-')?.parse().ok().filter(|n| *n >= 2)?),
        None => return None,
    };
    let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    // Only the name this module writes: no other spelling of the same day.
    (name == self::name(day, n)).then_some((day, n))
}

/// The copies in `folder`, newest first. Fails when the folder cannot be read.
pub fn copies(folder: &Path) -> std::io::Result<Vec<BackupCopy>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let Some((day, n)) = entry.file_name().to_str().and_then(parse) else {
            continue;
        };
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        if meta.is_file() {
            found.push(((day, n), BackupCopy { path: entry.path(), made_on: day, bytes: meta.len() }));
        }
    }
    found.sort_by_key(|(key, _)| std::cmp::Reverse(*key));
    Ok(found.into_iter().map(|(_, copy)| copy).collect())
}

/// Writes a copy of `store` into `folder`, named by `today`: first under a temporary name, then
/// renamed, with its key file, once whole — a stick pulled out midway leaves no copy that looks
/// whole.
pub(super) async fn write(store: &Store, folder: &Path, today: NaiveDate) -> Result<BackupReport> {
    if !folder.is_dir() {
        return Err(Error::Refused(Text::new(
            format!("папка «{}» недоступна: вставьте флешку или выберите другую папку", folder.display()),
            format!("the folder «{}» cannot be reached: put the stick in or choose another folder", folder.display()),
        )));
    }
    let n = copies(folder)
        .map_err(|e| io(folder, e))?
        .iter()
        .filter_map(|c| c.path.file_name()?.to_str().and_then(parse))
        .filter(|(day, _)| *day == today)
        .map(|(_, n)| n + 1)
        .max()
        .unwrap_or(1);
    let path = folder.join(name(today, n));
    let mut part = path.clone().into_os_string();
    part.push(PART);
    let part = PathBuf::from(part);
    let (key, part_key) = (key_file_path(&path), key_file_path(&part));
    remove(&part)?;
    remove(&part_key)?;
    let written = async {
        store.backup(&part).await?;
        if part_key.exists() {
            std::fs::rename(&part_key, &key).map_err(|e| io(&key, e))?;
        }
        std::fs::rename(&part, &path).map_err(|e| io(&path, e))
    }
    .await;
    if let Err(e) = written {
        let _ = std::fs::remove_file(&part);
        let _ = std::fs::remove_file(&part_key);
        return Err(e);
    }
    let bytes = std::fs::metadata(&path).map_err(|e| io(&path, e))?.len();
    Ok(BackupReport { path, bytes })
}

/// Deletes the oldest copies in `folder` beyond the newest `keep` (never `just_made`), each with
/// its key file; the copies deleted.
pub(super) fn rotate(folder: &Path, keep: u32, just_made: &Path) -> Result<Vec<PathBuf>> {
    let keep = usize::try_from(keep.max(1)).unwrap_or(usize::MAX);
    let mut deleted = Vec::new();
    for copy in copies(folder).map_err(|e| io(folder, e))?.into_iter().skip(keep) {
        if copy.path == just_made {
            continue;
        }
        remove(&key_file_path(&copy.path))?;
        remove(&copy.path)?;
        deleted.push(copy.path);
    }
    Ok(deleted)
}

fn remove(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(path, e)),
        _ => Ok(()),
    }
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io { path: path.to_path_buf(), source }
}
