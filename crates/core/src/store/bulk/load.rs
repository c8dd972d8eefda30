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
pub(super) struct BulkLoad {
    /// `CREATE INDEX` statements of the dropped indexes.
    indexes: Vec<String>,
    /// Dropped full-text triggers: the `CREATE TRIGGER` statement and the bulk fill that
    /// replaces its work.
    triggers: Vec<(String, String)>,
}

impl BulkLoad {
    /// Drops the non-unique indexes and the full-text insert triggers of `tables`. A table with
    /// such a trigger must be empty: the trigger's work is redone over the whole table.
    pub(super) async fn begin(conn: &mut SqliteConnection, tables: &[&str]) -> Result<BulkLoad> {
        BulkLoad::set_aside(conn, tables, &[], &[]).await
    }

    /// [`BulkLoad::begin`] for `tables`, and for `indexed` (tables that already hold rows, whose
    /// search triggers stay) only their non-unique indexes.
    ///
    /// The indexes named in `live` stay: those the caller fills in key order, at the B-tree's
    /// right edge, which costs less row by row than a sort over the whole table afterwards.
    pub(super) async fn set_aside(
        conn: &mut SqliteConnection,
        tables: &[&str],
        indexed: &[&str],
        live: &[&str],
    ) -> Result<BulkLoad> {
        let objects: Vec<(String, String, String, String)> =
            sqlx::query_as("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name")
                .fetch_all(&mut *conn)
                .await?;
        let mut load = BulkLoad { indexes: Vec::new(), triggers: Vec::new() };
        for (kind, name, table, sql) in objects {
            let whole = tables.contains(&table.as_str());
            if (!whole && !indexed.contains(&table.as_str())) || live.contains(&name.as_str()) {
                continue;
            }
            if kind == "index" && !sql.trim_start().to_ascii_uppercase().starts_with("CREATE UNIQUE") {
                sqlx::query(&format!("DROP INDEX \"{name}\"")).execute(&mut *conn).await?;
                load.indexes.push(sql);
            } else if kind == "trigger"
                && whole
                && let Some(fill) = bulk_fill(&sql, &table)
            {
                sqlx::query(&format!("DROP TRIGGER \"{name}\"")).execute(&mut *conn).await?;
                load.triggers.push((sql, fill));
            }
        }
        Ok(load)
    }

    /// Fills the full-text indexes, puts the triggers back and rebuilds the indexes.
    pub(super) async fn finish(self, conn: &mut SqliteConnection) -> Result<()> {
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

/// A table's full-text insert trigger, dropped for a bulk insert inside the transaction and put
/// back after one `INSERT … SELECT` has indexed every new row: a trigger firing per row costs
/// more than the insert itself. Rows added after `max_rowid` are the new ones (SQLite gives a
/// new row the largest rowid plus one). A failure rolls the drop back with everything else.
pub(super) struct SearchIndex {
    trigger: String,
    fill: String,
    max_rowid: i64,
}

impl SearchIndex {
    pub(super) async fn set_aside(conn: &mut SqliteConnection, table: &str) -> Result<Option<SearchIndex>> {
        let name = format!("{table}_fts_insert");
        let trigger: Option<String> =
            sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ? AND tbl_name = ?")
                .bind(&name)
                .bind(table)
                .fetch_optional(&mut *conn)
                .await?;
        let Some((trigger, fill)) = trigger.and_then(|t| fill_statement(&t, table).map(|f| (t, f))) else {
            return Ok(None);
        };
        let max_rowid: i64 = sqlx::query_scalar(&format!("SELECT coalesce(max(rowid), 0) FROM \"{table}\""))
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query(&format!("DROP TRIGGER \"{name}\"")).execute(&mut *conn).await?;
        Ok(Some(SearchIndex { trigger, fill, max_rowid }))
    }

    pub(super) async fn fill_and_restore(self, conn: &mut SqliteConnection) -> Result<()> {
        sqlx::query(&self.fill).bind(self.max_rowid).execute(&mut *conn).await?;
        sqlx::query(&self.trigger).execute(&mut *conn).await?;
        Ok(())
    }
}

/// For `… AFTER INSERT ON t BEGIN INSERT INTO t_fts(cols) VALUES (exprs of NEW); END`, the
/// statement doing its work for the rows past a rowid: `INSERT INTO t_fts(cols) SELECT exprs
/// FROM t AS NEW WHERE NEW.rowid > ?`. `None` for a trigger of any other shape.
pub(super) fn fill_statement(sql: &str, table: &str) -> Option<String> {
    bulk_fill(sql, table).map(|fill| format!("{fill} WHERE NEW.rowid > ?"))
}

/// The first table with a row whose foreign key points nowhere, if any: what
/// `PRAGMA foreign_key_check` finds, for a connection that loaded rows without checking them.
///
/// `foreign_key_check` looks up the parent of every child row: two million lookups for the
/// large demo's attendances. A key of one column is checked here by its distinct values
/// instead, read in order from the index that starts with it: the attendances name 100 000
/// people and 50 000 events, so that is 150 000 lookups. Keys of several columns (there are
/// none today) are left to `foreign_key_check`.
pub(super) async fn dangling_reference(conn: &mut SqliteConnection) -> Result<Option<String>> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite^_%' ESCAPE '^'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for table in tables {
        let keys: Vec<(i64, String, String, Option<String>)> =
            sqlx::query_as("SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq")
                .bind(&table)
                .fetch_all(&mut *conn)
                .await?;
        let simple = keys.iter().all(|k| k.3.is_some() && keys.iter().filter(|j| j.0 == k.0).count() == 1);
        let checks: Vec<String> = if simple {
            keys.iter()
                .map(|(_, parent, from, to)| {
                    format!(
                        "SELECT 1 FROM (SELECT DISTINCT {from} AS child_key FROM {table} WHERE {from} IS NOT NULL) AS c
                          WHERE NOT EXISTS (SELECT 1 FROM {parent} AS p WHERE p.{to} = c.child_key) LIMIT 1",
                        from = quoted(from),
                        table = quoted(&table),
                        parent = quoted(parent),
                        to = quoted(to.as_deref().unwrap_or_default()),
                    )
                })
                .collect()
        } else {
            vec![format!("PRAGMA foreign_key_check({})", quoted(&table))]
        };
        for sql in checks {
            if sqlx::query(&sql).fetch_optional(&mut *conn).await?.is_some() {
                return Ok(Some(table));
            }
        }
    }
    Ok(None)
}

