//! What the Excel reports read: territories with population, the registry, money and events by
//! territory, unique participants, and the contacts whose consent allows listing. Long lists are
//! read in one read transaction: their order first, from the records' keys alone, then their
//! columns a batch at a time, each batch handed over while SQLite reads the next on its own
//! thread: memory stays flat, and the reading overlaps the writing. Grouping
//! territories (by municipality, under a territory) is the reports' business.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use super::bulk::MAX_BINDS;
use super::funds::{SourceColumns, money_counts};
use super::stats::everyone_named;
use super::{Store, push_in};
use crate::error::{Error, Result};
use crate::model::{
    ConsentInput, ConsentMethod, ContactKind, EventKind, Id, InitiatorKind, ObjectType, Role, Stage, TerritoryKind,
};
use crate::money::{BySource, FundingSource, Kopecks};

/// Rows a long report list reads and hands over at a time.
pub const REPORT_BATCH: usize = 512;
/// The page cache of the connection the registry streams through, KiB: its initiatives are read
/// from indexes (migration 0012), and a larger cache gains it nothing.
const REGISTRY_CACHE_KIB: i64 = 16 * 1024;
/// The page cache of the connection the contacts report streams through, KiB. Read in name
/// order, each person is a random page of the contacts, of the consents and of each list of
/// phones, e-mails and roles: about 60 MB for 100 000 contacts, which an encrypted office
/// decrypts again each time the cache has let a page go (with 16 MiB, 3.8 s for 72 000 people
/// instead of 1.9 s). SQLite takes the memory only for pages it reads: a small office's report
/// takes no more than before.
const CONTACTS_CACHE_KIB: i64 = 64 * 1024;
/// The page cache of the connection the engagement report counts through, KiB, at least: the
/// attendances (about 55 MB for a million) and the events' index by territory, each read twice.
const ENGAGEMENT_CACHE_KIB: i64 = 64 * 1024;

/// Initiators whose name names a person: shown only while that person's consent is in force.
/// Any other initiator's name is shown too only with consent when the initiative is linked to a
/// person's contact (a group put forward by its leader may carry the leader's name).
pub const PERSONAL_INITIATORS: [InitiatorKind; 3] =
    [InitiatorKind::Resident, InitiatorKind::VillageElder, InitiatorKind::Business];

/// Which records a report covers. Empty means everything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReportScope<'a> {
    /// One program (events count when they discuss one of its initiatives, as in [`Store::stats`]).
    pub program_id: Option<Id>,
    /// One year (initiatives by their program year, events by their date).
    pub year: Option<i32>,
    /// Only records on these territories.
    pub territories: Option<&'a [Id]>,
}

/// A territory with its own population figure for the report's year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TerritoryFigure {
    /// Id.
    pub id: Id,
    /// Parent.
    pub parent_id: Option<Id>,
    /// Level.
    pub kind: TerritoryKind,
    /// Name.
    pub name: String,
    /// Its own figure for the year, or the latest before it; `None` when only its parts have one.
    pub population: Option<i64>,
}

/// One initiative as the registry lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegistryRow {
    /// Id.
    pub id: Id,
    /// Its territory's name.
    pub territory: String,
    /// Title.
    pub title: String,
    /// Type of object.
    pub object_type: ObjectType,
    /// Program's code.
    pub program_code: Option<String>,
    /// Year.
    pub year: i32,
    /// Stage.
    pub stage: Stage,
    /// Kind of initiator.
    pub initiator_kind: InitiatorKind,
    /// The initiator's name; `None` when it names a person whose consent (152-ФЗ) is not in force.
    pub initiator_name: Option<String>,
    /// Declared total cost.
    pub total_cost: Kopecks,
    /// Planned money by source.
    pub planned: BySource<Kopecks>,
    /// Money actually spent or received, all sources together.
    pub actual: Kopecks,
    /// Beneficiaries.
    pub beneficiaries: i64,
    /// Votes.
    pub votes: i64,
}

