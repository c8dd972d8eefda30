//! The dashboard figures the offices' reports boast: projects by stage, money by source,
//! events, participants, unique people, people reached and the shares of the population they make.
//!
//! Two counts of people, since most participants are anonymous (an event records its headcount
//! and names only some of them): **unique people** are the different named attendees, each once;
//! **people reached** adds every event's anonymous participants (its headcount beyond its named
//! attendees), counted once at each event, since nothing tells whether the same ones came again.
//! An erased person's attendance goes and the events keep their headcount, so the person becomes
//! an anonymous participant of each event they attended: unique people drop by one, participants
//! stay, and people reached grow by the number of those events less one.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};

use super::Store;
use super::funds::money_counts;
use super::page::push_subtree_cte;
use crate::error::Result;
use crate::model::{EventKind, Id, Stage, population_by_parts};
use crate::money::{BySource, FundingSource, Kopecks};

/// Which part of the office's work the figures cover. Empty means everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct StatsFilter {
    /// One program (events count when they discuss one of its initiatives).
    pub program_id: Option<Id>,
    /// One year (initiatives by their program year, events by their date, population of that year).
    pub year: Option<i32>,
    /// One territory and everything within it.
    pub territory_id: Option<Id>,
}

/// The dashboard figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Stats {
    /// Initiatives matching the filter, every stage.
    pub initiatives: i64,
    /// Initiatives by stage (every stage listed, zeros included).
    pub initiatives_by_stage: BTreeMap<Stage, i64>,
    /// Planned money by source, of initiatives not rejected or withdrawn.
    pub funds_kopecks: BySource<Kopecks>,
    /// The same, all sources together.
    pub funds_total_kopecks: i64,
    /// Budget money (federal, regional, municipal).
    pub budget_kopecks: i64,
    /// Extra-budgetary money (residents, business, in kind).
    pub extra_budgetary_kopecks: i64,
    /// Money actually spent or received, by source.
    pub funds_actual_kopecks: BySource<Kopecks>,
    /// Engagement events.
    pub events: i64,
    /// Events by kind (every kind listed).
    pub events_by_type: BTreeMap<EventKind, i64>,
    /// Participants, named and anonymous (sum of headcounts; a person at two events counts twice).
    pub participants: i64,
    /// Different named people who took part in at least one of the events.
    pub unique_people: i64,
    /// Population of the territory (for the year, or the latest known).
    pub population: i64,
    /// unique_people / population, 0 when the population is unknown.
    pub engagement_share: f64,
    /// People reached: the different named people, plus each event's anonymous participants (its
    /// headcount less its named attendees), counted once at every event.
    pub people_reached: i64,
    /// people_reached / population, 0 when the population is unknown.
    pub people_reached_share: f64,
    /// People who benefit from initiatives not rejected or withdrawn.
    pub beneficiaries: i64,
    /// Votes cast for the initiatives.
    pub votes: i64,
}

impl Store {
    /// The dashboard figures for a program, year and territory.
    pub async fn stats(&self, f: &StatsFilter) -> Result<Stats> {
        // Five independent reads; WAL lets them run side by side on the read pool.
        let pool = self.reader();
        let (
            (initiatives_by_stage, beneficiaries, votes),
            (planned, actual),
            (events_by_type, participants),
            (unique_people, attendances),
            population,
        ) = tokio::try_join!(
            initiative_figures(pool, f),
            money_figures(pool, f),
            event_figures(pool, f),
            named_people(pool, f),
            population(pool, f),
        )?;
        // A headcount is never below its event's named attendees (the core refuses it; an erasure
        // or a merge only takes names away), so what is left over is the anonymous participants.
        let people_reached = unique_people + participants - attendances;
        let share = |people: i64| {
            if population > 0 { (people as f64 / population as f64 * 1e6).round() / 1e6 } else { 0.0 }
        };
        Ok(Stats {
            initiatives: initiatives_by_stage.values().sum(),
            initiatives_by_stage,
            funds_total_kopecks: planned.total().0,
            budget_kopecks: planned.budget().0,
            extra_budgetary_kopecks: planned.extra_budgetary().0,
            funds_kopecks: planned,
            funds_actual_kopecks: actual,
            events: events_by_type.values().sum(),
            events_by_type,
            participants,
            unique_people,
            population,
            engagement_share: share(unique_people),
            people_reached,
            people_reached_share: share(people_reached),
            beneficiaries,
            votes,
        })
    }
}

