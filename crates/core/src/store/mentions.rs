//! Where a person is mentioned in the office's free text — minutes, descriptions, notes, file
//! names, other records' change history — found for their export and redacted when they are
//! erased. The database picks the candidate rows (linked to the person, or holding a substring
//! of their name, phones or e-mails); [`Person`] decides.

use serde_json::Value;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use super::push_in;
use crate::error::{Entity, Result};
use crate::model::Id;
use crate::redact::Person;
use crate::text::fold;

/// How a table's rows are addressed for an update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    Rowid,
    /// A `WITHOUT ROWID` table's primary key: an id column and a text column.
    Pair(&'static str, &'static str),
}

/// A table whose free text may mention a person.
#[derive(Debug)]
pub(crate) struct Source {
    pub table: &'static str,
    columns: &'static [&'static str],
    /// The column holds JSON (the history's changes): its strings are redacted.
    json: bool,
    /// SQL for the record the row belongs to: its entity code and its id.
    owner: (&'static str, &'static str),
    /// SQL for the owner's title, for the export.
    label: &'static str,
    key: Key,
}

const HISTORY_LABEL: &str = "coalesce((SELECT title FROM initiatives x WHERE x.id = history.entity_id),
    (SELECT title FROM events x WHERE x.id = history.entity_id),
    (SELECT display_name FROM contacts x WHERE x.id = history.entity_id),
    (SELECT 'обращение от ' || received_on FROM appeals x WHERE x.id = history.entity_id), '')";

const SOURCES: [Source; 10] = [
    Source {
        table: "initiatives",
        columns: &["title", "description", "initiator_name", "contractor", "results"],
        json: false,
        owner: ("'initiative'", "id"),
        label: "title",
        key: Key::Rowid,
    },
    Source {
        table: "events",
        columns: &["title", "place", "outcome", "minutes"],
        json: false,
        owner: ("'event'", "id"),
        label: "title",
        key: Key::Rowid,
    },
    Source {
        table: "appeals",
        columns: &["text"],
        json: false,
        owner: ("'appeal'", "id"),
        label: "'обращение от ' || received_on",
        key: Key::Rowid,
    },
    Source {
        table: "contacts",
        columns: &["org_name", "position", "address", "notes"],
        json: false,
        owner: ("'contact'", "id"),
        label: "display_name",
        key: Key::Rowid,
    },
    Source {
        table: "stage_changes",
        columns: &["note"],
        json: false,
        owner: ("'initiative'", "initiative_id"),
        label: "(SELECT title FROM initiatives x WHERE x.id = stage_changes.initiative_id)",
        key: Key::Rowid,
    },
    Source {
        table: "budget_lines",
        columns: &["note"],
        json: false,
        owner: ("'initiative'", "initiative_id"),
        label: "(SELECT title FROM initiatives x WHERE x.id = budget_lines.initiative_id)",
        key: Key::Pair("initiative_id", "source"),
    },
    Source {
        table: "attachments",
        columns: &["file_name"],
        json: false,
        owner: ("owner_entity", "owner_id"),
        label: "file_name",
        key: Key::Rowid,
    },
    Source {
        table: "consents",
        columns: &["purpose"],
        json: false,
        owner: ("'contact'", "contact_id"),
        label: "(SELECT display_name FROM contacts x WHERE x.id = consents.contact_id)",
        key: Key::Rowid,
    },
    Source {
        table: "contact_tags",
        columns: &["tag"],
        json: false,
        owner: ("'contact'", "contact_id"),
        label: "(SELECT display_name FROM contacts x WHERE x.id = contact_tags.contact_id)",
        key: Key::Pair("contact_id", "tag"),
    },
    Source {
        table: "history",
        columns: &["changes"],
        json: true,
        owner: ("entity", "entity_id"),
        label: HISTORY_LABEL,
        key: Key::Rowid,
    },
];

/// Where a row is, to update it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum RowKey {
    Rowid(i64),
    Pair(Id, String),
}

/// One row that mentions the person, with its texts before and after redaction.
#[derive(Debug)]
pub(crate) struct Mention {
    pub source: &'static Source,
    key: RowKey,
    /// The record the row belongs to.
    pub owner: Option<(Entity, Id)>,
    /// The owner's title.
    pub label: String,
    /// (column, text before, text after) for each column that mentions the person; for a JSON
    /// column, "before" is the first string that held them.
    pub columns: Vec<(&'static str, String, String)>,
}

impl Source {
    /// Whether the rows are a change history rather than a record's own fields.
    pub(crate) fn is_history(&self) -> bool {
        self.json
    }
}

/// A column's name as a person reads it.
pub(crate) fn column_label(column: &str) -> &'static str {
    match column {
        "title" => "название",
        "description" => "описание",
        "initiator_name" => "инициатор",
        "contractor" => "подрядчик",
        "results" => "результаты",
        "place" => "место",
        "outcome" => "решения",
        "minutes" => "протокол",
        "text" => "текст",
        "org_name" => "организация",
        "position" => "должность",
        "address" => "адрес",
        "notes" => "заметки",
        "note" => "примечание",
        "file_name" => "имя файла",
        "purpose" => "цель обработки",
        "tag" => "метка",
        "changes" => "история изменений",
        _ => "поле",
    }
}

