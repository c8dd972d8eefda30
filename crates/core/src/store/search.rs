//! Full-text search over initiatives, contacts and events (the lists' text filters use the same
//! expression).
//!
//! Case and «ё» do not matter; neither do Russian word endings: a Russian query word is cut to its
//! Snowball stem (to no fewer than three letters), which matches as a prefix («грачёвке» finds
//! «Грачёвка», «водопроводов» finds «водопровод»), and any other word matches as a prefix as it is
//! («дорог» finds «дороги»). The index holds the words as written, not stems (its triggers are
//! SQL, and stems are made in Rust): the Russian stemmer only takes letters off a word's end, so
//! every form sharing a query word's stem begins with that stem, and the prefix finds all of them.
//! Hits whose title holds the query's words exactly, as whole words, come first. A query that
//! reads as a phone number finds the contact with that number.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};
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
    let folded = fold(query);
    let all: Vec<&str> = words(&folded).collect();
    // «в Грачёвке», «ремонт дороги на Лесной»: prepositions and conjunctions say nothing about
    // what is looked for, and as prefixes they would demand a word beginning so. A query of
    // nothing else keeps them.
    let meaningful: Vec<&str> = all.iter().copied().filter(|w| !STOP_WORDS.contains(w)).collect();
    let kept = if meaningful.is_empty() { all } else { meaningful };
    kept.into_iter().map(str::to_string).collect()
}

/// Russian prepositions, conjunctions and particles left out of a query (folded).
const STOP_WORDS: [&str; 24] = [
    "в", "во", "на", "по", "с", "со", "к", "ко", "у", "о", "об", "от", "до", "за", "из", "для", "при", "про", "и", "а",
    "но", "или", "не", "же",
];

/// The words of folded text, as FTS5's `unicode61` tokenizer splits them.
fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// The shortest prefix a stem is cut to: Snowball leaves «ан» of «анна», which would find every
/// «Андрей» and «Анатолий»; «анн» still finds «Анна», «Анны», «Анне».
const MIN_STEM_CHARS: usize = 3;

/// What a folded query word matches as a prefix: its Russian stem if it is a Russian word
/// («водопроводов» → «водопровод»), not shorter than [`MIN_STEM_CHARS`] letters (nor than the
/// word); any other word as it is.
fn stem_prefix(word: &str) -> &str {
    if !word.chars().all(|c| matches!(c, 'а'..='я')) {
        return word;
    }
    let stem = Stemmer::create(Algorithm::Russian).stem(word);
    // The Russian stemmer only removes endings, so its stem begins the word; should it ever not,
    // the word itself is the safe prefix.
    if !word.starts_with(stem.as_ref()) {
        return word;
    }
    let keep = stem.chars().count().max(MIN_STEM_CHARS);
    word.char_indices().nth(keep).map_or(word, |(end, _)| &word[..end])
}

/// The FTS5 expression for a query: every word's stem (see [`stem_prefix`]) as a quoted prefix,
/// all required.
pub(crate) fn match_expression(query: &str) -> Option<String> {
    let terms = search_terms(query);
    (!terms.is_empty()).then(|| terms.iter().map(|t| format!("\"{}\"*", stem_prefix(t))).collect::<Vec<_>>().join(" "))
}

/// The FTS5 expression for the records whose title holds every word of the query exactly.
fn exact_title_expression(terms: &[String]) -> String {
    let words = terms.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(" ");
    format!("title : ({words})")
}

/// How many of the query's words a title holds exactly, as whole words.
fn whole_words_in(title: &str, terms: &[String]) -> usize {
    let folded = fold(title);
    let title_words: HashSet<&str> = words(&folded).collect();
    terms.iter().collect::<HashSet<_>>().into_iter().filter(|t| title_words.contains(t.as_str())).count()
}

