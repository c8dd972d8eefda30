//! Full-text search over initiatives, contacts and events.
//!
//! Case and «ё» do not matter; every word matches as a prefix («дорог» finds «дороги»); a query
//! that reads as a phone number finds the contact with that number.

use serde::Serialize;
use sqlx::Row;

use super::Store;
use crate::error::{Entity, Result};
use crate::model::Id;
use crate::text::{fold, normalize_phone};

/// One search result.
#[derive(Clone, Debug, PartialEq, Serialize)]
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
    fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
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
                hits.push(SearchHit { entity: Entity::Contact, id: r.try_get("id")?, title: r.try_get("display_name")?, snippet: phone.clone(), rank: f64::MIN });
            }
        }
        let Some(expr) = match_expression(query) else { return Ok(hits) };
        let sources = [
            (Entity::Initiative, "SELECT e.id, e.title AS title, snippet(initiatives_fts, -1, '[', ']', '…', 10) AS snippet, bm25(initiatives_fts, 4.0, 1.0) AS rank FROM initiatives_fts JOIN initiatives e ON e.rowid = initiatives_fts.rowid WHERE initiatives_fts MATCH ? ORDER BY rank LIMIT ?"),
            (Entity::Contact, "SELECT e.id, e.display_name AS title, snippet(contacts_fts, -1, '[', ']', '…', 10) AS snippet, bm25(contacts_fts, 4.0, 1.0) AS rank FROM contacts_fts JOIN contacts e ON e.rowid = contacts_fts.rowid WHERE contacts_fts MATCH ? ORDER BY rank LIMIT ?"),
            (Entity::Event, "SELECT e.id, e.title AS title, snippet(events_fts, -1, '[', ']', '…', 10) AS snippet, bm25(events_fts, 4.0, 1.0) AS rank FROM events_fts JOIN events e ON e.rowid = events_fts.rowid WHERE events_fts MATCH ? ORDER BY rank LIMIT ?"),
        ];
        for (entity, sql) in sources {
            for r in sqlx::query(sql).bind(&expr).bind(limit).fetch_all(self.reader()).await? {
                let id: Id = r.try_get("id")?;
                if hits.iter().any(|h| h.id == id) {
                    continue;
                }
                hits.push(SearchHit { entity, id, title: r.try_get("title")?, snippet: r.try_get("snippet")?, rank: r.try_get("rank")? });
            }
        }
        hits.sort_by(|a, b| a.rank.total_cmp(&b.rank));
        hits.truncate(limit as usize);
        Ok(hits)
    }
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
