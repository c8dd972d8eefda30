//! An office syncing with the server: push the changes the server lacks, pull the ones the
//! office has not read, both in batches of their own transactions, so that a connection cut at
//! any point loses nothing and the next sync finishes the work.

use std::collections::HashSet;

use mestno_core::Entity;
use mestno_core::Store;
use mestno_core::model::Id;
use mestno_core::store::{Applied, Holdings, Missing, Op, Scope};
use mestno_core::sync::Change;
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{Connection, Row};

use crate::error::{Result, ServerError};
use crate::invitation::Invitation;

/// Changes per transaction, each way.
pub const BATCH: usize = 2_000;

/// What a sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ServerSyncReport"))]
pub struct Report {
    /// Changes the server took (new to it).
    pub pushed: u64,
    /// Changes held here that the server did not take: outside the office's territory (or a
    /// record the server knows in another territory), or already there.
    pub not_pushed: u64,
    /// Changes the server took redacted: mentions of a person erased here in other records'
    /// changes, which the server holds copies of.
    #[serde(default)]
    pub redacted: u64,
    /// Changes received from the server.
    pub pulled: u64,
    /// What applying them did.
    pub applied: Applied,
    /// How far the office has read the server's change log.
    pub cursor: i64,
}

/// The setting holding how far this office has read the server `server`'s log.
pub fn cursor_key(server: uuid::Uuid) -> String {
    format!("server_cursor:{server}")
}

/// Connects to the server as the office the invitation names (TLS verify-full).
pub async fn connect(invitation: &Invitation) -> Result<PgConnection> {
    let mut conn = PgConnection::connect_with(&invitation.connect_options())
        .await
        .map_err(|e| ServerError::of(e, &invitation.login))?;
    let id: Option<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM mestno.server")
        .fetch_optional(&mut conn)
        .await
        .map_err(|e| ServerError::of(e, &invitation.login))?;
    if id != Some(invitation.server_id) {
        return Err(ServerError::NotAServer { detail: format!("server id {id:?}") });
    }
    Ok(conn)
}

/// Syncs the office with the server: pushes what the server lacks of the office's territory,
/// then pulls and applies what the office has not read (the same merge and conflicts journal as
/// packages), then sends the texts its erasures redacted.
pub async fn sync(store: &Store, invitation: &Invitation) -> Result<Report> {
    let mut conn = connect(invitation).await?;
    let mut report = Report::default();
    push(store, invitation, &mut conn, &mut report).await?;
    pull(store, invitation, &mut conn, &mut report).await?;
    push_redactions(store, invitation, &mut conn, &mut report).await?;
    let _ = conn.close().await;
    Ok(report)
}

fn fail(invitation: &Invitation) -> impl Fn(sqlx::Error) -> ServerError + '_ {
    move |e| ServerError::of(e, &invitation.login)
}

/// Begins a transaction seeing the invitation's territory.
async fn begin<'c>(conn: &'c mut PgConnection, inv: &Invitation) -> Result<sqlx::Transaction<'c, sqlx::Postgres>> {
    let mut tx = conn.begin().await.map_err(fail(inv))?;
    sqlx::query("SELECT set_config('mestno.territory', $1, true)")
        .bind(inv.territory.to_string())
        .execute(&mut *tx)
        .await
        .map_err(fail(inv))?;
    Ok(tx)
}

async fn push(store: &Store, inv: &Invitation, conn: &mut PgConnection, report: &mut Report) -> Result<()> {
    let mut tx = begin(conn, inv).await?;
    let rows = sqlx::query("SELECT replica, max(hlc) AS hlc FROM mestno.changes GROUP BY replica")
        .fetch_all(&mut *tx)
        .await
        .map_err(fail(inv))?;
    let held: Holdings = rows.iter().map(|r| (r.get::<String, _>("replica"), r.get::<i64, _>("hlc"))).collect();
    let visible: Vec<Id> =
        sqlx::query_scalar("SELECT mestno.visible()").fetch_one(&mut *tx).await.map_err(fail(inv))?;
    let known: HashSet<Id> = sqlx::query_scalar::<_, Id>("SELECT id FROM mestno.territories")
        .fetch_all(&mut *tx)
        .await
        .map_err(fail(inv))?
        .into_iter()
        .collect();
    tx.commit().await.map_err(fail(inv))?;

    let mut within: HashSet<Id> = visible.iter().copied().collect();
    within.extend(store.subtree(inv.territory).await?);
    let scope = Scope { territories: Some(within.clone()) };
    let mut changes = store.changes_since(&held, &scope).await?;
    // Oldest first across origins: what a territory's records need arrives with or before them,
    // and every batch committed leaves each origin's changes on the server a prefix.
    changes.sort_by(|a, b| (a.hlc, &a.replica, a.id).cmp(&(b.hlc, &b.replica, b.id)));
    let places = store.change_territories(&changes).await?;
    let mut allowed: HashSet<Id> = visible.iter().copied().collect();
    let mut outgoing = Vec::with_capacity(changes.len());
    for (c, place) in changes.into_iter().zip(places) {
        let ok = match c.entity {
            Entity::Program => true,
            Entity::Territory => {
                allowed.contains(&c.entity_id)
                    || (place.is_some_and(|p| allowed.contains(&p)) && !known.contains(&c.entity_id))
            }
            _ => place.is_none_or(|p| allowed.contains(&p)),
        };
        if !ok {
            report.not_pushed += 1;
            continue;
        }
        if c.entity == Entity::Territory {
            allowed.insert(c.entity_id);
        }
        outgoing.push((c, place));
    }
    let mut start = 0;
    while start < outgoing.len() {
        // A batch never splits the changes one origin made at one clock (the demo's share one).
        let mut end = (start + BATCH).min(outgoing.len());
        while end < outgoing.len()
            && (outgoing[end].0.hlc, &outgoing[end].0.replica)
                == (outgoing[end - 1].0.hlc, &outgoing[end - 1].0.replica)
        {
            end += 1;
        }
        let stored = push_batch(inv, conn, &outgoing[start..end]).await?;
        report.pushed += stored;
        report.not_pushed += (end - start) as u64 - stored;
        start = end;
    }
    Ok(())
}