impl Store {
    /// Searches everything; at most `limit` hits. A contact whose phone the query is comes first;
    /// then the hits whose title holds more of the query's words exactly, as whole words (so
    /// «водопроводов» puts «Ремонт водопроводов» before «Замена водопровода»); among those, the
    /// most relevant (bm25) first.
    pub async fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let limit = limit.clamp(1, 200);
        let mut found: Vec<Ranked> = Vec::new();
        if let Some(phone) = normalize_phone(query) {
            let rows = sqlx::query("SELECT c.rowid, c.id, c.display_name FROM contact_phones p JOIN contacts c ON c.id = p.contact_id WHERE p.phone = ? LIMIT ?")
                .bind(&phone)
                .bind(i64::from(limit))
                .fetch_all(self.reader())
                .await?;
            for r in rows {
                let hit = SearchHit {
                    entity: Entity::Contact,
                    id: r.try_get("id")?,
                    title: r.try_get("display_name")?,
                    snippet: phone.clone(),
                    rank: f64::MIN,
                };
                found.push(Ranked {
                    entity: Entity::Contact,
                    rowid: r.try_get("rowid")?,
                    whole_words: usize::MAX,
                    rank: Some(hit.rank),
                    hit: Some(hit),
                });
            }
        }
        let Some(expr) = match_expression(query) else { return Ok(found.into_iter().filter_map(|r| r.hit).collect()) };
        let terms = search_terms(query);
        let exact = exact_title_expression(&terms);
        let pool = self.reader();
        let [initiatives, contacts, events] = KINDS;
        let matches = tokio::try_join!(
            candidates(pool, initiatives, &expr, &exact, &terms),
            candidates(pool, contacts, &expr, &exact, &terms),
            candidates(pool, events, &expr, &exact, &terms),
        )?;
        let by_phone: HashSet<i64> = found.iter().map(|r| r.rowid).collect();
        let matches = [matches.0, matches.1, matches.2].into_iter().flatten();
        found.extend(matches.filter(|r| r.entity != Entity::Contact || !by_phone.contains(&r.rowid)));
        found.sort_by(Ranked::order);
        found.truncate(limit as usize);
        let shown = tokio::try_join!(
            shown(pool, initiatives, &expr, &found),
            shown(pool, contacts, &expr, &found),
            shown(pool, events, &expr, &found),
        )?;
        let mut shown: HashMap<(Entity, i64), SearchHit> = [shown.0, shown.1, shown.2].into_iter().flatten().collect();
        for r in &mut found {
            if let Some(hit) = shown.remove(&(r.entity, r.rowid)) {
                r.rank = Some(hit.rank);
                r.hit = Some(hit);
            }
        }
        // The older exact titles have their bm25 now and take their place by it; a record
        // deleted since the matches were read is left out.
        found.sort_by(Ranked::order);
        Ok(found.into_iter().filter_map(|r| r.hit).collect())
    }
}

/// The kinds searched: the entity, its table (whose `…_fts` index shares its rowids) and the
/// column its title is in.
const KINDS: [(Entity, &str, &str); 3] = [
    (Entity::Initiative, "initiatives", "title"),
    (Entity::Contact, "contacts", "display_name"),
    (Entity::Event, "events", "title"),
];

/// A match being ranked; only those shown are read in full, with their snippets.
struct Ranked {
    entity: Entity,
    /// Its row in its table and search index.
    rowid: i64,
    /// How many of the query's words its title holds exactly (all: a phone number's contact).
    whole_words: usize,
    /// Its bm25; none for an exact title older than the newest matches, until it is shown.
    rank: Option<f64>,
    /// The hit, once read.
    hit: Option<SearchHit>,
}

impl Ranked {
    /// More whole words first; among as many, the most relevant, then those not yet ranked,
    /// newest first.
    fn order(a: &Ranked, b: &Ranked) -> Ordering {
        let by_rank = match (a.rank, b.rank) {
            (Some(a), Some(b)) => a.total_cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => b.rowid.cmp(&a.rowid),
        };
        b.whole_words.cmp(&a.whole_words).then(by_rank)
    }
}

/// How many of the newest matches of each kind are ranked. A common word («сход», «ремонт»)
/// matches thousands of records; ranking them all costs tens of milliseconds, and staff look for
/// recent work first. The newest as many of the older ones whose title holds the query's words
/// exactly are taken too: they come first.
const RANKED_WINDOW: i64 = 200;

/// The matches of one kind worth ranking: the newest [`RANKED_WINDOW`] matches of `expr`, with
/// their bm25 (the title weighing four times the rest), and the newest [`RANKED_WINDOW`] older
/// ones whose title matches `exact`, not yet ranked. Titles as the search index holds them.
async fn candidates(
    pool: &SqlitePool,
    (entity, table, _): (Entity, &str, &str),
    expr: &str,
    exact: &str,
    terms: &[String],
) -> Result<Vec<Ranked>> {
    // `exact` only finds what `expr` does, so with fewer than a window of matches there are no
    // older ones to look for: `min(rid)` is the oldest match then.
    let sql = format!(
        "WITH w AS MATERIALIZED (
             SELECT rowid AS rid, title, bm25({table}_fts, 4.0, 1.0) AS rank
             FROM {table}_fts WHERE {table}_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?3
         )
         SELECT rid, title, rank FROM w
         UNION ALL
         SELECT * FROM (
             SELECT rowid, title, NULL FROM {table}_fts
             WHERE {table}_fts MATCH ?2 AND rowid < (SELECT min(rid) FROM w) ORDER BY rowid DESC LIMIT ?3
         )"
    );
    let rows = sqlx::query(&sql).bind(expr).bind(exact).bind(RANKED_WINDOW).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            Ok(Ranked {
                entity,
                rowid: r.try_get(0)?,
                whole_words: whole_words_in(r.try_get(1)?, terms),
                rank: r.try_get(2)?,
                hit: None,
            })
        })
        .collect()
}

