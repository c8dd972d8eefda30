//! Setting the server up and managing its offices, over the administrator's connection (a
//! PostgreSQL superuser, or a role with CREATEROLE that owns the database).

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{Connection, Row};
use uuid::Uuid;

use crate::error::{Result, ServerError};
use crate::invitation::Invitation;

/// The server's schema, embedded like the office database's.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The server as invitations describe it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerInfo {
    /// Its id.
    pub id: Uuid,
    /// The host name offices connect to (the one its certificate names).
    pub host: String,
    /// The port.
    pub port: u16,
    /// The database.
    pub database: String,
    /// The CA certificate (PEM) that signed the server's certificate.
    pub ca_pem: String,
}

/// An office known to the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Office {
    /// Its login (a PostgreSQL role).
    pub login: String,
    /// The territory it answers for.
    pub territory: Uuid,
    /// Its name.
    pub name: String,
    /// When it was added, ms since the epoch.
    pub created_at: i64,
    /// When it was revoked, if it was.
    pub revoked_at: Option<i64>,
    /// How many changes it has pushed.
    pub changes_pushed: i64,
}

/// Connects as the administrator (`postgres://…`; TLS settings as the URL gives them).
pub async fn connect_admin(url: &str) -> Result<PgConnection> {
    let options = PgConnectOptions::from_str(url).map_err(|e| ServerError::Other { detail: e.to_string() })?;
    let user = options.get_username().to_owned();
    PgConnection::connect_with(&options.application_name("mestno-admin")).await.map_err(|e| ServerError::of(e, &user))
}

fn fail(e: sqlx::Error) -> ServerError {
    ServerError::of(e, "")
}

/// Creates (or brings up to date) the server's schema in the database `url` names: the owner
/// role `mestno_owner`, the office group `mestno_office`, the schema `mestno` with row-level
/// security. `host` (else the URL's host) and the URL's port and database are what invitations
/// give offices; `ca_pem` is the CA certificate that signed the server's certificate.
pub async fn init(url: &str, ca_pem: &str, host: Option<&str>) -> Result<ServerInfo> {
    if !ca_pem.contains("BEGIN CERTIFICATE") {
        return Err(ServerError::BadInvitation { reason: "the CA file holds no PEM certificate".into() });
    }
    let options = PgConnectOptions::from_str(url).map_err(|e| ServerError::Other { detail: e.to_string() })?;
    let mut conn = connect_admin(url).await?;
    // Roles belong to the whole cluster: another database's init may be making them right now.
    for attempt in 0.. {
        let made = sqlx::query(
            "DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mestno_owner') THEN
                    CREATE ROLE mestno_owner NOLOGIN NOINHERIT;
                END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mestno_office') THEN
                    CREATE ROLE mestno_office NOLOGIN NOINHERIT;
                END IF;
                IF NOT pg_has_role(current_user, 'mestno_owner', 'MEMBER') THEN
                    GRANT mestno_owner TO CURRENT_USER;
                END IF;
                EXECUTE format('GRANT CREATE, CONNECT ON DATABASE %I TO mestno_owner', current_database());
            END $$",
        )
        .execute(&mut conn)
        .await;
        match made {
            Ok(_) => break,
            Err(_) if attempt < 5 => tokio::time::sleep(std::time::Duration::from_millis(50 * (attempt + 1))).await,
            Err(e) => return Err(fail(e)),
        }
    }
    sqlx::query("SET ROLE mestno_owner").execute(&mut conn).await.map_err(fail)?;
    sqlx::query("CREATE SCHEMA IF NOT EXISTS mestno").execute(&mut conn).await.map_err(fail)?;
    sqlx::query("SET search_path = mestno").execute(&mut conn).await.map_err(fail)?;
    MIGRATOR.run(&mut conn).await.map_err(|e| ServerError::Other { detail: e.to_string() })?;
    let host = host.map(str::to_owned).unwrap_or_else(|| options.get_host().to_owned());
    let database: String = sqlx::query_scalar("SELECT current_database()").fetch_one(&mut conn).await.map_err(fail)?;
    let row = sqlx::query(
        "INSERT INTO mestno.server(id, host, port, database, ca_pem) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (one) DO UPDATE SET host = excluded.host, port = excluded.port,
             database = excluded.database, ca_pem = excluded.ca_pem
         RETURNING id",
    )
    .bind(Uuid::new_v4())
    .bind(&host)
    .bind(i32::from(options.get_port()))
    .bind(&database)
    .bind(ca_pem)
    .fetch_one(&mut conn)
    .await
    .map_err(fail)?;
    sqlx::query("RESET ROLE").execute(&mut conn).await.map_err(fail)?;
    Ok(ServerInfo { id: row.get("id"), host, port: options.get_port(), database, ca_pem: ca_pem.to_owned() })
}