/// `name` quoted as an SQL identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// For a trigger `AFTER INSERT ON t BEGIN INSERT INTO t_fts(cols) VALUES (exprs of NEW); END`,
/// the statement that does its work for every row of `t` at once:
/// `INSERT INTO t_fts(cols) SELECT exprs FROM t AS NEW`. `None` for any other trigger.
pub(super) fn bulk_fill(sql: &str, table: &str) -> Option<String> {
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
    use sqlx::Connection;

    #[tokio::test]
    async fn a_reference_to_nothing_is_found_whatever_the_key() -> Result<()> {
        crate::route_sqlite();
        let mut conn = SqliteConnection::connect("sqlite::memory:").await?;
        sqlx::raw_sql(
            "PRAGMA foreign_keys = OFF;
             CREATE TABLE parent(id BLOB PRIMARY KEY, parent_id BLOB REFERENCES parent(id));
             CREATE TABLE child(n INTEGER PRIMARY KEY, parent_id BLOB REFERENCES parent(id));
             CREATE TABLE pair(a INTEGER, b INTEGER, PRIMARY KEY (a, b));
             CREATE TABLE pair_child(x INTEGER, y INTEGER, FOREIGN KEY (x, y) REFERENCES pair(a, b));
             CREATE TABLE by_primary_key(p BLOB REFERENCES parent);
             INSERT INTO parent VALUES (x'01', NULL), (x'02', x'01');
             INSERT INTO child(parent_id) VALUES (x'01'), (x'02'), (NULL);
             INSERT INTO pair VALUES (1, 2);
             INSERT INTO pair_child VALUES (1, 2), (NULL, 5);
             INSERT INTO by_primary_key VALUES (x'02');",
        )
        .execute(&mut conn)
        .await?;
        assert_eq!(dangling_reference(&mut conn).await?, None, "every key points somewhere, or is NULL");
        let broken = [
            ("INSERT INTO child(parent_id) VALUES (x'03')", "child"),
            ("INSERT INTO parent VALUES (x'04', x'05')", "parent"),
            ("INSERT INTO pair_child VALUES (2, 1)", "pair_child"),
            ("INSERT INTO by_primary_key VALUES (x'06')", "by_primary_key"),
        ];
        for (insert, table) in broken {
            sqlx::query("SAVEPOINT probe").execute(&mut conn).await?;
            sqlx::query(insert).execute(&mut conn).await?;
            let found = dangling_reference(&mut conn).await?;
            let pragma: Vec<String> =
                sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(&mut conn).await?;
            assert_eq!(found.as_deref(), Some(table), "{insert}");
            assert_eq!(pragma, [table], "foreign_key_check agrees: {insert}");
            sqlx::query("ROLLBACK TO probe").execute(&mut conn).await?;
            sqlx::query("RELEASE probe").execute(&mut conn).await?;
        }
        Ok(())
    }

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
