//! The many records a package brings that this office has never seen — a settlement's whole
//! registry on its first exchange — written the way an import writes: history, records and
//! their lists in multi-row statements, folded in memory from the package's own changes.

use std::collections::{HashMap, HashSet};

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::materialize::{consent_rows, parse, parse_scrubbed, problems, stage_rows};
use super::{Applied, conflicts};
use crate::error::{Entity, Result};
use crate::model::{ContactInput, EventInput, Id, InitiativeInput, Stage};
use crate::store::Store;
use crate::store::bulk::{Made, insert_rows, rows, write_budgets, write_contact_lists, write_event_links};
use crate::sync::{Change, Folded, fold_refs};

/// The ids among `ids` that `table` (`history`'s `entity_id`, or any table's `id`) holds.
pub(super) async fn held(tx: &mut SqliteConnection, ids: &[Id], table: &str, column: &str) -> Result<HashSet<Id>> {
    sqlx::query("CREATE TEMP TABLE IF NOT EXISTS sync_ids(id BLOB PRIMARY KEY)").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM temp.sync_ids").execute(&mut *tx).await?;
    for chunk in ids.chunks(500) {
        let mut q = QueryBuilder::<Sqlite>::new("INSERT OR IGNORE INTO temp.sync_ids(id) ");
        q.push_values(chunk, |mut b, id| {
            b.push_bind(*id);
        });
        q.build().execute(&mut *tx).await?;
    }
    let sql = format!("SELECT DISTINCT t.{column} FROM {table} t JOIN temp.sync_ids s ON s.id = t.{column}");
    let found: Vec<Id> = sqlx::query_scalar(&sql).fetch_all(&mut *tx).await?;
    Ok(found.into_iter().collect())
}

/// Writes the contacts, initiatives and events among `records` in bulk (each has no entry in
/// this office's history but the package's `changes`), and returns those it did not write:
/// other kinds, and records whose fold cannot be stored as a new row.
pub(super) async fn write(
    store: &Store,
    tx: &mut SqliteConnection,
    records: Vec<(Id, Entity)>,
    changes: &[&Change],
    applied: &mut Applied,
) -> Result<Vec<(Id, Entity)>> {
    let mut by_record: HashMap<Id, Vec<&Change>> = HashMap::new();
    for c in changes {
        by_record.entry(c.entity_id).or_default().push(c);
    }
    let mut rest = Vec::new();
    let mut folded: Vec<(Id, Entity, Folded<'_>)> = Vec::new();
    for (id, entity) in records {
        let bulk = matches!(entity, Entity::Contact | Entity::Initiative | Entity::Event);
        let entries = by_record.remove(&id).unwrap_or_default();
        let f = fold_refs(entity, entries);
        if bulk && f.deleted.is_none() && f.fields.is_some() && !f.stages.is_empty() {
            folded.push((id, entity, f));
        } else {
            rest.push((id, entity));
        }
    }
    sqlx::query("SAVEPOINT mestno_fresh").execute(&mut *tx).await?;
    match write_folded(tx, &folded, applied).await {
        Ok(()) => {
            sqlx::query("RELEASE mestno_fresh").execute(&mut *tx).await?;
            for (id, entity, f) in &folded {
                for lost in &f.lost {
                    applied.conflicts += conflicts::record_lost(store, tx, *entity, *id, lost).await?;
                }
                for problem in problems(*entity, f) {
                    applied.conflicts += conflicts::record_rule(store, tx, *entity, *id, &problem, false).await?;
                }
            }
        }
        Err(_) => {
            // One of them refers to something not here yet: each goes its own way instead.
            sqlx::query("ROLLBACK TO mestno_fresh").execute(&mut *tx).await?;
            sqlx::query("RELEASE mestno_fresh").execute(&mut *tx).await?;
            rest.extend(folded.iter().map(|(id, entity, _)| (*id, *entity)));
        }
    }
    Ok(rest)
}

/// When and where a record was made: its create entry's.
fn made<'c>(f: &Folded<'c>) -> Made<'c> {
    let first: &'c Change = f.stages[0];
    Made { at: first.at, by: &first.replica }
}

async fn write_folded(
    tx: &mut SqliteConnection,
    folded: &[(Id, Entity, Folded<'_>)],
    applied: &mut Applied,
) -> Result<()> {
    let mut contacts: Vec<(Id, ContactInput, &Folded<'_>)> = Vec::new();
    let mut initiatives: Vec<(Id, InitiativeInput, Stage, chrono::NaiveDate, &Folded<'_>)> = Vec::new();
    let mut events: Vec<(Id, EventInput, &Folded<'_>)> = Vec::new();
    for (id, entity, f) in folded {
        let Some(fields) = &f.fields else { continue };
        match entity {
            Entity::Contact => contacts.push((*id, parse(fields)?, f)),
            Entity::Initiative => {
                let stage = super::materialize::parse_field(fields, "stage")?;
                let on = super::materialize::parse_field(fields, "stage_on")?;
                initiatives.push((*id, parse_scrubbed(*entity, fields)?, stage, on, f));
            }
            Entity::Event => events.push((*id, parse_scrubbed(*entity, fields)?, f)),
            _ => {}
        }
    }
    if super::any_erased(tx).await? {
        for (_, input, ..) in &mut initiatives {
            super::materialize::forget_erased_initiator(tx, input).await?;
        }
        for (_, input, _) in &mut events {
            super::materialize::forget_erased_attendees(tx, input).await?;
        }
    }
    insert_rows(&mut *tx, contacts.iter().map(|(id, input, f)| rows::Contact::of(*id, input, made(f))).collect())
        .await?;
    let lists: Vec<(Id, &ContactInput)> = contacts.iter().map(|(id, input, _)| (*id, input)).collect();
    write_contact_lists(&mut *tx, &lists).await?;
    let consents: Vec<rows::Consent<'_>> =
        contacts.iter().flat_map(|(id, _, f)| consent_rows(*id, f, made(f))).collect();
    insert_rows(&mut *tx, consents).await?;
    insert_rows(
        &mut *tx,
        initiatives
            .iter()
            .map(|(id, input, stage, on, f)| rows::Initiative::of(*id, input, *stage, *on, made(f)))
            .collect(),
    )
    .await?;
    let budgets: Vec<(Id, &InitiativeInput)> = initiatives.iter().map(|(id, input, ..)| (*id, input)).collect();
    write_budgets(&mut *tx, &budgets).await?;
    let stages: Vec<rows::StageChange<'_>> = initiatives.iter().flat_map(|(id, .., f)| stage_rows(*id, f)).collect();
    insert_rows(&mut *tx, stages).await?;
    insert_rows(&mut *tx, events.iter().map(|(id, input, f)| rows::Event::of(*id, input, made(f))).collect()).await?;
    let links: Vec<(Id, &EventInput)> = events.iter().map(|(id, input, _)| (*id, input)).collect();
    write_event_links(&mut *tx, &links).await?;
    // A record changed after it was made carries its last change's stamp.
    for (id, entity, f) in folded {
        if let Some(last) = f.last.filter(|l| l.id != f.stages[0].id) {
            let sql =
                format!("UPDATE {} SET updated_at = ?, updated_by = ? WHERE id = ?", crate::store::table_of(*entity));
            sqlx::query(&sql).bind(last.at).bind(&last.replica).bind(id).execute(&mut *tx).await?;
        }
    }
    for (kind, n) in [("contact", contacts.len()), ("initiative", initiatives.len()), ("event", events.len())] {
        if n > 0 {
            *applied.added.entry(kind.to_owned()).or_default() += n as u64;
        }
    }
    Ok(())
}
