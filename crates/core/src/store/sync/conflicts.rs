//! «Расхождения»: the conflicts journal — values the merge rule set aside, and merged records
//! that break a rule of the core — and taking the other value, which is a change like any other.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{Row, SqliteConnection};

use crate::error::{Entity, Error, FieldError, Result};
use crate::model::{ContactInput, EventInput, Id, InitiativeInput, ProgramInput, TerritoryInput};
use crate::store::Store;
use crate::sync::{ConflictKind, Lost};

/// Whether a conflict still asks for a look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ConflictState {
    /// Nobody has looked at it yet.
    Open,
    /// Settled: the other value taken, or left as the rule decided.
    Resolved,
}

/// An entry of the conflicts journal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncConflict {
    /// The entry's id.
    pub id: Id,
    /// The kind of record.
    pub entity: Entity,
    /// The record.
    pub entity_id: Id,
    /// The record's title as this office holds it now (an initiative's or event's title, a
    /// person's or organisation's name, a territory's or program's name); empty when the record
    /// is gone (deleted, erased) or has not arrived yet.
    #[serde(default)]
    pub title: String,
    /// The field (`budget.regional` for one budget line; `*` for the whole record).
    pub field: String,
    /// `value` (two offices changed the field), `deleted` (an edit after a deletion) or `rule`
    /// (the merged record breaks a rule of the core).
    pub kind: String,
    /// The value the rule kept.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub kept: Value,
    /// The value set aside.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub lost: Value,
    /// Who made the kept value: the office's replica and the person.
    pub kept_by: String,
    /// The person who made the kept value.
    pub kept_actor: String,
    /// When, ms since the epoch.
    pub kept_at: i64,
    /// Who made the value set aside.
    pub lost_by: String,
    /// The person who made the value set aside.
    pub lost_actor: String,
    /// When, ms since the epoch.
    pub lost_at: i64,
    /// What rule the record breaks (`rule` only), in Russian.
    pub message: String,
    /// Open or resolved.
    pub state: ConflictState,
}

const SELECT: &str = "SELECT id, entity, entity_id, field, kind, kept, lost, kept_replica, kept_actor, kept_hlc,
        lost_replica, lost_actor, lost_hlc, message, resolved_at,
        coalesce(CASE entity
            WHEN 'initiative' THEN (SELECT r.title FROM initiatives r WHERE r.id = sync_conflicts.entity_id)
            WHEN 'event' THEN (SELECT r.title FROM events r WHERE r.id = sync_conflicts.entity_id)
            WHEN 'contact' THEN (SELECT r.display_name FROM contacts r WHERE r.id = sync_conflicts.entity_id)
            WHEN 'territory' THEN (SELECT r.name FROM territories r WHERE r.id = sync_conflicts.entity_id)
            WHEN 'program' THEN (SELECT r.name FROM programs r WHERE r.id = sync_conflicts.entity_id)
        END, '') AS title
        FROM sync_conflicts";

impl Store {
    /// The conflicts journal, newest first; `open_only` leaves out the resolved.
    pub async fn conflicts(&self, open_only: bool) -> Result<Vec<SyncConflict>> {
        let sql =
            format!("{SELECT} {} ORDER BY found_at DESC, id", if open_only { "WHERE resolved_at IS NULL" } else { "" });
        let rows = sqlx::query(&sql).fetch_all(self.reader()).await?;
        rows.iter().map(conflict_of).collect()
    }

    /// Marks a conflict resolved, leaving the value the rule kept.
    pub async fn keep_value(&self, conflict: Id) -> Result<()> {
        let done = sqlx::query("UPDATE sync_conflicts SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL")
            .bind(self.now_ms())
            .bind(conflict)
            .execute(self.writer())
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::refused("это расхождение уже разобрано", "this conflict is already resolved"));
        }
        Ok(())
    }

    /// Takes the value the rule set aside: a new change of the record, checked as any edit and
    /// travelling to the other offices like one, and the conflict marked resolved.
    pub async fn take_other_value(&self, conflict: Id) -> Result<()> {
        let row = sqlx::query(&format!("{SELECT} WHERE id = ?")).bind(conflict).fetch_optional(self.reader()).await?;
        let Some(row) = row else {
            return Err(Error::refused("такого расхождения нет", "there is no such conflict"));
        };
        let c = conflict_of(&row)?;
        if c.kind != "value" {
            return Err(Error::refused(
                "здесь нечего взять: запись удалена или нарушает правило — исправьте её в карточке",
                "there is no other value to take: the record was deleted or breaks a rule — fix it in its form",
            ));
        }
        let set = |mut fields: Value| -> Value {
            match c.field.split_once('.') {
                None => fields[c.field.as_str()] = c.lost.clone(),
                Some((list, _)) => {
                    let key =
                        |v: &Value| v.get("source").or_else(|| v.get("contact_id")).or_else(|| v.get("year")).cloned();
                    let items = fields[list].as_array_mut();
                    if let Some(items) = items {
                        items.retain(|i| key(i) != key(&c.lost));
                        items.push(c.lost.clone());
                    }
                }
            }
            fields
        };
        match c.entity {
            Entity::Initiative => {
                let r = self.initiative(c.entity_id).await?;
                let input: InitiativeInput = parse(set(json!(r.input)))?;
                self.update_initiative(c.entity_id, r.stamp.rev, input).await?;
            }
            Entity::Contact => {
                let r = self.contact(c.entity_id).await?;
                let input: ContactInput = parse(set(json!(r.input)))?;
                self.update_contact(c.entity_id, r.stamp.rev, input).await?;
            }
            Entity::Event => {
                let r = self.event(c.entity_id).await?;
                let input: EventInput = parse(set(json!(r.input)))?;
                self.update_event(c.entity_id, r.stamp.rev, input).await?;
            }
            Entity::Territory => {
                let r = self.territory(c.entity_id).await?;
                let input: TerritoryInput = parse(set(json!(r.input)))?;
                self.update_territory(c.entity_id, r.stamp.rev, input).await?;
            }
            Entity::Program => {
                let r = self.program(c.entity_id).await?;
                let input: ProgramInput = parse(set(json!(r.input)))?;
                self.update_program(c.entity_id, r.stamp.rev, input).await?;
            }
            _ => return Err(Error::refused("такие записи пока не сводятся", "such records do not merge yet")),
        }
        self.keep_value(conflict).await
    }
}

