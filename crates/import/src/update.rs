//! A registry sent again. An office brings back the registry it imported last year, or one it
//! exported, edited in Excel and saved: each row that is an initiative already stored (by the id
//! column when the file has one, else by title, territory and year) updates that initiative with
//! what the file's columns say — instead of being skipped as «already there».
//!
//! Only the columns the file has are taken; what it does not carry stays as stored. Each change
//! is shown from what to what. A field the file changes that was also changed in Mestno after the
//! record was last imported (or created, for a record entered by hand) is a conflict: the row is
//! refused with both values listed, never silently overwritten.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use mestno_core::model::{Id, Initiative, InitiativeInput, Stage};
use mestno_core::money::{FundingSource, Kopecks};
use mestno_core::store::{InitiativeUpdate, NewInitiative, StageMove};
use mestno_core::{Lang, Store, Text};

use crate::error::Result;
use crate::fields::Field;
use crate::plan::{Conflict, Duplicate, FieldChange, Plan, PlannedUpdate, Problem, retain_indexed};
use crate::records::Context;

/// Takes out of the batch the rows whose id column names a stored initiative: they are that
/// initiative, whatever their title. Returns them with their rows and ids.
pub(crate) async fn by_id_column(
    store: &Store,
    plan: &mut Plan,
    ctx: &Context<'_>,
) -> Result<Vec<(u32, Id, NewInitiative)>> {
    let Some(col) = ctx.columns.iter().find(|c| c.field == Field::RecordId) else { return Ok(Vec::new()) };
    let ids: Vec<Option<Id>> = plan
        .batch_rows
        .iter()
        .map(|&row| Id::parse_str(ctx.cells.get(row as usize - 1, col.index).display().trim()).ok())
        .collect();
    let wanted: Vec<Id> = ids.iter().flatten().copied().collect();
    let stored: HashSet<Id> = store.existing_initiatives(&wanted).await?.into_iter().collect();
    let found = ids.iter().enumerate().filter_map(|(i, id)| id.filter(|id| stored.contains(id)).map(|id| (i, id)));
    Ok(take_out(plan, found.collect()))
}

/// Takes out of the batch the rows whose registration number is that of exactly one stored
/// initiative. Returns them with their rows and ids.
pub(crate) async fn by_number(store: &Store, plan: &mut Plan) -> Result<Vec<(u32, Id, NewInitiative)>> {
    let numbers: Vec<String> =
        plan.batch.initiatives.iter().filter_map(|n| n.input.number.as_deref().map(|s| s.trim().to_string())).collect();
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    let mut owners: HashMap<String, Vec<Id>> = HashMap::new();
    for (number, id) in store.initiatives_by_number(&numbers).await? {
        owners.entry(number).or_default().push(id);
    }
    let found = plan.batch.initiatives.iter().enumerate().filter_map(|(i, n)| {
        let number = n.input.number.as_deref().map(str::trim).unwrap_or_default();
        match owners.get(number).map(Vec::as_slice) {
            Some([id]) => Some((i, *id)),
            _ => None,
        }
    });
    let found = found.collect();
    Ok(take_out(plan, found))
}

/// Takes the initiatives at the batch positions `found` out of the batch, with their rows and
/// the stored ids they match.
fn take_out(plan: &mut Plan, found: Vec<(usize, Id)>) -> Vec<(u32, Id, NewInitiative)> {
    let out = found.iter().map(|&(i, id)| (plan.batch_rows[i], id, plan.batch.initiatives[i].clone())).collect();
    let taken: HashSet<usize> = found.into_iter().map(|(i, _)| i).collect();
    let keep = |i: &usize| !taken.contains(i);
    plan.batch_rows = plan.batch_rows.iter().enumerate().filter(|(i, _)| keep(i)).map(|(_, r)| *r).collect();
    retain_indexed(&mut plan.batch.initiatives, &keep);
    out
}

