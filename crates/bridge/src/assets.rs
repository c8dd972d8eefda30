//! The built UI (`ui/dist-bridge`, `npm run build:bridge`), served under the window's own CSP so
//! that what the browser tests see is what the app enforces, and so that the UI's calls to the
//! bridge are same-origin.

use std::path::{Component, Path, PathBuf};

use anyhow::Context;

/// The app's configuration, read for its CSP: the tests run under the window's policy.
const TAURI_CONF: &str = include_str!("../../../tauri.conf.json");

/// The Content-Security-Policy of `tauri.conf.json`, with the bridge's own origin (`'self'`)
/// added to `connect-src`. In the window the UI reaches the core through Tauri's IPC origins
/// (`ipc:`, `http://ipc.localhost`), which that directive already allows; here the same calls go
/// to the page's own origin instead. Every other directive is the window's, unchanged.
pub fn content_security_policy() -> anyhow::Result<String> {
    let conf: serde_json::Value = serde_json::from_str(TAURI_CONF).context("while reading tauri.conf.json")?;
    let csp = conf
        .pointer("/app/security/csp")
        .and_then(|v| v.as_str())
        .context("tauri.conf.json has no app.security.csp")?;
    Ok(with_self_in_connect_src(csp))
}

fn with_self_in_connect_src(csp: &str) -> String {
    let mut found = false;
    let directives: Vec<String> = csp
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| match d.strip_prefix("connect-src") {
            Some(sources) if sources.is_empty() || sources.starts_with(' ') => {
                found = true;
                format!("connect-src 'self'{sources}")
            }
            _ => d.to_owned(),
        })
        .collect();
    let mut out = directives.join("; ");
    if !found {
        out.push_str("; connect-src 'self'");
    }
    out
}

/// The files of the built UI.
pub struct Assets {
    root: PathBuf,
}

/// A file to send: its bytes and content type.
pub struct Asset {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Its `Content-Type`.
    pub content_type: &'static str,
}

impl Assets {
    /// The UI built into `root`; it may be built after the bridge starts (the browser tests build
    /// it while the bridge makes its demo offices).
    pub fn new(root: PathBuf) -> anyhow::Result<Assets> {
        let root = std::path::absolute(&root).with_context(|| format!("while looking for {}", root.display()))?;
        Ok(Assets { root })
    }

    /// Whether the UI is built (its `index.html` is there).
    pub fn is_built(&self) -> bool {
        self.root.join("index.html").is_file()
    }

    /// Where the UI is.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file at the URL path `path`; `None` for a path outside the build or a missing file.
    pub async fn get(&self, path: &str) -> Option<Asset> {
        let relative = Path::new(path.trim_start_matches('/'));
        // Plain names only: no `..`, no root, no prefix.
        if !relative.components().all(|c| matches!(c, Component::Normal(_))) {
            return None;
        }
        let file =
            if relative.as_os_str().is_empty() { self.root.join("index.html") } else { self.root.join(relative) };
        let bytes = tokio::fs::read(&file).await.ok()?;
        Some(Asset { bytes, content_type: content_type(&file) })
    }
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json") => "application/json",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_policy_gains_only_the_pages_own_origin_for_calls() {
        let csp = content_security_policy().unwrap();
        let conf: serde_json::Value = serde_json::from_str(TAURI_CONF).unwrap();
        let window = conf.pointer("/app/security/csp").unwrap().as_str().unwrap();
        let connect = |p: &str| p.split(';').map(str::trim).find(|d| d.starts_with("connect-src")).unwrap().to_owned();
        assert_eq!(connect(&csp), connect(window).replacen("connect-src", "connect-src 'self'", 1));
        fn others(p: &str) -> Vec<&str> {
            p.split(';').map(str::trim).filter(|d| !d.starts_with("connect-src")).collect()
        }
        assert_eq!(others(&csp), others(window), "every other directive is the window's");
        assert_eq!(with_self_in_connect_src("default-src 'none'"), "default-src 'none'; connect-src 'self'");
    }

    #[tokio::test]
    async fn files_outside_the_build_are_not_served() {
        let dir = tempfile::tempdir().unwrap();
        let ui = dir.path().join("ui");
        std::fs::create_dir(&ui).unwrap();
        std::fs::write(ui.join("index.html"), "<!doctype html>").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
        let assets = Assets::new(ui).unwrap();
        assert_eq!(assets.get("/").await.unwrap().bytes, b"<!doctype html>", "/ is index.html");
        assert_eq!(assets.get("/index.html").await.unwrap().content_type, "text/html; charset=utf-8");
        assert!(assets.get("/../secret.txt").await.is_none(), "no way up");
        assert!(assets.get("/nothing.js").await.is_none());
    }
}