/// The server as `init` recorded it.
pub async fn server_info(conn: &mut PgConnection) -> Result<ServerInfo> {
    let row = sqlx::query("SELECT id, host, port, database, ca_pem FROM mestno.server")
        .fetch_optional(&mut *conn)
        .await
        .map_err(fail)?
        .ok_or_else(|| ServerError::NotAServer { detail: "mestno.server is empty".into() })?;
    Ok(ServerInfo {
        id: row.get("id"),
        host: row.get("host"),
        port: u16::try_from(row.get::<i32, _>("port")).unwrap_or(5432),
        database: row.get("database"),
        ca_pem: row.get("ca_pem"),
    })
}

fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| ServerError::Other { detail: e.to_string() })?;
    Ok(hex::encode(buf))
}

/// Adds an office answering for `territory`: a login role of its own with a generated password,
/// a member of `mestno_office` (owning nothing, no BYPASSRLS). Returns its invitation.
pub async fn add_office(url: &str, territory: Uuid, name: &str) -> Result<Invitation> {
    if territory.is_nil() {
        return Err(ServerError::BadTerritory);
    }
    let name = name.trim();
    let mut conn = connect_admin(url).await?;
    let login = format!("mestno_{}", random_hex(6)?);
    let password = random_hex(18)?;
    let mut tx = conn.begin().await.map_err(fail)?;
    // Both are hex made here: nothing to escape.
    sqlx::query(&format!(
        "CREATE ROLE {login} LOGIN PASSWORD '{password}' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION \
         NOBYPASSRLS INHERIT CONNECTION LIMIT 8 IN ROLE mestno_office"
    ))
    .execute(&mut *tx)
    .await
    .map_err(fail)?;
    sqlx::query("SET LOCAL ROLE mestno_owner").execute(&mut *tx).await.map_err(fail)?;
    sqlx::query("INSERT INTO mestno.offices(login, territory, name) VALUES ($1, $2, $3)")
        .bind(&login)
        .bind(territory)
        .bind(if name.is_empty() { login.as_str() } else { name })
        .execute(&mut *tx)
        .await
        .map_err(fail)?;
    let server = server_info(&mut tx).await?;
    tx.commit().await.map_err(fail)?;
    Ok(Invitation::new(&server, login, password, territory, name.to_owned()))
}

/// The offices, oldest first.
pub async fn list_offices(url: &str) -> Result<Vec<Office>> {
    let mut conn = connect_admin(url).await?;
    sqlx::query("SET ROLE mestno_owner").execute(&mut conn).await.map_err(fail)?;
    let rows = sqlx::query(
        "SELECT o.login, o.territory, o.name,
                (extract(epoch FROM o.created_at) * 1000)::bigint AS created_at,
                (extract(epoch FROM o.revoked_at) * 1000)::bigint AS revoked_at,
                (SELECT count(*) FROM mestno.changes c WHERE c.pushed_by = o.login) AS pushed
         FROM mestno.offices o ORDER BY o.created_at, o.login",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(fail)?;
    Ok(rows
        .iter()
        .map(|r| Office {
            login: r.get("login"),
            territory: r.get("territory"),
            name: r.get("name"),
            created_at: r.get("created_at"),
            revoked_at: r.get("revoked_at"),
            changes_pushed: r.get("pushed"),
        })
        .collect())
}

/// Revokes an office: its login can no longer connect, its open connections are ended, and
/// what it pushed stays.
pub async fn revoke_office(url: &str, login: &str) -> Result<()> {
    let mut conn = connect_admin(url).await?;
    let mut tx = conn.begin().await.map_err(fail)?;
    sqlx::query("SET LOCAL ROLE mestno_owner").execute(&mut *tx).await.map_err(fail)?;
    let found: Option<String> = sqlx::query_scalar(
        "UPDATE mestno.offices SET revoked_at = coalesce(revoked_at, now()) WHERE login = $1 RETURNING login",
    )
    .bind(login)
    .fetch_optional(&mut *tx)
    .await
    .map_err(fail)?;
    let Some(login) = found else { return Err(ServerError::UnknownOffice { login: login.to_owned() }) };
    sqlx::query("RESET ROLE").execute(&mut *tx).await.map_err(fail)?;
    // The login comes from the offices table, made by add_office: `mestno_` and hex.
    if !login.strip_prefix("mestno_").is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit())) {
        return Err(ServerError::UnknownOffice { login });
    }
    sqlx::query(&format!("ALTER ROLE {login} NOLOGIN")).execute(&mut *tx).await.map_err(fail)?;
    tx.commit().await.map_err(fail)?;
    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1")
        .bind(&login)
        .execute(&mut conn)
        .await
        .map_err(fail)?;
    Ok(())
}