/// Initiatives by stage, beneficiaries (of those not rejected or withdrawn) and votes.
async fn initiative_figures(pool: &SqlitePool, f: &StatsFilter) -> Result<(BTreeMap<Stage, i64>, i64, i64)> {
    let mut qb = QueryBuilder::<Sqlite>::new("");
    push_subtree_cte(&mut qb, f.territory_id);
    qb.push(
        "SELECT i.stage, count(*) AS n, sum(i.beneficiaries) AS b, sum(i.votes) AS v FROM initiatives i WHERE 1 = 1",
    );
    push_initiative_filter(&mut qb, f);
    qb.push(" GROUP BY i.stage");
    let mut by_stage: BTreeMap<Stage, i64> = Stage::ALL.iter().map(|s| (*s, 0)).collect();
    let (mut beneficiaries, mut votes) = (0, 0);
    for r in qb.build().fetch_all(pool).await? {
        let stage: Stage = r.try_get("stage")?;
        by_stage.insert(stage, r.try_get("n")?);
        votes += r.try_get::<i64, _>("v")?;
        if stage.counts_money() {
            beneficiaries += r.try_get::<i64, _>("b")?;
        }
    }
    Ok((by_stage, beneficiaries, votes))
}

/// Planned and actual money by source, of initiatives not rejected or withdrawn.
async fn money_figures(pool: &SqlitePool, f: &StatsFilter) -> Result<(BySource<Kopecks>, BySource<Kopecks>)> {
    let mut qb = QueryBuilder::<Sqlite>::new("");
    push_subtree_cte(&mut qb, f.territory_id);
    // Driven from the (filtered) initiatives: each one's lines sit together in the budget table.
    qb.push(format!(
        "SELECT b.source, sum(b.planned_kopecks) AS planned, sum(b.actual_kopecks) AS actual
         FROM initiatives i CROSS JOIN budget_lines b ON b.initiative_id = i.id
         WHERE {}",
        money_counts()
    ));
    push_initiative_filter(&mut qb, f);
    qb.push(" GROUP BY b.source");
    let (mut planned, mut actual) = (BySource::<Kopecks>::default(), BySource::<Kopecks>::default());
    for r in qb.build().fetch_all(pool).await? {
        let source: String = r.try_get("source")?;
        if let Some(source) = FundingSource::parse(&source) {
            planned[source] += Kopecks(r.try_get("planned")?);
            actual[source] += Kopecks(r.try_get("actual")?);
        }
    }
    Ok((planned, actual))
}

/// Events by kind and the sum of their headcounts.
async fn event_figures(pool: &SqlitePool, f: &StatsFilter) -> Result<(BTreeMap<EventKind, i64>, i64)> {
    let mut qb = QueryBuilder::<Sqlite>::new("");
    push_subtree_cte(&mut qb, f.territory_id);
    qb.push("SELECT e.kind, count(*) AS n, sum(e.headcount) AS h FROM events e WHERE 1 = 1");
    push_event_filter(&mut qb, f);
    qb.push(" GROUP BY e.kind");
    let mut by_kind: BTreeMap<EventKind, i64> = EventKind::ALL.iter().map(|k| (*k, 0)).collect();
    let mut participants = 0;
    for r in qb.build().fetch_all(pool).await? {
        participants += r.try_get::<i64, _>("h")?;
        by_kind.insert(r.try_get("kind")?, r.try_get("n")?);
    }
    Ok((by_kind, participants))
}

