//! Reading a file into a [`Source`]: the format is told by the bytes, not by the extension
//! (offices rename files; an «.xls» is often an HTML page or a CSV).
//!
//! Nothing here panics on a damaged file: a truncated zip, a corrupt OLE container, binary noise
//! all come back as [`Error::Damaged`] or [`Error::NotSpreadsheet`]. The readers are fuzzed
//! (`crates/import/fuzz`).

mod excel;
mod text;
mod xlsx_columns;

use std::path::Path;

use crate::error::{Error, Result};
use crate::table::Source;

/// Files larger than this are refused before reading (a registry of 100 000 rows is ~10 MB).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Cells a file may hold, all sheets together.
pub const MAX_CELLS: usize = 30_000_000;

/// Reads the file at `path`: xlsx, xls, ods or CSV (UTF-8 with or without BOM, UTF-16,
/// Windows-1251; `;`, `,` or tab separated).
pub fn open(path: &Path) -> Result<Source> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            what: format!("{} МБ при пределе {} МБ", meta.len() / 1_048_576, MAX_FILE_BYTES / 1_048_576),
        });
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    from_bytes(path, bytes)
}

/// Reads a file already in memory; `path` names it in messages.
pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Source> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty { path: path.to_path_buf() });
    }
    let source = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        excel::read_zip(path, bytes)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        excel::read_xls(path, bytes)?
    } else {
        text::read(path, &bytes)?
    };
    let cells: usize = source.tables.iter().flat_map(|t| t.rows.iter()).map(Vec::len).sum();
    if cells > MAX_CELLS {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            what: format!("{cells} ячеек при пределе {MAX_CELLS}"),
        });
    }
    if source.tables.iter().all(|t| t.is_blank()) {
        return Err(Error::Empty { path: path.to_path_buf() });
    }
    Ok(source)
}
