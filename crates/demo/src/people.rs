//! Contacts: residents, village elders, officials, entrepreneurs, organisations — with roles,
//! phones, e-mails, tags and their consent to the processing of personal data.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use mestno_core::model::{ConsentInput, ConsentMethod, ContactKind, Id, Role};
use mestno_core::store::{Op, rows};
use mestno_core::text::fold;
use mestno_core::{Entity, Result};

use super::ids::{Gen, Lottery, OFFICE_OPENS_MS, add_days, day_ms};
use super::names::{self, FullName, OrgKind, Phones};
use super::territory::Geography;
use super::vocab::{POSITIONS, TAGS};
use super::{Created, Entry, Sink, derived_id, report, write_entries, write_history};

/// A contact as later generators need it.
pub(crate) struct Contact {
    pub id: Id,
    /// «Фамилия Имя Отчество», or the organisation's name.
    pub name: String,
}

/// The contacts made, indexed the ways events and initiatives look for people.
#[derive(Default)]
pub(crate) struct People {
    pub contacts: Vec<Contact>,
    /// Persons living in each locality.
    pub persons: Vec<Vec<u32>>,
    /// Persons in each district.
    pub district_persons: Vec<Vec<u32>>,
    /// Each locality's village elder, if it has one.
    pub elders: Vec<Option<u32>>,
    /// TOS leaders of each locality.
    pub tos_leaders: Vec<Vec<u32>>,
    /// Entrepreneurs and businesses of each locality.
    pub business: Vec<Vec<u32>>,
    /// NGOs of each district.
    pub ngos: Vec<Vec<u32>>,
    /// Officials of each district.
    pub officials: Vec<Vec<u32>>,
}