/// Money of the initiatives of one territory and year, not rejected or withdrawn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TerritoryFunds {
    /// The territory.
    pub territory_id: Id,
    /// The program year.
    pub year: i32,
    /// Initiatives counted.
    pub initiatives: i64,
    /// Planned money by source.
    pub planned: BySource<Kopecks>,
    /// Actual money by source.
    pub actual: BySource<Kopecks>,
}

/// Events of one kind held on one territory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TerritoryEvents {
    /// The territory.
    pub territory_id: Id,
    /// The kind.
    pub kind: EventKind,
    /// Events.
    pub events: i64,
    /// Participants, named and anonymous (sum of headcounts).
    pub participants: i64,
    /// Named attendances (a person at two of the events twice): `participants` less this is the
    /// events' anonymous participants.
    pub attendances: i64,
}

/// What the engagement report counts ([`Store::engagement_figures`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EngagementFigures {
    /// Events by territory and kind.
    pub events: Vec<TerritoryEvents>,
    /// Different named people on each group's territories, in the groups' order.
    pub unique_by_group: Vec<i64>,
    /// Different named people on all the scope's territories.
    pub unique: i64,
}

/// A contact the contacts report may list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportContact {
    /// Id.
    pub id: Id,
    /// Person or organisation.
    pub kind: ContactKind,
    /// Name.
    pub display_name: String,
    /// Organisation.
    pub org_name: String,
    /// Position.
    pub position: String,
    /// Territory's name.
    pub territory: Option<String>,
    /// Postal address.
    pub address: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// Phones.
    pub phones: Vec<String>,
    /// E-mails.
    pub emails: Vec<String>,
    /// The latest consent in force (persons only).
    pub consent: Option<ConsentInput>,
}

