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

use std::io::{BufReader, Cursor, Read};
use std::path::Path;

use mestno_core::Text;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::MAX_CELLS;
use crate::error::{Error, Result};

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

/// The length of the XML piece being read — text up to a `<`, a tag up to its `>` outside
/// quotes, a comment, CDATA, a processing instruction or a declaration up to its end — tracked
/// byte by byte across reads, as a parser would buffer it.
#[derive(Default)]
struct Pieces {
    state: Piece,
    length: u64,
    /// The longest piece ended so far (for the tests).
    #[cfg(test)]
    longest: u64,
    /// After `<!`: the bytes seen, to tell a comment from CDATA from a declaration.
    bang: Vec<u8>,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Piece {
    #[default]
    Text,
    Open,
    Tag {
        quote: u8,
    },
    Bang,
    Comment {
        dashes: u8,
    },
    CData {
        brackets: u8,
    },
    Instruction {
        question: bool,
    },
    Declaration {
        depth: u32,
        quote: u8,
    },
}

impl Pieces {
    /// Takes the next bytes; false once a piece is longer than [`MAX_XML_PIECE`].
    fn feed(&mut self, bytes: &[u8]) -> bool {
        let mut i = 0;
        while i < bytes.len() {
            let rest = &bytes[i..];
            let (used, ended) = match self.state {
                Piece::Text => match memchr::memchr(b'<', rest) {
                    Some(k) => {
                        self.state = Piece::Open;
                        (k + 1, true)
                    }
                    None => (rest.len(), false),
                },
                Piece::Tag { quote: 0 } => match memchr::memchr3(b'>', b'"', b'\'', rest) {
                    Some(k) if rest[k] == b'>' => {
                        self.state = Piece::Text;
                        (k + 1, true)
                    }
                    Some(k) => {
                        self.state = Piece::Tag { quote: rest[k] };
                        (k + 1, false)
                    }
                    None => (rest.len(), false),
                },
                Piece::Tag { quote } => match memchr::memchr(quote, rest) {
                    Some(k) => {
                        self.state = Piece::Tag { quote: 0 };
                        (k + 1, false)
                    }
                    None => (rest.len(), false),
                },
                _ => (1, self.step(rest[0])),
            };
            i += used;
            self.length += used as u64;
            if self.length > MAX_XML_PIECE {
                return false;
            }
            if ended {
                #[cfg(test)]
                {
                    self.longest = self.longest.max(self.length - u64::from(self.state == Piece::Open));
                }
                // The `<` that ends a text begins the next piece.
                self.length = u64::from(self.state == Piece::Open);
            }
        }
        true
    }

    /// One byte of the slower states; true when it ends the piece.
    fn step(&mut self, b: u8) -> bool {
        self.state = match (self.state, b) {
            (Piece::Open, b'!') => {
                self.bang.clear();
                Piece::Bang
            }
            (Piece::Open, b'?') => Piece::Instruction { question: false },
            (Piece::Open, b'>') => return self.end(),
            (Piece::Open, b'"' | b'\'') => Piece::Tag { quote: b },
            (Piece::Open, _) => Piece::Tag { quote: 0 },
            (Piece::Bang, _) => {
                self.bang.push(b);
                if self.bang == b"--" {
                    Piece::Comment { dashes: 0 }
                } else if self.bang == b"[CDATA[" {
                    Piece::CData { brackets: 0 }
                } else if b"--".starts_with(&self.bang) || b"[CDATA[".starts_with(&self.bang) {
                    Piece::Bang
                } else if b == b'>' {
                    return self.end();
                } else {
                    let depth = self.bang.iter().filter(|&&c| c == b'[').count() as u32;
                    Piece::Declaration { depth, quote: 0 }
                }
            }
            (Piece::Comment { dashes }, b'>') if dashes >= 2 => return self.end(),
            (Piece::Comment { dashes }, b'-') => Piece::Comment { dashes: dashes.saturating_add(1) },
            (Piece::Comment { .. }, _) => Piece::Comment { dashes: 0 },
            (Piece::CData { brackets }, b'>') if brackets >= 2 => return self.end(),
            (Piece::CData { brackets }, b']') => Piece::CData { brackets: brackets.saturating_add(1) },
            (Piece::CData { .. }, _) => Piece::CData { brackets: 0 },
            (Piece::Instruction { question: true }, b'>') => return self.end(),
            (Piece::Instruction { .. }, _) => Piece::Instruction { question: b == b'?' },
            (Piece::Declaration { depth, quote: 0 }, b'"' | b'\'') => Piece::Declaration { depth, quote: b },
            (Piece::Declaration { depth, quote }, _) if quote != 0 => {
                Piece::Declaration { depth, quote: if b == quote { 0 } else { quote } }
            }
            (Piece::Declaration { depth, .. }, b'[') => Piece::Declaration { depth: depth + 1, quote: 0 },
            (Piece::Declaration { depth, .. }, b']') => Piece::Declaration { depth: depth.saturating_sub(1), quote: 0 },
            (Piece::Declaration { depth: 0, .. }, b'>') => return self.end(),
            (state, _) => state,
        };
        false
    }