#[derive(Clone, Copy)]
enum Slot {
    Official(&'static str),
    Head,
    Elder,
    Organisation,
    Person,
}

struct Planned {
    slot: Slot,
    locality: u32,
    day: NaiveDate,
}

const DISTRICT_STAFF: &[&str] = &[
    "глава района",
    "заместитель главы района",
    "руководитель проектного офиса",
    "ведущий специалист проектного офиса",
];
const CONSENT_PURPOSE: &str = "участие в инициативном бюджетировании";
const CHUNK: usize = 5_000;

/// Makes `count` contacts across the localities, most of them in the bigger ones.
pub(crate) fn generate(g: &mut Gen, sink: &mut Sink, geo: &Geography, count: usize) -> Result<People> {
    let plan = plan(g, geo, count);
    let n = geo.localities.len();
    let mut people = People {
        persons: vec![Vec::new(); n],
        district_persons: vec![Vec::new(); geo.districts.len()],
        elders: vec![None; n],
        tos_leaders: vec![Vec::new(); n],
        business: vec![Vec::new(); n],
        ngos: vec![Vec::new(); geo.districts.len()],
        officials: vec![Vec::new(); geo.districts.len()],
        ..People::default()
    };
    let mut phones = Phones::default();
    let mut org_names: Vec<HashSet<String>> = vec![HashSet::new(); geo.districts.len()];
    for chunk in plan.chunks(CHUNK) {
        let mut rows = Rows::default();
        for p in chunk {
            let index = people.contacts.len() as u32;
            make_contact(g, geo, p, index, &mut rows, &mut people, &mut phones, &mut org_names);
        }
        rows.write(sink)?;
        report(sink, "контакты", people.contacts.len(), count)?;
    }
    Ok(people)
}

/// Who is to be made where and when, oldest first.
fn plan(g: &mut Gen, geo: &Geography, count: usize) -> Vec<Planned> {
    let opened = super::office_opened(g.today);
    let span = (g.today - opened).num_days().max(0);
    let mut plan = Vec::with_capacity(count);
    for district in &geo.districts {
        let centre = district.localities.start as u32;
        for &position in DISTRICT_STAFF {
            let day = g.day_between(opened, add_days(opened, 120)).min(g.today);
            plan.push(Planned { slot: Slot::Official(position), locality: centre, day });
        }
    }
    let early = |g: &mut Gen| add_days(opened, (g.rng.f64().powf(1.4) * span as f64) as i64);
    for (i, locality) in geo.localities.iter().enumerate() {
        if locality.centre {
            continue;
        }
        // Elders are a village institution: none in urban-type settlements.
        if !locality.name.starts_with("пгт") && g.chance(85) {
            plan.push(Planned { slot: Slot::Elder, locality: i as u32, day: early(g) });
        }
        if locality.population >= 400 && g.chance(45) {
            plan.push(Planned { slot: Slot::Head, locality: i as u32, day: early(g) });
        }
    }
    plan.truncate(count / 2);
    let rest = count - plan.len();
    let organisations = rest * 8 / 100;
    let lottery = Lottery::new(geo.localities.iter().map(|l| (l.population as f64).powf(0.8) as u64 + 1));
    for k in 0..rest {
        let slot = if k < organisations { Slot::Organisation } else { Slot::Person };
        plan.push(Planned { slot, locality: lottery.draw(&mut g.rng) as u32, day: early(g) });
    }
    plan.sort_by_key(|p| p.day);
    plan
}

#[derive(Default)]
struct Rows {
    contacts: Vec<ContactRow>,
    roles: Vec<(Id, Role)>,
    phones: Vec<(Id, String)>,
    emails: Vec<(Id, String)>,
    tags: Vec<(Id, &'static str)>,
    consents: Vec<rows::Consent<'static>>,
    history: Vec<Created>,
}

struct ContactRow {
    id: Id,
    kind: ContactKind,
    name: Option<FullName>,
    org_name: String,
    position: String,
    display: String,
    territory: Id,
    address: String,
    at: i64,
}

#[allow(clippy::too_many_arguments)]
fn make_contact(
    g: &mut Gen,
    geo: &Geography,
    p: &Planned,
    index: u32,
    rows: &mut Rows,
    people: &mut People,
    phones: &mut Phones,
    org_names: &mut [HashSet<String>],
) {
    let locality = &geo.localities[p.locality as usize];
    let district = locality.district;
    let district_code = geo.districts[district].code;
    let (id, at) = g.id_on(p.day);
    let mut roles: Vec<Role> = Vec::new();
    let mut tags: Vec<&'static str> = Vec::new();
    let row = if let Slot::Organisation = p.slot {
        let org = names::organisation(g, &mut org_names[district]);
        match names::org_kind(&org) {
            OrgKind::Business => roles.push(Role::Business),
            OrgKind::Entrepreneur => {
                roles.extend([Role::Entrepreneur, Role::Business]);
                tags.push(if org.contains("КФХ") { "фермер" } else { "предприниматель" });
            }
            OrgKind::Ngo => roles.push(Role::Ngo),
            OrgKind::Media => {
                roles.push(Role::Media);
                tags.push("СМИ");
            }
            OrgKind::Institution => {}
        }
        if roles.contains(&Role::Business) {
            people.business[p.locality as usize].push(index);
            if g.chance(25) {
                tags.push("спонсор");
            }
        }
        if roles.contains(&Role::Ngo) {
            people.ngos[district].push(index);
        }
        if g.chance(80) {
            rows.phones.push((id, phones.landline(g, district_code)));
        }
        if g.chance(35) {
            rows.phones.push((id, phones.mobile(g)));
        }
        if g.chance(55) {
            rows.emails.push((id, names::organisation_email(g, &org)));
        }
        ContactRow {
            id,
            kind: ContactKind::Organisation,
            name: None,
            display: org.clone(),
            org_name: org,
            position: String::new(),
            territory: locality.id,
            address: names::address(g, &locality.name, false),
            at,
        }
    } else {
        let name = names::person(g);
        let position = match p.slot {
            Slot::Official(position) => {
                roles.push(Role::Official);
                people.officials[district].push(index);
                position.to_string()
            }
            Slot::Head => {
                roles.extend([Role::Official, Role::Resident]);
                people.officials[district].push(index);
                if locality.name.starts_with("п") {
                    "глава посёлка"
                } else {
                    "глава сельсовета"
                }
                .to_string()
            }
            Slot::Elder => {
                roles.extend([Role::VillageElder, Role::Resident]);
                tags.push("староста");
                people.elders[p.locality as usize] = Some(index);
                "сельский староста".to_string()
            }
            _ => resident(g, &name, index, p.locality as usize, &mut roles, &mut tags, people),
        };
        if !matches!(p.slot, Slot::Official(_)) {
            people.persons[p.locality as usize].push(index);
            people.district_persons[district].push(index);
        } else {
            rows.phones.push((id, phones.landline(g, district_code)));
        }
        let special = !matches!(p.slot, Slot::Person);
        let mobiles = match g.rng.u8(0..100) {
            0..15 if !special => 0,
            0..85 => 1,
            _ => 2,
        };
        for _ in 0..mobiles {
            rows.phones.push((id, phones.mobile(g)));
        }
        if g.chance(if special { 70 } else { 28 }) {
            rows.emails.push((id, names::person_email(g, &name)));
        }
        if g.chance(85) {
            rows.consents.push(consent(g, id, p.day));
        }
        ContactRow {
            id,
            kind: ContactKind::Person,
            display: name.display(),
            name: Some(name),
            org_name: String::new(),
            position,
            territory: locality.id,
            address: if g.chance(80) { names::address(g, &locality.name, locality.centre) } else { String::new() },
            at,
        }
    };
    people.contacts.push(Contact { id, name: row.display.clone() });
    for role in roles {
        rows.roles.push((id, role));
    }
    if g.chance(20) {
        tags.push(g.pick(general_tags()));
    }
    if g.chance(1) {
        tags.push("не звонить");
    }
    let mut seen = HashSet::new();
    rows.tags.extend(tags.into_iter().filter(|t| seen.insert(*t)).map(|t| (id, t)));
    rows.history.push(Created { id: g.id_on(p.day).0, entity_id: id, at });
    rows.contacts.push(row);
}

/// A resident's extra roles, position and tags.
fn resident(
    g: &mut Gen,
    name: &FullName,
    index: u32,
    locality: usize,
    roles: &mut Vec<Role>,
    tags: &mut Vec<&'static str>,
    people: &mut People,
) -> String {
    roles.push(Role::Resident);
    let (role, position, tag): (Option<Role>, &str, Option<&'static str>) = match g.rng.u16(0..1000) {
        0..40 => (
            Some(Role::Entrepreneur),
            if g.chance(30) {
                "глава КФХ"
            } else {
                "индивидуальный предприниматель"
            },
            Some("предприниматель"),
        ),
        40..52 => (Some(Role::TosLeader), "председатель ТОС", Some("ТОС")),
        52..67 => (
            Some(Role::Deputy),
            if g.chance(70) {
                "депутат сельского Совета"
            } else {
                "депутат районного Совета"
            },
            Some("депутат"),
        ),
        67..87 => {
            let heads = [
                "директор школы",
                "заведующая библиотекой",
                "директор Дома культуры",
                "заведующая детским садом",
                "заведующая ФАПом",
                "художественный руководитель клуба",
            ];
            (Some(Role::InstitutionHead), g.pick(&heads), Some("культура"))
        }
        87..91 => (Some(Role::Expert), "ведущий специалист проектного офиса", Some("эксперт")),
        91..94 => (
            Some(Role::Media),
            if g.chance(50) {
                "корреспондент"
            } else {
                "главный редактор районной газеты"
            },
            Some("СМИ"),
        ),
        94..102 => {
            let leaders = [
                "председатель совета ветеранов",
                "председатель женсовета",
                "волонтёр",
                "руководитель молодёжного центра",
            ];
            (Some(Role::Ngo), g.pick(&leaders), Some("актив"))
        }
        102..260 => (None, "пенсионер", Some("пенсионер")),
        260..400 => (None, g.pick(ordinary_positions()), None),
        _ => (None, "", None),
    };
    match role {
        Some(Role::Entrepreneur) => people.business[locality].push(index),
        Some(Role::TosLeader) => people.tos_leaders[locality].push(index),
        _ => {}
    }
    roles.extend(role);
    tags.extend(tag);
    if name.female {
        position.to_string()
    } else if position == "председатель женсовета" {
        "председатель совета ветеранов".to_string()
    } else {
        position.replace("заведующая", "заведующий")
    }
}

/// Tags anyone may carry; those that go with a role (староста, депутат…) come with the role.
fn general_tags() -> &'static [&'static str] {
    static GENERAL: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    GENERAL.get_or_init(|| {
        const WITH_ROLES: &[&str] = &[
            "староста",
            "ТОС",
            "депутат",
            "предприниматель",
            "СМИ",
            "спонсор",
            "фермер",
            "эксперт",
            "подрядчик",
            "не звонить",
        ];
        TAGS.iter().copied().filter(|t| !WITH_ROLES.contains(t)).collect()
    })
}

/// Jobs of residents who hold no office the roles name (учитель, фельдшер…).
fn ordinary_positions() -> &'static [&'static str] {
    static ORDINARY: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    ORDINARY.get_or_init(|| {
        const OFFICES: &[&str] = &[
            "глава",
            "депутат",
            "директор",
            "заведующ",
            "руководитель",
            "председатель Совета",
            "староста",
            "ТОС",
            "редактор",
            "корреспондент",
            "предприниматель",
            "КФХ",
            "проектного офиса",
            "пенсионер",
            "художественный",
        ];
        POSITIONS.iter().copied().filter(|p| !OFFICES.iter().any(|o| p.contains(o))).collect()
    })
}

