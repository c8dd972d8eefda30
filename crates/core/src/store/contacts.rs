//! Contacts: residents, elders, TOS leaders, businesses — and their consent (152-ФЗ).

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use super::bulk::{insert_rows, rows, write_contact_lists};
use super::page::{self, Cursor, Direction, Page, SortValue};
use super::{Query, Store, bump_stamp, delete_in, delete_record, exists, history, stamp_from, update_sql};
use crate::error::{Entity, Error, Problems, Result};
use crate::model::{
    AttendeeRole, Consent, ConsentInput, Contact, ContactInput, ContactKind, EventKind, Id, Role, Stage,
};
use crate::text::fold;

/// How the contacts list is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ContactSort {
    /// By name.
    #[default]
    Name,
    /// By last change.
    Updated,
}

/// Filters, sort and position for the contacts list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct ContactQuery {
    /// Only this role.
    pub role: Option<Role>,
    /// Only this territory and what lies within it.
    pub territory_id: Option<Id>,
    /// Only people whose consent is in force on this day (organisations always pass).
    pub consent_on: Option<NaiveDate>,
    /// Only those matching this text.
    pub text: Option<String>,
    /// Sort column.
    pub sort: ContactSort,
    /// Sort direction.
    pub direction: Direction,
    /// Start after this position.
    pub after: Option<Cursor>,
    /// Rows per page (at most 500).
    pub limit: u32,
}

/// A row of the contacts list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactRow {
    /// Id.
    pub id: Id,
    /// Person or organisation.
    pub kind: ContactKind,
    /// Name.
    pub display_name: String,
    /// Organisation.
    pub org_name: String,
    /// Territory's name.
    pub territory_name: Option<String>,
    /// First phone.
    pub phone: Option<String>,
    /// Roles, comma-separated codes.
    pub roles: Vec<Role>,
    /// Last change, ms.
    pub updated_at: i64,
}

/// An initiative a contact took part in: put it forward, or attended an event about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactInitiative {
    /// The initiative.
    pub id: Id,
    /// Its title.
    pub title: String,
    /// Its year.
    pub year: i32,
    /// Its stage.
    pub stage: Stage,
    /// True if the contact put it forward (is its initiator).
    pub initiator: bool,
}

/// An event a contact attended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactEvent {
    /// The event.
    pub id: Id,
    /// Its title.
    pub title: String,
    /// When it started.
    pub starts_at: NaiveDateTime,
    /// What kind of event.
    pub kind: EventKind,
    /// The contact's part in it.
    pub role: AttendeeRole,
}

/// What a contact took part in: the initiatives they put forward and the events they attended,
/// newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactActivity {
    /// Initiatives with this contact as initiator.
    pub initiatives: Vec<ContactInitiative>,
    /// Events this contact attended by name.
    pub events: Vec<ContactEvent>,
}

