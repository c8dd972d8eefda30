//! Reading a file into a [`Source`]: the format is told by the bytes, not by the extension
//! (offices rename files; an «.xls» is often an HTML page or a CSV).
//!
//! Nothing here panics on a damaged file: a truncated zip, a corrupt OLE container, binary noise
//! all come back as [`Error::Damaged`] or [`Error::NotSpreadsheet`]. The readers are fuzzed
//! (`crates/import/fuzz`).
//!
//! Nor does any file take more memory than an import may (the import as a whole stays within
//! 300 MB): a path that is not a file (a pipe, a device, a folder) is refused before it is
//! opened; a file larger than [`MAX_FILE_BYTES`] before it is read; a zip container (xlsx, ods)
//! whose parts inflate past their limits — a «zip bomb» — before calamine opens it (see
//! `zip_limits`); and the cells read are counted, with the memory they take, as they are read,
//! up to [`MAX_CELLS`] and [`MAX_CELL_BYTES`].

mod excel;
mod text;
mod xls_limits;
mod xlsx_columns;
mod zip_limits;

use std::io::Read;
use std::path::Path;

use mestno_core::Text;

use crate::error::{Error, Result};
use crate::table::{Source, Value};

/// Files larger than this are refused before reading (a registry of 100 000 rows is ~10 MB, a
/// workbook with photographs in it a few tens).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Text files (CSV) larger than this are refused: decoded and split into cells, text takes
/// several times its size (a list of 100 000 contacts is about 10 MB).
pub const MAX_TEXT_BYTES: u64 = 32 * 1024 * 1024;

/// Cells a file may hold, all sheets together (100 000 rows of 40 columns).
pub const MAX_CELLS: usize = 4_000_000;

/// Memory the cells read may take, all sheets together, their texts included.
pub const MAX_CELL_BYTES: usize = 128 * 1024 * 1024;

/// Reads the file at `path`: xlsx, xls, ods or CSV (UTF-8 with or without BOM, UTF-16,
/// Windows-1251; `;`, `,` or tab separated).
///
/// A folder, a named pipe, a device or a socket is refused at once with [`Error::NotAFile`]
/// (a link to a file is followed); a pipe is never waited on.
pub fn open(path: &Path) -> Result<Source> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(Error::NotAFile { path: path.to_path_buf(), what: what_it_is(&meta) });
    }
    let too_large = |len: u64| Error::TooLarge {
        path: path.to_path_buf(),
        what: Text::new(
            format!("{} МБ при пределе {} МБ", len / 1_048_576, MAX_FILE_BYTES / 1_048_576),
            format!("{} MB, the limit being {} MB", len / 1_048_576, MAX_FILE_BYTES / 1_048_576),
        ),
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let file = open_without_waiting(path).map_err(io)?;
    // The path may have been replaced between the look and the opening: what was opened is
    // looked at again.
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(Error::NotAFile { path: path.to_path_buf(), what: what_it_is(&meta) });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // A file that grows while it is read stops at the limit.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    from_bytes(path, bytes)
}

/// Opens for reading; on Unix without blocking, so that a pipe put in a file's place after it was
/// looked at does not wait for a writer (a regular file reads the same either way).
fn open_without_waiting(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

/// What a path that is not a regular file is, for the message.
fn what_it_is(meta: &std::fs::Metadata) -> Text {
    let kind = meta.file_type();
    if kind.is_dir() {
        return Text::new("папка", "a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Text::new("именованный канал", "a named pipe");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Text::new("устройство", "a device");
        }
        if kind.is_socket() {
            return Text::new("сокет", "a socket");
        }
    }
    Text::new("не обычный файл", "not a regular file")
}

/// The cells read so far, all sheets together, and the memory they take: what keeps a file of a
/// few megabytes from filling the memory with cells.
#[derive(Default)]
pub(super) struct Budget {
    cells: usize,
    bytes: usize,
}

impl Budget {
    /// Counts `added` more cell places in a row (blank ones included: they take room too);
    /// false past a limit.
    pub(super) fn cells(&mut self, added: usize) -> bool {
        self.cells += added;
        self.bytes += added * size_of::<Value>();
        self.cells <= MAX_CELLS && self.bytes <= MAX_CELL_BYTES
    }

    /// Counts a new row; false past a limit.
    pub(super) fn row(&mut self) -> bool {
        self.bytes += size_of::<Vec<Value>>();
        self.bytes <= MAX_CELL_BYTES
    }

    /// Counts what `value` holds besides its place (a text's characters, and the allocator's
    /// share); false past a limit.
    pub(super) fn value(&mut self, value: &Value) -> bool {
        if let Value::Text(s) | Value::Error(s) = value {
            self.bytes += s.capacity() + 16;
        }
        self.bytes <= MAX_CELL_BYTES
    }

    /// The error for a file past a limit.
    pub(super) fn exceeded(&self, path: &Path) -> Error {
        let what = if self.cells > MAX_CELLS {
            Text::new(format!("больше {MAX_CELLS} ячеек"), format!("more than {MAX_CELLS} cells"))
        } else {
            let mb = MAX_CELL_BYTES / 1_048_576;
            Text::new(
                format!("его ячейки занимают в памяти больше {mb} МБ"),
                format!("its cells take more than {mb} MB of memory"),
            )
        };
        Error::TooLarge { path: path.to_path_buf(), what }
    }
}

/// Reads a file already in memory; `path` names it in messages.
pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Source> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty { path: path.to_path_buf() });
    }
    let source = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        zip_limits::check(path, &bytes)?;
        excel::read_zip(path, bytes)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        xls_limits::check(path, &bytes)?;
        excel::read_xls(path, bytes)?
    } else if bytes.len() as u64 > MAX_TEXT_BYTES {
        let mb = |n: u64| n / 1_048_576;
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            what: Text::new(
                format!("{} МБ текста при пределе {} МБ", mb(bytes.len() as u64), mb(MAX_TEXT_BYTES)),
                format!("{} MB of text, the limit being {} MB", mb(bytes.len() as u64), mb(MAX_TEXT_BYTES)),
            ),
        });
    } else {
        text::read(path, bytes)?
    };
    if source.tables.iter().all(|t| t.is_blank()) {
        return Err(Error::Empty { path: path.to_path_buf() });
    }
    Ok(source)
}
