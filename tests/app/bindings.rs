//! The TypeScript the window is built against says what the Rust types say.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the generated declarations are committed.
fn committed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings")
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return BTreeMap::new() };
    entries
        .map(|e| e.expect("a readable folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ts"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("a readable declaration"))
        })
        .collect()
}

/// Fails when `ui/src/bindings` differs from what the Rust types generate; with
/// `MESTNO_BLESS=1` it rewrites them instead.
#[test]
fn bindings_match_the_rust_types() {
    let fresh = tempfile::tempdir().unwrap();
    mestno_app::bindings::export(fresh.path()).expect("the bindings export");
    let generated = read_dir(fresh.path());
    assert!(generated.contains_key("Initiative.ts") && generated.contains_key("codes.ts"), "{:?}", generated.keys());

    if std::env::var_os("MESTNO_BLESS").is_some() {
        let dir = committed();
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &generated {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }

    let committed = read_dir(&committed());
    let mut drift = Vec::new();
    for (name, text) in &generated {
        match committed.get(name) {
            None => drift.push(format!("missing: ui/src/bindings/{name}")),
            Some(old) if old != text => drift.push(format!("differs: ui/src/bindings/{name}")),
            Some(_) => {}
        }
    }
    for name in committed.keys().filter(|n| !generated.contains_key(*n)) {
        drift.push(format!("no longer generated: ui/src/bindings/{name}"));
    }
    assert!(
        drift.is_empty(),
        "the TypeScript bindings drifted from the Rust types; run `MESTNO_BLESS=1 cargo test --test app bindings` \
         and commit ui/src/bindings:\n{}",
        drift.join("\n")
    );
}

/// `codes.ts` names each stage as the reports do.
#[test]
fn codes_carry_both_languages() {
    let fresh = tempfile::tempdir().unwrap();
    mestno_app::bindings::export(fresh.path()).unwrap();
    let codes = std::fs::read_to_string(fresh.path().join("codes.ts")).unwrap();
    assert!(codes.contains(r#"{ code: "selected", ru: "отобран", en: "selected" }"#), "{codes}");
    assert!(codes.contains(r#"code: "residents", ru: "#), "{codes}");
    assert!(codes.contains("export const ENTITIES: readonly Coded<Entity>[]"), "{codes}");
}