/// Sends the redacted texts of the changes an erasure redacted here, the server holding copies
/// of them: those of this office's own erasures and of the acts the pull just brought.
async fn push_redactions(store: &Store, inv: &Invitation, conn: &mut PgConnection, report: &mut Report) -> Result<()> {
    let redacted = store.redacted_changes().await?;
    for batch in redacted.chunks(BATCH) {
        let mut tx = begin(conn, inv).await?;
        let done: i64 = sqlx::query_scalar(
            "SELECT count(*) FILTER (WHERE mestno.redact(u.id, u.body)) FROM unnest($1::uuid[], $2::text[]) AS u(id, body)",
        )
        .bind(batch.iter().map(|c| c.id).collect::<Vec<_>>())
        .bind(batch.iter().map(|c| c.changes.to_string()).collect::<Vec<_>>())
        .fetch_one(&mut *tx)
        .await
        .map_err(fail(inv))?;
        tx.commit().await.map_err(fail(inv))?;
        report.redacted += done as u64;
    }
    if !redacted.is_empty() {
        store.forget_redacted(&redacted.iter().map(|c| c.id).collect::<Vec<_>>()).await?;
    }
    Ok(())
}

/// One batch in one transaction. Pushes are serialized by a lock, so that the log's numbers are
/// given in the order the pushes commit and a reader never skips a change committed late.
async fn push_batch(inv: &Invitation, conn: &mut PgConnection, batch: &[(Change, Option<Id>)]) -> Result<u64> {
    let mut tx = begin(conn, inv).await?;
    sqlx::query("SELECT pg_advisory_xact_lock(7163101)").execute(&mut *tx).await.map_err(fail(inv))?;
    // What the server would refuse (a record it knows in another territory: moved there while
    // this office held it) is left out rather than failing the batch — and every sync after it.
    const INSERT: &str =
        "INSERT INTO mestno.changes(id, entity, entity_id, op, at, replica, actor, hlc, changes, territory, shared)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::int8[], $6::text[], $7::text[],
                              $8::int8[], $9::text[], $10::uuid[], $11::bool[])
             AS u(id, entity, entity_id, op, at, replica, actor, hlc, changes, territory, shared)
         WHERE mestno.may_write(u.entity, u.entity_id, u.territory, mestno.is_act(u.entity, u.op, u.changes))
         ON CONFLICT (id) DO NOTHING";
    // Territories one at a time, each placed in the tree before what lies within it.
    let (territories, records): (Vec<_>, Vec<_>) = batch.iter().partition(|(c, _)| c.entity == Entity::Territory);
    let mut stored = 0;
    for one in territories {
        stored += insert(&mut tx, INSERT, &[one]).await.map_err(fail(inv))?;
    }
    if !records.is_empty() {
        stored += insert(&mut tx, INSERT, &records).await.map_err(fail(inv))?;
    }
    tx.commit().await.map_err(fail(inv))?;
    Ok(stored)
}

