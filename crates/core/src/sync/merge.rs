//! The merge rule, as a pure function of a record's change entries.
//!
//! A record's state on every replica is the fold of the entries it holds for it, taken in clock
//! order (`hlc`, then replica id, then entry id): replicas holding the same entries hold the same
//! record, whatever order the entries arrived in.
//!
//! - **A field:** the latest clock wins. When the entry that wins had not seen the value it
//!   replaces (its `old` is not that value) and both values differ, the two were concurrent: the
//!   replaced value is kept in the conflicts journal as the one that lost.
//! - **A set-like field** (phones, e-mails, tags, roles, attendees, linked initiatives, budget
//!   lines by source, population by year): each entry adds what it added and removes what it
//!   removed, element by element (an element is named by its key: the source of a budget line,
//!   the contact of an attendee, the year of a population figure). A concurrent addition
//!   survives another replica's removal of something else; two replicas changing the same
//!   element are a conflict like a field's.
//! - **A delete** wins over every edit: an edit with a later clock than the delete was made by a
//!   replica that had not seen it, and it is journaled as lost (`deleted`) instead of bringing
//!   the record back. Ids are never used twice, so nothing can re-create a deleted record.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::Entity;
use crate::model::Id;
use crate::store::Op;

/// One change to one record, as the history keeps it and packages carry it. Its body is read
/// (`Value`) to be merged, or left as the history's text (`Box<RawValue>`) to be sent on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change<B = Value> {
    /// The history entry's id: the same on every replica, so a change is stored once.
    pub id: Id,
    /// The kind of record.
    pub entity: Entity,
    /// The record.
    pub entity_id: Id,
    /// What happened.
    pub op: Op,
    /// Wall time on the replica that made it, ms since the epoch (for people; order is `hlc`).
    pub at: i64,
    /// The replica that made it (its device id).
    pub replica: String,
    /// The person who made it.
    pub actor: String,
    /// Its hybrid logical clock.
    pub hlc: i64,
    /// `{field: {"old": …, "new": …}}`.
    pub changes: B,
}

/// A change whose body is left as the history's text: what a package is written from and
/// loaded as.
pub type RawChange = Change<Box<RawValue>>;

/// A change's body, read (`Value`) or left as the history's text (`Box<RawValue>`).
pub trait Body: Sized + Send + Sync {
    /// The new value the body gives `field`, if it gives one.
    fn new_of(&self, field: &str) -> Option<Value>;
    /// Whether it gives no field, only where its record came from (`source`): a create written
    /// bare, as the demo generator writes them.
    fn is_bare(&self) -> bool;
    /// A body of `value`.
    fn of(value: Value) -> Self;
    /// The body as the history keeps it.
    fn text(&self) -> Cow<'_, str>;
    /// `change` with its body read.
    fn read(change: &Change<Self>) -> Cow<'_, Change>;
}

impl Body for Value {
    fn new_of(&self, field: &str) -> Option<Value> {
        self.get(field)?.get("new").cloned()
    }

    fn is_bare(&self) -> bool {
        self.as_object().is_none_or(|o| o.keys().all(|k| k == "source"))
    }

    fn of(value: Value) -> Self {
        value
    }

    fn text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }

    fn read(change: &Change) -> Cow<'_, Change> {
        Cow::Borrowed(change)
    }
}

impl Body for Box<RawValue> {
    fn new_of(&self, field: &str) -> Option<Value> {
        // Read in one pass over each text, the other fields skipped without being kept.
        let change = member(self.get(), field)?;
        serde_json::from_str(member(change.get(), "new")?.get()).ok()
    }

    fn is_bare(&self) -> bool {
        serde_json::from_str::<HashMap<Cow<'_, str>, IgnoredAny>>(self.get())
            .map_or(true, |fields| fields.keys().all(|k| k == "source"))
    }

    fn of(value: Value) -> Self {
        serde_json::value::to_raw_value(&value).unwrap_or_default()
    }

    fn text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.get())
    }

    fn read(change: &RawChange) -> Cow<'_, Change> {
        Cow::Owned(Change {
            id: change.id,
            entity: change.entity,
            entity_id: change.entity_id,
            op: change.op,
            at: change.at,
            replica: change.replica.clone(),
            actor: change.actor.clone(),
            hlc: change.hlc,
            changes: serde_json::from_str(change.changes.get()).unwrap_or(Value::Null),
        })
    }
}

