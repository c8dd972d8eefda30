//! The limits of a zip container (xlsx, ods), checked before calamine opens it.
//!
//! A workbook of a few kilobytes can inflate to gigabytes (a zip bomb), declare sizes it does not
//! have, or hold XML that a reader keeps whole: a single text or tag of a gigabyte, millions of
//! shared strings, styles or merged ranges, an ods row repeated a million times. calamine reads
//! the shared strings, the styles, the merged ranges and every ods sheet into memory, so all of
//! that is measured here first, and a workbook past a limit is refused with the limit named.
//!
//! Every part is inflated once into a small buffer that is thrown away. Its declared size is
//! checked first, then its real size as it inflates, so a part that lies about its size is
//! stopped at the limit all the same; so is a part that inflates to more than [`MAX_RATIO`] times
//! its compressed size past its first [`RATIO_GRACE`] bytes, which is what a bomb does and a sheet
//! does not (Apache POI refuses at 100 times too, past 100 KB). XML parts are scanned as they inflate for their longest piece — a tag with its
//! attributes, a text, a comment — before any parser buffers it, and parsed for the elements
//! that readers keep one by one.

use std::io::{Cursor, Read};
use std::path::Path;

use mestno_core::Text;

use crate::error::{Error, Result};

mod pieces;
mod scan;

use pieces::Pieces;
use scan::Scan;

const MB: u64 = 1024 * 1024;

/// Parts a workbook may hold (an ordinary one has a dozen; one with pictures, a few hundred).
const MAX_PARTS: usize = 10_000;
/// The inflated size of one part: a sheet of 100 000 rows by 40 columns is about 350 MB.
const MAX_PART_BYTES: u64 = 512 * MB;
/// The inflated size of a part that readers keep whole — everything but the sheets, which are
/// read cell by cell: the shared strings, the styles, an ods file's content.
const MAX_WHOLE_PART_BYTES: u64 = 48 * MB;
/// The inflated size of all parts together.
const MAX_INFLATED_BYTES: u64 = 1024 * MB;
/// How many times a part may inflate beyond its compressed size, once past [`RATIO_GRACE`]:
/// sheets compress 5 to 30 times, a bomb hundreds of times (Apache POI's limit is the same).
const MAX_RATIO: u64 = 100;
/// Inflated bytes of a part before [`MAX_RATIO`] applies: a small part may compress as it likes.
const RATIO_GRACE: u64 = 16 * MB;
/// The longest piece of XML (a tag with its attributes, a text, a comment): a cell holds at most
/// 32 767 characters, about 200 KB even with every character escaped.
const MAX_XML_PIECE: u64 = 4 * MB;
/// Shared strings: calamine keeps them all, about 40 bytes each besides their text.
const MAX_SHARED_STRINGS: u64 = 1_000_000;
/// Elements of the styles: Excel keeps at most 64 000 cell formats.
const MAX_STYLE_ELEMENTS: u64 = 400_000;
/// Merged ranges over all sheets: calamine keeps each with its sheet's name and path.
const MAX_MERGED: u64 = 200_000;
/// Sheets: calamine reads the sheet list whole, and each sheet is read in turn.
const MAX_SHEETS: u64 = 1_000;
/// Column descriptions (`<col>`) over all sheets, relationships, defined names.
const MAX_OTHER_ELEMENTS: u64 = 200_000;

/// Why a workbook is refused.
struct Refusal(Text);

impl Refusal {
    fn into_error(self, path: &Path) -> Error {
        Error::TooLarge { path: path.to_path_buf(), what: self.0 }
    }
}

fn mb(bytes: u64) -> u64 {
    bytes / MB
}

/// Checks the zip container `bytes` against the limits above. A container the zip reader cannot
/// open at all passes: calamine then says how it is damaged.
pub(super) fn check(path: &Path, bytes: &[u8]) -> Result<()> {
    // Each entry of the central directory starts with this signature; counted before the zip
    // reader, which keeps every entry it finds, reads the directory.
    let entries = memchr::memmem::find_iter(bytes, b"PK\x01\x02").take(MAX_PARTS + 1).count();
    if entries > MAX_PARTS {
        return Err(Refusal(Text::new(
            format!("в книге больше {MAX_PARTS} частей"),
            format!("the workbook has more than {MAX_PARTS} parts"),
        ))
        .into_error(path));
    }
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else { continue };
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let limit = limit_of(&name);
        if part.size() > limit {
            return Err(part_too_large(&name, part.size(), limit).into_error(path));
        }
        if part.size() > RATIO_GRACE && part.size() / part.compressed_size().max(1) > MAX_RATIO {
            return Err(compressed_too_much(&name).into_error(path));
        }
        declared = declared.saturating_add(part.size());
    }
    if declared > MAX_INFLATED_BYTES {
        return Err(total(declared).into_error(path));
    }
    let mut scan = Scan::default();
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index(i) else { continue };
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        let xml = is_xml(&lower);
        let limit = limit_of(&name);
        let compressed = part.compressed_size().clamp(1, bytes.len() as u64);
        let mut reader = Inflating {
            inner: part,
            name: name.clone(),
            limit,
            read: 0,
            compressed,
            before: scan.inflated,
            pieces: xml.then(Pieces::default),
            refusal: None,
        };
        if xml {
            let kind = if lower.ends_with("sharedstrings.xml") {
                Part::SharedStrings
            } else if lower.ends_with("styles.xml") && lower.starts_with("xl/") {
                Part::Styles
            } else if lower == "content.xml" {
                Part::OdsContent
            } else {
                Part::Other
            };
            scan.xml(&mut reader, kind).map_err(|r| r.into_error(path))?;
        }
        // The rest of the part (all of it when it is not XML, or the XML stopped parsing).
        let drained = std::io::copy(&mut reader, &mut std::io::sink());
        if let Some(refusal) = reader.refusal.take() {
            return Err(refusal.into_error(path));
        }
        // A part that cannot be inflated is calamine's to call damaged, if it reads it at all.
        let _ = drained;
        scan.inflated += reader.read;
    }
    Ok(())
}

