//! The rows of a record given as the model's input, checked: what saving one record from a form
//! and committing an import's batch write alike, through the same `INSERT`s.

use std::collections::HashSet;

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::insert::insert_rows;
use super::rows;
use crate::error::{Entity, Result};
use crate::model::{
    AppealInput, ConsentInput, ContactInput, EventInput, Id, InitiativeInput, ProgramInput, Stage, TerritoryInput,
};
use crate::store::Store;
use crate::store::history::Op;
use crate::text::fold;

/// When and on which device new rows are made.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Made<'a> {
    /// When, ms since the epoch.
    pub at: i64,
    /// The device.
    pub by: &'a str,
}

impl Store {
    /// Now, on this device.
    pub(crate) fn made(&self) -> Made<'_> {
        Made { at: self.now_ms(), by: self.device() }
    }

    /// A history entry of `op` on the record `entity_id`, made now by this store's actor.
    pub(crate) fn history_row<'a>(
        &'a self,
        id: Id,
        entity: Entity,
        entity_id: Id,
        op: Op,
        changes: String,
    ) -> rows::History<'a> {
        rows::History {
            id,
            entity,
            entity_id,
            op,
            at: self.now_ms(),
            device: self.device().into(),
            actor: self.actor().into(),
            changes: changes.into(),
            hlc: self.next_hlc(),
        }
    }
}

impl<'a> rows::Territory<'a> {
    /// The row of a new territory.
    pub(crate) fn of(id: Id, input: &'a TerritoryInput, made: Made<'a>) -> Self {
        rows::Territory {
            id,
            parent_id: input.parent_id,
            kind: input.kind,
            name: input.name.trim().into(),
            sort_key: fold(&input.name).into(),
            oktmo: input.oktmo.as_str().into(),
            created_at: made.at,
            updated_at: made.at,
            updated_by: made.by.into(),
        }
    }
}

impl<'a> rows::Program<'a> {
    /// The row of a new program.
    pub(crate) fn of(id: Id, input: &'a ProgramInput, made: Made<'a>) -> Self {
        let rules = &input.rules;
        rows::Program {
            id,
            code: input.code.trim().into(),
            name: input.name.trim().into(),
            kind: input.kind,
            description: input.description.as_str().into(),
            min_residents_share_bp: rules.min_residents_share_bp,
            min_business_share_bp: rules.min_business_share_bp,
            min_municipal_share_bp: rules.min_municipal_share_bp,
            max_subsidy_share_bp: rules.max_subsidy_share_bp,
            max_subsidy_kopecks: rules.max_subsidy_kopecks.map(|k| k.0),
            created_at: made.at,
            updated_at: made.at,
            updated_by: made.by.into(),
        }
    }
}

impl<'a> rows::Contact<'a> {
    /// The row of a new contact.
    pub(crate) fn of(id: Id, input: &'a ContactInput, made: Made<'a>) -> Self {
        let name = input.display_name();
        rows::Contact {
            id,
            kind: input.kind,
            last_name: input.last_name.as_str().into(),
            first_name: input.first_name.as_str().into(),
            middle_name: input.middle_name.as_str().into(),
            org_name: input.org_name.as_str().into(),
            position: input.position.as_str().into(),
            sort_key: fold(&name).into(),
            display_name: name.into(),
            territory_id: input.territory_id,
            address: input.address.as_str().into(),
            notes: input.notes.as_str().into(),
            created_at: made.at,
            updated_at: made.at,
            updated_by: made.by.into(),
        }
    }
}

impl<'a> rows::Consent<'a> {
    /// The row of a consent given.
    pub(crate) fn of(id: Id, contact_id: Id, input: &'a ConsentInput, made: Made<'_>) -> Self {
        rows::Consent {
            id,
            contact_id,
            purpose: input.purpose.trim().into(),
            given_on: input.given_on,
            method: input.method,
            expires_on: input.expires_on,
            withdrawn_on: None,
            recorded_at: made.at,
        }
    }
}

impl<'a> rows::Initiative<'a> {
    /// The row of a new initiative entered at `stage` on `stage_on`.
    pub(crate) fn of(id: Id, input: &'a InitiativeInput, stage: Stage, stage_on: NaiveDate, made: Made<'a>) -> Self {
        let imp = &input.implementation;
        rows::Initiative {
            id,
            title: input.title.trim().into(),
            sort_key: fold(&input.title).into(),
            description: input.description.as_str().into(),
            object_type: input.object_type,
            territory_id: input.territory_id,
            program_id: input.program_id,
            year: input.year,
            initiator_kind: input.initiator.kind,
            initiator_name: input.initiator.name.as_str().into(),
            initiator_contact_id: input.initiator.contact_id,
            total_cost_kopecks: input.total_cost.0,
            beneficiaries: input.beneficiaries,
            supporters: input.supporters,
            votes: input.votes,
            contractor: imp.contractor.as_str().into(),
            contract_sum_kopecks: imp.contract_sum.map(|k| k.0),
            contract_date: imp.contract_date,
            start_date: imp.start_date,
            end_date: imp.end_date,
            percent_done: imp.percent_done,
            results: input.results.as_str().into(),
            number: input.number.as_deref().map(|n| n.trim().into()),
            stage,
            stage_on,
            created_at: made.at,
            updated_at: made.at,
            updated_by: made.by.into(),
        }
    }
}