impl Store {
    /// Every territory, with its own population figure for `year` (the latest when `None`).
    pub async fn report_territories(&self, year: Option<i32>) -> Result<Vec<TerritoryFigure>> {
        let sql = "SELECT t.id, t.parent_id, t.kind, t.name, (SELECT p.population FROM territory_population p
                       WHERE p.territory_id = t.id AND p.year <= ? ORDER BY p.year DESC LIMIT 1) AS population
                   FROM territories t ORDER BY t.sort_key, t.id";
        Ok(sqlx::query_as(sql).bind(year.unwrap_or(i32::MAX)).fetch_all(self.reader()).await?)
    }

    /// Streams the initiatives of each scope in turn (the registry's municipalities), every stage,
    /// by title, to `each` in batches of at most [`REPORT_BATCH`], each row with its scope's index;
    /// returns how many. One read transaction in a 16 MiB page cache whatever the office's size,
    /// and 16 bytes an initiative for the order; `on` is the day whose consents let initiators be
    /// named.
    ///
    /// The order is settled first, from the initiatives' keys alone, sorted by SQLite: one query
    /// when the scopes differ only in their territories (as the registry's do). Then each batch's
    /// columns and money are read in that order while `each` works on the batch before: the first
    /// rows come after the sort of the keys, not after every initiative's money is summed.
    pub async fn registry_rows<E: From<Error>, F: Future<Output = std::result::Result<(), E>>>(
        &self,
        scopes: &[ReportScope<'_>],
        on: NaiveDate,
        mut each: impl FnMut(Vec<(usize, RegistryRow)>) -> F,
    ) -> std::result::Result<u64, E> {
        let mut tx = self.reader().begin().await.map_err(Error::from)?;
        let restore = bound_memory(&mut tx, REGISTRY_CACHE_KIB).await?;
        let read = async {
            let mut keys: Vec<(i64, i64)> = Vec::new();
            match grouped(scopes) {
                Some(first) => {
                    let mut qb = registry_keys(scopes, None, &first);
                    keys = qb.build_query_as().fetch_all(&mut *tx).await.map_err(Error::from)?;
                }
                None => {
                    for (k, scope) in scopes.iter().enumerate() {
                        let mut qb = registry_keys(&[], Some(k), scope);
                        keys.extend(qb.build_query_as::<(i64, i64)>().fetch_all(&mut *tx).await.map_err(Error::from)?);
                    }
                }
            }
            let columns = |wanted| registry_columns(wanted, on);
            let decode = |json: &str| batch_of(json, |r: &RegistryJson| r.rowid);
            let mut each = |rows: Vec<(i64, RegistryJson)>| {
                each(rows.into_iter().map(|(k, r)| (usize::try_from(k).unwrap_or_default(), r.into())).collect())
            };
            in_order(&mut tx, &keys, columns, decode, &mut each).await
        }
        .await;
        restore_memory(tx, &restore, read).await
    }

    /// Money in `scope` by territory, year and source, of initiatives not rejected or withdrawn
    /// — the money [`Store::stats`] counts.
    pub async fn funds_by_territory(&self, scope: &ReportScope<'_>) -> Result<Vec<TerritoryFunds>> {
        let (planned, actual) = (SourceColumns::new("planned_"), SourceColumns::new("actual_"));
        let mut qb = QueryBuilder::<Sqlite>::new("SELECT i.territory_id, i.year, count(DISTINCT i.id) AS n");
        planned.push(&mut qb, |s| format!("coalesce(sum(b.planned_kopecks) FILTER (WHERE b.source = '{s}'), 0)"));
        actual.push(&mut qb, |s| format!("coalesce(sum(b.actual_kopecks) FILTER (WHERE b.source = '{s}'), 0)"));
        qb.push(format!(
            " FROM initiatives i LEFT JOIN budget_lines b ON b.initiative_id = i.id
             WHERE {}",
            money_counts()
        ));
        push_initiative_scope(&mut qb, scope);
        qb.push(" GROUP BY i.territory_id, i.year");
        let mut rows = Vec::new();
        for r in qb.build().fetch_all(self.reader()).await? {
            let (planned, actual) = (planned.read(&r)?, actual.read(&r)?);
            let (territory_id, year, initiatives) = (r.try_get("territory_id")?, r.try_get("year")?, r.try_get("n")?);
            rows.push(TerritoryFunds { territory_id, year, initiatives, planned, actual });
        }
        Ok(rows)
    }

    /// What the engagement report counts, in one read transaction: the events in `scope` by
    /// territory and kind, selected as [`Store::stats`] selects them, and the different named
    /// people who attended them on each of `groups`' territories, and on all of the scope's.
    pub async fn engagement_figures(&self, scope: &ReportScope<'_>, groups: &[&[Id]]) -> Result<EngagementFigures> {
        let mut tx = self.reader().begin().await?;
        let restore = widen_cache(&mut tx, ENGAGEMENT_CACHE_KIB).await?;
        let read = async {
            let mut qb = QueryBuilder::<Sqlite>::new(
                "SELECT e.territory_id, e.kind, count(*) AS events, sum(e.headcount) AS participants,
                        sum((SELECT count(*) FROM event_attendees a WHERE a.event_id = e.id)) AS attendances
                 FROM events e WHERE 1 = 1",
            );
            push_event_scope(&mut qb, scope);
            qb.push(" GROUP BY e.territory_id, e.kind");
            let events = qb.build_query_as().fetch_all(&mut *tx).await?;
            let mut unique_by_group = Vec::with_capacity(groups.len());
            for members in groups {
                let scope = ReportScope { territories: Some(members), ..*scope };
                unique_by_group.push(unique_participants(&mut tx, &scope).await?);
            }
            let unique = unique_participants(&mut tx, scope).await?;
            Ok::<_, Error>(EngagementFigures { events, unique_by_group, unique })
        }
        .await;
        restore_memory(tx, &restore, read).await
    }

    /// Persons on `territories` (everywhere when `None`) whose consent is not in force on `on`:
    /// those [`Store::contacts_with_consent`] leaves out.
    ///
    /// Everywhere, they are counted from indexes alone: the persons (every contact less the
    /// organisations) less those with a consent in force — not by a pass over every contact's
    /// row, which an encrypted office decrypts page by page.
    pub async fn contacts_withheld(&self, territories: Option<&[Id]>, on: NaiveDate) -> Result<u64> {
        const ORGANISATIONS: &str = "contacts o INDEXED BY contacts_organisations WHERE o.kind = 'organisation'";
        let mut qb = match territories {
            None => {
                let mut qb = QueryBuilder::<Sqlite>::new(format!(
                    "SELECT (SELECT count(*) FROM contacts) - (SELECT count(*) FROM {ORGANISATIONS})
                          - (SELECT count(DISTINCT k.contact_id) FROM consents k
                             WHERE NOT EXISTS (SELECT 1 FROM {ORGANISATIONS} AND o.id = k.contact_id) AND "
                ));
                push_consent_terms(&mut qb, on);
                qb.push(")");
                qb
            }
            Some(territories) => {
                let sql = "SELECT count(*) FROM contacts c WHERE c.kind = 'person' AND NOT EXISTS (SELECT 1 FROM consents k WHERE k.contact_id = c.id AND ";
                let mut qb = QueryBuilder::<Sqlite>::new(sql);
                push_consent_terms(&mut qb, on);
                qb.push(")");
                push_in(&mut qb, " AND c.territory_id", Some(territories));
                qb
            }
        };
        Ok(qb.build_query_scalar::<i64>().fetch_one(self.reader()).await?.unsigned_abs())
    }

    /// Streams the contacts on `territories` (everywhere when `None`) that may be listed on `on`
    /// — organisations, and persons whose consent to processing is in force that day — sorted by
    /// name, to `each`, in batches of at most [`REPORT_BATCH`]; returns how many there were. As
    /// [`Store::registry_rows`] does, the order is settled first and each batch read after.
    pub async fn contacts_with_consent<E: From<Error>, F: Future<Output = std::result::Result<(), E>>>(
        &self,
        territories: Option<&[Id]>,
        on: NaiveDate,
        mut each: impl FnMut(Vec<ReportContact>) -> F,
    ) -> std::result::Result<u64, E> {
        let mut tx = self.reader().begin().await.map_err(Error::from)?;
        let restore = bound_memory(&mut tx, CONTACTS_CACHE_KIB).await?;
        let read = async {
            // Every contact: in order from the index by name, which holds the keys. Those of some
            // territories: from the rows in the order they are stored, their keys sorted after (in
            // name order, each would cost a random page of the rows).
            let from =
                if territories.is_some() { "contacts c NOT INDEXED" } else { "contacts c INDEXED BY contacts_sort" };
            let mut qb = QueryBuilder::<Sqlite>::new(format!("SELECT 0, c.rowid FROM {from} WHERE 1 = 1"));
            push_in(&mut qb, " AND c.territory_id", territories);
            qb.push(" ORDER BY c.sort_key, c.id");
            let keys: Vec<(i64, i64)> = qb.build_query_as().fetch_all(&mut *tx).await.map_err(Error::from)?;
            // Territories' names by id (in hex, as a batch gives them), for every contact: not
            // looked up again for each.
            let names: Vec<(String, String)> = sqlx::query_as("SELECT hex(id), name FROM territories")
                .fetch_all(&mut *tx)
                .await
                .map_err(Error::from)?;
            let names: HashMap<String, String> = names.into_iter().collect();
            let columns = |wanted| contacts_columns(wanted, on);
            let decode = |json: &str| batch_of(json, |c: &ContactJson| c.rowid);
            let mut each =
                |rows: Vec<(i64, ContactJson)>| each(rows.into_iter().map(|(_, c)| c.into_contact(&names)).collect());
            in_order(&mut tx, &keys, columns, decode, &mut each).await
        }
        .await;
        restore_memory(tx, &restore, read).await
    }
}

/// Different named people who attended at least one event in `scope`.
async fn unique_participants(conn: &mut SqliteConnection, scope: &ReportScope<'_>) -> Result<i64> {
    if *scope == ReportScope::default() {
        // Every event: as the dashboard counts them, not by a pass over every attendance.
        return Ok(everyone_named(&mut *conn).await?.0);
    }
    let mut qb = QueryBuilder::<Sqlite>::new(
        "SELECT count(DISTINCT a.contact_id) FROM event_attendees a JOIN events e ON e.id = a.event_id WHERE 1 = 1",
    );
    push_event_scope(&mut qb, scope);
    Ok(qb.build_query_scalar().fetch_one(&mut *conn).await?)
}

/// Reads the records `keys` name, each a rowid with what goes with it, [`REPORT_BATCH`] at a time
/// and in the keys' order, and hands each batch to `each`, every record with what went with its
/// key; returns how many there were. `columns` is the query of one batch, given its rowids as a
/// JSON array: one row, one JSON value, that `decode` turns into records, each with its rowid (a
/// batch's query may leave records out). The rowids are asked for in ascending order, which
/// finds more of their pages in the cache, and the records put back in the keys' order after.
/// SQLite reads a batch on the connection's thread while `each` works on the batch before.
async fn in_order<'q, T, E: From<Error>, F: Future<Output = std::result::Result<(), E>>>(
    conn: &mut SqliteConnection,
    keys: &[(i64, i64)],
    columns: impl Fn(String) -> QueryBuilder<'q, Sqlite>,
    decode: impl Fn(&str) -> Result<Vec<(i64, T)>>,
    each: &mut impl FnMut(Vec<(i64, T)>) -> F,
) -> std::result::Result<u64, E> {
    let mut count = 0;
    for batch in keys.chunks(REPORT_BATCH) {
        // Each rowid with its place in the batch, by rowid.
        let mut at: Vec<(i64, usize)> = batch.iter().enumerate().map(|(place, &(_, rowid))| (rowid, place)).collect();
        at.sort_unstable();
        let wanted: Vec<String> = at.iter().map(|(rowid, _)| rowid.to_string()).collect();
        let json: String = columns(format!("[{}]", wanted.join(",")))
            .build_query_scalar()
            .fetch_one(&mut *conn)
            .await
            .map_err(Error::from)?;
        let mut placed: Vec<Option<(i64, T)>> = batch.iter().map(|_| None).collect();
        for (rowid, record) in decode(&json)? {
            // The first place of this rowid not yet filled (a key may come twice).
            let from = at.partition_point(|&(r, _)| r < rowid);
            let place =
                at[from..].iter().take_while(|&&(r, _)| r == rowid).map(|&(_, p)| p).find(|&p| placed[p].is_none());
            if let Some(p) = place {
                placed[p] = Some((batch[p].0, record));
            }
        }
        let rows: Vec<(i64, T)> = placed.into_iter().flatten().collect();
        count += rows.len() as u64;
        if !rows.is_empty() {
            each(rows).await?;
        }
    }
    Ok(count)
}

