//! What a shared PostgreSQL server (mestno-server) needs of the store: the territory each
//! change's record lies in (the server keeps changes by territory, for row-level security), and
//! applying a batch pulled from the server together with the cursor that says how far the
//! office has read, in one transaction; and the changes an erasure redacted here, whose
//! redacted texts the server is sent.

use std::collections::HashMap;

use super::materialize::stored_territory;
use super::{Applied, Keep, Missing, Scope, With, change_of};
use crate::error::{Entity, Result};
use crate::model::Id;
use crate::store::Store;
use crate::sync::Change;

impl Store {
    /// The territory each change's record lies in after the change, in the order given (for a
    /// territory: its parent): the one the change names, else the one stored for the record
    /// (an appeal without one takes its author's); `None` where the record names none.
    pub async fn change_territories(&self, changes: &[Change]) -> Result<Vec<Option<Id>>> {
        let mut conn = self.reader().acquire().await?;
        let mut stored: HashMap<Id, Option<Id>> = HashMap::new();
        let mut out = Vec::with_capacity(changes.len());
        for c in changes {
            let key = if c.entity == Entity::Territory { "parent_id" } else { "territory_id" };
            let named: Option<Option<Id>> =
                c.changes.get(key).and_then(|f| f.get("new")).map(|v| serde_json::from_value(v.clone()).ok().flatten());
            let territory = match named {
                Some(t) => t,
                None => match stored.get(&c.entity_id) {
                    Some(t) => *t,
                    None => {
                        let t = stored_territory(&mut conn, c.entity, c.entity_id).await?;
                        stored.insert(c.entity_id, t);
                        t
                    }
                },
            };
            out.push(territory);
        }
        Ok(out)
    }

    /// Applies a batch pulled from a shared server ([`Store::apply_changes`]) and stores the
    /// setting `cursor_key` = `cursor` in the same transaction: the cursor moves only with the
    /// changes it stands for. A link to a record this office does not hold is handled as
    /// `missing` says.
    pub async fn apply_changes_with_cursor(
        &self,
        changes: &[Change],
        scope: &Scope,
        cursor_key: &str,
        cursor: i64,
        missing: Missing,
    ) -> Result<Applied> {
        self.applying(changes, scope, With::Cursor { key: cursor_key, cursor }, Keep::Commit, missing).await
    }

    /// The changes an erasure redacted here (mentions of the erased person in other records'
    /// changes) that the shared server has not been sent yet, with their redacted texts.
    pub async fn redacted_changes(&self) -> Result<Vec<Change>> {
        let rows = sqlx::query(
            "SELECT h.id, h.entity, h.entity_id, h.op, h.at, h.device, h.actor, h.hlc, h.changes
             FROM sync_redacted r JOIN history h ON h.id = r.id ORDER BY h.hlc, h.id",
        )
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(change_of).collect()
    }

    /// Forgets the redactions the server has been sent (and those of entries no longer here).
    pub async fn forget_redacted(&self, sent: &[Id]) -> Result<()> {
        let mut tx = self.begin().await?;
        for id in sent {
            sqlx::query("DELETE FROM sync_redacted WHERE id = ?").bind(id).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM sync_redacted WHERE id NOT IN (SELECT id FROM history)").execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Keeps the shared server's cursor in the setting `key`.
pub(super) async fn store_cursor(tx: &mut sqlx::SqliteConnection, key: &str, cursor: i64) -> Result<()> {
    sqlx::query("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(cursor.to_string())
        .execute(&mut *tx)
        .await?;
    Ok(())
}
