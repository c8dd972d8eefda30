//! Finding what is already stored, so that an import matches instead of duplicating.

use std::collections::{HashMap, HashSet};

use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use super::{ContactKey, MAX_BINDS, RecordKey};
use crate::error::{Entity, Result};
use crate::model::Id;
use crate::store::Store;

impl Store {
    /// Stored contacts that share a phone, an e-mail or a folded name (see [`fold`]) with those
    /// given: the candidates an import compares its rows with.
    pub async fn contact_candidates(
        &self,
        phones: &[String],
        emails: &[String],
        name_keys: &[String],
    ) -> Result<Vec<ContactKey>> {
        let mut conn = self.reader().acquire().await?;
        let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM contacts").fetch_one(&mut *conn).await?;
        if stored as usize <= phones.len() + emails.len() + name_keys.len() {
            // Few stored contacts against a long list: reading them all beats long IN lists.
            return contact_keys(&mut conn, "SELECT id FROM contacts", &[]).await;
        }
        let mut ids: HashSet<Id> = HashSet::new();
        for (sql, values) in [
            ("SELECT contact_id FROM contact_phones WHERE phone IN ", phones),
            ("SELECT contact_id FROM contact_emails WHERE email IN ", emails),
            ("SELECT id FROM contacts WHERE sort_key IN ", name_keys),
        ] {
            for chunk in values.chunks(MAX_BINDS) {
                let mut qb = QueryBuilder::<Sqlite>::new(sql);
                qb.push_tuples(chunk, |mut b, v| {
                    b.push_bind(v);
                });
                let found: Vec<Id> = qb.build_query_scalar().fetch_all(&mut *conn).await?;
                ids.extend(found);
            }
        }
        let ids: Vec<Id> = ids.into_iter().collect();
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(MAX_BINDS) {
            out.extend(contact_keys(&mut conn, "SELECT unhex(value) FROM json_each(?)", chunk).await?);
        }
        out.sort_by(|a, b| a.sort_key.cmp(&b.sort_key).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    /// Stored initiatives (`entity` = initiative) or events (event) whose folded title is one
    /// of `title_keys`: what an import checks so that loading the same file twice adds nothing.
    pub async fn existing_keys(&self, entity: Entity, title_keys: &[String]) -> Result<Vec<RecordKey>> {
        let sql = match entity {
            Entity::Initiative => {
                "SELECT id, title, sort_key, territory_id, year, NULL AS starts_at FROM initiatives WHERE sort_key IN "
            }
            Entity::Event => {
                "SELECT id, title, sort_key, territory_id, NULL AS year, starts_at FROM events WHERE sort_key IN "
            }
            _ => return Ok(Vec::new()),
        };
        let mut conn = self.reader().acquire().await?;
        let mut out = Vec::new();
        for chunk in title_keys.chunks(MAX_BINDS) {
            let mut qb = QueryBuilder::<Sqlite>::new(sql);
            qb.push_tuples(chunk, |mut b, v| {
                b.push_bind(v);
            });
            for r in qb.build().fetch_all(&mut *conn).await? {
                out.push(RecordKey {
                    id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    sort_key: r.try_get("sort_key")?,
                    territory_id: r.try_get("territory_id")?,
                    year: r.try_get("year")?,
                    starts_at: r.try_get("starts_at")?,
                });
            }
        }
        Ok(out)
    }
}

/// The keys of the contacts `ids_sql` selects; with `ids`, a JSON array of them is bound to it.
async fn contact_keys(conn: &mut SqliteConnection, ids_sql: &str, ids: &[Id]) -> Result<Vec<ContactKey>> {
    let phones = group(conn, "SELECT contact_id, phone FROM contact_phones", ids_sql, ids).await?;
    let emails = group(conn, "SELECT contact_id, email FROM contact_emails", ids_sql, ids).await?;
    let sql = format!("SELECT id, display_name, sort_key, territory_id FROM contacts WHERE id IN ({ids_sql})");
    let mut q = sqlx::query(&sql);
    if !ids.is_empty() {
        q = q.bind(id_list(ids));
    }
    let mut out = Vec::new();
    for r in q.fetch_all(&mut *conn).await? {
        let id: Id = r.try_get("id")?;
        out.push(ContactKey {
            id,
            display_name: r.try_get("display_name")?,
            sort_key: r.try_get("sort_key")?,
            territory_id: r.try_get("territory_id")?,
            phones: phones.get(&id).cloned().unwrap_or_default(),
            emails: emails.get(&id).cloned().unwrap_or_default(),
        });
    }
    out.sort_by(|a, b| a.sort_key.cmp(&b.sort_key).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// `(contact_id, value)` rows of `select`, limited to the contacts `ids_sql` selects, grouped.
async fn group(
    conn: &mut SqliteConnection,
    select: &str,
    ids_sql: &str,
    ids: &[Id],
) -> Result<HashMap<Id, Vec<String>>> {
    let sql = format!("{select} WHERE contact_id IN ({ids_sql})");
    let mut q = sqlx::query_as::<_, (Id, String)>(&sql);
    if !ids.is_empty() {
        q = q.bind(id_list(ids));
    }
    let mut out: HashMap<Id, Vec<String>> = HashMap::new();
    for (id, v) in q.fetch_all(&mut *conn).await? {
        out.entry(id).or_default().push(v);
    }
    Ok(out)
}

/// Ids as a JSON array of blobs' hex, for `json_each`: `unhex(value)` gives the blob back.
fn id_list(ids: &[Id]) -> String {
    serde_json::to_string(&ids.iter().map(|id| id.simple().to_string()).collect::<Vec<_>>()).unwrap_or_default()
}