/// Bounds the connection's memory while a report streams — a page cache of `kib` KiB, no
/// memory-mapped file — and returns the statement that restores the store's settings.
async fn bound_memory(conn: &mut SqliteConnection, kib: i64) -> Result<String> {
    let cache: i64 = sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut *conn).await?;
    let mmap: i64 = sqlx::query_scalar("PRAGMA mmap_size").fetch_one(&mut *conn).await?;
    sqlx::query(&format!("PRAGMA cache_size = -{kib}; PRAGMA mmap_size = 0")).execute(&mut *conn).await?;
    Ok(format!("PRAGMA cache_size = {cache}; PRAGMA mmap_size = {mmap}"))
}

/// Gives the connection a page cache of at least `kib` KiB while a report counts, and returns
/// the statement that restores the store's own. SQLite takes the memory only for the pages it
/// reads, and gives back what is over the store's own size when it is restored.
async fn widen_cache(conn: &mut SqliteConnection, kib: i64) -> Result<String> {
    let cache: i64 = sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut *conn).await?;
    // The store sets its sizes in KiB, as negative numbers (a positive one would be pages).
    let held = if cache < 0 { -cache } else { 0 };
    sqlx::query(&format!("PRAGMA cache_size = -{}", kib.max(held))).execute(&mut *conn).await?;
    Ok(format!("PRAGMA cache_size = {cache}"))
}