impl Store {
    /// Adds a contact; phones and e-mails are normalised.
    pub async fn create_contact(&self, mut input: ContactInput) -> Result<Contact> {
        let mut tx = self.begin().await?;
        check_contact(&mut tx, &mut input).await?;
        let id = self.new_id();
        insert_rows(&mut tx, vec![rows::Contact::of(id, &input, self.made())]).await?;
        write_contact_lists(&mut tx, &[(id, &input)]).await?;
        history::record(
            self,
            &mut tx,
            Entity::Contact,
            id,
            history::Op::Create,
            history::created(&serde_json::to_value(&input).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        self.contact(id).await
    }

    /// Changes a contact; `rev` is the revision the caller last saw.
    pub async fn update_contact(&self, id: Id, rev: i64, input: ContactInput) -> Result<Contact> {
        let old = self.contact(id).await?;
        let mut tx = self.begin().await?;
        self.rewrite_contact(&mut tx, id, rev, &old.input, input, None).await?;
        tx.commit().await?;
        self.contact(id).await
    }

    /// Merges `duplicate` into `keep` — the same person entered twice, say by an import — in one
    /// transaction: `keep`'s fields stay and its empty ones are filled from the duplicate; roles,
    /// phones, e-mails and tags are joined; the duplicate's consents, attendance, initiatives it
    /// put forward, appeals and files pass to `keep`; the duplicate is deleted, leaving a
    /// tombstone and a history entry that names the contact it went into. Events' headcounts do
    /// not change. `keep_rev` is the revision of `keep` the caller last saw.
    pub async fn merge_contacts(&self, keep: Id, keep_rev: i64, duplicate: Id) -> Result<Contact> {
        if keep == duplicate {
            return Err(Error::refused(
                "контакт нельзя объединить с самим собой",
                "a contact cannot be merged with itself",
            ));
        }
        let kept = self.contact(keep).await?;
        let dup = self.contact(duplicate).await?;
        if kept.input.kind != dup.input.kind {
            return Err(Error::refused(
                "человека и организацию объединить нельзя",
                "a person and an organisation cannot be merged",
            ));
        }
        let merged = merged_input(&kept.input, &dup.input);
        let mut tx = self.begin().await?;
        let from = serde_json::json!({ "id": duplicate, "name": dup.display_name });
        self.rewrite_contact(&mut tx, keep, keep_rev, &kept.input, merged, Some(from)).await?;
        for sql in [
            "UPDATE consents SET contact_id = ?1 WHERE contact_id = ?2",
            // Both attended: the kept contact's attendance (and role) stays.
            "UPDATE OR IGNORE event_attendees SET contact_id = ?1 WHERE contact_id = ?2",
            "DELETE FROM event_attendees WHERE contact_id = ?2",
            "UPDATE initiatives SET initiator_contact_id = ?1 WHERE initiator_contact_id = ?2",
            "UPDATE appeals SET author_contact_id = ?1 WHERE author_contact_id = ?2",
            "UPDATE attachments SET owner_id = ?1 WHERE owner_entity = 'contact' AND owner_id = ?2",
        ] {
            sqlx::query(sql).bind(keep).bind(duplicate).execute(&mut *tx).await?;
        }
        let mut gone = history::deleted(&serde_json::to_value(&dup.input).unwrap_or_default());
        if let Some(changes) = gone.as_object_mut() {
            changes
                .insert("merged_into".into(), serde_json::json!({ "new": { "id": keep, "name": kept.display_name } }));
        }
        delete_in(self, &mut tx, Entity::Contact, duplicate, gone).await?;
        tx.commit().await?;
        self.contact(keep).await
    }

    /// Writes `input` over contact `id` (last seen at `rev`, holding `old`) and records what
    /// changed; `merged_from` notes a contact merged into it.
    async fn rewrite_contact(
        &self,
        tx: &mut SqliteConnection,
        id: Id,
        rev: i64,
        old: &ContactInput,
        mut input: ContactInput,
        merged_from: Option<serde_json::Value>,
    ) -> Result<()> {
        check_contact(tx, &mut input).await?;
        bump_stamp(self, tx, Entity::Contact, id, rev).await?;
        write_fields(tx, id, &input).await?;
        let mut changes = history::diff(
            &serde_json::to_value(old).unwrap_or_default(),
            &serde_json::to_value(&input).unwrap_or_default(),
        );
        if let Some(from) = merged_from {
            let all = changes.get_or_insert_with(|| serde_json::json!({}));
            if let Some(all) = all.as_object_mut() {
                all.insert("merged_from".into(), serde_json::json!({ "new": from }));
            }
        }
        if let Some(changes) = changes {
            history::record(self, tx, Entity::Contact, id, history::Op::Update, changes).await?;
        }
        Ok(())
    }

    /// Deletes a contact (their attendance goes too; events keep their headcount).
    pub async fn delete_contact(&self, id: Id) -> Result<()> {
        let old = self.contact(id).await?;
        delete_record(self, Entity::Contact, id, serde_json::to_value(&old.input).unwrap_or_default()).await
    }

    /// The initiatives a contact put forward and the events they attended, at most `limit` of
    /// each, newest first.
    pub async fn contact_activity(&self, id: Id, limit: u32) -> Result<ContactActivity> {
        let mut conn = self.reader().acquire().await?;
        if !exists(&mut conn, Entity::Contact, id).await? {
            return Err(Error::not_found(Entity::Contact, id));
        }
        let initiatives = sqlx::query(
            "SELECT i.id, i.title, i.year, i.stage, i.initiator_contact_id IS ?1 AS initiator FROM initiatives i
             WHERE i.initiator_contact_id = ?1
                OR i.id IN (SELECT ei.initiative_id FROM event_attendees a
                            JOIN event_initiatives ei ON ei.event_id = a.event_id WHERE a.contact_id = ?1)
             ORDER BY i.year DESC, i.stage_on DESC, i.id DESC LIMIT ?2",
        )
        .bind(id)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(ContactInitiative {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                year: r.try_get("year")?,
                stage: r.try_get("stage")?,
                initiator: r.try_get("initiator")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let events = sqlx::query(
            "SELECT e.id, e.title, e.starts_at, e.kind, a.role FROM event_attendees a JOIN events e ON e.id = a.event_id
             WHERE a.contact_id = ? ORDER BY e.starts_at DESC, e.id DESC LIMIT ?",
        )
        .bind(id)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(ContactEvent {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                starts_at: r.try_get("starts_at")?,
                kind: r.try_get("kind")?,
                role: r.try_get("role")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        Ok(ContactActivity { initiatives, events })
    }

    /// One contact, with roles, phones, e-mails, tags and consents.
    pub async fn contact(&self, id: Id) -> Result<Contact> {
        let mut conn = self.reader().acquire().await?;
        contact_on(&mut conn, id).await
    }

    /// A page of contacts.
    pub async fn list_contacts(&self, q: &ContactQuery) -> Result<Page<ContactRow>> {
        let column = match q.sort {
            ContactSort::Name => "c.sort_key",
            ContactSort::Updated => "c.updated_at",
        };
        let mut count = QueryBuilder::<Sqlite>::new("");
        page::push_subtree_cte(&mut count, q.territory_id);
        count.push("SELECT count(*) FROM contacts c WHERE 1 = 1");
        push_filters(&mut count, q);
        let total: i64 = count.build_query_scalar().fetch_one(self.reader()).await?;

        let mut qb = QueryBuilder::<Sqlite>::new("");
        page::push_subtree_cte(&mut qb, q.territory_id);
        qb.push(
            "SELECT c.id, c.kind, c.display_name, c.sort_key, c.org_name, c.updated_at, t.name AS territory_name,
                    (SELECT min(phone) FROM contact_phones ph WHERE ph.contact_id = c.id) AS phone,
                    (SELECT group_concat(role) FROM contact_roles r WHERE r.contact_id = c.id) AS roles
             FROM contacts c LEFT JOIN territories t ON t.id = c.territory_id WHERE 1 = 1",
        );
        push_filters(&mut qb, q);
        page::push_after(&mut qb, column, "c.id", q.direction, q.after.as_ref())?;
        page::push_order(&mut qb, column, "c.id", q.direction, q.limit);
        let rows = qb.build().fetch_all(self.reader()).await?;
        let items = rows
            .iter()
            .map(|r| {
                let roles: Option<String> = r.try_get("roles")?;
                Ok((
                    ContactRow {
                        id: r.try_get("id")?,
                        kind: r.try_get("kind")?,
                        display_name: r.try_get("display_name")?,
                        org_name: r.try_get("org_name")?,
                        territory_name: r.try_get("territory_name")?,
                        phone: r.try_get("phone")?,
                        roles: roles.unwrap_or_default().split(',').filter_map(Role::parse).collect(),
                        updated_at: r.try_get("updated_at")?,
                    },
                    r.try_get::<String, _>("sort_key")?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let sort = q.sort;
        let page = page::finish(items, q.limit, total, |(row, sort_key)| {
            let key = match sort {
                ContactSort::Name => SortValue::Text(sort_key.clone()),
                ContactSort::Updated => SortValue::Int(row.updated_at),
            };
            (key, row.id)
        });
        Ok(Page { items: page.items.into_iter().map(|(row, _)| row).collect(), next: page.next, total: page.total })
    }
}

/// The columns a contact's editable fields are stored in, in the order [`bind_fields`] binds them.
/// Writes a stored contact's fields and lists (not its stamp, consents or history).
pub(crate) async fn write_fields(tx: &mut SqliteConnection, id: Id, input: &ContactInput) -> Result<()> {
    let name = input.display_name();
    bind_fields(sqlx::query(&update_sql("contacts", FIELDS)), input, &name).bind(id).execute(&mut *tx).await?;
    for table in ["contact_roles", "contact_phones", "contact_emails", "contact_tags"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE contact_id = ?")).bind(id).execute(&mut *tx).await?;
    }
    write_contact_lists(tx, &[(id, input)]).await
}

const FIELDS: &str = "kind, last_name, first_name, middle_name, org_name, position, display_name, sort_key, territory_id, address, notes";

/// Binds a contact's editable fields, in the order of [`FIELDS`]; insert and update share it.
fn bind_fields<'q>(q: Query<'q>, input: &'q ContactInput, name: &str) -> Query<'q> {
    q.bind(input.kind)
        .bind(&input.last_name)
        .bind(&input.first_name)
        .bind(&input.middle_name)
        .bind(&input.org_name)
        .bind(&input.position)
        .bind(name.to_string())
        .bind(fold(name))
        .bind(input.territory_id)
        .bind(&input.address)
        .bind(&input.notes)
}

/// `keep`'s fields, its empty ones filled from `dup`, notes of both, lists joined.
fn merged_input(keep: &ContactInput, dup: &ContactInput) -> ContactInput {
    fn fill(a: &str, b: &str) -> String {
        if a.trim().is_empty() { b.to_owned() } else { a.to_owned() }
    }
    fn join<T: Clone + PartialEq>(a: &[T], b: &[T]) -> Vec<T> {
        let mut out = a.to_vec();
        out.extend(b.iter().filter(|x| !a.contains(x)).cloned());
        out
    }
    let notes = match (keep.notes.trim(), dup.notes.trim()) {
        (a, b) if b.is_empty() || a == b => keep.notes.clone(),
        ("", _) => dup.notes.clone(),
        (a, b) => format!("{a}\n{b}"),
    };
    ContactInput {
        kind: keep.kind,
        last_name: fill(&keep.last_name, &dup.last_name),
        first_name: fill(&keep.first_name, &dup.first_name),
        middle_name: fill(&keep.middle_name, &dup.middle_name),
        org_name: fill(&keep.org_name, &dup.org_name),
        position: fill(&keep.position, &dup.position),
        territory_id: keep.territory_id.or(dup.territory_id),
        address: fill(&keep.address, &dup.address),
        notes,
        roles: join(&keep.roles, &dup.roles),
        phones: join(&keep.phones, &dup.phones),
        emails: join(&keep.emails, &dup.emails),
        tags: join(&keep.tags, &dup.tags),
    }
}

async fn check_contact(conn: &mut SqliteConnection, input: &mut ContactInput) -> Result<()> {
    let mut p = Problems::default();
    input.validate_and_normalize(&mut p);
    if let Some(t) = input.territory_id
        && !exists(conn, Entity::Territory, t).await?
    {
        p.push("territory_id", "территория не найдена", "unknown territory");
    }
    p.into_result()
}

fn push_filters(qb: &mut QueryBuilder<'_, Sqlite>, q: &ContactQuery) {
    if let Some(role) = q.role {
        qb.push(" AND c.id IN (SELECT contact_id FROM contact_roles WHERE role = ").push_bind(role.as_str()).push(")");
    }
    if q.territory_id.is_some() {
        qb.push(" AND c.territory_id IN sub");
    }
    if let Some(day) = q.consent_on {
        qb.push(" AND (c.kind = 'organisation' OR EXISTS (SELECT 1 FROM consents k WHERE k.contact_id = c.id AND k.given_on <= ")
            .push_bind(day)
            .push(" AND (k.withdrawn_on IS NULL OR k.withdrawn_on > ")
            .push_bind(day)
            .push(") AND (k.expires_on IS NULL OR k.expires_on >= ")
            .push_bind(day)
            .push(")))");
    }
    if let Some(m) = q.text.as_deref().and_then(super::search::match_expression) {
        qb.push(" AND c.rowid IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ").push_bind(m).push(")");
    }
}

/// [`Store::contact`] on `conn` (inside a transaction, as it stands there).
pub(crate) async fn contact_on(conn: &mut SqliteConnection, id: Id) -> Result<Contact> {
    let row = sqlx::query("SELECT * FROM contacts WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found(Entity::Contact, id))?;
    let roles: Vec<Role> = sqlx::query_scalar("SELECT role FROM contact_roles WHERE contact_id = ? ORDER BY role")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    let phones: Vec<String> =
        sqlx::query_scalar("SELECT phone FROM contact_phones WHERE contact_id = ? ORDER BY phone")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let emails: Vec<String> =
        sqlx::query_scalar("SELECT email FROM contact_emails WHERE contact_id = ? ORDER BY email")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let tags: Vec<String> = sqlx::query_scalar("SELECT tag FROM contact_tags WHERE contact_id = ? ORDER BY tag")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    let consents = sqlx::query("SELECT * FROM consents WHERE contact_id = ? ORDER BY given_on, id")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(Consent {
                id: r.try_get("id")?,
                input: ConsentInput {
                    purpose: r.try_get("purpose")?,
                    given_on: r.try_get("given_on")?,
                    method: r.try_get("method")?,
                    expires_on: r.try_get("expires_on")?,
                },
                withdrawn_on: r.try_get("withdrawn_on")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Contact {
        id,
        input: ContactInput {
            kind: row.try_get("kind")?,
            last_name: row.try_get("last_name")?,
            first_name: row.try_get("first_name")?,
            middle_name: row.try_get("middle_name")?,
            org_name: row.try_get("org_name")?,
            position: row.try_get("position")?,
            territory_id: row.try_get("territory_id")?,
            address: row.try_get("address")?,
            notes: row.try_get("notes")?,
            roles,
            phones,
            emails,
            tags,
        },
        display_name: row.try_get("display_name")?,
        consents,
        stamp: stamp_from(&row)?,
    })
}
