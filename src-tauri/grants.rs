//! What the window is granted, written from the office's command table: the capability file
//! `src-tauri/capabilities/main-window.json` (every command, the progress events and the save
//! and open dialogs, nothing else) and `src-tauri/commands.in`, the list `build.rs` turns into
//! one permission per command. Both are committed; `tests/app` fails when either differs from
//! what the table writes, and `MESTNO_BLESS=1 cargo test --test app` rewrites them.

/// The grants beyond the app's own commands: progress events, the save dialog for reports and
/// the open dialog for imports.
pub const OTHER_GRANTS: [&str; 3] = ["core:event:default", "dialog:allow-save", "dialog:allow-open"];

/// The permission that lets the window call command `name` (`allow-save-territory`).
pub fn permission(name: &str) -> String {
    format!("allow-{}", name.replace('_', "-"))
}

/// `src-tauri/capabilities/main-window.json` for `names`.
pub fn capability(names: &[&str]) -> String {
    let permissions: Vec<String> =
        OTHER_GRANTS.iter().map(|g| (*g).to_owned()).chain(names.iter().map(|n| permission(n))).collect();
    let capability = Capability {
        identifier: "main-window",
        description: "What the office's main window may do: the app's own commands, events for progress, the save \
                      dialog for reports and the open dialog for imports. No file system, shell or network access.",
        windows: ["main"],
        permissions,
    };
    let mut text = serde_json::to_string_pretty(&capability).unwrap_or_default();
    text.push('\n');
    text
}

/// A capability file, its fields in the order Tauri's documentation writes them.
#[derive(serde::Serialize)]
struct Capability {
    identifier: &'static str,
    description: &'static str,
    windows: [&'static str; 1],
    permissions: Vec<String>,
}

/// `src-tauri/commands.in` for `names`: a Rust array of the names, as `build.rs` includes it.
pub fn command_list(names: &[&str]) -> String {
    let mut text = String::from(
        "// Generated from the office's command table (mestno_office::NAMES) for build.rs, which makes\n\
         // each command a permission. Do not edit; run `MESTNO_BLESS=1 cargo test --test app`.\n[\n",
    );
    for name in names {
        text.push_str(&format!("    \"{name}\",\n"));
    }
    text.push_str("]\n");
    text
}
