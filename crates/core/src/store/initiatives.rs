//! Initiatives: the projects an office carries from idea to completion.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use super::bulk::{insert_rows, rows, write_budgets};
use super::page::{self, Cursor, Direction, Page, SortValue};
use super::programs::program_rules;
use super::{Query, Store, bump_stamp, delete_record, exists, history, stamp_from, update_sql};
use crate::error::{Entity, Error, FieldError, Problems, Result};
use crate::model::{
    BudgetLine, Id, Implementation, Initiative, InitiativeInput, Initiator, ObjectType, Stage, StageChange,
};
use crate::money::{FundingSource, Kopecks, shares_summing_to_full};
use crate::text::fold;

/// How the initiatives list is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum InitiativeSort {
    /// By title.
    #[default]
    Title,
    /// By total cost.
    TotalCost,
    /// By year.
    Year,
    /// By last change.
    Updated,
}

/// Filters, sort and position for the initiatives list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct InitiativeQuery {
    /// Only this program.
    pub program_id: Option<Id>,
    /// Only this year.
    pub year: Option<i32>,
    /// Only this territory and what lies within it.
    pub territory_id: Option<Id>,
    /// Only these stages (all when empty).
    pub stages: Vec<Stage>,
    /// Only this type of object.
    pub object_type: Option<ObjectType>,
    /// Only those matching this text (full-text search).
    pub text: Option<String>,
    /// Sort column.
    pub sort: InitiativeSort,
    /// Sort direction.
    pub direction: Direction,
    /// Start after this position.
    pub after: Option<Cursor>,
    /// Rows per page (at most 500).
    pub limit: u32,
}

/// A row of the initiatives list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InitiativeRow {
    /// Id.
    pub id: Id,
    /// Title.
    pub title: String,
    /// Type of object.
    pub object_type: ObjectType,
    /// Stage.
    pub stage: Stage,
    /// Since when.
    pub stage_on: NaiveDate,
    /// Year.
    pub year: i32,
    /// Territory.
    pub territory_id: Id,
    /// Territory's name.
    pub territory_name: String,
    /// Program's code.
    pub program_code: Option<String>,
    /// Total cost.
    pub total_cost: Kopecks,
    /// Residents' planned money.
    pub residents: Kopecks,
    /// Beneficiaries.
    pub beneficiaries: i64,
    /// Last change, ms.
    pub updated_at: i64,
}

/// One source's part of an initiative's planned budget, as the form shows it while a person types.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SourceShare {
    /// The source.
    pub source: FundingSource,
    /// Its planned money.
    pub planned: Kopecks,
    /// Its share of the planned total in basis points (1 % = 100); the shares of all sources add
    /// up to exactly 10 000 unless the budget is empty.
    pub share_bp: u32,
}

/// What saving an initiative would say, computed without saving it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InitiativeCheck {
    /// Each source's share of the planned budget, in the order reports list the sources.
    pub shares: Vec<SourceShare>,
    /// The planned lines added up.
    pub planned_total: Kopecks,
    /// What stops the initiative from being saved at this stage.
    pub errors: Vec<FieldError>,
    /// The program's co-financing rules it breaks; binding (and so also among `errors`) from the
    /// application stage on, a warning before.
    pub warnings: Vec<FieldError>,
}

impl Store {
    /// Adds an initiative at `stage`, reached on `stage_on`.
    ///
    /// A project entered at the application stage or later must meet its program's
    /// co-financing rules; an idea may fall short and carries the shortfall as flags.
    pub async fn create_initiative(
        &self,
        input: InitiativeInput,
        stage: Stage,
        stage_on: NaiveDate,
    ) -> Result<Initiative> {
        let mut tx = self.begin().await?;
        let id = self.insert_initiative(&mut tx, input, stage, stage_on).await?;
        tx.commit().await?;
        self.initiative(id).await
    }