/// Every row mentioning `who`: rows belonging to a `linked` record (where the surname alone
/// counts) and rows holding one of their needles. Rows of the contacts in `skip` (the person's
/// own records and history, listed separately) are left out.
pub(crate) async fn find(
    conn: &mut SqliteConnection,
    who: &Person,
    linked: &[Id],
    skip: &[Id],
) -> Result<Vec<Mention>> {
    let mut found = Vec::new();
    for source in &SOURCES {
        let (entity, owner) = source.owner;
        let mut qb = QueryBuilder::<Sqlite>::new("SELECT ");
        match source.key {
            Key::Rowid => qb.push("rowid AS k1, NULL AS k2"),
            Key::Pair(a, b) => qb.push(format!("{a} AS k1, {b} AS k2")),
        };
        qb.push(format!(", {entity} AS owner_entity, {owner} AS owner_id, coalesce({}, '') AS label", source.label));
        for c in source.columns {
            qb.push(format!(", {c}"));
        }
        qb.push(format!(" FROM {} WHERE (0", source.table));
        if !linked.is_empty() {
            push_in(&mut qb, &format!(" OR {owner}"), Some(linked));
        }
        for c in source.columns {
            // Names as written; e-mails in any case.
            let lower = format!("lower({c})");
            for (text, needles) in [(*c, who.needles()), (lower.as_str(), who.lowercase_needles())] {
                for n in needles {
                    qb.push(format!(" OR instr({text}, ")).push_bind(n.clone()).push(") > 0");
                }
            }
        }
        qb.push(")");
        if !skip.is_empty() {
            push_in(&mut qb, &format!(" AND NOT ({entity} = 'contact' AND {owner}"), Some(skip));
            qb.push(")");
        }
        for row in qb.build().fetch_all(&mut *conn).await? {
            let owner_id: Option<Id> = row.try_get("owner_id")?;
            let owner_entity: Option<String> = row.try_get("owner_entity")?;
            let owner = owner_entity.as_deref().and_then(Entity::parse).zip(owner_id);
            let texts: Vec<String> = source
                .columns
                .iter()
                .map(|c| row.try_get::<Option<String>, _>(*c).map(Option::unwrap_or_default))
                .collect::<std::result::Result<_, _>>()?;
            let columns = redact_row(source, who, owner_id.is_some_and(|id| linked.contains(&id)), &texts);
            if columns.is_empty() {
                continue;
            }
            let key = match source.key {
                Key::Rowid => RowKey::Rowid(row.try_get("k1")?),
                Key::Pair(..) => RowKey::Pair(row.try_get("k1")?, row.try_get("k2")?),
            };
            found.push(Mention { source, key, owner, label: row.try_get("label")?, columns });
        }
    }
    Ok(found)
}

/// The row's texts redacted: (column, before, after) for each that changed. A row is about the
/// person when it is linked to them or names them in full anywhere.
fn redact_row(source: &Source, who: &Person, linked: bool, texts: &[String]) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    if source.json {
        for (column, text) in source.columns.iter().zip(texts) {
            let Ok(mut value) = serde_json::from_str::<Value>(text) else { continue };
            let about = linked || who.json_named_in_full(&value);
            let before = who.redact_json(&mut value, about);
            if let Some(first) = before.into_iter().next() {
                out.push((*column, first, value.to_string()));
            }
        }
        return out;
    }
    let about = linked || texts.iter().any(|t| who.named_in_full(t));
    for (column, text) in source.columns.iter().zip(texts) {
        if let Some(after) = who.redact(text, about) {
            out.push((*column, text.clone(), after));
        }
    }
    out
}

/// Writes the redacted texts back. A redacted title re-sorts its record.
pub(crate) async fn redact(conn: &mut SqliteConnection, mentions: &[Mention]) -> Result<()> {
    for m in mentions {
        let verb = if m.source.table == "contact_tags" { "UPDATE OR REPLACE" } else { "UPDATE" };
        let mut qb = QueryBuilder::<Sqlite>::new(format!("{verb} {} SET ", m.source.table));
        let mut set = qb.separated(", ");
        for (column, _, after) in &m.columns {
            set.push(format!("{column} = ")).push_bind_unseparated(after.clone());
            if *column == "title" && matches!(m.source.table, "initiatives" | "events") {
                set.push("sort_key = ").push_bind_unseparated(fold(after));
            }
            // An organisation is listed, sorted and found by its name («ИП Семёнова А. П.»).
            if *column == "org_name" && m.source.table == "contacts" {
                let organisation = "CASE kind WHEN 'organisation' THEN ";
                let name = after.trim().to_string();
                set.push(format!("sort_key = {organisation}"))
                    .push_bind_unseparated(fold(&name))
                    .push_unseparated(" ELSE sort_key END");
                set.push(format!("display_name = {organisation}"))
                    .push_bind_unseparated(name)
                    .push_unseparated(" ELSE display_name END");
            }
        }
        match &m.key {
            RowKey::Rowid(rowid) => {
                qb.push(" WHERE rowid = ").push_bind(*rowid);
            }
            RowKey::Pair(id, text) => {
                let Key::Pair(a, b) = m.source.key else { continue };
                qb.push(format!(" WHERE {a} = ")).push_bind(*id).push(format!(" AND {b} = ")).push_bind(text.clone());
            }
        }
        qb.build().execute(&mut *conn).await?;
        // A shared server holds its own copy of a history entry: it is sent the redacted one.
        if let ("history", RowKey::Rowid(rowid)) = (m.source.table, &m.key) {
            sqlx::query("INSERT OR IGNORE INTO sync_redacted(id) SELECT id FROM history WHERE rowid = ?")
                .bind(*rowid)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}
