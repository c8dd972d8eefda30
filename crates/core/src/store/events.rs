//! Engagement events: gatherings, hearings, surveys, subbotniks — with attendees and headcount.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use super::bulk::{insert_rows, rows, write_event_links};
use super::page::{self, Cursor, Direction, Page, SortValue};
use super::{Query, Store, bump_stamp, delete_record, exists, history, stamp_from, update_sql};
use crate::error::{Entity, Error, Problems, Result};
use crate::model::{Attendee, Event, EventInput, EventKind, Id};
use crate::text::fold;

/// How the events list is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum EventSort {
    /// By start.
    #[default]
    StartsAt,
    /// By title.
    Title,
}

/// Filters, sort and position for the events list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct EventQuery {
    /// Only this kind.
    pub kind: Option<EventKind>,
    /// Only this territory and what lies within it.
    pub territory_id: Option<Id>,
    /// Starting at or after.
    pub from: Option<NaiveDateTime>,
    /// Starting before.
    pub until: Option<NaiveDateTime>,
    /// Only those discussing this initiative.
    pub initiative_id: Option<Id>,
    /// Only those this contact attended.
    pub contact_id: Option<Id>,
    /// Only those matching this text.
    pub text: Option<String>,
    /// Sort column.
    pub sort: EventSort,
    /// Sort direction.
    pub direction: Direction,
    /// Start after this position.
    pub after: Option<Cursor>,
    /// Rows per page (at most 500).
    pub limit: u32,
}

/// A row of the events list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EventRow {
    /// Id.
    pub id: Id,
    /// Kind.
    pub kind: EventKind,
    /// Title.
    pub title: String,
    /// Start.
    pub starts_at: NaiveDateTime,
    /// Place.
    pub place: String,
    /// Territory's name.
    pub territory_name: String,
    /// Everyone who took part.
    pub headcount: i64,
    /// Named attendees.
    pub named: i64,
}

