//! The core's own checks over the records read, their failures placed in the rows and columns
//! they come from.

use mestno_core::{Entity, FieldError, Store};

use super::{Plan, Problem};
use crate::error::Result;
use crate::fields::{Field, Kind};
use crate::records::Context;
use crate::table::column_letter;

/// Runs the core's own checks over the records read; records that fail become problems of
/// their rows, in the columns their fields come from.
pub(super) async fn check_with_core(store: &Store, plan: &mut Plan, ctx: &Context<'_>) -> Result<()> {
    let found = store.check_batch(&mut plan.batch).await?;
    if found.is_empty() {
        return Ok(());
    }
    let mut bad = std::collections::HashSet::new();
    for p in found {
        let row = plan.batch_rows[p.index];
        bad.insert(p.index);
        plan.bad_rows.push(row);
        for e in p.errors {
            plan.problems.push(core_problem(ctx, plan.kind, row, &e));
        }
    }
    let keep = |i: &usize| !bad.contains(i);
    plan.batch_rows = plan.batch_rows.iter().enumerate().filter(|(i, _)| keep(i)).map(|(_, r)| *r).collect();
    retain_indexed(&mut plan.batch.contacts, &keep);
    retain_indexed(&mut plan.batch.initiatives, &keep);
    retain_indexed(&mut plan.batch.events, &keep);
    Ok(())
}

pub(crate) fn retain_indexed<T>(list: &mut Vec<T>, keep: &impl Fn(&usize) -> bool) {
    let mut i = 0;
    list.retain(|_| {
        let k = keep(&i);
        i += 1;
        k
    });
}

/// A core field error placed in the column its field came from.
fn core_problem(ctx: &Context<'_>, kind: Kind, row: u32, e: &FieldError) -> Problem {
    let field = field_of(kind, &e.field);
    let column = field.and_then(|f| {
        ctx.columns.iter().find(|c| c.field == f).or_else(|| match f {
            Field::LastName => ctx.columns.iter().find(|c| c.field == Field::FullName),
            Field::OrgName => ctx.columns.iter().find(|c| matches!(c.field, Field::FullName | Field::LastName)),
            Field::Territory => ctx.columns.iter().find(|c| c.field == Field::District),
            _ => None,
        })
    });
    Problem {
        sheet: ctx.sheet.to_string(),
        row,
        column: column.map(|c| column_letter(c.index as u32)),
        heading: column.and_then(|c| ctx.names.get(c.index)).cloned(),
        value: column
            .map(|c| crate::parse::shorten(&ctx.cells.get(row as usize - 1, c.index).display()))
            .filter(|v| !v.is_empty()),
        message: e.message.clone(),
    }
}

/// The import field a core field path comes from.
fn field_of(kind: Kind, path: &str) -> Option<Field> {
    let head = path.split(['[', '.']).next().unwrap_or("");
    let source = path.strip_prefix("budget.");
    Some(match (kind, head) {
        (_, "territory_id") => Field::Territory,
        (_, "title") => Field::Title,
        (Kind::Contacts, "last_name" | "first_name") => Field::LastName,
        (Kind::Contacts, "org_name") => Field::OrgName,
        (Kind::Contacts, "phones") => Field::Phone,
        (Kind::Contacts, "emails") => Field::Email,
        (Kind::Contacts, "consent") if path.ends_with("expires_on") => Field::ConsentUntil,
        (Kind::Contacts, "consent") => Field::ConsentOn,
        (Kind::Initiatives, "budget") => match source {
            Some("federal") => Field::Federal,
            Some("regional") => Field::Regional,
            Some("municipal") => Field::Municipal,
            Some("residents") => Field::Residents,
            Some("business") => Field::Business,
            Some("in_kind") => Field::InKind,
            _ => Field::TotalCost,
        },
        (Kind::Initiatives, "meeting") if path.contains("starts_at") => Field::MeetingDate,
        (Kind::Initiatives, "meeting") => Field::MeetingParticipants,
        (Kind::Initiatives, "total_cost") => Field::TotalCost,
        (Kind::Initiatives, "year") => Field::Year,
        (Kind::Initiatives, "initiator") => Field::Initiator,
        (Kind::Initiatives, "program_id") => Field::Program,
        (Kind::Initiatives, "stage_on") => Field::StageOn,
        (Kind::Initiatives, "beneficiaries") => Field::Beneficiaries,
        (Kind::Initiatives, "supporters") => Field::Supporters,
        (Kind::Initiatives, "votes") => Field::Votes,
        (Kind::Initiatives, "implementation") => match path.strip_prefix("implementation.") {
            Some("percent_done") => Field::PercentDone,
            Some("contract_sum") => Field::ContractSum,
            Some("contract_date") => Field::ContractDate,
            Some("start_date") => Field::StartDate,
            _ => Field::EndDate,
        },
        (Kind::Events, "starts_at") => Field::Date,
        (Kind::Events, "ends_at") => Field::EndTime,
        (Kind::Events, "headcount") => Field::Headcount,
        _ => return None,
    })
}

/// The entity a kind of import adds.
pub(crate) fn entity(kind: Kind) -> Entity {
    match kind {
        Kind::Contacts => Entity::Contact,
        Kind::Initiatives => Entity::Initiative,
        Kind::Events => Entity::Event,
    }
}
