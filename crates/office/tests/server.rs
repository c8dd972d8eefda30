//! «Сервер» through the command table, as the window calls it: an invitation loaded, the
//! automatic sync's period kept, a sync that cannot reach the server recorded as the last one
//! (work goes on offline), leaving the server. Syncing with a real server is tested in
//! crates/server against PostgreSQL.

use std::sync::Arc;

use mestno_core::{Store, SystemClock};
use mestno_office::{NoShell, Office, dispatch};
use serde_json::{Value, json};

async fn call(office: &Office, name: &str, args: Value) -> Result<Value, Value> {
    dispatch(office, name, args, &NoShell).await.map_err(|e| serde_json::to_value(e).unwrap())
}

const CA: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

#[tokio::test]
async fn an_office_joins_a_server_and_an_unreachable_one_is_recorded_as_the_last_sync() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("office.sqlite"), Arc::new(SystemClock), "Иванова").await.unwrap();
    let office = Office::from_store(store).await.unwrap();
    let none = call(&office, "server_status", json!({})).await.unwrap();
    assert_eq!(none["server"], Value::Null);
    let refused = call(&office, "server_sync_now", json!({})).await.unwrap_err();
    assert!(refused["message"].as_str().unwrap().contains("не подключён"), "{refused}");

    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let invitation = json!({
        "format": "mestno-server-invitation", "version": 1,
        "server_id": "01936f7e-0000-7000-8000-000000000001", "host": "127.0.0.1", "port": port,
        "database": "mestno", "login": "mestno_0a1b2c", "password": "secret", "ca_pem": CA,
        "territory": "01936f7e-0000-7000-8000-000000000002", "office": "Село"
    });
    let path = dir.path().join("invite.mestno-server");
    std::fs::write(&path, invitation.to_string()).unwrap();
    let bad = dir.path().join("bad.mestno-server");
    std::fs::write(&bad, "{}").unwrap();
    let refused = call(&office, "server_join", json!({"path": bad})).await.unwrap_err();
    assert!(refused["message"].as_str().unwrap().contains("не приглашение"), "{refused}");
    let joined = call(&office, "server_join", json!({"path": path})).await.unwrap();
    assert_eq!(joined["server"], format!("127.0.0.1:{port}"));
    assert_eq!(joined["login"], "mestno_0a1b2c");
    assert!(joined.get("password").is_none(), "the window never receives the password");

    let auto = call(&office, "server_save_auto", json!({"minutes": 15})).await.unwrap();
    assert_eq!(auto["auto_minutes"], 15);
    let failed = call(&office, "server_sync_now", json!({})).await.unwrap_err();
    assert!(failed["message"].as_str().unwrap().contains("Сервер недоступен"), "{failed}");
    let status = call(&office, "server_status", json!({})).await.unwrap();
    assert!(status["last"]["error"]["en"].as_str().unwrap().contains("cannot be reached"), "{status}");
    assert_eq!(status["last"]["report"], Value::Null);

    let off = call(&office, "server_save_auto", json!({"minutes": null})).await.unwrap();
    assert_eq!(off["auto_minutes"], Value::Null);
    let left = call(&office, "server_leave", json!({})).await.unwrap();
    assert_eq!(left["server"], Value::Null);
}