/// Consent given on or soon after the day the person was entered; some limited in time (and
/// by now expired), a few withdrawn.
fn consent(g: &mut Gen, contact: Id, entered: NaiveDate) -> rows::Consent<'static> {
    let given = add_days(entered, g.rng.i64(0..=20)).min(g.today);
    let (id, at) = g.id_on(given);
    let method =
        g.weighted_pick(&[(ConsentMethod::Written, 60), (ConsentMethod::Electronic, 25), (ConsentMethod::Oral, 15)]);
    let expires = g.chance(25).then(|| add_days(given, 365 * i64::from(g.rng.u8(3..=5))));
    let earliest_withdrawal = add_days(given, 30);
    let withdrawn =
        (g.chance(3) && earliest_withdrawal <= g.today).then(|| g.day_between(earliest_withdrawal, g.today));
    rows::Consent {
        id,
        contact_id: contact,
        purpose: CONSENT_PURPOSE.into(),
        given_on: given,
        method,
        expires_on: expires,
        withdrawn_on: withdrawn,
        recorded_at: at,
    }
}

impl Rows {
    fn write(mut self, sink: &mut Sink) -> Result<()> {
        // In key order, as the tables keep them: each row goes in at the end, without a search.
        self.roles.sort_unstable_by_key(|&(id, role)| (id, role.as_str()));
        self.phones.sort_unstable();
        self.emails.sort_unstable();
        self.tags.sort_unstable();
        let device = sink.device().to_owned();
        sink.insert(self.contacts.into_iter().map(|c| {
            let (last, first, middle) = c.name.as_ref().map_or(("", "", ""), |n| (n.last, n.first, n.middle));
            rows::Contact {
                id: c.id,
                kind: c.kind,
                last_name: last.into(),
                first_name: first.into(),
                middle_name: middle.into(),
                org_name: c.org_name.into(),
                position: c.position.into(),
                sort_key: fold(&c.display).into(),
                display_name: c.display.into(),
                territory_id: Some(c.territory),
                address: c.address.into(),
                notes: "".into(),
                created_at: c.at,
                updated_at: c.at,
                updated_by: device.clone().into(),
            }
        }))?;
        sink.insert(self.roles.into_iter().map(|(contact_id, role)| rows::ContactRole { contact_id, role }))?;
        sink.insert(self.phones.into_iter().map(|(contact_id, p)| rows::ContactPhone { contact_id, phone: p.into() }))?;
        sink.insert(self.emails.into_iter().map(|(contact_id, e)| rows::ContactEmail { contact_id, email: e.into() }))?;
        sink.insert(self.tags.into_iter().map(|(contact_id, t)| rows::ContactTag { contact_id, tag: t.into() }))?;
        let entries = consent_entries(&self.consents, &self.history);
        sink.insert(self.consents)?;
        write_history(sink, Entity::Contact, self.history)?;
        write_entries(sink, Entity::Contact, entries)
    }
}

