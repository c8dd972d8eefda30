//! What the app was started with: a spreadsheet named on its command line (`mestno-app
//! реестр.xlsx`, which is what «Открыть в Mestno» in a file manager runs), to open in the import
//! wizard once the office is open, or an exchange package (`*.mestno-sync`, opened from a USB
//! stick or a mail), to preview on the «Обмен данными» screen.
//!
//! The command line is read by [`crate::run`] only; here it is looked at as a list of
//! arguments, so the tests can give any.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// The extensions of the files the import reads (the open dialog offers the same).
pub const IMPORT_EXTENSIONS: [&str; 4] = ["xlsx", "xls", "ods", "csv"];

/// The extension of exchange packages.
pub const PACKAGE_EXTENSION: &str = "mestno-sync";

/// The first of `args` (the command line without the program's name) that names an existing
/// regular file the import reads, or an exchange package, made absolute against the current folder. Flags (`-x`,
/// `--flag`) are passed over, as are paths that are not regular files (a pipe or a device is
/// never opened, so never waited on), files of other kinds, and names that are not valid
/// UTF-8 (the window could not hand them back).
pub fn file_to_open<I>(args: I) -> Option<PathBuf>
where
    I: IntoIterator<Item = OsString>,
{
    args.into_iter().filter_map(|arg| arg.into_string().ok()).find_map(|arg| importable(&arg))
}

/// `arg` as an absolute path if it names a regular file with one of [`IMPORT_EXTENSIONS`] or
/// [`PACKAGE_EXTENSION`].
fn importable(arg: &str) -> Option<PathBuf> {
    if arg.is_empty() || arg.starts_with('-') {
        return None;
    }
    let path = Path::new(arg);
    let extension = path.extension()?.to_str()?;
    if !IMPORT_EXTENSIONS.iter().chain([&PACKAGE_EXTENSION]).any(|x| x.eq_ignore_ascii_case(extension)) {
        return None;
    }
    // `metadata` follows a link to what it names and opens nothing.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    std::path::absolute(path).ok().filter(|p| p.to_str().is_some())
}

/// The file the app was started with, until the window takes it (once).
#[derive(Debug, Default)]
pub struct OpenFile(Mutex<Option<PathBuf>>);

impl OpenFile {
    /// Keeps `path` for the window.
    pub fn new(path: Option<PathBuf>) -> Self {
        OpenFile(Mutex::new(path))
    }

    /// The file, the first time only: a window that reloads does not open it again.
    pub fn take(&self) -> Option<PathBuf> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_first_spreadsheet_after_the_flags_is_taken_made_absolute() {
        let dir = tempfile::tempdir().unwrap();
        let registry = dir.path().join("Реестр 2025.XLSX");
        let notes = dir.path().join("заметки.txt");
        let list = dir.path().join("старосты.csv");
        for f in [&registry, &notes, &list] {
            std::fs::write(f, "").unwrap();
        }
        let given =
            args(&["--automation", "-v", notes.to_str().unwrap(), registry.to_str().unwrap(), list.to_str().unwrap()]);
        assert_eq!(
            file_to_open(given),
            Some(registry),
            "flags and a text file are passed over; the case of .XLSX does not matter"
        );

        let cwd = std::env::current_dir().unwrap();
        let relative = "Cargo.toml";
        assert_eq!(file_to_open(args(&[relative])), None, "not a spreadsheet");
        let made = tempfile::Builder::new().suffix(".ods").tempfile_in(&cwd).unwrap();
        let name = made.path().file_name().unwrap().to_str().unwrap();
        assert_eq!(
            file_to_open(args(&[name])),
            Some(cwd.join(name)),
            "a name relative to the current folder is made absolute"
        );
    }

    #[test]
    fn what_is_not_an_existing_regular_file_is_passed_over() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("папка.xlsx");
        std::fs::create_dir(&folder).unwrap();
        let missing = dir.path().join("нет такого.xlsx");
        assert_eq!(file_to_open(args(&[folder.to_str().unwrap(), missing.to_str().unwrap(), ""])), None);
        assert_eq!(file_to_open(args(&[])), None, "no arguments, no file");
        #[cfg(unix)]
        {
            // A pipe: reading it would wait for a writer that never comes.
            let fifo = dir.path().join("канал.csv");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
            assert!(made, "mkfifo makes the pipe");
            assert_eq!(file_to_open(args(&[fifo.to_str().unwrap()])), None, "a pipe is not opened");
        }
    }

    #[test]
    fn an_exchange_package_is_taken_too() {
        let dir = tempfile::tempdir().unwrap();
        let package = dir.path().join("Берёзовка для района.mestno-sync");
        std::fs::write(&package, "").unwrap();
        assert_eq!(file_to_open(args(&["--flag", package.to_str().unwrap()])), Some(package));
        let sync_folder = dir.path().join("пакеты.mestno-sync");
        std::fs::create_dir(&sync_folder).unwrap();
        assert_eq!(file_to_open(args(&[sync_folder.to_str().unwrap()])), None, "a folder is not a package");
    }

    #[test]
    fn the_window_gets_the_file_once() {
        let file = OpenFile::new(Some(PathBuf::from("/home/office/реестр.xlsx")));
        assert_eq!(file.take(), Some(PathBuf::from("/home/office/реестр.xlsx")));
        assert_eq!(file.take(), None, "a reloaded window does not open it again");
        assert_eq!(OpenFile::default().take(), None);
    }
}