async fn insert(conn: &mut PgConnection, sql: &str, rows: &[&(Change, Option<Id>)]) -> sqlx::Result<u64> {
    let mut ids = Vec::with_capacity(rows.len());
    let mut entities = Vec::with_capacity(rows.len());
    let mut records = Vec::with_capacity(rows.len());
    let mut ops = Vec::with_capacity(rows.len());
    let mut ats = Vec::with_capacity(rows.len());
    let mut replicas = Vec::with_capacity(rows.len());
    let mut actors = Vec::with_capacity(rows.len());
    let mut hlcs = Vec::with_capacity(rows.len());
    let mut bodies = Vec::with_capacity(rows.len());
    let mut places = Vec::with_capacity(rows.len());
    let mut shared = Vec::with_capacity(rows.len());
    for (c, place) in rows.iter().map(|r| (&r.0, r.1)) {
        ids.push(c.id);
        entities.push(c.entity.as_str());
        records.push(c.entity_id);
        ops.push(c.op.as_str());
        ats.push(c.at);
        replicas.push(c.replica.as_str());
        actors.push(c.actor.as_str());
        hlcs.push(c.hlc);
        bodies.push(c.changes.to_string());
        places.push(place);
        shared.push(matches!(c.entity, Entity::Territory | Entity::Program));
    }
    sqlx::query(sql)
        .bind(ids)
        .bind(entities)
        .bind(records)
        .bind(ops)
        .bind(ats)
        .bind(replicas)
        .bind(actors)
        .bind(hlcs)
        .bind(bodies)
        .bind(places)
        .bind(shared)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
}

async fn pull(store: &Store, inv: &Invitation, conn: &mut PgConnection, report: &mut Report) -> Result<()> {
    let key = cursor_key(inv.server_id);
    let mut cursor: i64 = store.setting(&key).await?.and_then(|s| s.parse().ok()).unwrap_or(0);
    // This office's own changes come back; those it still holds are not sent again.
    let mine = store.replica().to_owned();
    let own_clock = store.holdings().await?.get(&mine).copied().unwrap_or(i64::MIN);
    // This office's own changes that it still holds come back without their fields.
    const COLUMNS: &str = "SELECT seq, (replica = $2 AND hlc <= $3) AS mine, id, entity, entity_id, op, at, replica,
                actor, hlc, CASE WHEN replica = $2 AND hlc <= $3 THEN '' ELSE changes END AS changes
         FROM mestno.changes";
    loop {
        let mut tx = begin(conn, inv).await?;
        let rows = sqlx::query(&format!("{COLUMNS} WHERE seq > $1 ORDER BY seq LIMIT $4"))
            .bind(cursor)
            .bind(&mine)
            .bind(own_clock)
            .bind(BATCH as i64)
            .fetch_all(&mut *tx)
            .await
            .map_err(fail(inv))?;
        let Some(last) = rows.last().map(|r| r.get::<i64, _>("seq")) else { break };
        // A record moved into this office's territory by one of these changes comes whole: its
        // earlier changes, filed under the territory it lay in then, with it.
        let moved_in = sqlx::query(&format!(
            "{COLUMNS} WHERE seq <= $1 AND entity_id IN
                 (SELECT entity_id FROM mestno.records WHERE moved_seq > $1 AND moved_seq <= $4)
             ORDER BY seq"
        ))
        .bind(cursor)
        .bind(&mine)
        .bind(own_clock)
        .bind(last)
        .fetch_all(&mut *tx)
        .await
        .map_err(fail(inv))?;
        tx.commit().await.map_err(fail(inv))?;
        let changes = moved_in
            .iter()
            .chain(&rows)
            .filter(|r| !r.get::<bool, _>("mine"))
            .map(change_of)
            .collect::<Result<Vec<_>>>()?;
        report.pulled += changes.len() as u64;
        // The server let in only what each pushing office may write: its checks are the sender's.
        // The server sends only the records of this office's territory: within another, it never
        // sends the people and projects from elsewhere they name.
        let missing = Missing::For(inv.territory);
        let applied = store.apply_changes_with_cursor(&changes, &Scope::default(), &key, last, missing).await?;
        add(&mut report.applied, applied);
        cursor = last;
        if rows.len() < BATCH {
            break;
        }
    }
    report.cursor = cursor;
    Ok(())
}

fn change_of(r: &PgRow) -> Result<Change> {
    let bad = |what: &str| ServerError::Other { detail: format!("unreadable change from the server: {what}") };
    let entity: String = r.get("entity");
    let op: String = r.get("op");
    let body: String = r.get("changes");
    Ok(Change {
        id: r.get("id"),
        entity: Entity::parse(&entity).ok_or_else(|| bad(&entity))?,
        entity_id: r.get("entity_id"),
        op: Op::parse(&op).ok_or_else(|| bad(&op))?,
        at: r.get("at"),
        replica: r.get("replica"),
        actor: r.get("actor"),
        hlc: r.get("hlc"),
        changes: serde_json::from_str(&body).map_err(|_| bad("changes"))?,
    })
}

/// Adds what one batch did to the whole sync's figures.
pub fn add(total: &mut Applied, one: Applied) {
    total.new_changes += one.new_changes;
    total.known_changes += one.known_changes;
    total.conflicts += one.conflicts;
    total.refused += one.refused;
    total.erased += one.erased;
    for (into, from) in
        [(&mut total.added, one.added), (&mut total.changed, one.changed), (&mut total.deleted, one.deleted)]
    {
        for (k, v) in from {
            *into.entry(k).or_default() += v;
        }
    }
}