/// Gives the report's connection back its settings (`restore`, from [`bound_memory`]) however
/// the reading ended — the connection goes back to the pool either way — then ends the read
/// transaction; the reading's error comes first.
async fn restore_memory<T, E: From<Error>>(
    mut tx: sqlx::Transaction<'_, Sqlite>,
    restore: &str,
    read: std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    let restored = sqlx::query(restore).execute(&mut *tx).await.map_err(Error::from);
    let read = read?;
    restored?;
    tx.commit().await.map_err(Error::from)?;
    Ok(read)
}

fn push_initiative_scope(qb: &mut QueryBuilder<'_, Sqlite>, scope: &ReportScope<'_>) {
    if let Some(p) = scope.program_id {
        qb.push(" AND i.program_id = ").push_bind(p);
    }
    if let Some(y) = scope.year {
        qb.push(" AND i.year = ").push_bind(y);
    }
    push_in(qb, " AND i.territory_id", scope.territories);
}

/// Events of the scope, as [`Store::stats`] selects them.
fn push_event_scope(qb: &mut QueryBuilder<'_, Sqlite>, scope: &ReportScope<'_>) {
    if let Some(p) = scope.program_id {
        let sql = " AND e.id IN (SELECT ei.event_id FROM event_initiatives ei JOIN initiatives pi ON pi.id = ei.initiative_id";
        qb.push(sql).push(" WHERE pi.program_id = ").push_bind(p).push(")");
    }
    if let Some(y) = scope.year {
        let (from, until) = (format!("{y:04}-01-01"), format!("{:04}-01-01", y + 1));
        qb.push(" AND e.starts_at >= ").push_bind(from).push(" AND e.starts_at < ").push_bind(until);
    }
    push_in(qb, " AND e.territory_id", scope.territories);
}

