//! Reads tauri.conf.json and the capabilities, and declares the app's own commands so that each
//! needs a permission: a command the main window's capability does not grant cannot be called.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(mestno_commands());
    let attributes = tauri_build::Attributes::new()
        .app_manifest(manifest)
        .capabilities_path_pattern("./src-tauri/capabilities/**/*");
    tauri_build::try_build(attributes).expect("tauri build step");
}

/// The commands of the office's table (`mestno_office::NAMES`), as `commands.in` lists them; a
/// test in `tests/app` fails when the list differs from the table.
fn mestno_commands() -> &'static [&'static str] {
    &include!("commands.in")
}