/// In the JSON object `text`, the value of `key` as text: the last, if the key comes twice, as
/// reading the object whole keeps it; `None` when there is no such member, or `text` is not an
/// object. The other members are skipped unread.
fn member<'t>(text: &'t str, key: &str) -> Option<&'t RawValue> {
    Member(key).deserialize(&mut serde_json::Deserializer::from_str(text)).ok().flatten()
}

/// The visitor of [`member`].
struct Member<'k>(&'k str);

impl<'de> DeserializeSeed<'de> for Member<'_> {
    type Value = Option<&'de RawValue>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Member<'_> {
    type Value = Option<&'de RawValue>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(is_key) = map.next_key_seed(KeyIs(self.0))? {
            if is_key {
                found = Some(map.next_value::<&'de RawValue>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Whether an object's key is the one named, read without being kept.
struct KeyIs<'k>(&'k str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "a key")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}

impl RawChange {
    /// The change with its body read (`null` if it is not JSON, which the history's check
    /// does not let in): [`Body::read`] of it.
    pub fn read(self) -> Change {
        <Box<RawValue> as Body>::read(&self).into_owned()
    }
}

impl Change {
    fn order(&self) -> (i64, &str, Id) {
        (self.hlc, self.replica.as_str(), self.id)
    }
}

/// Why the merge set a value aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Two replicas changed the same field; the later clock won.
    Value,
    /// An edit made after (and without seeing) the record's deletion.
    Deleted,
}

/// A value the merge rule set aside.
#[derive(Clone, Debug, PartialEq)]
pub struct Lost<'c> {
    /// Why.
    pub kind: ConflictKind,
    /// The field (`budget.regional` for one element of a set-like field).
    pub field: String,
    /// The value kept (`null` for a deleted record).
    pub kept: Value,
    /// The entry whose value was kept (the delete, for [`ConflictKind::Deleted`]).
    pub kept_by: &'c Change,
    /// The value that lost.
    pub lost: Value,
    /// The entry whose value lost.
    pub lost_by: &'c Change,
}

/// A record as its entries make it.
#[derive(Debug, Default)]
pub struct Folded<'c> {
    /// Its fields, `None` until an entry creates it.
    pub fields: Option<Map<String, Value>>,
    /// The delete, if it was deleted.
    pub deleted: Option<&'c Change>,
    /// The stage moves, in order (the create's stage first).
    pub stages: Vec<&'c Change>,
    /// A contact's consents: the id, the consent as given, and when it was withdrawn.
    pub consents: Vec<(Id, Value, Option<Value>)>,
    /// The values set aside.
    pub lost: Vec<Lost<'c>>,
    /// The last entry that counted (the record's last change).
    pub last: Option<&'c Change>,
    /// The entry that last changed each field.
    winners: Map<String, Value>,
}

/// The key naming an element of a set-like field, or `None` for a plain field.
fn element_key(entity: Entity, field: &str) -> Option<fn(&Value) -> Value> {
    fn whole(v: &Value) -> Value {
        v.clone()
    }
    fn by(name: &'static str) -> impl Fn(&Value) -> Value {
        move |v: &Value| v.get(name).cloned().unwrap_or(Value::Null)
    }
    fn source(v: &Value) -> Value {
        by("source")(v)
    }
    fn contact(v: &Value) -> Value {
        by("contact_id")(v)
    }
    fn year(v: &Value) -> Value {
        by("year")(v)
    }
    match (entity, field) {
        (Entity::Contact, "phones" | "emails" | "tags" | "roles") => Some(whole),
        (Entity::Initiative, "budget") => Some(source),
        (Entity::Event, "attendees") => Some(contact),
        (Entity::Event, "initiative_ids") => Some(whole),
        (Entity::Territory, "population") => Some(year),
        _ => None,
    }
}

/// Folds a record's entries (in any order) into its state.
pub fn fold(entity: Entity, entries: &[Change]) -> Folded<'_> {
    fold_refs(entity, entries.iter().collect())
}

