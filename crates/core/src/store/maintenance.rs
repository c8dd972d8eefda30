//! Keeping the file healthy: an integrity check (backups, which carry the key file, are the
//! vault's).

use serde::Serialize;
use sqlx::Row;

use super::Store;
use super::attachments::{content_path, hash_file};
use crate::error::{Error, Result, Text};

/// What the integrity check found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckReport {
    /// No problems.
    pub ok: bool,
    /// Each problem, for a person.
    pub problems: Vec<Text>,
    /// Records checked, by table.
    pub counts: Vec<(String, i64)>,
}

/// What to say of a check that counted `n` things wrong.
type Say = fn(i64) -> Text;

/// Checks that count what is wrong: the query, and what to say when it counts any.
const COUNTED: [(&str, Say); 2] = [
    (
        "SELECT count(*) FROM initiatives i WHERE EXISTS (SELECT 1 FROM budget_lines b WHERE b.initiative_id = i.id)
           AND i.total_cost_kopecks != (SELECT sum(planned_kopecks) FROM budget_lines b WHERE b.initiative_id = i.id)",
        |n| {
            Text::new(
                format!("у {n} проектов сумма источников не равна общей стоимости"),
                format!("{n} initiatives have sources that do not add up to their cost"),
            )
        },
    ),
    // The dashboard's attendance counts (kept by triggers, migration 0009) against the
    // attendances, both ways.
    (
        "WITH real(contact_id, events) AS (SELECT contact_id, count(*) FROM event_attendees GROUP BY contact_id),
              wrong AS (SELECT contact_id FROM (SELECT * FROM real EXCEPT SELECT * FROM attendance_counts)
                        UNION SELECT contact_id FROM (SELECT * FROM attendance_counts EXCEPT SELECT * FROM real))
         SELECT count(*) FROM wrong",
        |n| {
            Text::new(
                format!("счётчики участия в мероприятиях для сводки расходятся с данными у {n} человек"),
                format!("the dashboard's attendance counts are out of step for {n} people"),
            )
        },
    ),
];

impl Store {
    /// Checks the file, its references, its search indexes, budgets, the dashboard's attendance
    /// counts and attached files.
    pub async fn check(&self) -> Result<CheckReport> {
        let mut problems = Vec::new();
        let mut conn = self.reader().acquire().await?;
        // Through the writer: on a reader connection that has searched before the last writes,
        // SQLite's check of a search index (FTS5) can see a stale index and report damage that a
        // fresh connection does not find (SQLite 3.46). The writer always sees what it wrote.
        let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(self.writer()).await?;
        if integrity != ["ok"] {
            for line in integrity.iter().take(20) {
                problems.push(Text::new(format!("повреждение файла: {line}"), format!("file damage: {line}")));
            }
        }
        let broken = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut *conn).await?;
        for r in broken.iter().take(20) {
            let table: String = r.try_get(0)?;
            problems.push(Text::new(
                format!("запись в таблице {table} ссылается на несуществующую"),
                format!("a row in {table} refers to a missing record"),
            ));
        }
        let mut counts = Vec::new();
        for (table, fts) in [("initiatives", "initiatives_fts"), ("contacts", "contacts_fts"), ("events", "events_fts")]
        {
            let rows: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(&mut *conn).await?;
            let indexed: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {fts}")).fetch_one(&mut *conn).await?;
            counts.push((table.to_string(), rows));
            if rows != indexed {
                problems.push(Text::new(
                    format!("поисковый индекс таблицы {table} не совпадает с данными ({indexed} из {rows})"),
                    format!("the search index of {table} is out of step ({indexed} of {rows})"),
                ));
            }
        }
        for (sql, say) in COUNTED {
            let wrong: i64 = sqlx::query_scalar(sql).fetch_one(&mut *conn).await?;
            if wrong > 0 {
                problems.push(say(wrong));
            }
        }
        drop(conn);
        problems.extend(self.check_files().await?);
        Ok(CheckReport { ok: problems.is_empty(), problems, counts })
    }

    async fn check_files(&self) -> Result<Vec<Text>> {
        let files = self.files_dir();
        // A file attached at another office may have come without its content yet (a package
        // made without files): this office asks for it in its next package, so it is not lost.
        let stored: Vec<(String, String, bool)> =
            sqlx::query_as("SELECT sha256, min(file_name), max(added_by = ?) FROM attachments GROUP BY sha256")
                .bind(self.device())
                .fetch_all(self.reader())
                .await?;
        let check = move || {
            let mut problems = Vec::new();
            for (sha, name, attached_here) in stored {
                let path = content_path(&files, &sha);
                if !attached_here && !path.exists() {
                    continue;
                }
                match hash_file(&path) {
                    Ok(actual) if actual == sha => {}
                    Ok(_) => problems.push(Text::new(
                        format!("файл «{name}» изменён или повреждён"),
                        format!("the file «{name}» was changed or damaged"),
                    )),
                    Err(_) => problems.push(Text::new(
                        format!("файл «{name}» пропал из папки вложений"),
                        format!("the file «{name}» is missing from the attachments folder"),
                    )),
                }
            }
            problems
        };
        tokio::task::spawn_blocking(check).await.map_err(|e| Error::io(self.files_dir(), std::io::Error::other(e)))
    }
}