    fn end(&mut self) -> bool {
        self.state = Piece::Text;
        true
    }
}

/// What the XML parts hold, over the whole workbook.
#[derive(Default)]
struct Scan {
    inflated: u64,
    shared_strings: u64,
    style_elements: u64,
    merged: u64,
    sheets: u64,
    other: u64,
}

impl Scan {
    /// Parses one XML part as it inflates, counting what readers keep. Stops quietly at the
    /// first thing that is not XML: the reader that reads the part says what is wrong with it.
    fn xml<R: Read>(&mut self, part: &mut R, kind: Part) -> Result<(), Refusal> {
        let mut reader = Reader::from_reader(BufReader::new(part));
        reader.config_mut().check_end_names = false;
        let mut ods = OdsCells::default();
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let (e, empty) = match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e)) => (e, false),
                Ok(Event::Empty(e)) => (e, true),
                Ok(Event::End(e)) if kind == Part::OdsContent => {
                    ods.end(e.name().as_ref())?;
                    continue;
                }
                Ok(Event::Eof) | Err(_) => return Ok(()),
                Ok(_) => continue,
            };
            match kind {
                Part::Styles => {
                    self.style_elements += 1;
                    if self.style_elements > MAX_STYLE_ELEMENTS {
                        return Err(too_many("элементов стилей", "style elements", MAX_STYLE_ELEMENTS));
                    }
                }
                Part::SharedStrings => self.shared_strings(&e)?,
                Part::OdsContent => ods.start(&e, empty)?,
                Part::Other => self.other(&e)?,
            }
        }
    }

    fn shared_strings(&mut self, e: &BytesStart<'_>) -> Result<(), Refusal> {
        let refusal = || too_many("общих строк", "shared strings", MAX_SHARED_STRINGS);
        match e.local_name().as_ref() {
            "sst" => {
                // calamine sets aside room for as many strings as the count says before reading one.
                // A count that is not a number is not read by calamine either.
                let declared = attribute(e, "uniqueCount").and_then(|v| number(v.as_bytes())).unwrap_or(0);
                if declared > MAX_SHARED_STRINGS {
                    return Err(refusal());
                }
            }
            "si" => {
                self.shared_strings += 1;
                if self.shared_strings > MAX_SHARED_STRINGS {
                    return Err(refusal());
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn other(&mut self, e: &BytesStart<'_>) -> Result<(), Refusal> {
        match e.local_name().as_ref() {
            "mergeCell" => {
                self.merged += 1;
                if self.merged > MAX_MERGED {
                    return Err(too_many("объединённых диапазонов", "merged ranges", MAX_MERGED));
                }
            }
            "sheet" => {
                self.sheets += 1;
                if self.sheets > MAX_SHEETS {
                    return Err(too_many("листов", "sheets", MAX_SHEETS));
                }
            }
            "col" | "Relationship" | "definedName" => {
                self.other += 1;
                if self.other > MAX_OTHER_ELEMENTS {
                    return Err(too_many(
                        "описаний столбцов, связей и имён",
                        "column descriptions, relationships and names",
                        MAX_OTHER_ELEMENTS,
                    ));
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// The cells calamine makes of an ods sheet: it reads every sheet whole, repeating a repeated
/// cell and a repeated row as many times as they say, into a block from the first filled row
/// to the last and as wide as the widest. That block's size, over all sheets, is counted here
/// from the same repeats, and must stay within [`ODS_CELLS`].
#[derive(Default)]
struct OdsCells {
    /// Rows of the sheet so far, repeats counted.
    rows: u64,
    /// The sheet's first and last filled row, and its widest filled row.
    first: Option<u64>,
    last: u64,
    width: u64,
    /// The row being read: its repeats, its width so far, where its last filled cell ends.
    row_repeats: u64,
    row_width: u64,
    row_filled: u64,
    /// Blocks of the sheets finished.
    cells: u64,
}

/// Cells of the ods blocks: calamine keeps a value and a formula for each, 56 bytes, empty or not.
const ODS_CELLS: u64 = MAX_CELLS as u64 / 2;
/// calamine's own bounds of an ods sheet.
const ODS_ROWS: u64 = 1_048_576;
const ODS_COLUMNS: u64 = 16_384;

impl OdsCells {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), Refusal> {
        match e.name().as_ref() {
            "table:table" => self.sheet_start(),
            "table:table-row" => {
                let repeats =
                    attribute(e, "table:number-rows-repeated").and_then(|v| number(v.as_bytes())).unwrap_or(1);
                self.row_repeats = repeats.min(ODS_ROWS.saturating_sub(self.rows));
                self.row_width = 0;
                self.row_filled = 0;
                if empty {
                    self.row_end();
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let repeats =
                    attribute(e, "table:number-columns-repeated").and_then(|v| number(v.as_bytes())).unwrap_or(1);
                self.row_width = (self.row_width.saturating_add(repeats)).min(ODS_COLUMNS);
                // A cell with a value, a formula or content of its own fills its columns.
                let filled =
                    !empty || attribute(e, "office:value-type").is_some() || attribute(e, "table:formula").is_some();
                if filled {
                    self.row_filled = self.row_width;
                }
            }
            _ => {}
        }
        self.check()
    }

    fn end(&mut self, name: &str) -> Result<(), Refusal> {
        match name {
            "table:table-row" => self.row_end(),
            "table:table" => self.sheet_end(),
            _ => {}
        }
        self.check()
    }

    fn sheet_start(&mut self) {
        self.sheet_end();
        self.rows = 0;
    }

    fn row_end(&mut self) {
        if self.row_filled > 0 {
            self.first.get_or_insert(self.rows);
            self.last = self.rows + self.row_repeats;
            self.width = self.width.max(self.row_filled);
        }
        self.rows += self.row_repeats;
        self.row_repeats = 0;
    }

    fn sheet_end(&mut self) {
        if let Some(first) = self.first.take() {
            self.cells = self.cells.saturating_add((self.last - first).saturating_mul(self.width));
        }
        self.width = 0;
        self.last = 0;
    }

    fn check(&self) -> Result<(), Refusal> {
        let open = self.first.map_or(0, |first| (self.last - first).saturating_mul(self.width));
        let cells = self.cells.saturating_add(open);
        if cells > ODS_CELLS {
            return Err(Refusal(Text::new(
                format!("её листы разворачиваются больше чем в {ODS_CELLS} ячеек"),
                format!("its sheets expand to more than {ODS_CELLS} cells"),
            )));
        }
        Ok(())
    }
}

/// The value of the attribute `name` (qualified), unescaped as far as numbers need.
fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| a.value.into_owned())
}

/// A whole number written in decimal, saturating (a count too long to read is huge, not small);
/// `None` for anything else.
fn number(text: &[u8]) -> Option<u64> {
    let digits = text.trim_ascii();
    let digits = digits.strip_prefix(b"+").unwrap_or(digits);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0u64, |n, d| n.saturating_mul(10).saturating_add(u64::from(d - b'0'))))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The longest piece of `xml`, fed a byte at a time.
    fn longest(xml: &[u8]) -> Option<u64> {
        let mut p = Pieces::default();
        for b in xml {
            if !p.feed(std::slice::from_ref(b)) {
                return None;
            }
        }
        Some(p.longest)
    }

    #[test]
    fn a_piece_is_measured_whatever_hides_its_end() {
        assert_eq!(longest(b"<a>hello</a>"), Some(5), "a text up to the next tag");
        assert_eq!(longest(br#"<a b="x>y>z">"#), Some(13), "a '>' in quotes does not end a tag");
        assert_eq!(longest(b"<!-- a > b --><a/>"), Some(14), "nor does one in a comment");
        assert_eq!(longest(b"<![CDATA[ <x> ]]>"), Some(17), "nor one in CDATA");
        assert_eq!(longest(b"<?xml version=\"1.0\"?><a/>"), Some(21), "a declaration ends at ?>");
    }

    #[test]
    fn a_piece_past_the_limit_is_caught_while_it_streams() {
        let mut p = Pieces::default();
        assert!(p.feed(b"<c><t>"));
        let chunk = vec![b'x'; 1 << 20];
        let fed = (0..8).take_while(|_| p.feed(&chunk)).count();
        assert_eq!(fed, 4, "a text past 4 MB is refused as it arrives, not once it is whole");
        let mut p = Pieces::default();
        let quoted: Vec<u8> = b"<c v=\"".iter().copied().chain(std::iter::repeat_n(b'>', 5 << 20)).collect();
        assert!(!p.feed(&quoted), "a long attribute full of '>' is one piece");
    }

    #[test]
    fn counts_are_read_as_numbers() {
        assert_eq!(number(b"123"), Some(123));
        assert_eq!(number(b" +7 "), Some(7));
        assert_eq!(number(b"99999999999999999999999"), Some(u64::MAX), "a count too long to read is huge");
        assert_eq!(number(b"1e9"), None);
    }
}