/// The terms on consent `k` that make it in force on `on`, as
/// [`Consent::is_active`](crate::model::Consent::is_active) decides.
fn push_consent_terms(qb: &mut QueryBuilder<'_, Sqlite>, on: NaiveDate) {
    qb.push("k.given_on <= ").push_bind(on).push(" AND (k.withdrawn_on IS NULL OR k.withdrawn_on > ").push_bind(on);
    qb.push(") AND (k.expires_on IS NULL OR k.expires_on >= ").push_bind(on).push(")");
}

/// The scope all of `scopes` share but for their territories, when one query can read them all
/// (each with its territories, few enough to bind); `None` when each needs its own.
fn grouped<'a>(scopes: &[ReportScope<'a>]) -> Option<ReportScope<'a>> {
    let first = *scopes.first()?;
    let members: Option<usize> = scopes.iter().map(|s| s.territories.map(<[Id]>::len)).sum();
    let same = scopes.iter().all(|s| s.program_id == first.program_id && s.year == first.year);
    let members = members.unwrap_or(usize::MAX);
    (scopes.len() > 1 && same && members > 0 && members < MAX_BINDS)
        .then_some(ReportScope { territories: None, ..first })
}

/// The registry's order: `(scope, rowid)` of each initiative, for `groups` (territories numbered
/// by scope) all of them in one, by scope, then title; otherwise `scope` alone, numbered `k`.
fn registry_keys<'a>(
    groups: &'a [ReportScope<'a>],
    k: Option<usize>,
    scope: &ReportScope<'a>,
) -> QueryBuilder<'a, Sqlite> {
    let mut qb = QueryBuilder::<Sqlite>::new("");
    if !groups.is_empty() {
        qb.push("WITH grp(territory_id, k) AS (VALUES ");
        let mut values = qb.separated(", ");
        for (k, g) in groups.iter().enumerate() {
            for id in g.territories.unwrap_or_default() {
                values.push("(").push_bind_unseparated(*id).push_unseparated(format!(", {k})"));
            }
        }
        qb.push(") SELECT g.k, i.rowid");
    } else {
        qb.push(format!("SELECT {}, i.rowid", k.unwrap_or_default()));
    }
    // The keys and every column the scope filters on are in the index by territory (migration
    // 0012): they are read from it alone and sorted after, within the connection's page cache.
    // Read in the registry's order from the rows, they would cost a random page each.
    qb.push(" FROM initiatives i INDEXED BY initiatives_territory");
    if !groups.is_empty() {
        qb.push(" JOIN grp g ON g.territory_id = i.territory_id");
    }
    qb.push(" WHERE 1 = 1");
    push_initiative_scope(&mut qb, scope);
    qb.push(if groups.is_empty() { " ORDER BY i.sort_key, i.id" } else { " ORDER BY g.k, i.sort_key, i.id" });
    qb
}