    /// Validates and inserts an initiative inside the caller's transaction.
    pub(crate) async fn insert_initiative(
        &self,
        tx: &mut SqliteConnection,
        input: InitiativeInput,
        stage: Stage,
        stage_on: NaiveDate,
    ) -> Result<Id> {
        let mut p = check_initiative(&mut *tx, &input, stage).await?;
        self.check_stage_date(&mut p, "stage_on", stage_on, None);
        p.into_result()?;
        let id = self.new_id();
        insert_rows(&mut *tx, vec![rows::Initiative::of(id, &input, stage, stage_on, self.made())]).await?;
        write_budgets(&mut *tx, &[(id, &input)]).await?;
        self.write_stage_change(&mut *tx, id, None, stage, stage_on, "").await?;
        let mut created = serde_json::to_value(&input).unwrap_or_default();
        created["stage"] = json!(stage);
        created["stage_on"] = json!(stage_on);
        history::record(self, &mut *tx, Entity::Initiative, id, history::Op::Create, history::created(&created))
            .await?;
        Ok(id)
    }

    /// Checks `input` as saving it at `stage` would, and works out each source's share of the
    /// budget, without writing anything: the initiative form calls it while a person types.
    pub async fn check_initiative(&self, input: &InitiativeInput, stage: Stage) -> Result<InitiativeCheck> {
        let mut conn = self.reader().acquire().await?;
        let errors = check_initiative(&mut conn, input, stage).await?.into_vec();
        let warnings = match input.program_id {
            Some(program) => match program_rules(&mut conn, program).await? {
                Some(rules) => input.rule_violations(&rules),
                None => Vec::new(),
            },
            None => Vec::new(),
        };
        let planned: Vec<Kopecks> = FundingSource::ALL.iter().map(|&s| input.planned(s)).collect();
        let shares = FundingSource::ALL
            .iter()
            .zip(&planned)
            .zip(shares_summing_to_full(&planned))
            .map(|((&source, &planned), share_bp)| SourceShare { source, planned, share_bp })
            .collect();
        Ok(InitiativeCheck { shares, planned_total: input.planned_total(), errors, warnings })
    }

    /// Changes an initiative's fields (not its stage: see [`Store::change_stage`]).
    pub async fn update_initiative(&self, id: Id, rev: i64, input: InitiativeInput) -> Result<Initiative> {
        let old = self.initiative(id).await?;
        let mut tx = self.begin().await?;
        self.write_initiative_update(&mut tx, &old, rev, &input, None).await?;
        tx.commit().await?;
        self.initiative(id).await
    }

    /// Checks and writes new fields of the stored initiative `old` inside the caller's
    /// transaction; `rev` is the revision the caller last saw. The history entry names `origin`
    /// (the file an import brought the change from), if given.
    pub(crate) async fn write_initiative_update(
        &self,
        tx: &mut SqliteConnection,
        old: &Initiative,
        rev: i64,
        input: &InitiativeInput,
        origin: Option<&str>,
    ) -> Result<()> {
        let id = old.id;
        check_initiative(&mut *tx, input, old.stage).await?.into_result()?;
        bump_stamp(self, &mut *tx, Entity::Initiative, id, rev).await?;
        write_fields(&mut *tx, id, input).await?;
        let (mut before, mut after) =
            (serde_json::to_value(&old.input).unwrap_or_default(), serde_json::to_value(input).unwrap_or_default());
        // An initiator this office does not hold (she lives elsewhere: a load left her link out
        // of the row) stays linked in the change, so that an edit of her name here does not
        // unlink her in the offices that hold her.
        if old.input.initiator.contact_id.is_none()
            && input.initiator.contact_id.is_none()
            && let Some(elsewhere) = initiator_held_elsewhere(&mut *tx, id).await?
        {
            before["initiator"]["contact_id"] = json!(elsewhere);
            after["initiator"]["contact_id"] = json!(elsewhere);
        }
        if let Some(mut changes) = history::diff(&before, &after) {
            if let Some(origin) = origin {
                changes["imported_from"] = json!({ "new": origin });
            }
            history::record(self, &mut *tx, Entity::Initiative, id, history::Op::Update, changes).await?;
        }
        Ok(())
    }
}

