//! Support programs, their yearly cycles and co-financing rules.

use sqlx::{Row, SqliteConnection};

use super::bulk::{insert_rows, rows};
use super::{Store, bump_stamp, delete_record, history, stamp_from};
use crate::error::{Entity, Error, Problems, Result};
use crate::model::{CofinancingRules, Id, Program, ProgramCycle, ProgramInput};
use crate::money::Kopecks;
use crate::text::fold;

impl Store {
    /// Adds a program.
    pub async fn create_program(&self, input: ProgramInput) -> Result<Program> {
        let mut tx = self.begin().await?;
        check_program(&mut tx, &input, None).await?;
        let id = self.new_id();
        insert_rows(&mut tx, vec![rows::Program::of(id, &input, self.made())]).await?;
        write_cycles(&mut tx, id, &input.cycles).await?;
        history::record(
            self,
            &mut tx,
            Entity::Program,
            id,
            history::Op::Create,
            history::created(&serde_json::to_value(&input).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        self.program(id).await
    }

    /// Changes a program; `rev` is the revision the caller last saw.
    pub async fn update_program(&self, id: Id, rev: i64, input: ProgramInput) -> Result<Program> {
        let old = self.program(id).await?;
        let mut tx = self.begin().await?;
        check_program(&mut tx, &input, Some(id)).await?;
        bump_stamp(self, &mut tx, Entity::Program, id, rev).await?;
        write_fields(&mut tx, id, &input).await?;
        if let Some(changes) = history::diff(
            &serde_json::to_value(&old.input).unwrap_or_default(),
            &serde_json::to_value(&input).unwrap_or_default(),
        ) {
            history::record(self, &mut tx, Entity::Program, id, history::Op::Update, changes).await?;
        }
        tx.commit().await?;
        self.program(id).await
    }

    /// Deletes a program no initiative belongs to.
    pub async fn delete_program(&self, id: Id) -> Result<()> {
        let old = self.program(id).await?;
        delete_record(self, Entity::Program, id, serde_json::to_value(&old.input).unwrap_or_default()).await
    }

    /// One program.
    pub async fn program(&self, id: Id) -> Result<Program> {
        let mut conn = self.reader().acquire().await?;
        program_on(&mut conn, id).await
    }

    /// Every program, by code.
    pub async fn programs(&self) -> Result<Vec<Program>> {
        let ids: Vec<Id> = sqlx::query_scalar("SELECT id FROM programs ORDER BY code").fetch_all(self.reader()).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.program(id).await?);
        }
        Ok(out)
    }

    /// Finds a program by its code, ignoring case and «ё» (Cyrillic too: «ппми» finds «ППМИ»).
    pub async fn find_program(&self, code: &str) -> Result<Id> {
        let codes: Vec<(Id, String)> = sqlx::query_as("SELECT id, code FROM programs").fetch_all(self.reader()).await?;
        codes
            .into_iter()
            .find(|(_, c)| fold(c) == fold(code))
            .map(|(id, _)| id)
            .ok_or_else(|| Error::not_found(Entity::Program, code))
    }
}

pub(crate) fn rules_from(row: &sqlx::sqlite::SqliteRow) -> Result<CofinancingRules> {
    Ok(CofinancingRules {
        min_residents_share_bp: row.try_get("min_residents_share_bp")?,
        min_business_share_bp: row.try_get("min_business_share_bp")?,
        min_municipal_share_bp: row.try_get("min_municipal_share_bp")?,
        max_subsidy_share_bp: row.try_get("max_subsidy_share_bp")?,
        max_subsidy_kopecks: row.try_get::<Option<i64>, _>("max_subsidy_kopecks")?.map(Kopecks),
    })
}

/// The co-financing rules of a program, read inside a transaction.
pub(crate) async fn program_rules(conn: &mut SqliteConnection, id: Id) -> Result<Option<CofinancingRules>> {
    let row = sqlx::query("SELECT * FROM programs WHERE id = ?").bind(id).fetch_optional(conn).await?;
    row.map(|r| rules_from(&r)).transpose()
}

async fn check_program(conn: &mut SqliteConnection, input: &ProgramInput, id: Option<Id>) -> Result<()> {
    let mut p = Problems::default();
    input.validate(&mut p);
    let codes: Vec<(Id, String)> = sqlx::query_as("SELECT id, code FROM programs").fetch_all(conn).await?;
    let taken = codes.into_iter().find(|(_, c)| fold(c) == fold(&input.code)).map(|(id, _)| id);
    if taken.is_some_and(|t| Some(t) != id) {
        p.push(
            "code",
            format!("код «{}» уже занят другой программой", input.code.trim()),
            format!("the code «{}» is taken by another program", input.code.trim()),
        );
    }
    p.into_result()
}

async fn write_cycles(conn: &mut SqliteConnection, id: Id, cycles: &[ProgramCycle]) -> Result<()> {
    let cycles: Vec<rows::ProgramCycle> = cycles
        .iter()
        .map(|c| rows::ProgramCycle {
            program_id: id,
            year: c.year,
            applications_open: c.applications_open,
            applications_close: c.applications_close,
            fund_kopecks: c.fund_kopecks.map(|k| k.0),
        })
        .collect();
    insert_rows(conn, cycles).await
}

/// Writes a stored program's fields and cycles (not its stamp or history).
pub(crate) async fn write_fields(tx: &mut SqliteConnection, id: Id, input: &ProgramInput) -> Result<()> {
    sqlx::query(
        "UPDATE programs SET code = ?, name = ?, kind = ?, description = ?, min_residents_share_bp = ?,
             min_business_share_bp = ?, min_municipal_share_bp = ?, max_subsidy_share_bp = ?, max_subsidy_kopecks = ?
         WHERE id = ?",
    )
    .bind(input.code.trim())
    .bind(input.name.trim())
    .bind(input.kind)
    .bind(&input.description)
    .bind(input.rules.min_residents_share_bp)
    .bind(input.rules.min_business_share_bp)
    .bind(input.rules.min_municipal_share_bp)
    .bind(input.rules.max_subsidy_share_bp)
    .bind(input.rules.max_subsidy_kopecks.map(|k| k.0))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM program_cycles WHERE program_id = ?").bind(id).execute(&mut *tx).await?;
    write_cycles(tx, id, &input.cycles).await
}

/// [`Store::program`] on `conn` (a write transaction sees what it wrote).
pub(crate) async fn program_on(conn: &mut SqliteConnection, id: Id) -> Result<Program> {
    let row = sqlx::query("SELECT * FROM programs WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found(Entity::Program, id))?;
    let cycles = sqlx::query("SELECT * FROM program_cycles WHERE program_id = ? ORDER BY year")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(ProgramCycle {
                year: r.try_get("year")?,
                applications_open: r.try_get("applications_open")?,
                applications_close: r.try_get("applications_close")?,
                fund_kopecks: r.try_get::<Option<i64>, _>("fund_kopecks")?.map(Kopecks),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Program {
        id,
        input: ProgramInput {
            code: row.try_get("code")?,
            name: row.try_get("name")?,
            kind: row.try_get("kind")?,
            description: row.try_get("description")?,
            rules: rules_from(&row)?,
            cycles,
        },
        stamp: stamp_from(&row)?,
    })
}
