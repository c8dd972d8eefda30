//! Files that could hurt the computer: a workbook of kilobytes that inflates to hundreds of
//! megabytes, one that lies about its sizes, XML built to be held whole, a named pipe, a device, a
//! folder. Each is refused at once with a message that says why, in Russian and English, and the
//! office's database is left as it was.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use mestno_core::Lang;
use mestno_import::{Error, Kind};

use crate::files::{self, s};
use crate::util::Office;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Контакты" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// A part of a workbook: `head`, then `body` `times` times, then `tail` — written as it goes,
/// so that hundreds of megabytes of it never sit in the test's memory either.
struct Part<'a> {
    name: &'a str,
    head: String,
    body: String,
    times: usize,
    tail: String,
}

impl<'a> Part<'a> {
    fn plain(name: &'a str, text: &str) -> Part<'a> {
        Part { name, head: text.to_string(), body: String::new(), times: 0, tail: String::new() }
    }
}

/// An xlsx of the given parts besides the usual ones (the usual sheet unless one is given),
/// every part deflated.
fn workbook(path: &Path, parts: Vec<Part<'_>>) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    let sheet = format!(
        "{SHEET_HEAD}<row r=\"1\">{}{}</row><row r=\"2\">{}{}</row>{SHEET_TAIL}",
        s("A1", "ФИО"),
        s("B1", "Телефон"),
        s("A2", "Орлова Нина"),
        s("B2", "89131112233")
    );
    let mut all = vec![
        Part::plain("[Content_Types].xml", CONTENT_TYPES),
        Part::plain("_rels/.rels", RELS),
        Part::plain("xl/workbook.xml", WORKBOOK),
        Part::plain("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ];
    if !parts.iter().any(|p| p.name == "xl/worksheets/sheet1.xml") {
        all.push(Part {
            name: "xl/worksheets/sheet1.xml",
            head: sheet,
            body: String::new(),
            times: 0,
            tail: String::new(),
        });
    }
    all.extend(parts);
    for part in all {
        zip.start_file(part.name, options).unwrap();
        zip.write_all(part.head.as_bytes()).unwrap();
        // Bodies go in blocks of about a megabyte.
        let per_block = (1 << 20) / part.body.len().max(1) + 1;
        let block = part.body.repeat(per_block.min(part.times.max(1)));
        let mut left = part.times;
        while left > 0 {
            let n = per_block.min(left);
            let bytes = if n == per_block { block.as_bytes() } else { &block.as_bytes()[..n * part.body.len()] };
            zip.write_all(bytes).unwrap();
            left -= n;
        }
        zip.write_all(part.tail.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// The file refused with «too large», its message in both languages, each holding what is said.
fn assert_too_large(file: &Path, ru: &str, en: &str) {
    let started = Instant::now();
    let err = mestno_import::open(file).expect_err("a hostile file must be refused");
    assert!(matches!(err, Error::TooLarge { .. }), "refused as too large, not {err}");
    assert!(err.to_string().contains(ru), "the Russian message says why: {err}");
    assert!(err.message(Lang::En).contains(en), "the English one too: {}", err.message(Lang::En));
    assert!(!err.message(Lang::En).contains("МБ"), "no Russian in the English message");
    assert!(started.elapsed() < Duration::from_secs(20), "refused without reading it all: {:?}", started.elapsed());
}

#[test]
fn a_workbook_of_kilobytes_that_inflates_to_hundreds_of_megabytes_is_refused_as_a_zip_bomb() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("контакты.xlsx");
    // 300 MB of the same filled cell, deflated to a couple of megabytes.
    let cell = format!("<row>{}</row>", s("A1", "Бомба"));
    let times = 300 * 1024 * 1024 / cell.len();
    workbook(
        &bomb,
        vec![Part {
            name: "xl/worksheets/sheet1.xml",
            head: SHEET_HEAD.to_string(),
            body: cell,
            times,
            tail: SHEET_TAIL.to_string(),
        }],
    );
    let size = std::fs::metadata(&bomb).unwrap().len();
    assert!(size < 4 * 1024 * 1024, "the bomb is small on disk: {size} bytes");
    assert_too_large(&bomb, "zip-бомб", "zip bomb");
}

/// A cell whose reference runs past what a number holds — a column of twenty letters, a row of
/// twenty digits — is a damaged file, said so, not a crash (calamine's own arithmetic overflows
/// on it; the release build keeps calamine's overflow checks so that it says so there too).
#[test]
fn a_cell_reference_too_long_for_a_number_is_a_damaged_file() {
    let dir = tempfile::tempdir().unwrap();
    for reference in ["AAAAAAAAAAAAAAAAAAAA1", "A99999999999999999999"] {
        let file = dir.path().join("контакты.xlsx");
        let sheet =
            format!("{SHEET_HEAD}<row r=\"1\">{}{}</row>{SHEET_TAIL}", s("A1", "ФИО"), s(reference, "Орлова Нина"));
        workbook(&file, vec![Part::plain("xl/worksheets/sheet1.xml", &sheet)]);
        let err = mestno_import::open(&file).expect_err("a reference past every sheet's end is refused");
        assert!(matches!(err, Error::Damaged { .. }), "{reference}: refused as damaged, not {err}");
        assert!(err.to_string().contains("повреждён"), "{reference}: the Russian message says so: {err}");
    }
}

/// Rewrites the sizes the zip declares for `part`, in its local header and in the central
/// directory: what a forged workbook would do.
fn declare_size(file: &Path, part: &str, size: u32) {
    let mut bytes = std::fs::read(file).unwrap();
    let name = part.as_bytes();
    let at = |sig: &[u8; 4], name_at: usize, bytes: &[u8]| -> Vec<usize> {
        (0..bytes.len().saturating_sub(name_at + name.len()))
            .filter(|&i| &bytes[i..i + 4] == sig && bytes[i + name_at..].starts_with(name))
            .collect()
    };
    // Local header: uncompressed size at 22, name at 30. Central directory: at 24, name at 46.
    let (local, central) = (at(b"PK\x03\x04", 30, &bytes), at(b"PK\x01\x02", 46, &bytes));
    assert_eq!((local.len(), central.len()), (1, 1), "the part is found once in each");
    bytes[local[0] + 22..local[0] + 26].copy_from_slice(&size.to_le_bytes());
    bytes[central[0] + 24..central[0] + 28].copy_from_slice(&size.to_le_bytes());
    std::fs::write(file, bytes).unwrap();
}

#[test]
fn a_part_that_declares_gigabytes_is_refused_before_it_is_inflated() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("реестр.xlsx");
    let strings = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>x</t></si></sst>"#;
    workbook(&file, vec![Part::plain("xl/sharedStrings.xml", strings)]);
    declare_size(&file, "xl/sharedStrings.xml", 3_000_000_000);
    assert_too_large(&file, "часть «xl/sharedStrings.xml» разворачивается", "part «xl/sharedStrings.xml» inflates");
}

#[test]
fn a_part_that_declares_a_few_bytes_and_inflates_to_many_is_stopped_all_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("реестр.xlsx");
    // 100 MB of shared strings, declared as 100 bytes: the limit of a part read whole is 48 MB.
    let si = "<si><t>Одна и та же строка</t></si>";
    workbook(
        &file,
        vec![Part {
            name: "xl/sharedStrings.xml",
            head: r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#.into(),
            body: si.into(),
            times: 100 * 1024 * 1024 / si.len(),
            tail: "</sst>".into(),
        }],
    );
    declare_size(&file, "xl/sharedStrings.xml", 100);
    let err = mestno_import::open(&file).expect_err("a part that lies about its size is not read whole");
    // Whether the zip reader stops at the size declared (the part is then cut short) or goes on
    // (the limit stops it), nothing of 100 MB is held: refused as damaged or as too large.
    assert!(matches!(err, Error::TooLarge { .. } | Error::Damaged { .. }), "{err}");
}

#[test]
fn a_count_of_strings_that_would_set_aside_terabytes_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("реестр.xlsx");
    // calamine makes room for as many strings as `uniqueCount` says before it reads one.
    let strings = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="100000000000"><si><t>x</t></si></sst>"#;
    workbook(&file, vec![Part::plain("xl/sharedStrings.xml", strings)]);
    assert_too_large(&file, "общих строк", "shared strings");
}

#[test]
fn a_single_text_of_megabytes_is_refused_before_a_reader_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("контакты.xlsx");
    workbook(
        &file,
        vec![Part {
            name: "xl/worksheets/sheet1.xml",
            head: format!(r#"{SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>"#),
            body: "длинный текст ".into(),
            times: 8 * 1024 * 1024 / "длинный текст ".len(),
            tail: format!("</t></is></c></row>{SHEET_TAIL}"),
        }],
    );
    assert_too_large(&file, "элемент XML длиннее", "XML item longer");
}

#[test]
fn a_quarter_million_merged_ranges_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("реестр.xlsx");
    workbook(
        &file,
        vec![Part {
            name: "xl/worksheets/sheet1.xml",
            head: format!("{SHEET_HEAD}<row r=\"1\">{}</row></sheetData><mergeCells>", s("A1", "ФИО")),
            body: r#"<mergeCell ref="A1:B2"/>"#.into(),
            times: 250_000,
            tail: "</mergeCells></worksheet>".into(),
        }],
    );
    assert_too_large(&file, "объединённых диапазонов", "merged ranges");
}

