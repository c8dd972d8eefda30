//! Everything the office holds about one person, for their request to see it (ч. 7 ст. 14
//! 152-ФЗ): the record, consents, events, initiatives, appeals, files, history, and the other
//! records whose texts mention them.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use sqlx::{Row, SqliteConnection};

use super::Store;
use super::attachments::Attachment;
use super::history::HistoryEntry;
use super::mentions::{self, column_label};
use crate::error::{Entity, Error, Result};
use crate::model::{
    AppealChannel, AppealStatus, AttendeeRole, Contact, ContactKind, EventKind, Id, InitiatorKind, Stage,
};
use crate::redact::Person;

/// An event the person attended by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonEvent {
    /// The event.
    pub id: Id,
    /// Its kind.
    pub kind: EventKind,
    /// Its title.
    pub title: String,
    /// When it started.
    pub starts_at: NaiveDateTime,
    /// Where.
    pub place: String,
    /// Its territory's name.
    pub territory: String,
    /// The person's part in it.
    pub role: AttendeeRole,
}

/// An initiative the person put forward, or whose initiator's name is theirs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonInitiative {
    /// The initiative.
    pub id: Id,
    /// Its title.
    pub title: String,
    /// Its program year.
    pub year: i32,
    /// Its stage.
    pub stage: Stage,
    /// The kind of initiator.
    pub initiator_kind: InitiatorKind,
    /// The initiator's name as written.
    pub initiator_name: String,
    /// True when the initiative names the person's record as its initiator; false when only the
    /// initiator's name is theirs.
    pub by_record: bool,
}

/// An appeal the person wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonAppeal {
    /// The appeal.
    pub id: Id,
    /// Received.
    pub received_on: NaiveDate,
    /// How.
    pub channel: AppealChannel,
    /// What became of it.
    pub status: AppealStatus,
    /// Its text.
    pub text: String,
}

/// Another record whose text mentions the person: their name, a phone or an e-mail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonMention {
    /// The kind of record.
    pub entity: Option<Entity>,
    /// The record.
    pub id: Option<Id>,
    /// Its title.
    pub record: String,
    /// The field, in Russian («протокол», «история изменений»).
    pub field: String,
    /// The text that mentions them.
    pub text: String,
}

/// Everything the office holds about one person.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonData {
    /// The record: name, roles, phones, e-mails, tags, address, notes and consents.
    pub contact: Contact,
    /// Their territory's name.
    pub territory: Option<String>,
    /// Events they attended, oldest first.
    pub events: Vec<PersonEvent>,
    /// Initiatives they put forward or whose initiator's name is theirs.
    pub initiatives: Vec<PersonInitiative>,
    /// Appeals they wrote, oldest first.
    pub appeals: Vec<PersonAppeal>,
    /// Files attached to their record.
    pub attachments: Vec<Attachment>,
    /// Their record's change history, oldest first.
    pub history: Vec<HistoryEntry>,
    /// Other records whose texts mention them.
    pub mentions: Vec<PersonMention>,
}

/// The records linked to a person: events attended, initiatives put forward, appeals written.
#[derive(Debug, Default)]
pub(crate) struct Linked {
    pub events: Vec<Id>,
    pub initiatives: Vec<Id>,
    pub appeals: Vec<Id>,
}

impl Linked {
    pub(crate) async fn of(conn: &mut SqliteConnection, contact: Id) -> Result<Linked> {
        let ids = |sql: &'static str| sqlx::query_scalar::<_, Id>(sql).bind(contact);
        Ok(Linked {
            events: ids("SELECT event_id FROM event_attendees WHERE contact_id = ?").fetch_all(&mut *conn).await?,
            initiatives: ids("SELECT id FROM initiatives WHERE initiator_contact_id = ?").fetch_all(&mut *conn).await?,
            appeals: ids("SELECT id FROM appeals WHERE author_contact_id = ?").fetch_all(&mut *conn).await?,
        })
    }

    pub(crate) fn all(&self) -> Vec<Id> {
        self.events.iter().chain(&self.initiatives).chain(&self.appeals).copied().collect()
    }
}

/// The person's record and the records merged into it (the same person entered twice, say by an
/// import), whose history is theirs too.
pub(crate) async fn own_records(conn: &mut SqliteConnection, id: Id) -> Result<Vec<Id>> {
    let mut ids = vec![id];
    let mut next = 0;
    while let Some(record) = ids.get(next).copied() {
        let merged: Vec<String> = sqlx::query_scalar(
            "SELECT json_extract(changes, '$.merged_from.new.id') AS merged FROM history
             WHERE entity_id = ? AND entity = 'contact' AND merged IS NOT NULL",
        )
        .bind(record)
        .fetch_all(&mut *conn)
        .await?;
        for merged in merged.iter().filter_map(|m| m.parse::<Id>().ok()) {
            if !ids.contains(&merged) {
                ids.push(merged);
            }
        }
        next += 1;
    }
    Ok(ids)
}