fn conflict_of(r: &sqlx::sqlite::SqliteRow) -> Result<SyncConflict> {
    let json = |name: &str| -> Result<Value> {
        let text: String = r.try_get(name)?;
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    };
    let entity: String = r.try_get("entity")?;
    Ok(SyncConflict {
        id: r.try_get("id")?,
        entity: Entity::parse(&entity).unwrap_or(Entity::Attachment),
        entity_id: r.try_get("entity_id")?,
        title: r.try_get("title")?,
        field: r.try_get("field")?,
        kind: r.try_get("kind")?,
        kept: json("kept")?,
        lost: json("lost")?,
        kept_by: r.try_get("kept_replica")?,
        kept_actor: r.try_get("kept_actor")?,
        kept_at: r.try_get::<i64, _>("kept_hlc")? >> 16,
        lost_by: r.try_get("lost_replica")?,
        lost_actor: r.try_get("lost_actor")?,
        lost_at: r.try_get::<i64, _>("lost_hlc")? >> 16,
        message: r.try_get("message")?,
        state: if r.try_get::<Option<i64>, _>("resolved_at")?.is_some() {
            ConflictState::Resolved
        } else {
            ConflictState::Open
        },
    })
}

/// Journals a value the fold set aside (once: the same loss found again is not a new entry).
pub(super) async fn record_lost(
    store: &Store,
    tx: &mut SqliteConnection,
    entity: Entity,
    id: Id,
    lost: &Lost<'_>,
) -> Result<u64> {
    let kind = match lost.kind {
        ConflictKind::Value => "value",
        ConflictKind::Deleted => "deleted",
    };
    let done = sqlx::query(
        "INSERT OR IGNORE INTO sync_conflicts(id, entity, entity_id, field, kind, kept, lost, kept_replica,
             kept_actor, kept_hlc, lost_replica, lost_actor, lost_hlc, found_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(store.new_id())
    .bind(entity.as_str())
    .bind(id)
    .bind(&lost.field)
    .bind(kind)
    .bind(lost.kept.to_string())
    .bind(lost.lost.to_string())
    .bind(&lost.kept_by.replica)
    .bind(&lost.kept_by.actor)
    .bind(lost.kept_by.hlc)
    .bind(&lost.lost_by.replica)
    .bind(&lost.lost_by.actor)
    .bind(lost.lost_by.hlc)
    .bind(store.now_ms())
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected())
}

/// Journals a rule the merged record breaks; `waiting` when the database could not hold the
/// record at all (it is written again when the next changes arrive).
pub(super) async fn record_rule(
    store: &Store,
    tx: &mut SqliteConnection,
    entity: Entity,
    id: Id,
    problem: &FieldError,
    waiting: bool,
) -> Result<u64> {
    let open: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM sync_conflicts WHERE entity_id = ? AND field = ? AND kind = 'rule' AND message = ?
           AND resolved_at IS NULL",
    )
    .bind(id)
    .bind(&problem.field)
    .bind(&problem.message.ru)
    .fetch_optional(&mut *tx)
    .await?;
    if open.is_some() {
        return Ok(0);
    }
    let (replica, hlc) = (store.replica().to_owned(), store.next_hlc());
    sqlx::query(
        "INSERT INTO sync_conflicts(id, entity, entity_id, field, kind, kept, lost, kept_replica, kept_actor,
             kept_hlc, lost_replica, lost_actor, lost_hlc, message, found_at)
         VALUES (?, ?, ?, ?, 'rule', ?, 'null', ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(store.new_id())
    .bind(entity.as_str())
    .bind(id)
    .bind(&problem.field)
    .bind(json!({ "waiting": waiting, "en": problem.message.en }).to_string())
    .bind(&replica)
    .bind(store.actor())
    .bind(hlc)
    .bind(&replica)
    .bind(store.actor())
    .bind(hlc)
    .bind(&problem.message.ru)
    .bind(store.now_ms())
    .execute(&mut *tx)
    .await?;
    Ok(1)
}

/// Records the database could not hold yet.
pub(super) async fn waiting(tx: &mut SqliteConnection) -> Result<Vec<Id>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT entity_id FROM sync_conflicts WHERE kind = 'rule' AND field = '*' AND resolved_at IS NULL",
    )
    .fetch_all(&mut *tx)
    .await?)
}

/// A record written at last: its waiting entries are resolved, and so are the rules it no
/// longer breaks (they are found again below if it still does).
pub(super) async fn stop_waiting(store: &Store, tx: &mut SqliteConnection, id: Id) -> Result<()> {
    sqlx::query(
        "UPDATE sync_conflicts SET resolved_at = ? WHERE entity_id = ? AND kind = 'rule' AND resolved_at IS NULL",
    )
    .bind(store.now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

fn parse<T: serde::de::DeserializeOwned>(v: Value) -> Result<T> {
    serde_json::from_value(v).map_err(|e| Error::Storage(crate::Text::new(e.to_string(), e.to_string())))
}