/// [`fold`] of entries held elsewhere.
pub fn fold_refs(entity: Entity, mut sorted: Vec<&Change>) -> Folded<'_> {
    sorted.sort_by(|a, b| a.order().cmp(&b.order()));
    sorted.dedup_by(|a, b| a.id == b.id);
    let mut f = Folded::default();
    let mut by: Vec<(String, &Change)> = Vec::new();
    for entry in sorted {
        if let Some(delete) = f.deleted {
            for (field, change) in fields_of(entry) {
                let lost = change.get("new").cloned().unwrap_or(Value::Null);
                f.lost.push(Lost {
                    kind: ConflictKind::Deleted,
                    field: field.clone(),
                    kept: Value::Null,
                    kept_by: delete,
                    lost,
                    lost_by: entry,
                });
            }
            continue;
        }
        match entry.op {
            Op::Delete => {
                f.deleted = Some(entry);
                continue;
            }
            Op::Create => {
                f.fields.get_or_insert_with(Map::new);
                f.stages.push(entry);
            }
            Op::Stage => f.stages.push(entry),
            Op::Update => {}
        }
        let Some(fields) = f.fields.as_mut() else { continue };
        f.last = Some(entry);
        consents(&mut f.consents, entry);
        for (field, change) in fields_of(entry) {
            let new = change.get("new").cloned().unwrap_or(Value::Null);
            let old = change.get("old");
            let winner = by.iter().find(|(name, _)| *name == field).map(|(_, c)| *c);
            match element_key(entity, &field) {
                None => {
                    let current = fields.get(&field).cloned().unwrap_or(Value::Null);
                    if let Some(w) = winner
                        && w.replica != entry.replica
                        && old.is_some_and(|o| *o != current)
                        && current != new
                    {
                        f.lost.push(Lost {
                            kind: ConflictKind::Value,
                            field: field.clone(),
                            kept: new.clone(),
                            kept_by: entry,
                            lost: current,
                            lost_by: w,
                        });
                    }
                    fields.insert(field.clone(), new);
                }
                Some(key) => {
                    let old = old.cloned().unwrap_or(Value::Array(Vec::new()));
                    let current = fields.remove(&field).unwrap_or(Value::Array(Vec::new()));
                    let merged = merge_set(&field, key, current, &old, &new, |field, lost, lost_by_winner| {
                        if let Some(w) = winner.filter(|w| w.replica != entry.replica && lost_by_winner) {
                            f.lost.push(Lost {
                                kind: ConflictKind::Value,
                                field,
                                kept: lost.1,
                                kept_by: entry,
                                lost: lost.0,
                                lost_by: w,
                            });
                        }
                    });
                    fields.insert(field.clone(), merged);
                }
            }
            by.retain(|(name, _)| *name != field);
            by.push((field, entry));
        }
    }
    f.winners = by.into_iter().map(|(k, c)| (k, Value::from(c.hlc))).collect();
    f
}

/// Whether a record of `entries` is simply its create's new values, without folding: one
/// entry, a create, naming each element of its set-like fields once (most of an office's first
/// exchange). Its fields are then [`created_fields`], its consents [`consents_of`] that entry.
pub fn created_as_is(entity: Entity, entries: &[&Change]) -> bool {
    let [entry] = entries else { return false };
    entry.op == Op::Create
        && fields_of(entry).iter().all(|(field, change)| match (element_key(entity, field), change.get("new")) {
            (Some(key), Some(Value::Array(items))) => {
                let keys: Vec<Value> = items.iter().map(key).collect();
                keys.iter().enumerate().all(|(i, k)| !keys[..i].contains(k))
            }
            // The fold makes a list of anything else.
            (Some(_), _) => false,
            (None, _) => true,
        })
}

/// The fields a create entry gives its record, borrowed from it: what [`fold`] of that one
/// entry holds when [`created_as_is`].
pub fn created_fields(entry: &Change) -> impl Iterator<Item = (&str, &Value)> + Clone {
    const NULL: &Value = &Value::Null;
    entry
        .changes
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !is_note(k))
        .map(|(k, change)| (k.as_str(), change.get("new").unwrap_or(NULL)))
}

