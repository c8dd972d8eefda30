//! Checking a batch as the one-record functions would, with the references read once.

use std::collections::{HashMap, HashSet};

use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use super::{Batch, BatchProblem, MAX_BINDS};
use crate::error::{Entity, FieldError, Problems, Result};
use crate::model::{CofinancingRules, Id, check_date};
use crate::store::Store;
use crate::store::programs::rules_from;

/// What the database must already hold for a batch's references to be good.
pub(super) struct References {
    territories: HashSet<Id>,
    programs: HashMap<Id, CofinancingRules>,
    contacts: HashSet<Id>,
    initiatives: HashSet<Id>,
}

impl Store {
    pub(super) fn check_with(&self, batch: &mut Batch, refs: &References) -> Vec<BatchProblem> {
        let today = self.clock().today();
        let mut out = Vec::new();
        let mut report = |entity, index, p: Problems| {
            let errors = p.into_vec();
            if !errors.is_empty() {
                out.push(BatchProblem { entity, index, errors });
            }
        };
        let mut territories = refs.territories.clone();
        for (i, t) in batch.territories.iter().enumerate() {
            let mut p = Problems::default();
            t.input.validate(&mut p);
            if let Some(parent) = t.input.parent_id
                && !territories.contains(&parent)
            {
                p.push("parent_id", "вышестоящая территория не найдена", "the parent territory does not exist");
            }
            territories.insert(t.id);
            report(Entity::Territory, i, p);
        }
        let territories = &territories;
        for (i, c) in batch.contacts.iter_mut().enumerate() {
            let mut p = Problems::default();
            c.input.validate_and_normalize(&mut p);
            if let Some(t) = c.input.territory_id
                && !territories.contains(&t)
            {
                p.push("territory_id", "территория не найдена", "unknown territory");
            }
            if let Some(consent) = &c.consent {
                if c.input.kind != crate::model::ContactKind::Person {
                    p.push(
                        "consent",
                        "согласие на обработку персональных данных дают люди, а не организации",
                        "consent is given by people, not organisations",
                    );
                }
                let mut cp = Problems::default();
                consent.validate(&mut cp, today);
                p.extend(cp.into_vec().into_iter().map(|e| FieldError { field: format!("consent.{}", e.field), ..e }));
            }
            report(Entity::Contact, i, p);
        }
        for (i, n) in batch.initiatives.iter().enumerate() {
            let mut p = Problems::default();
            let input = &n.input;
            input.validate(&mut p);
            if !territories.contains(&input.territory_id) {
                p.push("territory_id", "территория не найдена", "unknown territory");
            }
            if let Some(contact) = input.initiator.contact_id
                && !refs.contacts.contains(&contact)
            {
                p.push("initiator.contact_id", "инициатор не найден среди контактов", "the initiator is not a contact");
            }
            if let Some(program) = input.program_id {
                match refs.programs.get(&program) {
                    None => p.push("program_id", "программа не найдена", "unknown program"),
                    Some(rules) if n.stage.rules_binding() => p.extend(input.rule_violations(rules)),
                    Some(_) => {}
                }
            }
            if let Some(meeting) = &n.meeting {
                let mut mp = Problems::default();
                meeting.validate(&mut mp);
                p.extend(mp.into_vec().into_iter().map(|e| FieldError { field: format!("meeting.{}", e.field), ..e }));
            }
            check_date(&mut p, "stage_on", n.stage_on);
            if n.stage_on > today {
                p.push("stage_on", "дата смены стадии ещё не наступила", "the stage date is in the future");
            }
            report(Entity::Initiative, i, p);
        }
        for (i, e) in batch.events.iter().enumerate() {
            let mut p = Problems::default();
            e.validate(&mut p);
            if !territories.contains(&e.territory_id) {
                p.push("territory_id", "территория не найдена", "unknown territory");
            }
            for (j, a) in e.attendees.iter().enumerate() {
                if !refs.contacts.contains(&a.contact_id) {
                    p.push(
                        format!("attendees[{j}].contact_id"),
                        "участник не найден среди контактов",
                        "the attendee is not a contact",
                    );
                }
            }
            for (j, initiative) in e.initiative_ids.iter().enumerate() {
                if !refs.initiatives.contains(initiative) {
                    p.push(format!("initiative_ids[{j}]"), "проект не найден", "unknown initiative");
                }
            }
            report(Entity::Event, i, p);
        }
        out
    }
}

/// Every problem as one list of field errors, each field prefixed with its record.
pub(super) fn prefixed(problems: Vec<BatchProblem>) -> Vec<FieldError> {
    problems
        .into_iter()
        .flat_map(|bp| {
            let list = match bp.entity {
                Entity::Territory => "territories",
                Entity::Contact => "contacts",
                Entity::Initiative => "initiatives",
                _ => "events",
            };
            bp.errors.into_iter().map(move |e| FieldError { field: format!("{list}[{}].{}", bp.index, e.field), ..e })
        })
        .collect()
}

impl References {
    pub(super) async fn load(conn: &mut SqliteConnection, batch: &Batch) -> Result<References> {
        let territories: Vec<Id> = sqlx::query_scalar("SELECT id FROM territories").fetch_all(&mut *conn).await?;
        let mut programs = HashMap::new();
        for row in sqlx::query("SELECT * FROM programs").fetch_all(&mut *conn).await? {
            programs.insert(row.try_get("id")?, rules_from(&row)?);
        }
        let named_contacts: HashSet<Id> = batch
            .initiatives
            .iter()
            .filter_map(|n| n.input.initiator.contact_id)
            .chain(batch.events.iter().flat_map(|e| e.attendees.iter().map(|a| a.contact_id)))
            .collect();
        let named_initiatives: HashSet<Id> =
            batch.events.iter().flat_map(|e| e.initiative_ids.iter().copied()).collect();
        Ok(References {
            territories: territories.into_iter().collect(),
            programs,
            contacts: existing(conn, "contacts", named_contacts).await?,
            initiatives: existing(conn, "initiatives", named_initiatives).await?,
        })
    }
}

/// Those of `ids` that `table` holds.
pub(super) async fn existing(conn: &mut SqliteConnection, table: &str, ids: HashSet<Id>) -> Result<HashSet<Id>> {
    let ids: Vec<Id> = ids.into_iter().collect();
    let mut found = HashSet::new();
    for chunk in ids.chunks(MAX_BINDS) {
        let mut qb = QueryBuilder::<Sqlite>::new(format!("SELECT id FROM {table} WHERE id IN "));
        qb.push_tuples(chunk, |mut b, id| {
            b.push_bind(*id);
        });
        let rows: Vec<Id> = qb.build_query_scalar().fetch_all(&mut *conn).await?;
        found.extend(rows);
    }
    Ok(found)
}