/// Works out what each row matching a stored initiative changes, its conflicts, and the updates
/// to write; `by_id` are the rows matched by the id column.
pub(crate) async fn plan_updates(
    store: &Store,
    plan: &mut Plan,
    ctx: &Context<'_>,
    matched: Vec<(u32, Id, NewInitiative)>,
    by_id: &HashSet<u32>,
    by_number: &HashSet<u32>,
) -> Result<()> {
    let present: HashSet<Field> = ctx.columns.iter().map(|c| c.field).collect();
    for (row, id, file) in matched {
        let stored = store.initiative(id).await?;
        let merged = merge(&stored.input, &file.input, &present);
        let mut changes = changes(&stored.input, &merged, ctx);
        // A status cell left empty leaves the stage as it is (it reads as the default stage).
        let stage_given = crate::records::Row::new(ctx, row.saturating_sub(1) as usize).gives(Field::Stage);
        let stage = stage_move(&stored, &file, &present).filter(|_| stage_given);
        if let Some(m) = stage {
            let label = |s: Stage| s.label(Lang::Ru).to_string();
            let field = Text::new(Field::Stage.label(Lang::Ru), Field::Stage.label(Lang::En));
            changes.push((
                "stage".into(),
                FieldChange {
                    field,
                    old: label(stored.stage),
                    new: format!("{} ({})", label(m.to), m.on.format("%d.%m.%Y")),
                },
            ));
        }
        let matched_by = if by_id.contains(&row) {
            Text::new("по коду записи", "by its record id")
        } else if by_number.contains(&row) {
            Text::new("по номеру заявки", "by its application number")
        } else {
            Text::new("по названию, территории и году", "by title, territory and year")
        };
        if changes.is_empty() {
            if by_id.contains(&row) || by_number.contains(&row) {
                plan.matched.push(Duplicate {
                    row,
                    name: file.input.title.clone(),
                    existing_id: Some(id),
                    existing_row: None,
                    existing_name: stored.input.title.clone(),
                    reason: Text::new("уже есть, без изменений", "already there, unchanged"),
                });
            }
            continue;
        }
        plan.matched.retain(|d| d.row != row);
        let edited = edited_in_mestno(store, id).await?;
        let conflicts: Vec<&(String, FieldChange)> =
            changes.iter().filter(|(key, _)| edited.contains_key(key)).collect();
        if !conflicts.is_empty() {
            for (key, change) in conflicts {
                let (by, at) = edited[key].clone();
                plan.conflicts.push(Conflict {
                    row,
                    id,
                    title: stored.input.title.clone(),
                    field: change.field.clone(),
                    in_mestno: change.old.clone(),
                    in_file: change.new.clone(),
                    changed_by: by,
                    changed_at: at,
                });
                plan.problems.push(problem(ctx, row, Text::new(
                    format!(
                        "«{}» изменено в Mestno после прошлого импорта: в Mestno «{}», в файле «{}»; запись не обновлена",
                        change.field.ru, change.old, change.new
                    ),
                    format!(
                        "«{}» was changed in Mestno after the last import: «{}» in Mestno, «{}» in the file; the record is not updated",
                        change.field.en, change.old, change.new
                    ),
                )));
            }
            plan.bad_rows.push(row);
            continue;
        }
        let mut errors = store.check_initiative(&merged, stage.map_or(stored.stage, |m| m.to)).await?.errors;
        if let Some(m) = stage {
            // The program's rules at the new stage were checked above, on the new fields.
            errors.extend(store.stage_move_problems(&stored, m.to, m.on, &[]));
        }
        if !errors.is_empty() {
            for e in errors {
                plan.problems.push(problem(ctx, row, e.message));
            }
            plan.bad_rows.push(row);
            continue;
        }
        plan.updates.push(PlannedUpdate {
            row,
            id,
            title: stored.input.title.clone(),
            matched_by,
            changes: changes.into_iter().map(|(_, c)| c).collect(),
        });
        plan.batch.updates.push(InitiativeUpdate { id, rev: stored.stamp.rev, input: merged, stage });
    }
    Ok(())
}