/// A batch of the registry: the initiatives `wanted`, a JSON array of rowids, names, as one JSON
/// array of [`RegistryJson`] (one value for the batch: SQLite builds it in one step, where rows
/// of twenty columns would each be copied and sent on their own).
fn registry_columns<'a>(wanted: String, on: NaiveDate) -> QueryBuilder<'a, Sqlite> {
    let mut qb = QueryBuilder::<Sqlite>::new("WITH wanted(rid) AS (SELECT value FROM json_each(");
    qb.push_bind(wanted).push(
        "))
         SELECT json_group_array(json_array(w.rid, hex(i.id), i.title, i.object_type, i.year, i.stage,
                i.initiator_kind, i.initiator_name, i.total_cost_kopecks, i.beneficiaries, i.votes, t.name,
                p.code, json((SELECT json_group_array(json_array(b.source, b.planned_kopecks, b.actual_kopecks))
                              FROM budget_lines b WHERE b.initiative_id = i.id))",
    );
    // Whether the initiator may be named: not a person, or an organisation's contact, or a person
    // with consent in force (a contact's key is set to NULL when the contact goes, so a stored key
    // names a stored contact). Looked up initiative by initiative: a list read once would be read
    // again for every batch. Both from an index alone (migration 0012): the organisations' own,
    // which the planner would pass over for the contacts' key, and the consents' with their dates.
    let personal: Vec<String> = PERSONAL_INITIATORS.iter().map(|k| format!("'{}'", k.as_str())).collect();
    qb.push(format!(
        ", (i.initiator_kind NOT IN ({}) AND i.initiator_contact_id IS NULL)
            OR EXISTS (SELECT 1 FROM contacts c INDEXED BY contacts_organisations
                       WHERE c.id = i.initiator_contact_id AND c.kind = 'organisation')
            OR EXISTS (SELECT 1 FROM consents k WHERE k.contact_id = i.initiator_contact_id AND ",
        personal.join(", ")
    ));
    push_consent_terms(&mut qb, on);
    qb.push(
        ")))
         FROM wanted w JOIN initiatives i ON i.rowid = w.rid
         JOIN territories t ON t.id = i.territory_id LEFT JOIN programs p ON p.id = i.program_id",
    );
    qb
}

/// One initiative of a registry batch, as [`registry_columns`] writes it: its rowid, then its
/// columns.
#[derive(serde::Deserialize)]
struct RegistryJson {
    rowid: i64,
    id: Id,
    title: String,
    object_type: ObjectType,
    year: i32,
    stage: Stage,
    initiator_kind: InitiatorKind,
    initiator_name: String,
    total_cost: i64,
    beneficiaries: i64,
    votes: i64,
    territory: String,
    program_code: Option<String>,
    /// Its budget lines: source, planned, actual.
    budget: Option<Vec<(FundingSource, i64, i64)>>,
    /// 1 when the initiator may be named.
    disclosed: i64,
}

impl From<RegistryJson> for RegistryRow {
    fn from(r: RegistryJson) -> RegistryRow {
        let (mut planned, mut actual) = (BySource::<Kopecks>::default(), Kopecks(0));
        for (source, p, a) in r.budget.unwrap_or_default() {
            planned[source] = Kopecks(p);
            actual += Kopecks(a);
        }
        RegistryRow {
            id: r.id,
            territory: r.territory,
            title: r.title,
            object_type: r.object_type,
            program_code: r.program_code,
            year: r.year,
            stage: r.stage,
            initiator_kind: r.initiator_kind,
            initiator_name: (r.disclosed != 0).then_some(r.initiator_name),
            total_cost: Kopecks(r.total_cost),
            planned,
            actual,
            beneficiaries: r.beneficiaries,
            votes: r.votes,
        }
    }
}

/// A batch of the contacts report: the contacts `wanted`, a JSON array of rowids, names that may
/// be listed on `on`, as one JSON array of [`ContactJson`] (see [`registry_columns`]). A person's
/// latest consent in force is found from the consents' index alone (its dates and id), and only
/// that consent's row is read.
fn contacts_columns<'a>(wanted: String, on: NaiveDate) -> QueryBuilder<'a, Sqlite> {
    let mut qb = QueryBuilder::<Sqlite>::new("WITH wanted(rid) AS (SELECT value FROM json_each(");
    qb.push_bind(wanted).push(
        "))
         SELECT json_group_array(json_array(x.rid, hex(c.id), c.kind, c.display_name, c.org_name, c.position,
                nullif(hex(c.territory_id), ''), c.address,
                json((SELECT json_group_array(role) FROM contact_roles r WHERE r.contact_id = c.id)),
                json((SELECT json_group_array(phone) FROM contact_phones r WHERE r.contact_id = c.id)),
                json((SELECT json_group_array(email) FROM contact_emails r WHERE r.contact_id = c.id)),
                w.purpose, w.given_on, w.method, w.expires_on))
         FROM wanted x JOIN contacts c ON c.rowid = x.rid
         LEFT JOIN consents w ON w.rowid = (SELECT k.rowid FROM consents k WHERE k.contact_id = c.id AND ",
    );
    push_consent_terms(&mut qb, on);
    qb.push(" ORDER BY k.given_on DESC, k.id DESC LIMIT 1) WHERE (c.kind = 'organisation' OR w.id IS NOT NULL)");
    qb
}

/// One contact of a contacts batch, as [`contacts_columns`] writes it: its rowid, then its
/// columns; the consent's are all there or all null.
#[derive(serde::Deserialize)]
struct ContactJson {
    rowid: i64,
    id: Id,
    kind: ContactKind,
    display_name: String,
    org_name: String,
    position: String,
    /// Its territory's id, in hex.
    territory_id: Option<String>,
    address: String,
    roles: Vec<String>,
    phones: Vec<String>,
    emails: Vec<String>,
    purpose: Option<String>,
    given_on: Option<NaiveDate>,
    method: Option<ConsentMethod>,
    expires_on: Option<NaiveDate>,
}

impl ContactJson {
    /// The contact, its territory named from `names`.
    fn into_contact(self, names: &HashMap<String, String>) -> ReportContact {
        let c = self;
        let mut roles: Vec<Role> = c.roles.iter().filter_map(|code| Role::parse(code)).collect();
        roles.sort();
        let consent = match (c.purpose, c.given_on, c.method) {
            (Some(purpose), Some(given_on), Some(method)) => {
                Some(ConsentInput { purpose, given_on, method, expires_on: c.expires_on })
            }
            _ => None,
        };
        ReportContact {
            id: c.id,
            kind: c.kind,
            display_name: c.display_name,
            org_name: c.org_name,
            position: c.position,
            territory: c.territory_id.and_then(|t| names.get(&t).cloned()),
            address: c.address,
            roles,
            phones: c.phones,
            emails: c.emails,
            consent,
        }
    }
}

/// The rows of a batch's JSON, each with its rowid.
fn batch_of<J: serde::de::DeserializeOwned>(json: &str, rowid: impl Fn(&J) -> i64) -> Result<Vec<(i64, J)>> {
    let rows: Vec<J> = serde_json::from_str(json).map_err(|e| Error::Database(sqlx::Error::Decode(Box::new(e))))?;
    Ok(rows.into_iter().map(|r| (rowid(&r), r)).collect())
}

#[cfg(test)]
mod tests;