impl<'a> rows::StageChange<'a> {
    /// The row of an initiative's move from `from` (none: it was entered) to `to` on `on`.
    pub(crate) fn of(
        id: Id,
        initiative_id: Id,
        from: Option<Stage>,
        to: Stage,
        on: NaiveDate,
        note: &'a str,
        made: Made<'a>,
    ) -> Self {
        rows::StageChange {
            id,
            initiative_id,
            from_stage: from,
            to_stage: to,
            changed_on: on,
            note: note.into(),
            recorded_at: made.at,
            recorded_by: made.by.into(),
        }
    }
}

impl<'a> rows::Event<'a> {
    /// The row of a new event.
    pub(crate) fn of(id: Id, input: &'a EventInput, made: Made<'a>) -> Self {
        rows::Event {
            id,
            kind: input.kind,
            title: input.title.trim().into(),
            sort_key: fold(&input.title).into(),
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            place: input.place.as_str().into(),
            territory_id: input.territory_id,
            headcount: input.headcount,
            outcome: input.outcome.as_str().into(),
            minutes: input.minutes.as_str().into(),
            created_at: made.at,
            updated_at: made.at,
            updated_by: made.by.into(),
        }
    }
}

impl<'a> rows::Appeal<'a> {
    /// The row of a new appeal.
    pub(crate) fn of(id: Id, input: &'a AppealInput, made: Made<'a>) -> Self {
        rows::Appeal {
            id,
            received_on: input.received_on,
            channel: input.channel,
            author_contact_id: input.author_contact_id,
            territory_id: input.territory_id,
            text: input.text.trim().into(),
            status: input.status,
            initiative_id: None,
            created_at: made.at,
            updated_at: made.at,
            updated_by: made.by.into(),
        }
    }
}

/// Writes the roles, phones, e-mails and tags of `contacts`, table by table.
pub(crate) async fn write_contact_lists(conn: &mut SqliteConnection, contacts: &[(Id, &ContactInput)]) -> Result<()> {
    let all = || contacts.iter().copied();
    let roles: Vec<_> =
        all().flat_map(|(id, c)| c.roles.iter().map(move |&role| rows::ContactRole { contact_id: id, role })).collect();
    insert_rows(conn, roles).await?;
    let phones: Vec<_> = all()
        .flat_map(|(id, c)| c.phones.iter().map(move |p| rows::ContactPhone { contact_id: id, phone: p.into() }))
        .collect();
    insert_rows(conn, phones).await?;
    let emails: Vec<_> = all()
        .flat_map(|(id, c)| c.emails.iter().map(move |e| rows::ContactEmail { contact_id: id, email: e.into() }))
        .collect();
    insert_rows(conn, emails).await?;
    let tags: Vec<_> = all()
        .flat_map(|(id, c)| c.tags.iter().map(move |t| rows::ContactTag { contact_id: id, tag: t.into() }))
        .collect();
    insert_rows(conn, tags).await
}

/// Writes the budget lines of `initiatives`.
pub(crate) async fn write_budgets(conn: &mut SqliteConnection, initiatives: &[(Id, &InitiativeInput)]) -> Result<()> {
    let lines: Vec<_> = initiatives
        .iter()
        .flat_map(|&(id, i)| {
            i.budget.iter().map(move |l| rows::BudgetLine {
                initiative_id: id,
                source: l.source,
                planned_kopecks: l.planned.0,
                actual_kopecks: l.actual.0,
                note: l.note.as_str().into(),
            })
        })
        .collect();
    insert_rows(conn, lines).await
}

/// Writes the named attendees of `events` and the initiatives they discussed, each once.
pub(crate) async fn write_event_links(conn: &mut SqliteConnection, events: &[(Id, &EventInput)]) -> Result<()> {
    let attendees: Vec<_> = events
        .iter()
        .flat_map(|&(id, e)| {
            e.attendees.iter().map(move |a| rows::Attendee { event_id: id, contact_id: a.contact_id, role: a.role })
        })
        .collect();
    insert_rows(&mut *conn, attendees).await?;
    let links: Vec<_> = events
        .iter()
        .flat_map(|&(id, e)| {
            let mut seen = HashSet::new();
            e.initiative_ids
                .iter()
                .filter(move |i| seen.insert(**i))
                .map(move |&initiative_id| rows::EventInitiative { event_id: id, initiative_id })
        })
        .collect();
    insert_rows(conn, links).await
}
