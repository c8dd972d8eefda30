//! The change history: who changed which fields of which record, when, on which device.

use serde::Serialize;
use serde_json::{Map, Value, json};
use sqlx::{Row, SqliteConnection};

use super::Store;
use super::bulk::insert_rows;
use crate::codes::code_enum;
use crate::error::{Entity, Result};
use crate::model::Id;

code_enum! {
    /// What a history entry records.
    Op {
        Create = "create", "создание", "created";
        Update = "update", "изменение", "changed";
        Delete = "delete", "удаление", "deleted";
        Stage = "stage", "смена стадии", "stage changed";
    }
}

/// One entry of a record's history.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryEntry {
    /// What happened.
    pub op: Op,
    /// When, ms since the epoch.
    pub at: i64,
    /// The device it happened on.
    pub device: String,
    /// The person who did it.
    pub actor: String,
    /// `{field: {"old": …, "new": …}}`.
    #[cfg_attr(feature = "ts", ts(type = "Record<string, { old?: unknown; new?: unknown }>"))]
    pub changes: Value,
}

pub(crate) async fn record(
    store: &Store,
    conn: &mut SqliteConnection,
    entity: Entity,
    id: Id,
    op: Op,
    changes: Value,
) -> Result<()> {
    insert_rows(conn, vec![store.history_row(store.new_id(), entity, id, op, changes.to_string())]).await
}

/// Every field of a new record, as `{"new": value}`.
pub(crate) fn created(record: &Value) -> Value {
    per_field(record, "new")
}

/// Every field of a deleted record, as `{"old": value}`.
pub(crate) fn deleted(record: &Value) -> Value {
    per_field(record, "old")
}

fn per_field(record: &Value, side: &str) -> Value {
    let fields = record.as_object().cloned().unwrap_or_default();
    Value::Object(fields.into_iter().map(|(k, v)| (k, json!({ side: v }))).collect())
}

/// The fields that differ between two versions of a record; `None` if nothing changed.
pub(crate) fn diff(old: &Value, new: &Value) -> Option<Value> {
    let empty = Map::new();
    let old = old.as_object().unwrap_or(&empty);
    let new = new.as_object().unwrap_or(&empty);
    let mut changes = Map::new();
    for (key, new_value) in new {
        let old_value = old.get(key).unwrap_or(&Value::Null);
        if old_value != new_value {
            changes.insert(key.clone(), json!({ "old": old_value, "new": new_value }));
        }
    }
    (!changes.is_empty()).then_some(Value::Object(changes))
}

impl Store {
    /// A record's history, oldest first.
    pub async fn history(&self, id: Id) -> Result<Vec<HistoryEntry>> {
        let rows =
            sqlx::query("SELECT op, at, device, actor, changes FROM history WHERE entity_id = ? ORDER BY at, rowid")
                .bind(id)
                .fetch_all(self.reader())
                .await?;
        rows.iter()
            .map(|r| {
                let changes: String = r.try_get("changes")?;
                Ok(HistoryEntry {
                    op: r.try_get("op")?,
                    at: r.try_get("at")?,
                    device: r.try_get("device")?,
                    actor: r.try_get("actor")?,
                    changes: serde_json::from_str(&changes).unwrap_or(Value::Null),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_names_only_changed_fields() {
        let old = json!({"title": "Ремонт", "year": 2024, "votes": 10});
        let new = json!({"title": "Ремонт дороги", "year": 2024, "votes": 10});
        assert_eq!(diff(&old, &new), Some(json!({"title": {"old": "Ремонт", "new": "Ремонт дороги"}})));
        assert_eq!(diff(&old, &old), None);
    }
}
