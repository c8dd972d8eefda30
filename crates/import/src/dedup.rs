//! Matching instead of duplicating.
//!
//! A contact with a phone or an e-mail already stored, or with the same name in the same
//! settlement, is that stored contact: the row is matched and nothing is added. The same goes
//! for a row that repeats an earlier row of the file. A contact with only the same name (another
//! settlement, or none given) may be the same person: it is added and listed for the user to
//! merge. An initiative with the same title, territory and year, or an event with the same
//! title, territory and start, is already stored: loading a file twice adds nothing.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use mestno_core::model::{ContactKind, Id};
use mestno_core::store::NewInitiative;
use mestno_core::text::fold;
use mestno_core::{Store, Text};

use crate::error::Result;
use crate::fields::Kind;
use crate::places::Places;
use crate::plan::{Duplicate, Plan, entity, retain_indexed};

/// Who a key belongs to: a stored record or an earlier row of the file.
#[derive(Clone)]
enum Owner {
    Stored(Id, String),
    Row(u32, String),
}

impl Owner {
    fn duplicate(&self, row: u32, name: &str, reason: Text) -> Duplicate {
        let (existing_id, existing_row, existing_name) = match self {
            Owner::Stored(id, n) => (Some(*id), None, n.clone()),
            Owner::Row(r, n) => (None, Some(*r), n.clone()),
        };
        Duplicate { row, name: name.to_string(), existing_id, existing_row, existing_name, reason }
    }
}

/// Matches the plan's records with those stored and with earlier rows, taking the matched ones
/// out of the batch. Returns the initiatives that match stored ones, with their rows and the
/// stored ids: a registry brought back may update them.
pub(crate) async fn apply(store: &Store, plan: &mut Plan, places: &Places) -> Result<Vec<(u32, Id, NewInitiative)>> {
    let (matched, stored) = match plan.kind {
        Kind::Contacts => (contacts(store, plan).await?, Vec::new()),
        Kind::Initiatives | Kind::Events => records(store, plan, places).await?,
    };
    let again: Vec<(u32, Id, NewInitiative)> = match plan.kind {
        Kind::Initiatives => {
            stored.iter().map(|&(i, id)| (plan.batch_rows[i], id, plan.batch.initiatives[i].clone())).collect()
        }
        _ => Vec::new(),
    };
    if matched.is_empty() {
        return Ok(again);
    }
    let drop: std::collections::HashSet<usize> = matched.iter().copied().collect();
    let keep = |i: &usize| !drop.contains(i);
    plan.batch_rows = plan.batch_rows.iter().enumerate().filter(|(i, _)| keep(i)).map(|(_, r)| *r).collect();
    retain_indexed(&mut plan.batch.contacts, &keep);
    retain_indexed(&mut plan.batch.initiatives, &keep);
    retain_indexed(&mut plan.batch.events, &keep);
    Ok(again)
}

/// Who a contact key belongs to: a stored contact or an earlier row, by position.
#[derive(Clone, Copy)]
enum Holder {
    Stored(usize),
    Row(usize),
}

