//! The bridge over a real socket: the token, the UI's files and their CSP, a session's life.

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::server::Bridge;
use crate::session::Sessions;
use crate::{accept, assets, token};

/// A bridge on a port of its own, over a UI of one page; its folder goes with it.
struct Running {
    addr: std::net::SocketAddr,
    token: String,
    _home: tempfile::TempDir,
}

async fn start() -> Running {
    let home = tempfile::tempdir().unwrap();
    let ui = home.path().join("ui");
    std::fs::create_dir(&ui).unwrap();
    std::fs::write(ui.join("index.html"), "<!doctype html><title>Mestno</title>").unwrap();
    let sessions = home.path().join("sessions");
    std::fs::create_dir(&sessions).unwrap();
    let token = token::Token::random().unwrap();
    let secret = token.as_str().to_owned();
    let bridge = Arc::new(Bridge {
        token,
        csp: assets::content_security_policy().unwrap(),
        assets: assets::Assets::new(ui).unwrap(),
        sessions: Sessions::new(sessions).unwrap(),
    });
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(accept(listener, bridge));
    Running { addr, token: secret, _home: home }
}

/// One HTTP/1.1 request; the status, the headers (lower case) and the body.
async fn request(to: &Running, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(to.addr).await.unwrap();
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n",
        to.addr,
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body.as_bytes()).await.unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).await.unwrap();
    let reply = String::from_utf8(reply).unwrap();
    let (head, body) = reply.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_lowercase(), body.to_owned())
}

#[tokio::test]
async fn every_call_needs_the_token_and_the_ui_comes_with_the_windows_csp() {
    let bridge = start().await;
    let (status, head, body) = request(&bridge, "GET", "/", None, "").await;
    assert_eq!(status, 200, "the UI's files hold no data: no token needed");
    assert!(body.contains("<title>Mestno</title>"));
    assert!(head.contains("content-security-policy: default-src 'self'; script-src 'self'"), "{head}");

    let new = r#"{"office": "empty"}"#;
    assert_eq!(request(&bridge, "POST", "/api/sessions", None, new).await.0, 403, "no token");
    let wrong = "0".repeat(64);
    assert_eq!(request(&bridge, "POST", "/api/sessions", Some(&wrong), new).await.0, 403, "a wrong token");
    assert_eq!(request(&bridge, "GET", "/api/sessions/x/events", None, "").await.0, 403, "events need it too");
}

#[tokio::test]
async fn a_session_runs_the_command_table_on_its_own_office_until_it_is_closed() {
    let bridge = start().await;
    let token = Some(bridge.token.as_str());
    let (status, _, body) = request(&bridge, "POST", "/api/sessions", token, r#"{"office": "empty"}"#).await;
    assert_eq!(status, 200, "{body}");
    let session: serde_json::Value = serde_json::from_str(&body).unwrap();
    let id = session["id"].as_str().unwrap();
    let documents = std::path::PathBuf::from(session["documents"].as_str().unwrap());
    assert!(documents.is_dir(), "the session's folder for the dialogs is there");

    let invoke = |command: &str| format!("/api/sessions/{id}/invoke/{command}");
    let (status, _, body) = request(&bridge, "POST", &invoke("app_info"), token, "").await;
    assert_eq!(status, 200);
    let info: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(info["ok"]["empty"], true, "a fresh office: {body}");

    let (status, _, body) = request(&bridge, "POST", &invoke("setup_office"), token, r#"{"input": {}}"#).await;
    assert_eq!(status, 200, "a refused command is the command's answer, not a failed call");
    let refused: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(refused["error"]["code"], "invalid", "{body}");

    let (status, _, _) = request(&bridge, "DELETE", &format!("/api/sessions/{id}"), token, "").await;
    assert_eq!(status, 204);
    assert_eq!(request(&bridge, "POST", &invoke("app_info"), token, "").await.0, 404, "a closed session is gone");
    for _ in 0..50 {
        if !documents.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(!documents.exists(), "its folder is deleted");
}