/// Each consent as the app records it: given, in an entry of its person's history after the
/// person's creation, and, if withdrawn, withdrawn in another. A partner's office that receives
/// the person, or an edit of the person, then holds the same consents.
fn consent_entries(consents: &[rows::Consent<'_>], created: &[Created]) -> Vec<Entry> {
    let made: HashMap<Id, i64> = created.iter().map(|c| (c.entity_id, c.at)).collect();
    let mut entries = Vec::with_capacity(consents.len());
    for c in consents {
        let after = made.get(&c.contact_id).map_or(i64::MIN, |at| at << 16);
        let at = c.recorded_at.max(made.get(&c.contact_id).copied().unwrap_or(c.recorded_at));
        let given = ConsentInput {
            purpose: c.purpose.to_string(),
            given_on: c.given_on,
            method: c.method,
            expires_on: c.expires_on,
        };
        let hlc = (at << 16).max(after + 1);
        entries.push(Entry {
            id: derived_id(c.id, 1),
            entity_id: c.contact_id,
            op: Op::Update,
            at,
            hlc,
            changes: serde_json::json!({ "consent": { "new": given }, "consent_id": { "new": c.id } }).to_string(),
        });
        if let Some(on) = c.withdrawn_on {
            let at = (day_ms(on) + OFFICE_OPENS_MS).max(at);
            entries.push(Entry {
                id: derived_id(c.id, 2),
                entity_id: c.contact_id,
                op: Op::Update,
                at,
                hlc: (at << 16).max(hlc + 1),
                changes: serde_json::json!({
                    "consent_withdrawn_on": { "old": null, "new": on },
                    "consent_id": { "new": c.id }
                })
                .to_string(),
            });
        }
    }
    entries
}
