//! Full-text search over initiatives, contacts and events.
//!
//! Case and «ё» do not matter; every word matches as a prefix («дорог» finds «дороги»); a query
//! that reads as a phone number finds the contact with that number.

use serde::Serialize;
use sqlx::{Row, SqlitePool};

use super::Store;
use crate::error::{Entity, Result};
use crate::model::Id;
use crate::text::{fold, normalize_phone};

/// One search result.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchHit {
    /// What kind of record.
    pub entity: Entity,
    /// Its id.
    pub id: Id,
    /// Its title or name.
    pub title: String,
    /// A snippet around the match, matches wrapped in «[» and «]».
    pub snippet: String,
    /// Relevance, smaller is better (bm25).
    pub rank: f64,
}

/// The words of a query, folded, without FTS syntax.
pub fn search_terms(query: &str) -> Vec<String> {
    fold(query).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// The FTS5 expression for a query: every word as a quoted prefix, all required.
pub(crate) fn match_expression(query: &str) -> Option<String> {
    let terms = search_terms(query);
    (!terms.is_empty()).then(|| terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" "))
}

impl Store {
    /// Searches everything; best matches first, at most `limit`.
    pub async fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let limit = i64::from(limit.clamp(1, 200));
        let mut hits = Vec::new();
        if let Some(phone) = normalize_phone(query) {
            let rows = sqlx::query("SELECT c.id, c.display_name FROM contact_phones p JOIN contacts c ON c.id = p.contact_id WHERE p.phone = ? LIMIT ?")
                .bind(&phone)
                .bind(limit)
                .fetch_all(self.reader())
                .await?;
            for r in rows {
                hits.push(SearchHit {
                    entity: Entity::Contact,
                    id: r.try_get("id")?,
                    title: r.try_get("display_name")?,
                    snippet: phone.clone(),
                    rank: f64::MIN,
                });
            }
        }
        let Some(expr) = match_expression(query) else { return Ok(hits) };
        let pool = self.reader();
        let (initiatives, contacts, events) = tokio::try_join!(
            ranked(pool, Entity::Initiative, "initiatives", "title", &expr, limit),
            ranked(pool, Entity::Contact, "contacts", "display_name", &expr, limit),
            ranked(pool, Entity::Event, "events", "title", &expr, limit),
        )?;
        for hit in initiatives.into_iter().chain(contacts).chain(events) {
            if !hits.iter().any(|h| h.id == hit.id) {
                hits.push(hit);
            }
        }
        hits.sort_by(|a, b| a.rank.total_cmp(&b.rank));
        hits.truncate(limit as usize);
        Ok(hits)
    }
}

/// How many of the newest matches of each kind are ranked (and get a snippet). A common word («сход», «ремонт»)
/// matches thousands of records; ranking them all costs tens of milliseconds, and staff look
/// for recent work first.
const RANKED_WINDOW: i64 = 200;

/// The best matches of one kind: the newest [`RANKED_WINDOW`] matches, ranked by bm25 with the
/// title weighing four times the rest.
async fn ranked(
    pool: &SqlitePool,
    entity: Entity,
    table: &str,
    title: &str,
    expr: &str,
    limit: i64,
) -> Result<Vec<SearchHit>> {
    let sql = format!(
        "SELECT e.id, e.{title} AS title, m.snippet, m.rank FROM (
             SELECT rowid AS rid, snippet({table}_fts, -1, '[', ']', '…', 10) AS snippet, bm25({table}_fts, 4.0, 1.0) AS rank
             FROM {table}_fts WHERE {table}_fts MATCH ? ORDER BY rowid DESC LIMIT ?
         ) m JOIN {table} e ON e.rowid = m.rid ORDER BY m.rank LIMIT ?"
    );
    sqlx::query(&sql)
        .bind(expr)
        .bind(RANKED_WINDOW)
        .bind(limit)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(SearchHit {
                entity,
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                snippet: r.try_get("snippet")?,
                rank: r.try_get("rank")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_lose_fts_syntax_and_fold_yo() {
        assert_eq!(match_expression("Ёлкино  \"дорога\" OR*"), Some("\"елкино\"* \"дорога\"* \"or\"*".into()));
        assert_eq!(match_expression(" -*- "), None);
    }
}
