//! What is written from the office's command table — the window's typed client, its grants and
//! the list `build.rs` makes permissions of — is what is committed.

use std::path::{Path, PathBuf};

use mestno_app::grants;
use mestno_office::{NAMES, client};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// How the committed file at `path` differs from `fresh`: its first line that does; `None` when
/// they are the same.
fn drift(path: &Path, fresh: &str) -> Option<String> {
    let Ok(committed) = std::fs::read_to_string(path) else {
        return Some(format!("missing: {}", path.display()));
    };
    if committed == fresh {
        return None;
    }
    let (line, (old, new)) = committed
        .lines()
        .chain(std::iter::repeat(""))
        .zip(fresh.lines().chain(std::iter::repeat("")))
        .enumerate()
        .find(|(_, (old, new))| old != new)
        .unwrap_or((0, ("", "")));
    Some(format!("{} differs at line {}:\n  committed: {old}\n  generated: {new}", path.display(), line + 1))
}

/// Fails when the file at `relative` (to the repository) differs from `fresh`; with
/// `MESTNO_BLESS=1` it rewrites the file instead.
fn check(relative: &str, fresh: &str) {
    let path: PathBuf = root().join(relative);
    if std::env::var_os("MESTNO_BLESS").is_some() {
        std::fs::write(&path, fresh).unwrap();
        return;
    }
    if let Some(drift) = drift(&path, fresh) {
        panic!(
            "{relative} is not what the command table (crates/office/src/commands/mod.rs) writes; run \
             `MESTNO_BLESS=1 cargo test --test app` and commit it:\n{drift}"
        );
    }
}

#[test]
fn the_windows_typed_client_is_written_from_the_command_table() {
    check("ui/src/ipc/backend.ts", &client::generate());
}

#[test]
fn the_windows_grants_and_the_permissions_build_rs_makes_are_written_from_the_command_table() {
    check("src-tauri/capabilities/main-window.json", &grants::capability(NAMES));
    check("src-tauri/commands.in", &grants::command_list(NAMES));
}

/// A command added to the table and not yet in a committed file is caught, naming the line.
#[test]
fn a_stale_generated_file_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = client::generate();
    let path = dir.path().join("backend.ts");
    let stale: String =
        fresh.lines().filter(|l| !l.contains("'save_office_profile'")).map(|l| format!("{l}\n")).collect();
    std::fs::write(&path, &stale).unwrap();
    let found = drift(&path, &fresh).expect("a client without a command of the table is stale");
    assert!(found.contains("saveOfficeProfile"), "the line that differs is named: {found}");
    std::fs::write(&path, &fresh).unwrap();
    assert_eq!(drift(&path, &fresh), None, "the same text is not");
    assert!(drift(&dir.path().join("none.ts"), &fresh).is_some_and(|d| d.starts_with("missing")), "nor is no file");

    let grants = grants::capability(&NAMES[..NAMES.len() - 1]);
    let path = dir.path().join("main-window.json");
    std::fs::write(&path, grants).unwrap();
    assert!(drift(&path, &grants::capability(NAMES)).is_some(), "a grant missing is caught");
}