fn is_xml(lower: &str) -> bool {
    lower.ends_with(".xml") || lower.ends_with(".rels")
}

/// How far the part `name` may inflate: a sheet, read cell by cell, or a part that is not XML,
/// which no reader here reads, up to [`MAX_PART_BYTES`]; XML that readers keep whole, less.
fn limit_of(name: &str) -> u64 {
    let lower = name.to_ascii_lowercase();
    if is_xml(&lower) && !lower.starts_with("xl/worksheets/") { MAX_WHOLE_PART_BYTES } else { MAX_PART_BYTES }
}

fn total(bytes: u64) -> Refusal {
    Refusal(Text::new(
        format!(
            "её части разворачиваются в {} МБ при пределе {} МБ — так устроены «zip-бомбы», а не таблицы",
            mb(bytes),
            mb(MAX_INFLATED_BYTES)
        ),
        format!(
            "its parts inflate to {} MB, the limit being {} MB — zip bombs are made so, tables are not",
            mb(bytes),
            mb(MAX_INFLATED_BYTES)
        ),
    ))
}

fn part_too_large(name: &str, bytes: u64, limit: u64) -> Refusal {
    Refusal(Text::new(
        format!(
            "часть «{name}» разворачивается больше чем в {} МБ при пределе {} МБ — так устроены «zip-бомбы», а не таблицы",
            mb(bytes),
            mb(limit)
        ),
        format!(
            "part «{name}» inflates to more than {} MB, the limit being {} MB — zip bombs are made so, tables are not",
            mb(bytes),
            mb(limit)
        ),
    ))
}

fn compressed_too_much(name: &str) -> Refusal {
    Refusal(Text::new(
        format!("часть «{name}» сжата больше чем в {MAX_RATIO} раз — так сжимаются «zip-бомбы», а не таблицы"),
        format!("part «{name}» is compressed more than {MAX_RATIO} times — zip bombs are, tables are not"),
    ))
}

fn too_many(ru: &str, en: &str, limit: u64) -> Refusal {
    Refusal(Text::new(format!("в книге больше {limit} {ru}"), format!("the workbook has more than {limit} {en}")))
}

/// What is being inflated, as far as the limits go.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    SharedStrings,
    Styles,
    OdsContent,
    Other,
}

/// A part as it inflates: counted, its ratio watched, its XML pieces measured. Past a limit it
/// stops with an error and keeps the reason in `refusal`.
struct Inflating<R> {
    inner: R,
    name: String,
    limit: u64,
    read: u64,
    compressed: u64,
    before: u64,
    pieces: Option<Pieces>,
    refusal: Option<Refusal>,
}

impl<R: Read> Read for Inflating<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.refusal.is_some() {
            return Err(std::io::Error::other("refused"));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        let refusal = if self.read > self.limit {
            Some(part_too_large(&self.name, self.read, self.limit))
        } else if self.before + self.read > MAX_INFLATED_BYTES {
            Some(total(self.before + self.read))
        } else if self.read > RATIO_GRACE && self.read / self.compressed > MAX_RATIO {
            Some(compressed_too_much(&self.name))
        } else if let Some(pieces) = &mut self.pieces
            && !pieces.feed(&buf[..n])
        {
            Some(Refusal(Text::new(
                format!("в части «{}» есть элемент XML длиннее {} МБ", self.name, mb(MAX_XML_PIECE)),
                format!("part «{}» holds an XML item longer than {} MB", self.name, mb(MAX_XML_PIECE)),
            )))
        } else {
            None
        };
        match refusal {
            Some(r) => {
                self.refusal = Some(r);
                Err(std::io::Error::other("refused"))
            }
            None => Ok(n),
        }
    }
}