#[test]
fn an_ods_row_repeated_a_million_times_is_refused_before_it_is_expanded() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("контакты.ods");
    // One filled cell repeated across 1 000 columns, its row repeated a million times: calamine
    // would make a block of a thousand million cells of it.
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Лист1"><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let file_out = std::fs::File::create(&file).unwrap();
    let mut zip = zip::ZipWriter::new(file_out);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.finish().unwrap();
    assert_too_large(&file, "ячеек", "cells");
}

#[test]
fn text_of_millions_of_tiny_cells_is_refused_at_the_limit_of_cells() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("контакты.csv");
    // 20 MB of «1;»: ten million cells, each a text of its own once read.
    let line = format!("{}1\n", "1;".repeat(999));
    std::fs::write(&file, format!("ФИО;Телефон\n{}", line.repeat(20 * 1024 * 1024 / line.len()))).unwrap();
    assert_too_large(&file, "ячей", "cells");
}

/// Calls `open` on another thread and waits for it at most a few seconds: a test of a pipe must
/// fail, not hang, if the pipe were waited on.
fn open_in_time(path: &Path) -> mestno_import::Result<mestno_import::Source> {
    let (tx, rx) = std::sync::mpsc::channel();
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(mestno_import::open(&path));
    });
    rx.recv_timeout(Duration::from_secs(5)).expect("open returned at once instead of waiting on the path")
}

