//! Any bytes as a file to import: xlsx, xls, ods or CSV, whatever they claim to be. Reading must
//! end in a `Source` or an error, never a panic, a hang or unbounded memory; a `Source` read must
//! then be inspectable for every kind of record.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mestno_import::Kind;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = mestno_import::from_bytes(Path::new("fuzz"), data.to_vec()) {
        for kind in [Kind::Contacts, Kind::Initiatives, Kind::Events] {
            let workbook = mestno_import::inspect(&source, kind);
            assert_eq!(workbook.sheets.len(), source.tables.len());
        }
    }
});