/// Different named people at the filtered events, and their named attendances (a person at two
/// events twice).
async fn named_people(pool: &SqlitePool, f: &StatsFilter) -> Result<(i64, i64)> {
    if *f == StatsFilter::default() {
        return everyone_named(pool).await;
    }
    let mut qb = QueryBuilder::<Sqlite>::new("");
    push_subtree_cte(&mut qb, f.territory_id);
    qb.push("SELECT count(DISTINCT a.contact_id), count(*) FROM event_attendees a WHERE a.event_id IN (SELECT e.id FROM events e WHERE 1 = 1");
    push_event_filter(&mut qb, f);
    qb.push(")");
    Ok(qb.build_query_as().fetch_one(pool).await?)
}

/// Every named person who attended an event, and all their attendances: from each person's count,
/// kept by triggers (migration 0009), without reading the attendances themselves.
pub(super) async fn everyone_named<'e>(db: impl sqlx::SqliteExecutor<'e>) -> Result<(i64, i64)> {
    let sql = "SELECT count(*), coalesce(sum(events), 0) FROM attendance_counts";
    Ok(sqlx::query_as(sql).fetch_one(db).await?)
}

fn push_initiative_filter(qb: &mut QueryBuilder<'_, Sqlite>, f: &StatsFilter) {
    if let Some(p) = f.program_id {
        qb.push(" AND i.program_id = ").push_bind(p);
    }
    if let Some(y) = f.year {
        qb.push(" AND i.year = ").push_bind(y);
    }
    if f.territory_id.is_some() {
        qb.push(" AND i.territory_id IN sub");
    }
}

fn push_event_filter(qb: &mut QueryBuilder<'_, Sqlite>, f: &StatsFilter) {
    if let Some(p) = f.program_id {
        qb.push(" AND e.id IN (SELECT ei.event_id FROM event_initiatives ei JOIN initiatives pi ON pi.id = ei.initiative_id WHERE pi.program_id = ")
            .push_bind(p)
            .push(")");
    }
    if let Some(y) = f.year {
        qb.push(" AND e.starts_at >= ")
            .push_bind(format!("{y:04}-01-01"))
            .push(" AND e.starts_at < ")
            .push_bind(format!("{:04}-01-01", y + 1));
    }
    if f.territory_id.is_some() {
        qb.push(" AND e.territory_id IN sub");
    }
}