/// The consents a contact's one `entry` gives (see [`Folded::consents`]).
pub fn consents_of(entry: &Change) -> Vec<(Id, Value, Option<Value>)> {
    let mut list = Vec::new();
    consents(&mut list, entry);
    list
}

/// A consent given or withdrawn in `entry` (a consent is added once and only ever withdrawn).
fn consents(list: &mut Vec<(Id, Value, Option<Value>)>, entry: &Change) {
    let new = |key: &str| entry.changes.get(key).and_then(|c| c.get("new")).filter(|v| !v.is_null());
    let named = new("consent_id").and_then(|v| serde_json::from_value::<Id>(v.clone()).ok());
    if let Some(consent) = new("consent") {
        let id = named.unwrap_or(entry.id);
        if !list.iter().any(|(known, ..)| *known == id) {
            list.push((id, consent.clone(), None));
        }
    }
    if let Some(on) = new("consent_withdrawn_on") {
        let target = match named {
            Some(id) => list.iter_mut().find(|(known, ..)| *known == id),
            None => list.iter_mut().rev().find(|(.., withdrawn)| withdrawn.is_none()),
        };
        if let Some((.., withdrawn)) = target {
            *withdrawn = Some(on.clone());
        }
    }
}

/// Each field's value before the first of `entries` that changed it (in the merge's order): what
/// a record's create held for the fields changed since, when only the record as it is now is
/// at hand. A field no entry says the old value of is not named.
pub fn values_before(entries: &[Change]) -> Map<String, Value> {
    let mut sorted: Vec<&Change> = entries.iter().filter(|e| e.op != Op::Create).collect();
    sorted.sort_by(|a, b| a.order().cmp(&b.order()));
    let mut before = Map::new();
    for entry in sorted {
        for (field, change) in fields_of(entry) {
            if let Some(old) = change.get("old")
                && !before.contains_key(&field)
            {
                before.insert(field, old.clone());
            }
        }
    }
    before
}

/// The `(field, {"old", "new"})` pairs of an entry, without the notes that are not fields.
fn fields_of(entry: &Change) -> Vec<(String, &Value)> {
    entry
        .changes
        .as_object()
        .map(|o| o.iter().filter(|(k, _)| !is_note(k)).map(|(k, v)| (k.clone(), v)).collect())
        .unwrap_or_default()
}

/// Entries say more than a record's fields: where an import came from, a stage move's note,
/// the consent a contact came with, how a demo was made.
fn is_note(key: &str) -> bool {
    matches!(
        key,
        "imported_from"
            | "note"
            | "erasure"
            | "consent"
            | "consent_id"
            | "consent_withdrawn_on"
            | "source"
            | "merged_from"
            | "merged_into"
    )
}

/// Applies one entry's change of a set-like field to its current elements: removes the
/// elements the entry removed (those in `old`, not in `new`), adds or replaces those it added.
/// `conflict(field, (replaced, replacement), concurrent)` is told of an element the entry
/// replaced without having seen it.
fn merge_set(
    field: &str,
    key: fn(&Value) -> Value,
    current: Value,
    old: &Value,
    new: &Value,
    mut conflict: impl FnMut(String, (Value, Value), bool),
) -> Value {
    let mut items = as_items(current);
    let old = as_items(old.clone());
    let new = as_items(new.clone());
    for gone in old.iter().filter(|o| !new.contains(o)) {
        items.retain(|i| i != gone);
    }
    for added in new.iter().filter(|n| !old.contains(n)) {
        let k = key(added);
        let seen = old.iter().find(|o| key(o) == k);
        if let Some(pos) = items.iter().position(|i| key(i) == k) {
            let replaced = items.remove(pos);
            if Some(&replaced) != seen && replaced != *added {
                conflict(format!("{field}.{}", key_text(&k)), (replaced, added.clone()), true);
            }
        }
        items.push(added.clone());
    }
    Value::Array(items)
}

fn as_items(v: Value) -> Vec<Value> {
    match v {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Folded<'_> {
    /// The clock of the entry that last changed `field`, if any did.
    pub fn clock_of(&self, field: &str) -> Option<i64> {
        self.winners.get(field).and_then(Value::as_i64)
    }
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
