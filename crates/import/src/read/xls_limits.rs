//! An old Excel file (.xls: BIFF records in a compound file) looked over before calamine reads
//! it. calamine gives each sheet a grid from its first cell to its last, so a file of two cells,
//! in A1 and in IV65536, would take half a gigabyte; and it reserves room for as many shared
//! strings and as large a sheet as the file declares. The records are read once here — a few
//! bytes each — and a file whose sheets span more than [`MAX_CELLS`] cells, or which declares
//! more shared strings than an import takes, is refused before any of that memory is asked for.

use std::io::{Cursor, Read};
use std::path::Path;

use mestno_core::Text;

use super::MAX_CELLS;
use crate::error::{Error, Result};

/// Shared strings an .xls may declare (as for .xlsx).
const MAX_SHARED_STRINGS: u64 = 1_000_000;

/// BIFF record types that name the cell they are in (row, then column, in their first bytes).
const CELLS: [u16; 9] = [
    0x0203, // NUMBER
    0x027E, // RK
    0x00BD, // MULRK: several columns from the one named
    0x00FD, // LABELSST
    0x0204, // LABEL
    0x0006, // FORMULA
    0x0201, // BLANK
    0x00BE, // MULBLANK: several columns from the one named
    0x0205, // BOOLERR
];
const BOF: u16 = 0x0809;
const DIMENSIONS: u16 = 0x0200;
const SST: u16 = 0x00FC;

/// The span of a sheet's cells.
#[derive(Default)]
struct Span(Option<(u32, u32, u32, u32)>);

impl Span {
    fn add(&mut self, row: u32, first_col: u32, last_col: u32) {
        self.0 = Some(match self.0 {
            None => (row, row, first_col, last_col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(first_col), c1.max(last_col)),
        });
    }

    fn cells(&self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| u64::from(r1 - r0 + 1) * u64::from(c1.saturating_sub(c0) + 1))
    }
}

/// Refuses an .xls whose sheets or declared sizes would take more memory than an import may.
/// A file this cannot read is left for calamine to call damaged.
pub(crate) fn check(path: &Path, bytes: &[u8]) -> Result<()> {
    let Ok(mut file) = cfb::CompoundFile::open(Cursor::new(bytes)) else { return Ok(()) };
    let Some(name) = ["/Workbook", "/Book"].into_iter().find(|n| file.is_stream(n)) else { return Ok(()) };
    let mut stream = Vec::new();
    let Ok(mut reader) = file.open_stream(name) else { return Ok(()) };
    if reader.read_to_end(&mut stream).is_err() {
        return Ok(());
    }
    let too_large = |what: Text| Err(Error::TooLarge { path: path.to_path_buf(), what });
    let grid = |n: u64| {
        Text::new(
            format!("его лист занимает {n} ячеек от первой до последней при пределе {MAX_CELLS}"),
            format!("one of its sheets spans {n} cells from the first to the last, the limit being {MAX_CELLS}"),
        )
    };
    let mut span = Span::default();
    let mut at = 0;
    while at + 4 <= stream.len() {
        let kind = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
        let data = &stream[at + 4..(at + 4 + len).min(stream.len())];
        at += 4 + len;
        let u16_at = |i: usize| data.get(i..i + 2).map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])));
        let u32_at = |i: usize| data.get(i..i + 4).map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])));
        match kind {
            BOF => {
                if span.cells() > MAX_CELLS as u64 {
                    return too_large(grid(span.cells()));
                }
                span = Span::default();
            }
            SST => {
                if let Some(unique) = u32_at(4).filter(|&n| n > MAX_SHARED_STRINGS) {
                    return too_large(Text::new(
                        format!("он объявляет {unique} строк текста при пределе {MAX_SHARED_STRINGS}"),
                        format!("it declares {unique} strings of text, the limit being {MAX_SHARED_STRINGS}"),
                    ));
                }
            }
            DIMENSIONS => {
                // BIFF8: first row, row after the last (32 bits each), first column, column after
                // the last (16 bits each).
                if let (Some(r0), Some(r1), Some(c0), Some(c1)) = (u32_at(0), u32_at(4), u16_at(8), u16_at(10)) {
                    let n = r1.saturating_sub(r0) * u64::from(c1.saturating_sub(c0));
                    if n > MAX_CELLS as u64 {
                        return too_large(grid(n));
                    }
                }
            }
            k if CELLS.contains(&k) => {
                let (Some(row), Some(col)) = (u16_at(0), u16_at(2)) else { continue };
                let last = if matches!(k, 0x00BD | 0x00BE) { data.len().checked_sub(2).and_then(u16_at) } else { None };
                span.add(row, col, last.unwrap_or(col).max(col));
            }
            _ => {}
        }
    }
    if span.cells() > MAX_CELLS as u64 {
        return too_large(grid(span.cells()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(1.0f64.to_le_bytes());
        record(0x0203, &d)
    }

    /// An .xls whose workbook stream holds the globals (with `globals`) and one sheet of `cells`.
    fn xls(globals: &[u8], cells: &[Vec<u8>]) -> Vec<u8> {
        let bof = |kind: u16| record(BOF, &[&0x0600u16.to_le_bytes()[..], &kind.to_le_bytes(), &[0; 12]].concat());
        let eof = record(0x000A, &[]);
        let mut stream = bof(0x0005);
        stream.extend(globals);
        stream.extend(&eof);
        stream.extend(bof(0x0010));
        cells.iter().for_each(|c| stream.extend(c));
        stream.extend(&eof);
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        file.create_stream("/Workbook").unwrap().write_all(&stream).unwrap();
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    #[test]
    fn two_cells_at_opposite_corners_of_an_old_sheet_are_refused_before_calamine_spans_them() {
        let path = Path::new("старый реестр.xls");
        let far = xls(&[], &[number(0, 0), number(65_535, 255)]);
        let err = check(path, &far).unwrap_err();
        assert!(err.to_string().contains("16777216 ячеек"), "{err}");
        assert!(check(path, &xls(&[], &[number(0, 0), number(999, 20)])).is_ok(), "a real registry's span is fine");
    }

    #[test]
    fn a_declared_count_of_shared_strings_no_file_this_size_holds_is_refused() {
        let sst = record(SST, &[&1u32.to_le_bytes()[..], &2_000_000_000u32.to_le_bytes()].concat());
        let err = check(Path::new("f.xls"), &xls(&sst, &[number(0, 0)])).unwrap_err();
        assert!(err.to_string().contains("2000000000 строк"), "{err}");
    }

    #[test]
    fn what_is_not_a_compound_file_is_left_to_the_reader_to_call_damaged() {
        assert!(check(Path::new("f.xls"), b"\xD0\xCF\x11\xE0 cut short").is_ok());
    }
}