/// The hits of one kind to be shown (those of `found` not yet read), by rowid: their ids, titles,
/// snippets around the matches of `expr`, and bm25.
async fn shown(
    pool: &SqlitePool,
    (entity, table, title): (Entity, &str, &str),
    expr: &str,
    found: &[Ranked],
) -> Result<Vec<((Entity, i64), SearchHit)>> {
    let rowids: Vec<String> =
        found.iter().filter(|r| r.entity == entity && r.hit.is_none()).map(|r| r.rowid.to_string()).collect();
    if rowids.is_empty() {
        return Ok(Vec::new());
    }
    // `+rowid`: the list filters the matches of `expr`; FTS5 is not asked for each rowid in turn
    // (each would read a prefix's whole doclist again).
    let sql = format!(
        "SELECT m.rid, e.id, e.{title} AS title, m.snippet, m.rank FROM (
             SELECT rowid AS rid, snippet({table}_fts, -1, '[', ']', '…', 10) AS snippet, bm25({table}_fts, 4.0, 1.0) AS rank
             FROM {table}_fts WHERE {table}_fts MATCH ?1 AND +rowid IN (SELECT value FROM json_each(?2))
         ) m JOIN {table} e ON e.rowid = m.rid"
    );
    let rows = sqlx::query(&sql).bind(expr).bind(format!("[{}]", rowids.join(","))).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let hit = SearchHit {
                entity,
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                snippet: r.try_get("snippet")?,
                rank: r.try_get("rank")?,
            };
            Ok(((entity, r.try_get("rid")?), hit))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Whether a query word, as the search matches it, finds an indexed (folded) word.
    fn finds(query_word: &str, indexed: &str) -> bool {
        fold(indexed).starts_with(stem_prefix(&fold(query_word)))
    }

    #[test]
    fn prepositions_and_conjunctions_are_left_out_unless_they_are_all_there_is() {
        assert_eq!(search_terms("в Грачёвке"), vec!["грачевке"]);
        assert_eq!(
            search_terms("ремонт дороги на ул. Лесной и освещение"),
            vec!["ремонт", "дороги", "ул", "лесной", "освещение"]
        );
        assert_eq!(search_terms("и"), vec!["и"], "a query of nothing else keeps its words");
    }

    #[test]
    fn queries_lose_fts_syntax_and_fold_yo() {
        assert_eq!(match_expression("Ёлкино  \"дорога\" OR*"), Some("\"елкин\"* \"дорог\"* \"or\"*".into()));
        assert_eq!(match_expression(" -*- "), None);
    }

    #[test]
    fn a_russian_word_finds_its_other_endings() {
        for (query, indexed) in [
            ("грачёвке", "Грачёвка"),
            ("Грачевка", "грачёвке"),
            ("асфальтированию", "асфальтирование"),
            ("асфальтированной", "асфальтированная"),
            ("водопроводов", "водопровод"),
            ("водопровода", "водопроводы"),
            ("дорогами", "дорога"),
            ("площадкам", "площадки"),
            ("детской", "детская"),
        ] {
            assert!(finds(query, indexed), "«{query}» is another form of «{indexed}», so it must find it");
        }
    }

    #[test]
    fn a_word_begun_is_still_a_prefix() {
        for (query, indexed) in [("дорог", "дороги"), ("водопр", "водопроводы"), ("освещ", "освещение")]
        {
            assert!(finds(query, indexed), "«{query}» begins «{indexed}»");
        }
    }

    #[test]
    fn short_stems_do_not_find_unrelated_words() {
        assert_eq!(stem_prefix("анна"), "анн", "Snowball's «ан» would find every «Андрей»");
        assert!(finds("анна", "Анны") && !finds("анна", "Андрей"));
        assert_eq!(stem_prefix("ул"), "ул", "a word shorter than the floor stays whole");
    }

    #[test]
    fn words_not_in_russian_letters_are_not_stemmed() {
        for word in ["2024", "school", "мкр3", "ppmi"] {
            assert_eq!(stem_prefix(word), word, "only Russian words have Russian endings");
        }
    }

    #[test]
    fn whole_words_in_the_title_are_counted_exactly() {
        let terms = search_terms("ремонт водопроводов");
        assert_eq!(whole_words_in("Ремонт водопроводов по ул. Лесной", &terms), 2);
        assert_eq!(whole_words_in("Ремонт водопровода", &terms), 1, "another ending is not the word exactly");
        assert_eq!(whole_words_in("Ремонтные работы", &terms), 0, "a longer word is not the word");
        assert_eq!(whole_words_in("Сход в Ёлкино", &search_terms("елкино")), 1, "«ё» is «е»");
    }

    proptest! {
        #[test]
        fn the_prefix_begins_the_word_and_keeps_three_letters(word in "[а-яё]{1,20}") {
            let word = fold(&word);
            let prefix = stem_prefix(&word);
            prop_assert!(word.starts_with(prefix), "«{prefix}» must begin «{word}» to find it");
            prop_assert!(prefix.chars().count() >= word.chars().count().min(MIN_STEM_CHARS));
        }
    }
}
