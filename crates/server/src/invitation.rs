//! The invitation an office loads to sync with the server: where the server is, the office's
//! login and password, and the CA certificate the server's certificate must be signed by.

use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgConnectOptions, PgSslMode};
use uuid::Uuid;

use crate::error::{Result, ServerError};

/// What an invitation file says it is.
const FORMAT: &str = "mestno-server-invitation";

/// An office's invitation to a server (a small JSON file, `.mestno-server`). It holds the
/// office's password: it is handed over like a key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    /// Always `mestno-server-invitation`.
    pub format: String,
    /// The format's version.
    pub version: u32,
    /// The server's id: a cursor kept for one server is never used with another.
    pub server_id: Uuid,
    /// The server's host name or address, as its certificate names it.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// The database.
    pub database: String,
    /// The office's login (a PostgreSQL role).
    pub login: String,
    /// Its password.
    pub password: String,
    /// The certificate (PEM) of the authority that signed the server's certificate.
    pub ca_pem: String,
    /// The territory the office answers for.
    pub territory: Uuid,
    /// The office's name on the server.
    pub office: String,
}

impl std::fmt::Debug for Invitation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invitation")
            .field("server_id", &self.server_id)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("database", &self.database)
            .field("login", &self.login)
            .field("territory", &self.territory)
            .field("office", &self.office)
            .finish_non_exhaustive()
    }
}

impl Invitation {
    /// Reads an invitation file's contents.
    pub fn parse(text: &str) -> Result<Invitation> {
        let inv: Invitation =
            serde_json::from_str(text).map_err(|e| ServerError::BadInvitation { reason: e.to_string() })?;
        if inv.format != FORMAT {
            return Err(ServerError::BadInvitation { reason: format!("format {:?}", inv.format) });
        }
        if inv.version != 1 {
            return Err(ServerError::BadInvitation { reason: format!("version {}", inv.version) });
        }
        if !inv.ca_pem.contains("BEGIN CERTIFICATE") {
            return Err(ServerError::BadInvitation { reason: "no CA certificate".into() });
        }
        Ok(inv)
    }

    /// The invitation as a file's contents.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub(crate) fn new(
        server: &crate::admin::ServerInfo,
        login: String,
        password: String,
        territory: Uuid,
        office: String,
    ) -> Invitation {
        Invitation {
            format: FORMAT.into(),
            version: 1,
            server_id: server.id,
            host: server.host.clone(),
            port: server.port,
            database: server.database.clone(),
            login,
            password,
            ca_pem: server.ca_pem.clone(),
            territory,
            office,
        }
    }

    /// How to connect as the office: TLS required, the certificate checked against the
    /// invitation's CA and the host name (verify-full).
    pub fn connect_options(&self) -> PgConnectOptions {
        PgConnectOptions::new()
            .host(&self.host)
            .port(self.port)
            .database(&self.database)
            .username(&self.login)
            .password(&self.password)
            .ssl_mode(PgSslMode::VerifyFull)
            .ssl_root_cert_from_pem(self.ca_pem.as_bytes().to_vec())
            .application_name("mestno")
    }
}