/// Refuses an organisation: only people have personal data.
pub(crate) fn refuse_organisation(contact: &Contact) -> Result<()> {
    if contact.input.kind == ContactKind::Organisation {
        return Err(Error::refused(
            "персональные данные есть только у людей, а это организация",
            "only people have personal data; this is an organisation",
        ));
    }
    Ok(())
}

impl Store {
    /// Everything the office holds about person `id`: the record, its consents, the events they
    /// attended and in what role, the initiatives they put forward or whose initiator's name is
    /// theirs, the appeals they wrote, their files and history (with that of duplicates merged
    /// into their record), and the other records whose texts mention them.
    pub async fn person_data(&self, id: Id) -> Result<PersonData> {
        let contact = self.contact(id).await?;
        refuse_organisation(&contact)?;
        let attachments = self.attachments(id).await?;
        let mut tx = self.reader().begin().await?;
        let own = own_records(&mut tx, id).await?;
        let mut history = Vec::new();
        for record in &own {
            history.extend(self.history(*record).await?);
        }
        history.sort_by_key(|h| h.at);
        let territory: Option<String> = sqlx::query_scalar("SELECT name FROM territories WHERE id = ?")
            .bind(contact.input.territory_id)
            .fetch_optional(&mut *tx)
            .await?;
        let events = sqlx::query(
            "SELECT e.id, e.kind, e.title, e.starts_at, e.place, t.name AS territory, a.role
             FROM event_attendees a JOIN events e ON e.id = a.event_id JOIN territories t ON t.id = e.territory_id
             WHERE a.contact_id = ? ORDER BY e.starts_at, e.id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| {
            Ok(PersonEvent {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                title: r.try_get("title")?,
                starts_at: r.try_get("starts_at")?,
                place: r.try_get("place")?,
                territory: r.try_get("territory")?,
                role: r.try_get("role")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let appeals = sqlx::query(
            "SELECT id, received_on, channel, status, text FROM appeals WHERE author_contact_id = ?
             ORDER BY received_on, id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| {
            Ok(PersonAppeal {
                id: r.try_get("id")?,
                received_on: r.try_get("received_on")?,
                channel: r.try_get("channel")?,
                status: r.try_get("status")?,
                text: r.try_get("text")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;

        // Other records' history holding her record ids is hers too, as the erasure finds it.
        let who = Person::of(&contact).with_records(&own);
        let linked = Linked::of(&mut tx, id).await?;
        let found = mentions::find(&mut tx, &who, &linked.all(), &own).await?;
        // Initiatives whose initiator's name is hers, though no record links them to her.
        let mut by_name: Vec<Id> = found
            .iter()
            .filter(|m| m.source.table == "initiatives")
            .filter(|m| m.columns.iter().any(|(c, before, _)| *c == "initiator_name" && who.named_in_full(before)))
            .filter_map(|m| m.owner.map(|(_, id)| id))
            .filter(|i| !linked.initiatives.contains(i))
            .collect();
        by_name.dedup();
        let mut initiatives = Vec::new();
        for (ids, by_record) in [(&linked.initiatives, true), (&by_name, false)] {
            for initiative in ids {
                let r = sqlx::query(
                    "SELECT id, title, year, stage, initiator_kind, initiator_name FROM initiatives WHERE id = ?",
                )
                .bind(initiative)
                .fetch_one(&mut *tx)
                .await?;
                initiatives.push(PersonInitiative {
                    id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    year: r.try_get("year")?,
                    stage: r.try_get("stage")?,
                    initiator_kind: r.try_get("initiator_kind")?,
                    initiator_name: r.try_get("initiator_name")?,
                    by_record,
                });
            }
        }
        tx.commit().await?;
        initiatives.sort_by(|a, b| (!a.by_record, a.year, &a.title).cmp(&(!b.by_record, b.year, &b.title)));

        let mentions = found
            .into_iter()
            .flat_map(|m| {
                let (entity, record_id) = m.owner.map_or((None, None), |(e, id)| (Some(e), Some(id)));
                let label = m.label;
                m.columns.into_iter().map(move |(column, before, _)| PersonMention {
                    entity,
                    id: record_id,
                    record: label.clone(),
                    field: column_label(column).to_string(),
                    text: before,
                })
            })
            .collect();
        Ok(PersonData { territory, events, initiatives, appeals, attachments, history, mentions, contact })
    }
}
