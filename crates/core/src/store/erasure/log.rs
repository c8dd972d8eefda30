//! The erasure log: one append-only entry per act of destruction, holding no personal data.

use sqlx::{Row, SqliteConnection};

use crate::error::{Error, Result};
use crate::model::{ErasureBasis, ErasureLogEntry, Id};
use crate::store::Store;

impl Store {
    /// The erasure log, newest first.
    pub async fn erasure_log(&self) -> Result<Vec<ErasureLogEntry>> {
        let rows = sqlx::query("SELECT * FROM erasure_log ORDER BY erased_at DESC, act_year DESC, act_seq DESC")
            .fetch_all(self.reader())
            .await?;
        rows.iter().map(log_entry).collect()
    }

    /// One entry of the erasure log.
    pub async fn erasure_entry(&self, id: Id) -> Result<ErasureLogEntry> {
        let row = sqlx::query("SELECT * FROM erasure_log WHERE id = ?").bind(id).fetch_optional(self.reader()).await?;
        match row {
            Some(row) => log_entry(&row),
            None => Err(Error::refused(
                format!("в журнале уничтожения персональных данных нет записи «{id}»"),
                format!("the erasure log has no entry «{id}»"),
            )),
        }
    }
}

pub(super) async fn insert_log(conn: &mut SqliteConnection, log: &ErasureLogEntry, year: i32, seq: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO erasure_log(id, act_year, act_seq, act_number, erased_at, erased_on, actor, device,
             request_number, requested_on, reason, basis, categories, method, counts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(log.id)
    .bind(year)
    .bind(seq)
    .bind(&log.act_number)
    .bind(log.erased_at)
    .bind(log.erased_on)
    .bind(&log.actor)
    .bind(&log.device)
    .bind(&log.request_number)
    .bind(log.requested_on)
    .bind(&log.reason)
    .bind(log.basis)
    .bind(serde_json::to_string(&log.categories).unwrap_or_else(|_| "[]".into()))
    .bind(&log.method)
    .bind(serde_json::to_string(&log.counts).unwrap_or_else(|_| "{}".into()))
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) fn log_entry(row: &sqlx::sqlite::SqliteRow) -> Result<ErasureLogEntry> {
    let categories: String = row.try_get("categories")?;
    let counts: String = row.try_get("counts")?;
    let basis: ErasureBasis = row.try_get("basis")?;
    Ok(ErasureLogEntry {
        id: row.try_get("id")?,
        act_number: row.try_get("act_number")?,
        erased_at: row.try_get("erased_at")?,
        erased_on: row.try_get("erased_on")?,
        actor: row.try_get("actor")?,
        device: row.try_get("device")?,
        request_number: row.try_get("request_number")?,
        requested_on: row.try_get("requested_on")?,
        reason: row.try_get("reason")?,
        basis,
        categories: serde_json::from_str(&categories).unwrap_or_default(),
        method: row.try_get("method")?,
        counts: serde_json::from_str(&counts).unwrap_or_default(),
    })
}