/// The move to the stage the file's status column names, when it differs from the stored one:
/// on the file's date of the decision, else on the later of the stored stage's date and the
/// date an import of a new project would take.
fn stage_move(stored: &Initiative, file: &NewInitiative, present: &HashSet<Field>) -> Option<StageMove> {
    if !present.contains(&Field::Stage) || file.stage == stored.stage {
        return None;
    }
    let on = if present.contains(&Field::StageOn) { file.stage_on } else { file.stage_on.max(stored.stage_on) };
    Some(StageMove { to: file.stage, on })
}

fn problem(ctx: &Context<'_>, row: u32, message: Text) -> Problem {
    Problem { sheet: ctx.sheet.to_string(), row, column: None, heading: None, value: None, message }
}

/// The stored initiative with what the file's columns say put in.
fn merge(stored: &InitiativeInput, file: &InitiativeInput, present: &HashSet<Field>) -> InitiativeInput {
    let has = |f: Field| present.contains(&f);
    let mut m = stored.clone();
    if has(Field::Title) {
        m.title = file.title.clone();
    }
    if has(Field::Number) {
        m.number = file.number.clone();
    }
    if has(Field::Description) {
        m.description = file.description.clone();
    }
    if has(Field::ObjectType) {
        m.object_type = file.object_type;
    }
    if has(Field::Territory) || has(Field::District) {
        m.territory_id = file.territory_id;
    }
    if has(Field::Program) {
        m.program_id = file.program_id;
    }
    if has(Field::Year) {
        m.year = file.year;
    }
    // Mestno's own registry leaves out the names of residents without consent (152-ФЗ): such a
    // cell says so, and changes no one's name.
    // An empty name is written as the kind of initiator («администрация»).
    let unnamed = stored.initiator.name.trim().is_empty()
        && mestno_core::text::fold(&file.initiator.name)
            == mestno_core::text::fold(stored.initiator.kind.label(Lang::Ru));
    if has(Field::Initiator)
        && !file.initiator.name.contains("не раскрывается")
        && !unnamed
        && file.initiator.name.trim() != stored.initiator.name.trim()
    {
        m.initiator.name = file.initiator.name.clone();
        m.initiator.kind = file.initiator.kind;
    }
    for source in FundingSource::ALL {
        let (planned, actual) = Field::of_source(source);
        let from_file = file.budget.iter().find(|l| l.source == source);
        let line = match m.budget.iter().position(|l| l.source == source) {
            Some(i) => &mut m.budget[i],
            None => {
                m.budget.push(mestno_core::model::BudgetLine {
                    source,
                    planned: Kopecks::ZERO,
                    actual: Kopecks::ZERO,
                    note: String::new(),
                });
                m.budget.last_mut().expect("just pushed")
            }
        };
        if has(planned) {
            line.planned = from_file.map_or(Kopecks::ZERO, |l| l.planned);
        }
        if has(actual) {
            line.actual = from_file.map_or(Kopecks::ZERO, |l| l.actual);
        }
    }
    m.budget.retain(|l| l.planned.0 > 0 || l.actual.0 > 0 || !l.note.is_empty());
    m.budget.sort_by_key(|l| FundingSource::ALL.iter().position(|s| *s == l.source));
    if has(Field::TotalCost) || FundingSource::ALL.iter().any(|&s| has(Field::of_source(s).0)) {
        m.total_cost = file.total_cost;
    }
    let (i, f) = (&mut m.implementation, &file.implementation);
    if has(Field::Contractor) {
        i.contractor = f.contractor.clone();
    }
    if has(Field::ContractSum) {
        i.contract_sum = f.contract_sum;
    }
    if has(Field::ContractDate) {
        i.contract_date = f.contract_date;
    }
    if has(Field::StartDate) {
        i.start_date = f.start_date;
    }
    if has(Field::EndDate) {
        i.end_date = f.end_date;
    }
    if has(Field::PercentDone) {
        i.percent_done = f.percent_done;
    }
    if has(Field::Beneficiaries) {
        m.beneficiaries = file.beneficiaries;
    }
    if has(Field::Supporters) {
        m.supporters = file.supporters;
    }
    if has(Field::Votes) {
        m.votes = file.votes;
    }
    if has(Field::Results) {
        m.results = file.results.clone();
    }
    m
}