/// Why two contacts are taken for one.
#[derive(Clone, Copy)]
enum Why<'a> {
    Phone(&'a str),
    Email(&'a str),
    Place,
    Name,
}

/// Matches contacts; returns the positions in the batch of those matched.
async fn contacts(store: &Store, plan: &mut Plan) -> Result<Vec<usize>> {
    let list = &plan.batch.contacts;
    let names: Vec<(String, String)> = list
        .iter()
        .map(|c| {
            let name = c.input.display_name();
            let key = fold(&name);
            (name, key)
        })
        .collect();
    let stored = if list.is_empty() {
        Vec::new()
    } else {
        let phones: Vec<String> = list.iter().flat_map(|c| c.input.phones.iter().cloned()).collect();
        let emails: Vec<String> = list.iter().flat_map(|c| c.input.emails.iter().cloned()).collect();
        let keys: Vec<String> = names.iter().map(|(_, k)| k.clone()).collect();
        store.contact_candidates(&phones, &emails, &keys).await?
    };
    let mut by_phone: HashMap<&str, Holder> = HashMap::new();
    let mut by_email: HashMap<&str, Holder> = HashMap::new();
    let mut by_place: HashMap<(&str, Id), Holder> = HashMap::new();
    let mut by_name: HashMap<&str, Holder> = HashMap::new();
    for (i, k) in stored.iter().enumerate() {
        let h = Holder::Stored(i);
        for p in &k.phones {
            by_phone.entry(p).or_insert(h);
        }
        for e in &k.emails {
            by_email.entry(e).or_insert(h);
        }
        if let Some(t) = k.territory_id {
            by_place.entry((&k.sort_key, t)).or_insert(h);
        }
        by_name.entry(&k.sort_key).or_insert(h);
    }
    let mut found: Vec<(usize, Holder, Why<'_>, bool)> = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let key = names[i].1.as_str();
        let hit = c
            .input
            .phones
            .iter()
            .find_map(|p| by_phone.get(p.as_str()).map(|h| (*h, Why::Phone(p))))
            .or_else(|| c.input.emails.iter().find_map(|e| by_email.get(e.as_str()).map(|h| (*h, Why::Email(e)))))
            .or_else(|| c.input.territory_id.and_then(|t| by_place.get(&(key, t))).map(|h| (*h, Why::Place)));
        if let Some((h, why)) = hit {
            found.push((i, h, why, true));
            continue;
        }
        if c.input.kind == ContactKind::Person
            && let Some(h) = by_name.get(key)
        {
            found.push((i, *h, Why::Name, false));
        }
        let h = Holder::Row(i);
        for p in &c.input.phones {
            by_phone.entry(p).or_insert(h);
        }
        for e in &c.input.emails {
            by_email.entry(e).or_insert(h);
        }
        if let Some(t) = c.input.territory_id {
            by_place.entry((key, t)).or_insert(h);
        }
        by_name.entry(key).or_insert(h);
    }
    let mut matched = Vec::new();
    for (i, holder, why, certain) in found {
        let owner = match holder {
            Holder::Stored(s) => Owner::Stored(stored[s].id, stored[s].display_name.clone()),
            Holder::Row(r) => Owner::Row(plan.batch_rows[r], names[r].0.clone()),
        };
        let reason = match why {
            Why::Phone(p) => Text::new(format!("тот же телефон {p}"), format!("the same phone {p}")),
            Why::Email(e) => Text::new(format!("та же эл. почта {e}"), format!("the same e-mail {e}")),
            Why::Place => Text::new("то же имя в том же населённом пункте", "the same name in the same settlement"),
            Why::Name => Text::new(
                "то же имя, другой или неизвестный населённый пункт",
                "the same name, another or no settlement",
            ),
        };
        let duplicate = owner.duplicate(plan.batch_rows[i], &names[i].0, reason);
        if certain {
            plan.matched.push(duplicate);
            matched.push(i);
        } else {
            plan.likely_duplicates.push(duplicate);
        }
    }
    Ok(matched)
}

/// The identity of an initiative (title, territory, year) or an event (title, territory, start).
#[derive(Clone, PartialEq, Eq, Hash)]
struct RecordId(String, Id, Option<i32>, Option<NaiveDateTime>);

/// Matches initiatives or events already stored or repeated in the file; returns the positions
/// matched, and of those the ones matching stored records, with their ids.
async fn records(store: &Store, plan: &mut Plan, places: &Places) -> Result<(Vec<usize>, Vec<(usize, Id)>)> {
    let keys: Vec<(RecordId, String)> = match plan.kind {
        Kind::Initiatives => plan
            .batch
            .initiatives
            .iter()
            .map(|n| {
                let i = &n.input;
                (RecordId(fold(&i.title), i.territory_id, Some(i.year), None), i.title.clone())
            })
            .collect(),
        _ => plan
            .batch
            .events
            .iter()
            .map(|e| (RecordId(fold(&e.title), e.territory_id, None, Some(e.starts_at)), e.title.clone()))
            .collect(),
    };
    let titles: Vec<String> = keys.iter().map(|(k, _)| k.0.clone()).collect();
    let stored = if titles.is_empty() { Vec::new() } else { store.existing_keys(entity(plan.kind), &titles).await? };
    let mut seen: HashMap<RecordId, Owner> = stored
        .into_iter()
        .map(|k| (RecordId(k.sort_key, k.territory_id, k.year, k.starts_at), Owner::Stored(k.id, k.title)))
        .collect();
    let (mut matched, mut stored) = (Vec::new(), Vec::new());
    for (i, (key, title)) in keys.into_iter().enumerate() {
        let row = plan.batch_rows[i];
        match seen.get(&key) {
            Some(owner) => {
                if let Owner::Stored(id, _) = owner {
                    stored.push((i, *id));
                }
                let place = places.name(key.1);
                plan.matched.push(owner.duplicate(
                    row,
                    &title,
                    Text::new(
                        format!("уже есть: то же название, {place}, тот же год или дата"),
                        format!("already there: the same title, {place}, the same year or date"),
                    ),
                ));
                matched.push(i);
            }
            None => {
                seen.insert(key, Owner::Row(row, title));
            }
        }
    }
    Ok((matched, stored))
}
