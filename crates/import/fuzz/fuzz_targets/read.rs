//! Any bytes as a file to import: xlsx, xls, ods or CSV, whatever they claim to be. Reading must
//! end in a `Source` or an error, never a panic, a hang or unbounded memory; a `Source` read must
//! then be inspectable for every kind of record.
//!
//! The import runs third-party parsers (calamine) under a guard that turns their panic into «файл
//! повреждён» (`read::excel::guarded`): that is an error, the outcome asked for. libFuzzer's hook
//! would abort on such a panic before the guard sees it, so a panic raised inside a dependency's
//! source is left to unwind to the guard. Any other panic — in Mestno's own code, or one the guard
//! does not catch — still aborts the run as a crash.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mestno_import::Kind;

fuzz_target!(
    init: {
        let crash = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_a_dependency = info.location().is_some_and(|at| {
                let file = at.file().replace('\\', "/");
                file.contains("/.cargo/registry/src/")
            });
            if !in_a_dependency {
                crash(info);
            }
        }));
    },
    |data: &[u8]| {
        if let Ok(source) = mestno_import::from_bytes(Path::new("fuzz"), data.to_vec()) {
            for kind in [Kind::Contacts, Kind::Initiatives, Kind::Events] {
                let workbook = mestno_import::inspect(&source, kind);
                assert_eq!(workbook.sheets.len(), source.tables.len());
            }
        }
    }
);
