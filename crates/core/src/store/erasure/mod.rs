//! Erasing a person on request (152-ФЗ): their record and everything hanging off it goes, their
//! name, phones and e-mails are redacted from every other record's text and history, the search
//! index forgets them, the events keep their headcount — and an append-only log entry, holding no
//! personal data, lets the office print the act of destruction. A backup restored over the
//! office keeps the people erased since erased (`again`).

mod again;
mod log;
mod received;

pub(crate) use received::is_act;

use log::{insert_log, log_entry};

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::Datelike;
use serde_json::{Map, Value, json};
use sqlx::{Connection, SqliteConnection};

use super::contacts::contact_on;
use super::mentions::{self, Mention};
use super::person::{Linked, own_records, refuse_organisation};
use super::{Store, history, table_of};
use crate::error::{Entity, Error, ErrorCode, Problems, Result};
use crate::model::{
    Contact, ContactInput, ERASURE_METHOD, ErasureCounts, ErasureLogEntry, ErasureRecord, ErasureRequest, Id, Stamp,
};
use crate::redact::Person;

/// Under which act an erasure is done.
#[derive(Clone, Copy)]
enum Act<'a> {
    /// A new one, on this request.
    New(&'a ErasureRequest),
    /// One already in the log, done again (on a restored backup that predates it).
    Again(&'a ErasureLogEntry),
    /// A new one here, on another office's act that reached this one as the deletion of
    /// `record` (kept as it came, instead of a deletion of this office's own).
    Received(&'a ErasureRequest, Id),
}

impl Act<'_> {
    /// What the deletion of an erased record says of its act: the number and the request, no
    /// personal data.
    fn note(&self, act_number: &str) -> Value {
        let (number, on, reason, basis) = match self {
            Act::New(r) | Act::Received(r, _) => (&r.request_number, r.requested_on, &r.reason, r.basis),
            Act::Again(e) => (&e.request_number, e.requested_on, &e.reason, e.basis),
        };
        json!({
            "act": act_number,
            "request_number": number.trim(),
            "requested_on": on,
            "reason": reason.trim(),
            "basis": basis,
        })
    }
}

/// Tables whose planner samples (`sqlite_stat4`) may hold an erased person's values.
const SAMPLED: &str = "'contacts', 'contact_roles', 'contact_phones', 'contact_emails', 'contact_tags', 'consents',
    'event_attendees', 'attendance_counts', 'history', 'initiatives', 'events', 'appeals', 'attachments', 'stage_changes', 'budget_lines'";

impl Store {
    /// Erases person `id` on `request`, in one transaction: the contact goes with its roles,
    /// phones, e-mails, tags, consents and named attendance (events keep their headcount, so
    /// participant figures stay); initiatives they put forward lose the link and their name;
    /// appeals they wrote stay, without the author; files attached to them are unlisted; their
    /// own history is deleted; their name, phones and e-mails are redacted to «[удалено]»
    /// wherever other records' texts or history mention them, and the search index follows. A
    /// tombstone lets a sync spread the deletion, and the erasure log gets an entry — the act's
    /// number, the request, the categories destroyed and the counts — with no personal data.
    ///
    /// A contact deleted earlier is erased too: the copy of it its deletion left in the history
    /// gives the name, phones and e-mails to look for. So is the history of duplicates merged
    /// into the person's record, and other records' history loses the ids of both.
    ///
    /// Freed space in the file is overwritten with zeros (`secure_delete`) and the write-ahead
    /// log is emptied afterwards; [`Store::compact`] also rewrites the file.
    pub async fn erase_person(&self, id: Id, request: ErasureRequest) -> Result<ErasureRecord> {
        let mut p = Problems::default();
        request.validate(&mut p, self.clock().today());
        p.into_result()?;
        let (contact, present) =
            self.live_or_deleted(id).await?.ok_or_else(|| Error::not_found(Entity::Contact, id))?;
        refuse_organisation(&contact)?;
        self.erase_with(&contact, present, Act::New(&request)).await
    }

    /// Contact `id` and whether it is still there; one deleted earlier as its deletion left it
    /// in the history (see [`deleted_contact`]); `None` when neither.
    async fn live_or_deleted(&self, id: Id) -> Result<Option<(Contact, bool)>> {
        let mut conn = self.reader().acquire().await?;
        live_or_deleted(&mut conn, id).await
    }

    /// [`Store::erase_in`] with freed space overwritten, then the write-ahead log emptied.
    async fn erase_with(&self, contact: &Contact, present: bool, act: Act<'_>) -> Result<ErasureRecord> {
        let mut conn = self.writer().acquire().await?;
        let secure: i64 = sqlx::query_scalar("PRAGMA secure_delete").fetch_one(&mut *conn).await?;
        sqlx::query("PRAGMA secure_delete = ON").execute(&mut *conn).await?;
        let erased = self.erase_in(&mut conn, contact, present, act).await;
        sqlx::query(&format!("PRAGMA secure_delete = {secure}")).execute(&mut *conn).await?;
        let record = erased?;
        drop(conn);
        self.empty_wal_after_erasure().await?;
        Ok(record)
    }

    /// The write-ahead log still holds the pages as they were before an erasure: empties it into
    /// the file.
    pub(crate) async fn empty_wal_after_erasure(&self) -> Result<()> {
        let (busy, _, _): (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(self.writer()).await?;
        if busy != 0 {
            tracing::warn!("the write-ahead log could not be emptied after an erasure: a reader is busy");
        }
        Ok(())
    }

    async fn erase_in(
        &self,
        conn: &mut SqliteConnection,
        contact: &Contact,
        present: bool,
        act: Act<'_>,
    ) -> Result<ErasureRecord> {
        let id = contact.id;
        let mut tx = conn.begin().await?;
        // The name, phones and e-mails looked for are those read before the transaction began.
        let rev: Option<i64> =
            sqlx::query_scalar("SELECT rev FROM contacts WHERE id = ?").bind(id).fetch_optional(&mut *tx).await?;
        match (rev, present) {
            (None, true) => return Err(Error::not_found(Entity::Contact, id)),
            (Some(rev), true) if rev != contact.stamp.rev => return Err(Error::Conflict { entity: Entity::Contact }),
            (Some(_), false) => return Err(Error::Conflict { entity: Entity::Contact }),
            _ => {}
        }
        let own = own_records(&mut tx, id).await?;
        let who = Person::of(contact).with_records(&own);
        let linked = Linked::of(&mut tx, id).await?;
        let participants_before = headcount(&mut tx, &linked.events).await?;
        let mut counts = ErasureCounts { contacts: 1, ..Default::default() };
        for (table, count) in [
            ("contact_roles", &mut counts.roles),
            ("contact_phones", &mut counts.phones),
            ("contact_emails", &mut counts.emails),
            ("contact_tags", &mut counts.tags),
            ("consents", &mut counts.consents),
            ("event_attendees", &mut counts.attendances),
        ] {
            let sql = format!("SELECT count(*) FROM {table} WHERE contact_id = ?");
            *count = sqlx::query_scalar(&sql).bind(id).fetch_one(&mut *tx).await?;
        }

        // Files attached to the person: their rows go; content no record refers to any more is
        // reported so the files can be removed.
        // Hers, and those of the records merged into hers (at another office a merged record's
        // files may still name it).
        let mut attached: Vec<(Id, String)> = Vec::new();
        for record in &own {
            attached.extend(
                sqlx::query_as::<_, (Id, String)>(
                    "DELETE FROM attachments WHERE owner_entity = 'contact' AND owner_id = ? RETURNING id, sha256",
                )
                .bind(*record)
                .fetch_all(&mut *tx)
                .await?,
            );
        }
        counts.attachments = attached.len() as i64;
        // Their descriptions' history (her files' names) goes with them, and they are
        // remembered as erased below: no package brings them back.
        for (file, _) in &attached {
            counts.history_deleted += sqlx::query("DELETE FROM history WHERE entity_id = ? AND entity = 'attachment'")
                .bind(*file)
                .execute(&mut *tx)
                .await?
                .rows_affected() as i64;
        }
        let (attached, files): (Vec<Id>, Vec<String>) = attached.into_iter().unzip();
        // Her history, and that of the duplicates merged into her record.
        for record in &own {
            counts.history_deleted += sqlx::query("DELETE FROM history WHERE entity_id = ? AND entity = 'contact'")
                .bind(*record)
                .execute(&mut *tx)
                .await?
                .rows_affected() as i64;
        }
        // Roles, phones, e-mails, tags, consents and attendance go by cascade; initiatives and
        // appeals lose the link (ON DELETE SET NULL); the search index row by trigger. A contact
        // deleted earlier has its tombstone already.
        if present {
            sqlx::query("DELETE FROM contacts WHERE id = ?").bind(id).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO tombstones(id, entity, deleted_at, device) VALUES (?, 'contact', ?, ?)")
                .bind(id)
                .bind(self.now_ms())
                .bind(self.device())
                .execute(&mut *tx)
                .await?;
        }

        let found = mentions::find(&mut tx, &who, &linked.all(), &[]).await?;
        mentions::redact(&mut tx, &found).await?;
        // An organisation named after her (her business, «ИП Семёнова А. П.») loses her phones and
        // e-mails too; anyone else's stay theirs (a family shares a landline).
        let mut lists_changed: Vec<(Id, &'static str)> = Vec::new();
        for m in found.iter().filter(|m| m.source.table == "contacts") {
            let Some((_, other)) = m.owner else { continue };
            if !m.columns.iter().any(|(column, before, _)| *column == "org_name" && who.named_in_full(before)) {
                continue;
            }
            for (table, column, field, values) in [
                ("contact_phones", "phone", "phones", &contact.input.phones),
                ("contact_emails", "email", "emails", &contact.input.emails),
            ] {
                for value in values {
                    let sql = format!(
                        "DELETE FROM {table} WHERE contact_id = ?1 AND {column} = ?2
                         AND (SELECT kind FROM contacts WHERE id = ?1) = 'organisation'"
                    );
                    let done = sqlx::query(&sql).bind(other).bind(value).execute(&mut *tx).await?;
                    if done.rows_affected() > 0 {
                        lists_changed.push((other, field));
                    }
                }
            }
        }
        let participants_after = headcount(&mut tx, &linked.events).await?;
        if participants_after != participants_before {
            return Err(Error::refused(
                "уничтожение отменено: изменилось бы число участников мероприятий",
                "the erasure is cancelled: it would change the events' participant figures",
            ));
        }

        let today = self.clock().today();
        // A new act takes the next number of the year; one done again keeps its own.
        let (act_number, act_year, act_seq) = match act {
            Act::Again(entry) => (entry.act_number.clone(), 0, 0),
            Act::New(_) | Act::Received(..) => {
                let act_year = today.year();
                let act_seq: i64 =
                    sqlx::query_scalar("SELECT coalesce(max(act_seq), 0) + 1 FROM erasure_log WHERE act_year = ?")
                        .bind(act_year)
                        .fetch_one(&mut *tx)
                        .await?;
                (format!("{act_seq}/{act_year}"), act_year, act_seq)
            }
        };

        // No change to her record, from another office's package or a replica that has not
        // heard of the erasure yet, is ever applied here again.
        for record in own.iter().chain(&attached) {
            self.remember_erased(&mut tx, *record, &act_number).await?;
        }

        // Every record whose fields changed gets a new revision and a history entry naming the
        // act and the fields, never the values.
        let mut changed = Changed::new();
        for initiative in &linked.initiatives {
            changed
                .entry((Entity::Initiative.as_str(), *initiative))
                .or_insert((Entity::Initiative, vec![]))
                .1
                .push("initiator");
        }
        for appeal in &linked.appeals {
            changed
                .entry((Entity::Appeal.as_str(), *appeal))
                .or_insert((Entity::Appeal, vec![]))
                .1
                .push("author_contact_id");
        }
        for m in found.iter().filter(|m| !m.source.is_history()) {
            if let Some((entity, record)) = m.owner {
                let fields = &mut changed.entry((entity.as_str(), record)).or_insert((entity, vec![])).1;
                fields.extend(m.columns.iter().map(|(c, _, _)| *c));
            }
        }
        for (record, field) in lists_changed {
            changed.entry((Entity::Contact.as_str(), record)).or_insert((Entity::Contact, vec![])).1.push(field);
        }
        for ((_, record), (entity, fields)) in &mut changed {
            fields.sort_unstable();
            fields.dedup();
            let table = table_of(*entity);
            if matches!(entity, Entity::Initiative | Entity::Event | Entity::Appeal | Entity::Contact) {
                let sql = format!("UPDATE {table} SET updated_at = ?, updated_by = ?, rev = rev + 1 WHERE id = ?");
                sqlx::query(&sql).bind(self.now_ms()).bind(self.device()).bind(*record).execute(&mut *tx).await?;
            }
            let changes = json!({ "erasure": { "new": { "act": act_number, "fields": fields } } });
            history::record(self, &mut tx, *entity, *record, history::Op::Update, changes).await?;
        }
        count_changes(&mut counts, &found, &changed);
        let categories = categories(contact, &counts, &linked, &found);
        // Her record, and each duplicate merged into it, is recorded as erased under the act: a
        // backup restored later, made before the erasure (or before the merge), loses them again.
        // The deletion names the act and its request, so another office that receives it erases
        // the person again (`received`).
        for record in &own {
            if matches!(act, Act::Received(_, came) if came == *record) {
                continue;
            }
            let changes = json!({ "erasure": { "new": act.note(&act_number) } });
            history::record(self, &mut tx, Entity::Contact, *record, history::Op::Delete, changes).await?;
        }

        // The search indexes drop every stale segment, and the planner's samples of the tables
        // touched go (`ANALYZE` or `PRAGMA optimize` gathers new ones).
        for fts in ["contacts_fts", "initiatives_fts", "events_fts"] {
            sqlx::query(&format!("INSERT INTO {fts}({fts}) VALUES ('optimize')")).execute(&mut *tx).await?;
        }
        let stat4: bool = sqlx::query_scalar("SELECT count(*) > 0 FROM sqlite_master WHERE name = 'sqlite_stat4'")
            .fetch_one(&mut *tx)
            .await?;
        if stat4 {
            sqlx::query(&format!("DELETE FROM sqlite_stat4 WHERE tbl IN ({SAMPLED})")).execute(&mut *tx).await?;
        }

        let log = match act {
            Act::Again(entry) => entry.clone(),
            Act::New(request) | Act::Received(request, _) => {
                let log = ErasureLogEntry {
                    id: self.new_id(),
                    act_number,
                    erased_at: self.now_ms(),
                    erased_on: today,
                    actor: self.actor().to_string(),
                    device: self.device().to_string(),
                    request_number: request.request_number.trim().to_string(),
                    requested_on: request.requested_on,
                    reason: request.reason.trim().to_string(),
                    basis: request.basis,
                    categories,
                    method: ERASURE_METHOD.to_string(),
                    counts,
                };
                insert_log(&mut tx, &log, act_year, act_seq).await?;
                log
            }
        };
        let mut unreferenced_files = Vec::new();
        for sha in files {
            let used: bool = sqlx::query_scalar("SELECT count(*) > 0 FROM attachments WHERE sha256 = ?")
                .bind(&sha)
                .fetch_one(&mut *tx)
                .await?;
            if !used && !unreferenced_files.contains(&sha) {
                unreferenced_files.push(sha);
            }
        }
        tx.commit().await?;
        Ok(ErasureRecord { log, unreferenced_files })
    }

    /// Rewrites the database file without its free space (`VACUUM`) and empties the write-ahead
    /// log, so that nothing deleted lingers in either. Takes a while on a large office and waits
    /// for readers to finish.
    pub async fn compact(&self) -> Result<()> {
        let mut conn = self.writer().acquire().await?;
        for sql in ["PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"] {
            sqlx::query(sql).execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// Removes from the files folder the content of `hashes` that no attachment refers to any
    /// more (as [`ErasureRecord::unreferenced_files`] lists them); returns the files removed.
    pub async fn remove_unreferenced_files(&self, hashes: &[String]) -> Result<Vec<PathBuf>> {
        let mut removed = Vec::new();
        for sha in hashes {
            if !super::attachments::is_sha256(sha) {
                continue;
            }
            let used: bool = sqlx::query_scalar("SELECT count(*) > 0 FROM attachments WHERE sha256 = ?")
                .bind(sha)
                .fetch_one(self.reader())
                .await?;
            let path = self.attachment_path(sha);
            if used || !path.exists() {
                continue;
            }
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            removed.push(path);
        }
        Ok(removed)
    }
}

/// Everyone who took part in `events`, named or anonymous.
async fn headcount(conn: &mut SqliteConnection, events: &[Id]) -> Result<i64> {
    let list = vec!["?"; events.len()].join(", ");
    let sql = format!("SELECT coalesce(sum(headcount), 0) FROM events WHERE id IN ({list})");
    let mut q = sqlx::query_scalar::<_, i64>(&sql);
    for e in events {
        q = q.bind(*e);
    }
    Ok(q.fetch_one(conn).await?)
}

/// The records an erasure changes, by (entity code, id): the entity and the fields changed.
type Changed<'a> = BTreeMap<(&'static str, Id), (Entity, Vec<&'a str>)>;

/// Fills the counts of records changed, by kind.
fn count_changes(counts: &mut ErasureCounts, found: &[Mention], changed: &Changed<'_>) {
    for (entity, _) in changed.values() {
        match entity {
            Entity::Initiative => counts.initiatives_changed += 1,
            Entity::Event => counts.events_changed += 1,
            Entity::Appeal => counts.appeals_changed += 1,
            Entity::Contact => counts.contacts_changed += 1,
            _ => {}
        }
    }
    for m in found {
        match m.source.table {
            "history" => counts.history_redacted += 1,
            "initiatives" | "events" | "appeals" | "contacts" => {}
            _ => counts.other_rows_changed += 1,
        }
    }
}

/// The categories of personal data destroyed, as the act lists them.
fn categories(contact: &Contact, counts: &ErasureCounts, linked: &Linked, found: &[Mention]) -> Vec<String> {
    let c = &contact.input;
    let initiator = !linked.initiatives.is_empty()
        || found
            .iter()
            .any(|m| m.source.table == "initiatives" && m.columns.iter().any(|(c, _, _)| *c == "initiator_name"));
    let mentioned = found.iter().any(|m| m.columns.iter().any(|(c, _, _)| *c != "initiator_name"));
    let mut out = vec!["фамилия, имя, отчество"];
    let has = |s: &str| !s.trim().is_empty();
    for (present, category) in [
        (counts.phones > 0, "номера телефонов"),
        (counts.emails > 0, "адреса электронной почты"),
        (has(&c.address), "почтовый адрес"),
        (c.territory_id.is_some(), "населённый пункт (территория)"),
        (has(&c.org_name) || has(&c.position), "место работы и должность"),
        (counts.roles > 0, "роли во взаимодействии с проектным офисом (житель, староста и т. п.)"),
        (counts.tags > 0, "метки"),
        (has(&c.notes), "заметки"),
        (counts.consents > 0, "сведения о согласиях на обработку персональных данных"),
        (counts.attendances > 0, "сведения об участии в мероприятиях"),
        (initiator, "сведения об инициировании проектов"),
        (!linked.appeals.is_empty(), "сведения об авторстве обращений"),
        (counts.attachments > 0, "прикреплённые файлы"),
        (counts.history_deleted > 0, "история изменений записи о субъекте"),
        (mentioned, "упоминания имени, телефонов, адресов эл. почты в других записях и их истории"),
    ] {
        if present {
            out.push(category);
        }
    }
    debug_assert!(
        out.iter().all(|c| crate::model::ERASURE_CATEGORIES.iter().any(|(ru, _)| ru == c)),
        "every category has its English words: {out:?}"
    );
    out.into_iter().map(str::to_string).collect()
}

/// Contact `id` and whether it is still there; one deleted earlier as its deletion left it in the
/// history (see [`deleted_contact`]); `None` when neither.
async fn live_or_deleted(conn: &mut SqliteConnection, id: Id) -> Result<Option<(Contact, bool)>> {
    match contact_on(conn, id).await {
        Ok(contact) => Ok(Some((contact, true))),
        Err(e) if e.code() == ErrorCode::NotFound => Ok(deleted_contact(conn, id).await?.map(|c| (c, false))),
        Err(e) => Err(e),
    }
}

/// A contact deleted earlier, as the history's copy of it shows; `None` when there is none
/// (or it was erased already). One merged into another contact is refused: that one holds the
/// person now.
async fn deleted_contact(conn: &mut SqliteConnection, id: Id) -> Result<Option<Contact>> {
    let changes: Option<String> = sqlx::query_scalar(
        "SELECT h.changes FROM history h JOIN tombstones t ON t.id = h.entity_id
         WHERE h.entity_id = ? AND h.entity = 'contact' AND h.op = 'delete' ORDER BY h.at DESC, h.rowid DESC LIMIT 1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(changes) = changes.and_then(|c| serde_json::from_str::<Value>(&c).ok()) else { return Ok(None) };
    if changes.get("erasure").is_some() {
        return Ok(None);
    }
    if let Some(into) = changes.pointer("/merged_into/new/name").and_then(Value::as_str) {
        return Err(Error::refused(
            format!("этот контакт объединён с контактом «{into}»: уничтожьте данные того контакта"),
            format!("this contact was merged into «{into}»: erase that contact's data"),
        ));
    }
    let fields = changes.as_object().into_iter().flatten();
    let old: Map<String, Value> = fields.filter_map(|(k, v)| Some((k.clone(), v.get("old")?.clone()))).collect();
    let Ok(input) = serde_json::from_value::<ContactInput>(Value::Object(old)) else { return Ok(None) };
    let stamp = Stamp { created_at: 0, updated_at: 0, updated_by: String::new(), rev: 0 };
    Ok(Some(Contact { id, display_name: input.display_name(), input, consents: vec![], stamp }))
}
