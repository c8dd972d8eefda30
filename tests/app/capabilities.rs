//! The window may do what the UI does, and nothing more.

use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn granted() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("src-tauri/capabilities/main-window.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["windows"], serde_json::json!(["main"]));
    json["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).collect()
}

/// Every command is granted to the main window, and beyond them only progress events and the
/// save and open dialogs: no file system, shell, HTTP or opener access from the web side.
#[test]
fn the_main_window_is_granted_exactly_the_apps_commands() {
    let commands: BTreeSet<String> =
        mestno_app::command_names().iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    let granted: BTreeSet<String> = granted().into_iter().collect();
    let missing: Vec<_> = commands.difference(&granted).collect();
    assert!(missing.is_empty(), "commands the window cannot call: {missing:?}");
    let extra: Vec<_> = granted.difference(&commands).filter(|p| !p.starts_with("allow-")).collect();
    assert_eq!(extra, ["core:event:default", "dialog:allow-open", "dialog:allow-save"]);
    assert_eq!(granted.len(), commands.len() + 3, "no grant for a command that does not exist");
}

/// The UI's backend calls only commands the app has, and the app has none the UI never calls.
#[test]
fn the_ui_calls_every_command_and_only_those() {
    let backend = std::fs::read_to_string(root().join("ui/src/ipc/backend.ts")).unwrap();
    let called: BTreeSet<&str> = backend
        .match_indices("call<")
        .filter_map(|(at, _)| {
            let rest = &backend[at..];
            let start = rest.find("('")? + 2;
            let end = rest[start..].find('\'')?;
            Some(&rest[start..start + end])
        })
        .collect();
    let commands: BTreeSet<&str> = mestno_app::command_names().iter().copied().collect();
    assert_eq!(called, commands);
}

/// The content security policy lets nothing in from outside the app.
#[test]
fn the_content_security_policy_is_strict() {
    let conf: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tauri.conf.json")).unwrap()).unwrap();
    let csp = conf["app"]["security"]["csp"].as_str().expect("a CSP string");
    for rule in ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"] {
        assert!(csp.contains(rule), "{csp}");
    }
    assert!(!csp.contains("http:") || csp.contains("http://ipc.localhost"), "{csp}");
    assert!(!csp.contains("https:") && !csp.contains("unsafe-eval"), "{csp}");
}

/// The app and the `mestno` command find the same office: the per-user data folder is named by
/// the app's identifier.
#[test]
fn the_app_and_the_command_line_share_the_data_folder() {
    let conf: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tauri.conf.json")).unwrap()).unwrap();
    assert_eq!(conf["identifier"], mestno_core::APP_IDENTIFIER);
}