fn assert_not_a_file(path: &Path, ru: &str, en: &str) {
    let err = open_in_time(path).expect_err("not a file");
    assert!(matches!(err, Error::NotAFile { .. }), "refused as not a file, not {err}");
    assert!(err.to_string().contains(ru), "the Russian message says what it is: {err}");
    assert!(err.to_string().contains("выберите файл .xlsx"), "and what to do instead: {err}");
    assert!(err.message(Lang::En).contains(en), "the English one too: {}", err.message(Lang::En));
    assert_eq!(err.code(), mestno_core::ErrorCode::Invalid);
}

#[cfg(unix)]
#[tokio::test]
async fn a_named_pipe_a_device_and_a_folder_are_refused_at_once_and_nothing_is_written() {
    let o = Office::new().await;
    let before = o.fingerprint().await;
    let pipe = o.path("контакты.xlsx");
    let made = std::process::Command::new("mkfifo").arg(&pipe).status().expect("mkfifo runs");
    assert!(made.success(), "the pipe is made");
    assert_not_a_file(&pipe, "именованный канал", "a named pipe");
    // A link is followed: to a pipe it is refused, to a file it reads the file.
    let link = o.path("ссылка.xlsx");
    std::os::unix::fs::symlink(&pipe, &link).unwrap();
    assert_not_a_file(&link, "именованный канал", "a named pipe");
    assert_not_a_file(Path::new("/dev/zero"), "устройство", "a device");
    assert_not_a_file(o.dir.path(), "папка", "a folder");
    let real = o.path("контакты.csv");
    files::cp1251(&real, "ФИО;Телефон\nОрлова Нина;89131112233\n");
    let to_real = o.path("ссылка на файл.csv");
    std::os::unix::fs::symlink(&real, &to_real).unwrap();
    let plan = o.plan(&to_real, Kind::Contacts, |_| {}).await;
    assert_eq!(plan.ready(), 1, "a link to a file is read as the file");
    assert_eq!(o.fingerprint().await, before, "nothing was written by any of it");
}

#[tokio::test]
async fn a_refused_workbook_leaves_the_database_as_it_was() {
    let o = Office::new().await;
    let before = o.fingerprint().await;
    let bomb = o.path("бомба.xlsx");
    let strings = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="99999999999"><si><t>x</t></si></sst>"#;
    workbook(&bomb, vec![Part::plain("xl/sharedStrings.xml", strings)]);
    assert!(matches!(mestno_import::open(&bomb), Err(Error::TooLarge { .. })));
    assert_eq!(o.fingerprint().await, before, "a refused file writes nothing");
    // The ordinary workbook this one was made from imports as ever.
    let fine = o.path("контакты.xlsx");
    workbook(&fine, vec![]);
    assert_eq!(o.plan(&fine, Kind::Contacts, |_| {}).await.ready(), 1, "the same workbook without the bomb imports");
}
