//! The elements of a workbook's XML that readers keep one by one, counted as the parts inflate.

use std::io::{BufReader, Read};

use mestno_core::Text;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{
    MAX_MERGED, MAX_OTHER_ELEMENTS, MAX_SHARED_STRINGS, MAX_SHEETS, MAX_STYLE_ELEMENTS, Part, Refusal, too_many,
};
use crate::read::MAX_CELLS;

/// What the XML parts hold, over the whole workbook.
#[derive(Default)]
pub(super) struct Scan {
    pub(super) inflated: u64,
    shared_strings: u64,
    style_elements: u64,
    merged: u64,
    sheets: u64,
    other: u64,
}

impl Scan {
    /// Parses one XML part as it inflates, counting what readers keep. Stops quietly at the
    /// first thing that is not XML: the reader that reads the part says what is wrong with it.
    pub(super) fn xml<R: Read>(&mut self, part: &mut R, kind: Part) -> Result<(), Refusal> {
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

    #[test]
    fn counts_are_read_as_numbers() {
        assert_eq!(number(b"123"), Some(123));
        assert_eq!(number(b" +7 "), Some(7));
        assert_eq!(number(b"99999999999999999999999"), Some(u64::MAX), "a count too long to read is huge");
        assert_eq!(number(b"1e9"), None);
    }
}