impl Store {
    /// Adds an event with its attendees and linked initiatives.
    pub async fn create_event(&self, input: EventInput) -> Result<Event> {
        let mut tx = self.begin().await?;
        check_event(&mut tx, &input).await?;
        let id = self.new_id();
        insert_rows(&mut tx, vec![rows::Event::of(id, &input, self.made())]).await?;
        write_event_links(&mut tx, &[(id, &input)]).await?;
        history::record(
            self,
            &mut tx,
            Entity::Event,
            id,
            history::Op::Create,
            history::created(&serde_json::to_value(&input).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        self.event(id).await
    }

    /// Changes an event; `rev` is the revision the caller last saw.
    pub async fn update_event(&self, id: Id, rev: i64, input: EventInput) -> Result<Event> {
        let old = self.event(id).await?;
        let mut tx = self.begin().await?;
        check_event(&mut tx, &input).await?;
        bump_stamp(self, &mut tx, Entity::Event, id, rev).await?;
        write_fields(&mut tx, id, &input).await?;
        if let Some(changes) = history::diff(
            &serde_json::to_value(&old.input).unwrap_or_default(),
            &serde_json::to_value(&input).unwrap_or_default(),
        ) {
            history::record(self, &mut tx, Entity::Event, id, history::Op::Update, changes).await?;
        }
        tx.commit().await?;
        self.event(id).await
    }

    /// Deletes an event.
    pub async fn delete_event(&self, id: Id) -> Result<()> {
        let old = self.event(id).await?;
        delete_record(self, Entity::Event, id, serde_json::to_value(&old.input).unwrap_or_default()).await
    }

    /// One event, with attendees and linked initiatives.
    pub async fn event(&self, id: Id) -> Result<Event> {
        let mut conn = self.reader().acquire().await?;
        event_on(&mut conn, id).await
    }

    /// A page of events.
    pub async fn list_events(&self, q: &EventQuery) -> Result<Page<EventRow>> {
        let column = match q.sort {
            EventSort::StartsAt => "e.starts_at",
            EventSort::Title => "e.sort_key",
        };
        let mut count = QueryBuilder::<Sqlite>::new("");
        page::push_subtree_cte(&mut count, q.territory_id);
        count.push("SELECT count(*) FROM events e WHERE 1 = 1");
        push_filters(&mut count, q);
        let total: i64 = count.build_query_scalar().fetch_one(self.reader()).await?;

        let mut qb = QueryBuilder::<Sqlite>::new("");
        page::push_subtree_cte(&mut qb, q.territory_id);
        qb.push(
            "SELECT e.id, e.kind, e.title, e.sort_key, e.starts_at, e.place, e.headcount, t.name AS territory_name,
                    (SELECT count(*) FROM event_attendees a WHERE a.event_id = e.id) AS named
             FROM events e JOIN territories t ON t.id = e.territory_id WHERE 1 = 1",
        );
        push_filters(&mut qb, q);
        page::push_after(&mut qb, column, "e.id", q.direction, q.after.as_ref())?;
        page::push_order(&mut qb, column, "e.id", q.direction, q.limit);
        let rows = qb.build().fetch_all(self.reader()).await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok((
                    EventRow {
                        id: r.try_get("id")?,
                        kind: r.try_get("kind")?,
                        title: r.try_get("title")?,
                        starts_at: r.try_get("starts_at")?,
                        place: r.try_get("place")?,
                        territory_name: r.try_get("territory_name")?,
                        headcount: r.try_get("headcount")?,
                        named: r.try_get("named")?,
                    },
                    r.try_get::<String, _>("sort_key")?,
                    r.try_get::<String, _>("starts_at")?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let sort = q.sort;
        let page = page::finish(items, q.limit, total, |(row, sort_key, starts_at)| {
            let key = match sort {
                EventSort::StartsAt => SortValue::Text(starts_at.clone()),
                EventSort::Title => SortValue::Text(sort_key.clone()),
            };
            (key, row.id)
        });
        Ok(Page { items: page.items.into_iter().map(|(row, _, _)| row).collect(), next: page.next, total: page.total })
    }
}

/// The columns an event's editable fields are stored in, in the order [`bind_fields`] binds them.
/// Writes a stored event's fields, attendees and linked initiatives (not its stamp or history).
pub(crate) async fn write_fields(tx: &mut SqliteConnection, id: Id, input: &EventInput) -> Result<()> {
    bind_fields(sqlx::query(&update_sql("events", FIELDS)), input).bind(id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM event_attendees WHERE event_id = ?").bind(id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM event_initiatives WHERE event_id = ?").bind(id).execute(&mut *tx).await?;
    write_event_links(&mut *tx, &[(id, input)]).await
}

const FIELDS: &str = "kind, title, sort_key, starts_at, ends_at, place, territory_id, headcount, outcome, minutes";

/// Binds an event's editable fields, in the order of [`FIELDS`]; insert and update share it.
fn bind_fields<'q>(q: Query<'q>, input: &'q EventInput) -> Query<'q> {
    q.bind(input.kind)
        .bind(input.title.trim())
        .bind(fold(&input.title))
        .bind(input.starts_at)
        .bind(input.ends_at)
        .bind(&input.place)
        .bind(input.territory_id)
        .bind(input.headcount)
        .bind(&input.outcome)
        .bind(&input.minutes)
}

async fn check_event(conn: &mut SqliteConnection, input: &EventInput) -> Result<()> {
    let mut p = Problems::default();
    input.validate(&mut p);
    if !exists(conn, Entity::Territory, input.territory_id).await? {
        p.push("territory_id", "территория не найдена", "unknown territory");
    }
    for (i, a) in input.attendees.iter().enumerate() {
        if !exists(conn, Entity::Contact, a.contact_id).await? {
            p.push(
                format!("attendees[{i}].contact_id"),
                "участник не найден среди контактов",
                "the attendee is not a contact",
            );
        }
    }
    for (i, initiative) in input.initiative_ids.iter().enumerate() {
        if !exists(conn, Entity::Initiative, *initiative).await? {
            p.push(format!("initiative_ids[{i}]"), "проект не найден", "unknown initiative");
        }
    }
    p.into_result()
}

fn push_filters(qb: &mut QueryBuilder<'_, Sqlite>, q: &EventQuery) {
    if let Some(kind) = q.kind {
        qb.push(" AND e.kind = ").push_bind(kind.as_str());
    }
    if q.territory_id.is_some() {
        qb.push(" AND e.territory_id IN sub");
    }
    if let Some(from) = q.from {
        qb.push(" AND e.starts_at >= ").push_bind(from);
    }
    if let Some(until) = q.until {
        qb.push(" AND e.starts_at < ").push_bind(until);
    }
    if let Some(i) = q.initiative_id {
        qb.push(" AND e.id IN (SELECT event_id FROM event_initiatives WHERE initiative_id = ").push_bind(i).push(")");
    }
    if let Some(c) = q.contact_id {
        qb.push(" AND e.id IN (SELECT event_id FROM event_attendees WHERE contact_id = ").push_bind(c).push(")");
    }
    if let Some(m) = q.text.as_deref().and_then(super::search::match_expression) {
        qb.push(" AND e.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ").push_bind(m).push(")");
    }
}

/// [`Store::event`] on `conn` (a write transaction sees what it wrote).
pub(crate) async fn event_on(conn: &mut SqliteConnection, id: Id) -> Result<Event> {
    let row = sqlx::query("SELECT * FROM events WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found(Entity::Event, id))?;
    let attendees = sqlx::query(
        "SELECT a.contact_id, a.role FROM event_attendees a JOIN contacts c ON c.id = a.contact_id
             WHERE a.event_id = ? ORDER BY c.sort_key",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| Ok(Attendee { contact_id: r.try_get("contact_id")?, role: r.try_get("role")? }))
    .collect::<Result<Vec<_>>>()?;
    let initiative_ids: Vec<Id> =
        sqlx::query_scalar("SELECT initiative_id FROM event_initiatives WHERE event_id = ? ORDER BY initiative_id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(Event {
        id,
        input: EventInput {
            kind: row.try_get("kind")?,
            title: row.try_get("title")?,
            starts_at: row.try_get("starts_at")?,
            ends_at: row.try_get("ends_at")?,
            place: row.try_get("place")?,
            territory_id: row.try_get("territory_id")?,
            headcount: row.try_get("headcount")?,
            attendees,
            initiative_ids,
            outcome: row.try_get("outcome")?,
            minutes: row.try_get("minutes")?,
        },
        stamp: stamp_from(&row)?,
    })
}