/// Each field that differs, as a person reads it, keyed by the field of the record's history it
/// is kept under.
fn changes(old: &InitiativeInput, new: &InitiativeInput, ctx: &Context<'_>) -> Vec<(String, FieldChange)> {
    let mut out = Vec::new();
    let mut push = |key: &str, field: Field, a: String, b: String| {
        if a != b {
            let field = Text::new(field.label(Lang::Ru), field.label(Lang::En));
            out.push((key.to_string(), FieldChange { field, old: a, new: b }));
        }
    };
    push("title", Field::Title, old.title.clone(), new.title.clone());
    let number = |n: &Option<String>| n.clone().unwrap_or_else(|| "—".into());
    push("number", Field::Number, number(&old.number), number(&new.number));
    push("description", Field::Description, old.description.clone(), new.description.clone());
    push(
        "object_type",
        Field::ObjectType,
        old.object_type.label(Lang::Ru).into(),
        new.object_type.label(Lang::Ru).into(),
    );
    let place = |id: Id| ctx.places.name(id).to_string();
    push("territory_id", Field::Territory, place(old.territory_id), place(new.territory_id));
    let program = |id: Option<Id>| id.map_or_else(|| "—".to_string(), |p| ctx.programs.code(p));
    push("program_id", Field::Program, program(old.program_id), program(new.program_id));
    push("year", Field::Year, old.year.to_string(), new.year.to_string());
    push("initiator", Field::Initiator, old.initiator.name.clone(), new.initiator.name.clone());
    push("total_cost", Field::TotalCost, money(old.total_cost), money(new.total_cost));
    for source in FundingSource::ALL {
        let (planned, actual) = Field::of_source(source);
        let line = |i: &InitiativeInput| i.budget.iter().find(|l| l.source == source).cloned();
        let (a, b) = (line(old), line(new));
        let get = |l: &Option<mestno_core::model::BudgetLine>, actual: bool| {
            money(l.as_ref().map_or(Kopecks::ZERO, |l| if actual { l.actual } else { l.planned }))
        };
        push("budget", planned, get(&a, false), get(&b, false));
        push("budget", actual, get(&a, true), get(&b, true));
    }
    push("beneficiaries", Field::Beneficiaries, old.beneficiaries.to_string(), new.beneficiaries.to_string());
    push("supporters", Field::Supporters, old.supporters.to_string(), new.supporters.to_string());
    push("votes", Field::Votes, old.votes.to_string(), new.votes.to_string());
    let (a, b) = (&old.implementation, &new.implementation);
    push("implementation", Field::Contractor, a.contractor.clone(), b.contractor.clone());
    push(
        "implementation",
        Field::ContractSum,
        a.contract_sum.map_or("—".into(), money),
        b.contract_sum.map_or("—".into(), money),
    );
    push("implementation", Field::ContractDate, date(a.contract_date), date(b.contract_date));
    push("implementation", Field::StartDate, date(a.start_date), date(b.start_date));
    push("implementation", Field::EndDate, date(a.end_date), date(b.end_date));
    push("implementation", Field::PercentDone, a.percent_done.to_string(), b.percent_done.to_string());
    push("results", Field::Results, old.results.clone(), new.results.clone());
    out
}

fn money(k: Kopecks) -> String {
    k.to_string()
}

fn date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "—".to_string(), |d| d.format("%d.%m.%Y").to_string())
}

/// The fields of a record changed in Mestno since it was last imported (or created, if it never
/// was): each with who changed it last, and when.
async fn edited_in_mestno(store: &Store, id: Id) -> Result<HashMap<String, (String, i64)>> {
    let history = store.history(id).await?;
    let imported = |e: &mestno_core::store::HistoryEntry| e.changes.get("imported_from").is_some();
    // The history comes oldest first (by time, then by the order written).
    let since =
        history.iter().rposition(|e| imported(e) || e.op == mestno_core::store::Op::Create).map_or(0, |i| i + 1);
    let mut edited = HashMap::new();
    for e in &history[since..] {
        if let Some(fields) = e.changes.as_object() {
            for key in fields.keys() {
                edited.insert(key.clone(), (e.actor.clone(), e.at));
            }
        }
    }
    Ok(edited)
}
