//! A backup restored over the office predates some erasures: the acts the replaced database
//! records are carried into the restored one, and the people they erased are erased again.

use std::path::Path;

use sqlx::{Connection, SqliteConnection};

use super::{Act, log_entry};
use crate::error::{Error, Result};
use crate::file::attach_keyed;
use crate::model::{ErasureLogEntry, Id};
use crate::secret::DatabaseKey;
use crate::store::{Store, erased_digest};

/// Copies into the log the acts the attached `previous` database has and this one lacks, in one
/// transaction; returns every person `previous` erased, with the act.
async fn carry_erasures(conn: &mut SqliteConnection) -> Result<Vec<(Id, String)>> {
    let logged: bool = sqlx::query_scalar(
        "SELECT count(*) > 0 FROM previous.sqlite_master WHERE type = 'table' AND name = 'erasure_log'",
    )
    .fetch_one(&mut *conn)
    .await?;
    if !logged {
        return Ok(Vec::new());
    }
    let clash: Option<String> = sqlx::query_scalar(
        "SELECT p.act_number FROM previous.erasure_log p WHERE p.id NOT IN (SELECT id FROM main.erasure_log)
         AND EXISTS (SELECT 1 FROM main.erasure_log m
                     WHERE m.act_number = p.act_number OR (m.act_year = p.act_year AND m.act_seq = p.act_seq))",
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(act) = clash {
        return Err(Error::refused(
            format!(
                "в резервной копии акт об уничтожении № {act} — другой, чем в текущей базе: это копия другой базы? \
                 База оставлена как была"
            ),
            format!(
                "the backup's act of destruction No. {act} is another act than the current database's: is it a \
                 backup of another database? The database was left as it was"
            ),
        ));
    }
    let mut tx = conn.begin().await?;
    let columns = "id, act_year, act_seq, act_number, erased_at, erased_on, actor, device, request_number, \
                   requested_on, reason, basis, categories, method, counts";
    sqlx::query(&format!(
        "INSERT INTO main.erasure_log({columns}) SELECT {columns} FROM previous.erasure_log
         WHERE id NOT IN (SELECT id FROM main.erasure_log)"
    ))
    .execute(&mut *tx)
    .await?;
    let erased: Vec<(Id, String)> = sqlx::query_as(
        "SELECT entity_id, json_extract(changes, '$.erasure.new.act') AS act FROM previous.history
         WHERE entity = 'contact' AND op = 'delete' AND act IS NOT NULL",
    )
    .fetch_all(&mut *tx)
    .await?;
    // A deletion that came from another office names that office's act; the one this office
    // logged for it is remembered with the record.
    let remembered: bool = sqlx::query_scalar(
        "SELECT count(*) > 0 FROM previous.sqlite_master WHERE type = 'table' AND name = 'sync_erased'",
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut out = Vec::with_capacity(erased.len());
    for (id, act) in erased {
        let own: Option<String> = if remembered {
            sqlx::query_scalar("SELECT act_number FROM previous.sync_erased WHERE digest = ?")
                .bind(erased_digest(id))
                .fetch_optional(&mut *tx)
                .await?
        } else {
            None
        };
        out.push((id, own.unwrap_or(act)));
    }
    tx.commit().await?;
    Ok(out)
}

impl Store {
    /// For a backup restored over the database at `previous` (readable with `key`): the acts of
    /// destruction `previous` records and this database (the backup) does not are entered into
    /// this one's log, and each record `previous` erased that this database still holds — the
    /// backup predates the act, or the duplicate merge that came before it — is erased again under
    /// its act. Returns the acts done again. An act number that means another act here (a backup
    /// of another office) is refused, and nothing is written.
    pub async fn erase_again_after_restore(&self, previous: &Path, key: &DatabaseKey) -> Result<Vec<String>> {
        let mut conn = self.writer().acquire().await?;
        attach_keyed(&mut conn, previous, "previous", key).await?;
        let carried = carry_erasures(&mut conn).await;
        sqlx::query("DETACH DATABASE previous").execute(&mut *conn).await?;
        drop(conn);
        let mut redone = Vec::new();
        for (id, act) in carried? {
            let entry = sqlx::query("SELECT * FROM erasure_log WHERE act_number = ?")
                .bind(&act)
                .fetch_optional(self.reader())
                .await?;
            let Some(entry) = entry else { continue };
            if self.erase_again(id, &log_entry(&entry)?).await? && !redone.contains(&act) {
                redone.push(act);
            }
        }
        Ok(redone)
    }

    /// Erases person `id` again under an act already in the log: a backup restored over the
    /// office may predate the erasure. False when the file holds no such person.
    pub(crate) async fn erase_again(&self, id: Id, act: &ErasureLogEntry) -> Result<bool> {
        let Some((contact, present)) = self.live_or_deleted(id).await? else { return Ok(false) };
        self.erase_with(&contact, present, Act::Again(act)).await?;
        Ok(true)
    }
}
