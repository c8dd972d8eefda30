//! What a shared PostgreSQL server (mestno-server) needs of the store: the territory each
//! change's record lies in (the server keeps changes by territory, for row-level security), and
//! applying a batch pulled from the server together with the cursor that says how far the
//! office has read, in one transaction.

use std::collections::HashMap;

use super::{Applied, Scope};
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
    /// changes it stands for.
    pub async fn apply_changes_with_cursor(
        &self,
        changes: &[Change],
        scope: &Scope,
        cursor_key: &str,
        cursor: i64,
    ) -> Result<Applied> {
        let mut tx = self.begin().await?;
        let applied = self.apply_in(&mut tx, changes, scope).await?;
        sqlx::query("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .bind(cursor_key)
            .bind(cursor.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(applied)
    }
}

async fn stored_territory(conn: &mut sqlx::SqliteConnection, entity: Entity, id: Id) -> Result<Option<Id>> {
    let sql = match entity {
        Entity::Territory => "SELECT parent_id FROM territories WHERE id = ?",
        Entity::Initiative => "SELECT territory_id FROM initiatives WHERE id = ?",
        Entity::Contact => "SELECT territory_id FROM contacts WHERE id = ?",
        Entity::Event => "SELECT territory_id FROM events WHERE id = ?",
        Entity::Appeal => {
            "SELECT coalesce(a.territory_id, c.territory_id) FROM appeals a
             LEFT JOIN contacts c ON c.id = a.author_contact_id WHERE a.id = ?"
        }
        _ => return Ok(None),
    };
    let found: Option<Option<Id>> = sqlx::query_scalar(sql).bind(id).fetch_optional(&mut *conn).await?;
    if found.is_some() || entity == Entity::Territory {
        return Ok(found.flatten());
    }
    // A deleted record: the territory its history last named.
    let named: Vec<String> = sqlx::query_scalar(
        "SELECT json_extract(changes, '$.territory_id.new') FROM history
         WHERE entity_id = ? AND json_extract(changes, '$.territory_id.new') IS NOT NULL ORDER BY hlc DESC LIMIT 1",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(named.first().and_then(|s| s.parse().ok()))
}