/// Population of the filter's territory, by [`population_by_parts`].
async fn population(pool: &SqlitePool, f: &StatsFilter) -> Result<i64> {
    let tree: Vec<(Id, Option<Id>)> = sqlx::query("SELECT id, parent_id FROM territories")
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("parent_id")?)))
        .collect::<Result<_>>()?;
    // The figure for the year asked, or the latest before it, or (with no year) the latest.
    let mut qb = QueryBuilder::<Sqlite>::new(
        "SELECT territory_id, population FROM territory_population p WHERE year = (SELECT max(year) FROM territory_population q WHERE q.territory_id = p.territory_id",
    );
    if let Some(y) = f.year {
        qb.push(" AND q.year <= ").push_bind(y);
    }
    qb.push(")");
    let own: HashMap<Id, i64> = qb
        .build()
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("territory_id")?, r.try_get("population")?)))
        .collect::<Result<_>>()?;
    let mut children: HashMap<Option<Id>, Vec<Id>> = HashMap::new();
    for (id, parent) in &tree {
        children.entry(*parent).or_default().push(*id);
    }
    let roots = match f.territory_id {
        Some(t) => vec![t],
        None => children.get(&None).cloned().unwrap_or_default(),
    };
    Ok(population_by_parts(roots, |t| own.get(&t).copied(), |t| children.get(&Some(t)).map_or(&[], Vec::as_slice)))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::SystemClock;

    /// Each person's count of attendances as the triggers keep it, and as the attendances say.
    async fn counts(store: &Store) -> (Vec<(Vec<u8>, i64)>, Vec<(Vec<u8>, i64)>) {
        let kept = "SELECT contact_id, events FROM attendance_counts ORDER BY contact_id";
        let real = "SELECT contact_id, count(*) FROM event_attendees GROUP BY contact_id ORDER BY contact_id";
        let kept = sqlx::query_as(kept).fetch_all(store.reader()).await.unwrap();
        (kept, sqlx::query_as(real).fetch_all(store.reader()).await.unwrap())
    }

    #[tokio::test]
    async fn the_attendance_counts_follow_every_way_an_attendance_comes_and_goes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("office.sqlite"), Arc::new(SystemClock), "тест").await.unwrap();
        let setup = [
            "INSERT INTO territories(id, kind, name, sort_key, created_at, updated_at, updated_by)
             VALUES (zeroblob(16), 'locality', 'с. Ёлкино', 'с. елкино', 0, 0, 'т')",
            // Six people, four events; person k attended events 0..=k%4 (a bulk INSERT … SELECT).
            "WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 5)
             INSERT INTO contacts(id, kind, last_name, display_name, sort_key, created_at, updated_at, updated_by)
             SELECT unhex(printf('C0%02X', n)), 'person', 'Житель', 'Житель ' || n, 'житель', 0, 0, 'т' FROM k",
            "WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 3)
             INSERT INTO events(id, kind, title, sort_key, starts_at, territory_id, headcount, created_at, updated_at, updated_by)
             SELECT unhex(printf('E0%02X', n)), 'meeting', 'Сход ' || n, 'сход', '2025-03-01T10:00:00', zeroblob(16), 10, 0, 0, 'т' FROM k",
            "INSERT INTO event_attendees(event_id, contact_id)
             SELECT e.id, c.id FROM contacts c
             JOIN events e ON CAST(substr(e.title, 6) AS INTEGER) <= CAST(substr(c.display_name, 8) AS INTEGER) % 4",
        ];
        let mut tx = store.begin().await.unwrap();
        for sql in setup {
            sqlx::query(sql).execute(&mut *tx).await.unwrap();
        }
        tx.commit().await.unwrap();
        let (kept, real) = counts(&store).await;
        assert!(
            real.len() == 6 && real.iter().any(|(_, n)| *n > 1),
            "everyone attended, some more than once: {real:?}"
        );
        assert_eq!(kept, real, "counted as they came, in bulk");

        let steps = [
            // An event deleted: its attendances go by cascade.
            "DELETE FROM events WHERE id = X'E000'",
            // Two people merged: one's attendances move to the other (event 2), and where both were
            // (event 1) the one left over goes.
            "UPDATE OR IGNORE event_attendees SET contact_id = X'C001' WHERE contact_id = X'C002'",
            "DELETE FROM event_attendees WHERE contact_id = X'C002'",
            // A person erased: their contact goes, and their attendances by cascade.
            "DELETE FROM contacts WHERE id = X'C005'",
            // One attendance taken away by hand.
            "DELETE FROM event_attendees WHERE contact_id = X'C003' AND event_id = X'E001'",
        ];
        let mut before = real;
        for sql in steps {
            let done = sqlx::query(sql).execute(store.writer()).await.unwrap();
            let (kept, real) = counts(&store).await;
            assert!(done.rows_affected() > 0 && real != before, "«{sql}» changed the attendances");
            assert_eq!(kept, real, "after «{sql}»");
            before = real;
        }
        let figures = store.stats(&StatsFilter::default()).await.unwrap();
        let (kept, _) = counts(&store).await;
        assert_eq!(figures.unique_people, kept.len() as i64, "the dashboard counts the people who attended");
        assert!(store.check().await.unwrap().ok, "the check finds the counts in step");

        // Counts gone wrong behind the triggers' back (one person counted twice over, one who
        // attended nothing): the office's check says so.
        sqlx::query("UPDATE attendance_counts SET events = events + 1 WHERE contact_id = X'C001'")
            .execute(store.writer())
            .await
            .unwrap();
        sqlx::query("INSERT INTO attendance_counts VALUES (X'C009', 1)").execute(store.writer()).await.unwrap();
        let report = store.check().await.unwrap();
        let said: Vec<String> = report.problems.iter().map(|p| p.ru.clone()).collect();
        assert_eq!(said, ["счётчики участия в мероприятиях для сводки расходятся с данными у 2 человек"]);
    }
}
