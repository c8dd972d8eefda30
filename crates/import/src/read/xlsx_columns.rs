//! Hidden columns of an xlsx sheet, which calamine does not report: read from the sheet's
//! `<cols>` element, which comes before its cells, so only the sheet's head is parsed.

use std::collections::{BTreeSet, HashMap};
use std::io::{BufReader, Cursor, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// The 0-based columns hidden in the sheet `name`; empty if the file does not say or cannot be read.
pub(super) fn hidden_columns(bytes: &[u8], name: &str) -> BTreeSet<u32> {
    read(bytes, name).unwrap_or_default()
}

fn read(bytes: &[u8], name: &str) -> Option<BTreeSet<u32>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut rel_id = None;
    scan(&mut zip, "xl/workbook.xml", |e| {
        if e.local_name().as_ref() == "sheet" {
            let a = attrs(e);
            if a.get("name").map(String::as_str) == Some(name) {
                rel_id = a.get("id").cloned();
                return false;
            }
        }
        true
    })?;
    let rel_id = rel_id?;
    let mut target = None;
    scan(&mut zip, "xl/_rels/workbook.xml.rels", |e| {
        if e.local_name().as_ref() == "Relationship" {
            let a = attrs(e);
            if a.get("Id") == Some(&rel_id) {
                target = a.get("Target").cloned();
                return false;
            }
        }
        true
    })?;
    let target = target?;
    let part = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    let mut hidden = BTreeSet::new();
    // A sheet has 16 384 columns, so as many descriptions at most; more are not read, and a
    // column already hidden is not inserted again, so that no file makes this take long.
    let mut marked = vec![false; 16_384];
    let mut described = 0;
    scan(&mut zip, &part, |e| match e.local_name().as_ref() {
        "sheetData" => false,
        "col" => {
            described += 1;
            let a = attrs(e);
            let on = a.get("hidden").is_some_and(|v| v == "1" || v == "true");
            let num = |k: &str| a.get(k).and_then(|v| v.parse::<u32>().ok());
            if let (true, Some(min), Some(max)) = (on, num("min"), num("max")) {
                // 1-based in the file; a hidden range may run to the last column (16 384).
                for c in min.max(1)..=max.min(16_384) {
                    if !std::mem::replace(&mut marked[c as usize - 1], true) {
                        hidden.insert(c - 1);
                    }
                }
            }
            described < 16_384
        }
        _ => true,
    })?;
    Some(hidden)
}

/// Calls `visit` on every element of `part` until it returns false or the part ends.
fn scan<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    part: &str,
    mut visit: impl FnMut(&BytesStart<'_>) -> bool,
) -> Option<()> {
    let file = zip.by_name(part).ok()?;
    let mut reader = Reader::from_reader(BufReader::new(file));
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if !visit(&e) => return Some(()),
            Event::Eof => return Some(()),
            _ => {}
        }
        buf.clear();
    }
}

/// An element's attributes by local name (`r:id` → `id`).
fn attrs(e: &BytesStart<'_>) -> HashMap<String, String> {
    e.attributes()
        .flatten()
        .map(|a| {
            let key = a.key.local_name().as_ref().to_string();
            let value =
                a.value.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'");
            (key, value.replace("&amp;", "&"))
        })
        .collect()
}
