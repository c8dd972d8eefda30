//! CSV and other separated text: the encoding and the separator are found, not asked for.
//!
//! Russian Excel saves «CSV (разделители — запятые)» in Windows-1251 with `;` between fields
//! (the comma is the decimal separator); other programs write UTF-8, with or without a BOM, and
//! `,`; «Текст Юникод» is UTF-16 with tabs.

use std::path::Path;

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1251};

use super::Budget;
use crate::error::{Error, Result};
use crate::table::{Format, Source, Table, Value};

/// Separators tried, in order of preference when they fit equally well.
const DELIMITERS: [u8; 4] = [b';', b'\t', b',', b'|'];

/// Lines looked at to choose the separator.
const SAMPLE_LINES: usize = 60;

pub(super) fn read(path: &Path, bytes: Vec<u8>) -> Result<Source> {
    let (text, encoding) = decode(bytes);
    if !looks_like_text(&text) {
        return Err(Error::NotSpreadsheet { path: path.to_path_buf() });
    }
    let head: String = text.chars().take(2048).collect::<String>().to_lowercase();
    if head.contains("<html") || head.contains("<table") || head.contains("<?xml") || head.contains("<!doctype") {
        // An «.xls» saved by a web system is often an HTML page; SpreadsheetML 2003 is XML.
        return Err(Error::NotSpreadsheet { path: path.to_path_buf() });
    }
    let delimiter = choose_delimiter(&text);
    let rows = parse(path, &text, delimiter)?;
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "CSV".into());
    Ok(Source {
        path: path.to_path_buf(),
        format: Format::Csv { encoding: encoding.into(), delimiter: char::from(delimiter) },
        tables: vec![Table { name, rows, ..Default::default() }],
    })
}

/// The text and the name of the encoding it was in. UTF-8 becomes the text without a copy; the
/// bytes of other encodings are let go as soon as they are decoded.
fn decode(mut bytes: Vec<u8>) -> (String, &'static str) {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
        let text = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        return (text, "utf-8");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (UTF_16LE.decode_without_bom_handling(rest).0.into_owned(), "utf-16");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (UTF_16BE.decode_without_bom_handling(rest).0.into_owned(), "utf-16");
    }
    match String::from_utf8(bytes) {
        Ok(s) => (s, "utf-8"),
        Err(e) => (WINDOWS_1251.decode_without_bom_handling(e.as_bytes()).0.into_owned(), "windows-1251"),
    }
}

/// Text has no NULs and hardly any other control characters; binary noise has plenty.
fn looks_like_text(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(65_536) {
        total += 1;
        if c == '\0' || c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\u{c}')) {
            control += 1;
        }
    }
    total > 0 && control * 100 <= total
}

/// The separator that splits the first lines into the most consistent number of fields.
fn choose_delimiter(text: &str) -> u8 {
    let sample: String =
        text.lines().filter(|l| !l.trim().is_empty()).take(SAMPLE_LINES).collect::<Vec<_>>().join("\n");
    let mut best = (0usize, 0usize, b';');
    for d in DELIMITERS {
        let counts: Vec<usize> = reader(&sample, d).records().map_while(|r| r.ok()).map(|r| r.len()).collect();
        let mut freq = std::collections::HashMap::new();
        for &n in counts.iter().filter(|&&n| n > 1) {
            *freq.entry(n).or_insert(0usize) += 1;
        }
        // The most common width among lines that split at all; ties go to the wider one.
        let Some((&width, &lines)) = freq.iter().max_by_key(|&(width, lines)| (*lines, *width)) else { continue };
        if (lines, width) > (best.0, best.1) {
            best = (lines, width, d);
        }
    }
    best.2
}

fn reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .double_quote(true)
        .from_reader(text.as_bytes())
}

/// The rows of `text`, up to the cells and the memory a file may take (see [`Budget`]).
fn parse(path: &Path, text: &str, delimiter: u8) -> Result<Vec<Vec<Value>>> {
    let mut rows = Vec::new();
    let mut budget = Budget::default();
    for record in reader(text, delimiter).records() {
        // The csv reader only fails on invalid UTF-8, which decoded text cannot hold.
        let Ok(record) = record else { break };
        let mut row: Vec<Value> = record
            .iter()
            .map(|f| if f.trim().is_empty() { Value::Empty } else { Value::Text(f.to_string()) })
            .collect();
        while row.last().is_some_and(Value::is_blank) {
            row.pop();
        }
        let fits = budget.row() && budget.cells(row.len()) && row.iter().all(|v| budget.value(v));
        if !fits {
            return Err(budget.exceeded(path));
        }
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1251_with_semicolons_is_read() {
        let text = "ФИО;Телефон;Сумма\nСемёнова Анна;8 913 555-12-34;1 234,50\n";
        let (bytes, _, _) = WINDOWS_1251.encode(text);
        let source = read(Path::new("контакты.csv"), bytes.into_owned()).unwrap();
        assert_eq!(source.format, Format::Csv { encoding: "windows-1251".into(), delimiter: ';' });
        let t = &source.tables[0];
        assert_eq!(t.cell(1, 0), &Value::Text("Семёнова Анна".into()), "«ё» survives the code page");
        assert_eq!(t.cell(1, 2), &Value::Text("1 234,50".into()), "the decimal comma is not a separator");
    }

    #[test]
    fn utf8_with_bom_and_commas_is_read() {
        let text = "\u{feff}ФИО,Телефон\n\"Иванов, Пётр\",89131234567\n";
        let source = read(Path::new("a.csv"), text.as_bytes().to_vec()).unwrap();
        assert_eq!(source.format, Format::Csv { encoding: "utf-8".into(), delimiter: ',' });
        assert_eq!(source.tables[0].cell(0, 0), &Value::Text("ФИО".into()), "the BOM is not part of the first header");
        assert_eq!(source.tables[0].cell(1, 0), &Value::Text("Иванов, Пётр".into()), "quotes keep the comma");
    }

    #[test]
    fn binary_noise_is_not_a_table() {
        let noise: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(read(Path::new("x.csv"), noise), Err(Error::NotSpreadsheet { .. })));
    }
}