/// The initiator the initiative `id`'s history last names, if this office does not hold her (no
/// record of her here, and not erased here): a link a load left out of its row.
async fn initiator_held_elsewhere(tx: &mut SqliteConnection, id: Id) -> Result<Option<Id>> {
    let last: Option<Option<String>> = sqlx::query_scalar(
        "SELECT json_extract(changes, '$.initiator.new.contact_id') FROM history
          WHERE entity_id = ? AND json_type(changes, '$.initiator.new') IS NOT NULL ORDER BY hlc DESC, id DESC LIMIT 1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(person) = last.flatten().and_then(|s| s.parse::<Id>().ok()) else { return Ok(None) };
    let held: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM contacts WHERE id = ?").bind(person).fetch_optional(&mut *tx).await?;
    let deleted: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM tombstones WHERE id = ?").bind(person).fetch_optional(&mut *tx).await?;
    if held.is_some() || deleted.is_some() || super::sync::is_erased(tx, person).await? {
        return Ok(None);
    }
    Ok(Some(person))
}

/// Writes a stored initiative's fields and budget lines (not its stamp, stage or history).
pub(crate) async fn write_fields(tx: &mut SqliteConnection, id: Id, input: &InitiativeInput) -> Result<()> {
    bind_fields(sqlx::query(&update_sql("initiatives", FIELDS)), input).bind(id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM budget_lines WHERE initiative_id = ?").bind(id).execute(&mut *tx).await?;
    write_budgets(&mut *tx, &[(id, input)]).await
}

impl Store {
    /// Deletes an initiative.
    pub async fn delete_initiative(&self, id: Id) -> Result<()> {
        let old = self.initiative(id).await?;
        delete_record(self, Entity::Initiative, id, serde_json::to_value(&old.input).unwrap_or_default()).await
    }

    /// One initiative, with its budget, stage history and rule flags.
    pub async fn initiative(&self, id: Id) -> Result<Initiative> {
        let mut conn = self.reader().acquire().await?;
        initiative_on(&mut conn, id).await
    }

    /// A page of initiatives.
    pub async fn list_initiatives(&self, q: &InitiativeQuery) -> Result<Page<InitiativeRow>> {
        let (column, id_column) = match q.sort {
            InitiativeSort::Title => ("i.sort_key", "i.id"),
            InitiativeSort::TotalCost => ("i.total_cost_kopecks", "i.id"),
            InitiativeSort::Year => ("i.year", "i.id"),
            InitiativeSort::Updated => ("i.updated_at", "i.id"),
        };
        let mut count = QueryBuilder::<Sqlite>::new("");
        page::push_subtree_cte(&mut count, q.territory_id);
        count.push("SELECT count(*) FROM initiatives i WHERE 1 = 1");
        push_filters(&mut count, q);
        let total: i64 = count.build_query_scalar().fetch_one(self.reader()).await?;

        let mut qb = QueryBuilder::<Sqlite>::new("");
        page::push_subtree_cte(&mut qb, q.territory_id);
        qb.push(
            "SELECT i.id, i.title, i.sort_key, i.object_type, i.stage, i.stage_on, i.year, i.territory_id, t.name AS territory_name,
                    p.code AS program_code, i.total_cost_kopecks, i.beneficiaries, i.updated_at,
                    coalesce((SELECT planned_kopecks FROM budget_lines b WHERE b.initiative_id = i.id AND b.source = 'residents'), 0) AS residents
             FROM initiatives i JOIN territories t ON t.id = i.territory_id LEFT JOIN programs p ON p.id = i.program_id
             WHERE 1 = 1",
        );
        push_filters(&mut qb, q);
        page::push_after(&mut qb, column, id_column, q.direction, q.after.as_ref())?;
        page::push_order(&mut qb, column, id_column, q.direction, q.limit);
        let rows = qb.build().fetch_all(self.reader()).await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok((
                    InitiativeRow {
                        id: r.try_get("id")?,
                        title: r.try_get("title")?,
                        object_type: r.try_get("object_type")?,
                        stage: r.try_get("stage")?,
                        stage_on: r.try_get("stage_on")?,
                        year: r.try_get("year")?,
                        territory_id: r.try_get("territory_id")?,
                        territory_name: r.try_get("territory_name")?,
                        program_code: r.try_get("program_code")?,
                        total_cost: Kopecks(r.try_get("total_cost_kopecks")?),
                        residents: Kopecks(r.try_get("residents")?),
                        beneficiaries: r.try_get("beneficiaries")?,
                        updated_at: r.try_get("updated_at")?,
                    },
                    r.try_get::<String, _>("sort_key")?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let sort = q.sort;
        let page = page::finish(items, q.limit, total, |(row, sort_key)| {
            let key = match sort {
                InitiativeSort::Title => SortValue::Text(sort_key.clone()),
                InitiativeSort::TotalCost => SortValue::Int(row.total_cost.0),
                InitiativeSort::Year => SortValue::Int(i64::from(row.year)),
                InitiativeSort::Updated => SortValue::Int(row.updated_at),
            };
            (key, row.id)
        });
        Ok(Page { items: page.items.into_iter().map(|(row, _)| row).collect(), next: page.next, total: page.total })
    }
}

/// The columns an initiative's editable fields are stored in, in the order [`bind_fields`] binds them.
const FIELDS: &str = "title, sort_key, description, object_type, territory_id, program_id, year, initiator_kind, \
    initiator_name, initiator_contact_id, total_cost_kopecks, beneficiaries, supporters, votes, contractor, \
    contract_sum_kopecks, contract_date, start_date, end_date, percent_done, results, number";

/// Binds an initiative's editable fields, in the order of [`FIELDS`]; insert and update share it.
fn bind_fields<'q>(q: Query<'q>, input: &'q InitiativeInput) -> Query<'q> {
    let imp = &input.implementation;
    q.bind(input.title.trim())
        .bind(fold(&input.title))
        .bind(&input.description)
        .bind(input.object_type)
        .bind(input.territory_id)
        .bind(input.program_id)
        .bind(input.year)
        .bind(input.initiator.kind.as_str())
        .bind(&input.initiator.name)
        .bind(input.initiator.contact_id)
        .bind(input.total_cost.0)
        .bind(input.beneficiaries)
        .bind(input.supporters)
        .bind(input.votes)
        .bind(&imp.contractor)
        .bind(imp.contract_sum.map(|k| k.0))
        .bind(imp.contract_date)
        .bind(imp.start_date)
        .bind(imp.end_date)
        .bind(imp.percent_done)
        .bind(&input.results)
        .bind(input.number.as_deref().map(str::trim))
}

/// Validates an initiative against the rules and the database; returns the problems found.
async fn check_initiative(conn: &mut SqliteConnection, input: &InitiativeInput, stage: Stage) -> Result<Problems> {
    let mut p = Problems::default();
    input.validate(&mut p);
    if !exists(conn, Entity::Territory, input.territory_id).await? {
        p.push("territory_id", "территория не найдена", "unknown territory");
    }
    if let Some(contact) = input.initiator.contact_id
        && !exists(conn, Entity::Contact, contact).await?
    {
        p.push("initiator.contact_id", "инициатор не найден среди контактов", "the initiator is not a contact");
    }
    if let Some(program) = input.program_id {
        match program_rules(conn, program).await? {
            None => p.push("program_id", "программа не найдена", "unknown program"),
            Some(rules) if stage.rules_binding() => p.extend(input.rule_violations(&rules)),
            Some(_) => {}
        }
    }
    Ok(p)
}

fn push_filters(qb: &mut QueryBuilder<'_, Sqlite>, q: &InitiativeQuery) {
    if let Some(p) = q.program_id {
        qb.push(" AND i.program_id = ").push_bind(p);
    }
    if let Some(y) = q.year {
        qb.push(" AND i.year = ").push_bind(y);
    }
    if q.territory_id.is_some() {
        qb.push(" AND i.territory_id IN sub");
    }
    if !q.stages.is_empty() {
        qb.push(" AND i.stage IN (");
        let mut list = qb.separated(", ");
        for s in &q.stages {
            list.push_bind(s.as_str());
        }
        qb.push(")");
    }
    if let Some(t) = q.object_type {
        qb.push(" AND i.object_type = ").push_bind(t.as_str());
    }
    if let Some(m) = q.text.as_deref().and_then(super::search::match_expression) {
        qb.push(" AND i.rowid IN (SELECT rowid FROM initiatives_fts WHERE initiatives_fts MATCH ")
            .push_bind(m)
            .push(")");
    }
}

/// [`Store::initiative`] on `conn` (a write transaction sees what it wrote).
pub(crate) async fn initiative_on(conn: &mut SqliteConnection, id: Id) -> Result<Initiative> {
    let row = sqlx::query("SELECT * FROM initiatives WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found(Entity::Initiative, id))?;
    let budget =
        sqlx::query("SELECT source, planned_kopecks, actual_kopecks, note FROM budget_lines WHERE initiative_id = ?")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| {
                let source: String = r.try_get("source")?;
                Ok(BudgetLine {
                    source: FundingSource::parse(&source).unwrap_or(FundingSource::Municipal),
                    planned: Kopecks(r.try_get("planned_kopecks")?),
                    actual: Kopecks(r.try_get("actual_kopecks")?),
                    note: r.try_get("note")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
    let mut budget = budget;
    budget.sort_by_key(|l| l.source);
    let stages = sqlx::query("SELECT from_stage, to_stage, changed_on, note, recorded_at FROM stage_changes WHERE initiative_id = ? ORDER BY changed_on, recorded_at, rowid")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| {
                Ok(StageChange {
                    from: r.try_get("from_stage")?,
                    to: r.try_get("to_stage")?,
                    on: r.try_get("changed_on")?,
                    note: r.try_get("note")?,
                    recorded_at: r.try_get("recorded_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
    let initiator_kind: String = row.try_get("initiator_kind")?;
    let input = InitiativeInput {
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        object_type: row.try_get("object_type")?,
        territory_id: row.try_get("territory_id")?,
        program_id: row.try_get("program_id")?,
        year: row.try_get("year")?,
        initiator: Initiator {
            kind: crate::model::InitiatorKind::parse(&initiator_kind).unwrap_or(crate::model::InitiatorKind::Resident),
            name: row.try_get("initiator_name")?,
            contact_id: row.try_get("initiator_contact_id")?,
        },
        total_cost: Kopecks(row.try_get("total_cost_kopecks")?),
        budget,
        beneficiaries: row.try_get("beneficiaries")?,
        supporters: row.try_get("supporters")?,
        votes: row.try_get("votes")?,
        implementation: Implementation {
            contractor: row.try_get("contractor")?,
            contract_sum: row.try_get::<Option<i64>, _>("contract_sum_kopecks")?.map(Kopecks),
            contract_date: row.try_get("contract_date")?,
            start_date: row.try_get("start_date")?,
            end_date: row.try_get("end_date")?,
            percent_done: row.try_get("percent_done")?,
        },
        results: row.try_get("results")?,
        number: row.try_get("number")?,
    };
    let flags = match input.program_id {
        Some(program) => {
            program_rules(&mut *conn, program).await?.map(|r| input.rule_violations(&r)).unwrap_or_default()
        }
        None => Vec::new(),
    };
    Ok(Initiative {
        id,
        input,
        stage: row.try_get("stage")?,
        stage_on: row.try_get("stage_on")?,
        stages,
        flags,
        stamp: stamp_from(&row)?,
    })
}
