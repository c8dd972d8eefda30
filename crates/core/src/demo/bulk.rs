//! Bulk loading: secondary indexes and full-text triggers are set aside while millions of rows
//! go in, then rebuilt in one pass each — inside the same transaction, so a failure or a crash
//! leaves the schema exactly as it was.
//!
//! An index filled in random key order costs a B-tree descent and often a page split per row;
//! built after the fact it costs one sort. A full-text trigger fires once per row; the same
//! `INSERT … SELECT` over the whole table fills the index in one statement. Both are rebuilt
//! from their own SQL as `sqlite_master` keeps it, so the schema comes back byte for byte and
//! nothing here needs to know the names of the indexes or the search columns.

use sqlx::SqliteConnection;

use crate::error::Result;

/// What was set aside, to be put back by [`BulkLoad::finish`].
pub(crate) struct BulkLoad {
    /// `CREATE INDEX` statements of the dropped indexes.
    indexes: Vec<String>,
    /// Dropped full-text triggers: the `CREATE TRIGGER` statement and the bulk fill that
    /// replaces its work.
    triggers: Vec<(String, String)>,
}

impl BulkLoad {
    /// Drops the non-unique indexes and the full-text insert triggers of `tables`, which must
    /// be empty (the triggers' work is redone over whole tables).
    pub(crate) async fn begin(conn: &mut SqliteConnection, tables: &[&str]) -> Result<BulkLoad> {
        let objects: Vec<(String, String, String, String)> =
            sqlx::query_as("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name")
                .fetch_all(&mut *conn)
                .await?;
        let mut load = BulkLoad { indexes: Vec::new(), triggers: Vec::new() };
        for (kind, name, table, sql) in objects {
            if !tables.contains(&table.as_str()) {
                continue;
            }
            if kind == "index" && !sql.trim_start().to_ascii_uppercase().starts_with("CREATE UNIQUE") {
                sqlx::query(&format!("DROP INDEX \"{name}\"")).execute(&mut *conn).await?;
                load.indexes.push(sql);
            } else if kind == "trigger"
                && let Some(fill) = bulk_fill(&sql, &table)
            {
                sqlx::query(&format!("DROP TRIGGER \"{name}\"")).execute(&mut *conn).await?;
                load.triggers.push((sql, fill));
            }
        }
        Ok(load)
    }

    /// Fills the full-text indexes, puts the triggers back and rebuilds the indexes.
    pub(crate) async fn finish(self, conn: &mut SqliteConnection) -> Result<()> {
        for (trigger, fill) in &self.triggers {
            sqlx::query(fill).execute(&mut *conn).await?;
            sqlx::query(trigger).execute(&mut *conn).await?;
        }
        for index in &self.indexes {
            sqlx::query(index).execute(&mut *conn).await?;
        }
        Ok(())
    }
}

/// For a trigger `AFTER INSERT ON t BEGIN INSERT INTO t_fts(cols) VALUES (exprs of NEW); END`,
/// the statement that does its work for every row of `t` at once:
/// `INSERT INTO t_fts(cols) SELECT exprs FROM t AS NEW`. `None` for any other trigger.
fn bulk_fill(sql: &str, table: &str) -> Option<String> {
    let upper = sql.to_ascii_uppercase();
    if !upper.contains(&format!("AFTER INSERT ON {}", table.to_ascii_uppercase())) {
        return None;
    }
    let body = sql.get(upper.find("BEGIN")? + "BEGIN".len()..upper.rfind("END")?)?.trim();
    let body = body.strip_suffix(';')?.trim_end();
    let values_at = body.to_ascii_uppercase().find("VALUES")?;
    let (head, values) = (body[..values_at].trim_end(), body[values_at + "VALUES".len()..].trim_start());
    let target = head.strip_prefix("INSERT INTO ")?.split('(').next()?.trim();
    let exprs = values.strip_prefix('(')?.strip_suffix(')')?;
    if !target.ends_with("_fts") || body.contains(';') {
        return None;
    }
    Some(format!("{head} SELECT {exprs} FROM \"{table}\" AS NEW"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_text_trigger_becomes_one_insert_select() {
        let trigger = "CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts(rowid, title, body) VALUES (NEW.rowid,
        replace(NEW.title, 'ё', 'е'),
        (SELECT name FROM territories WHERE id = NEW.territory_id));
END";
        assert_eq!(
            bulk_fill(trigger, "events").as_deref(),
            Some(
                "INSERT INTO events_fts(rowid, title, body) SELECT NEW.rowid,
        replace(NEW.title, 'ё', 'е'),
        (SELECT name FROM territories WHERE id = NEW.territory_id) FROM \"events\" AS NEW"
            )
        );
    }

    #[test]
    fn other_triggers_are_left_alone() {
        let guard = "CREATE TRIGGER events_no_reuse BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM tombstones WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'mestno: id reused after deletion'); END";
        assert_eq!(bulk_fill(guard, "events"), None);
        let delete = "CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    DELETE FROM events_fts WHERE rowid = OLD.rowid;
END";
        assert_eq!(bulk_fill(delete, "events"), None);
        let two = "CREATE TRIGGER t_fts_insert AFTER INSERT ON t BEGIN
    INSERT INTO t_fts(rowid) VALUES (NEW.rowid); INSERT INTO log(x) VALUES (1);
END";
        assert_eq!(bulk_fill(two, "t"), None, "only a single insert can be replayed");
    }
}
