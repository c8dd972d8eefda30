//! Engagement events: gatherings, meetings, surveys, clean-ups… with named attendees drawn from
//! the village and the district, and the initiatives they discussed.

use chrono::{Datelike, NaiveDateTime, NaiveTime, TimeDelta};

use mestno_core::model::{AttendeeRole, EventKind};
use mestno_core::store::rows;
use mestno_core::text::fold;
use mestno_core::{Entity, Result};

use super::ids::{Gen, Lottery, add_days, ymd};
use super::people::People;
use super::projects::Projects;
use super::templates::event_titles;
use super::territory::{FIRST_YEAR, Geography};
use super::vocab::{EVENT_OUTCOMES, EVENT_PLACES};
use super::{Created, Sink, report, write_history};

/// How often a district office runs each kind of event: gatherings, meetings, surveys and
/// clean-ups most.
fn kind_weight(kind: EventKind) -> u32 {
    match kind {
        EventKind::CitizensGathering => 22,
        EventKind::Meeting => 18,
        EventKind::PublicHearing => 7,
        EventKind::Survey => 14,
        EventKind::Vote => 5,
        EventKind::Subbotnik => 14,
        EventKind::Seminar => 4,
        EventKind::Webinar => 2,
        EventKind::StrategySession => 2,
        EventKind::Forum => 2,
        EventKind::ResidentsMeeting => 10,
    }
}
const CHUNK: usize = 5_000;

struct Planned {
    kind: EventKind,
    locality: u32,
    starts_at: NaiveDateTime,
}

/// Makes `count` events with about `attendances` named attendees in all; returns how many.
pub(crate) fn generate(
    g: &mut Gen,
    sink: &mut Sink,
    geo: &Geography,
    people: &People,
    projects: &Projects,
    count: usize,
    attendances: usize,
) -> Result<u64> {
    let lottery = Lottery::new(geo.localities.iter().map(|l| (l.population as f64).powf(0.6) as u64 + 1));
    let mut plans: Vec<Planned> = (0..count).map(|_| plan(g, geo, &lottery)).collect();
    plans.sort_by_key(|p| p.starts_at);
    let outcomes = Outcomes::new();
    let mut made = 0usize;
    for (c, chunk) in plans.chunks(CHUNK).enumerate() {
        let mut rows = Rows { device: sink.device().to_owned(), ..Rows::default() };
        for (k, p) in chunk.iter().enumerate() {
            let left = count - (c * CHUNK + k);
            let mean = attendances.saturating_sub(made).div_ceil(left.max(1));
            made += make(g, geo, people, projects, &outcomes, p, (mean, left == 1), &mut rows);
        }
        rows.write(sink)?;
        report(sink, "мероприятия", (c * CHUNK + chunk.len()).min(count), count)?;
    }
    Ok(made as u64)
}

fn plan(g: &mut Gen, geo: &Geography, lottery: &Lottery) -> Planned {
    let kind = g.weighted_by(EventKind::ALL, kind_weight);
    use EventKind::*;
    let mut locality = lottery.draw(&mut g.rng);
    if matches!(kind, Seminar | Webinar | StrategySession | Forum) {
        // District-wide events happen in the district's centre.
        locality = geo.districts[geo.localities[locality].district].localities.start;
    }
    let months: [u32; 12] = match kind {
        Subbotnik => [0, 0, 0, 35, 40, 3, 2, 2, 12, 6, 0, 0],
        CitizensGathering | Meeting | ResidentsMeeting => [12, 14, 12, 8, 6, 5, 4, 5, 8, 10, 10, 6],
        Vote => [0, 2, 15, 30, 30, 15, 3, 0, 0, 3, 2, 0],
        Survey => [6, 8, 10, 8, 6, 4, 4, 6, 12, 14, 14, 8],
        _ => [6, 10, 10, 10, 8, 6, 2, 4, 10, 12, 12, 10],
    };
    let first = ymd(FIRST_YEAR, 1, 10);
    let years = (FIRST_YEAR..=g.today.year().max(FIRST_YEAR)).collect::<Vec<_>>();
    let year_weights: Vec<u32> = (0..years.len() as u32).map(|i| 10 + 2 * i).collect();
    let mut day = g.today;
    for _ in 0..20 {
        let candidate = ymd(years[g.weighted(&year_weights)], g.weighted(&months) as u32 + 1, g.rng.u32(1..=28));
        if candidate >= first && candidate <= g.today {
            day = candidate;
            break;
        }
    }
    let weekday = day.weekday().num_days_from_monday();
    let saturday = matches!(kind, Subbotnik) || (matches!(kind, CitizensGathering | ResidentsMeeting) && g.chance(30));
    if saturday {
        day = add_days(day, -i64::from((weekday + 2) % 7)).max(first);
    } else if weekday >= 5 {
        // Offices work on weekdays: Saturday and Sunday move to Friday.
        day = add_days(day, -i64::from(weekday - 4)).max(first);
    }
    let (hours, saturday_hours): (std::ops::RangeInclusive<u32>, std::ops::RangeInclusive<u32>) = match kind {
        Subbotnik => (9..=11, 9..=11),
        Seminar | Webinar | StrategySession | Forum => (10..=15, 10..=12),
        Survey | Vote => (9..=14, 10..=12),
        _ => (14..=18, 11..=14),
    };
    let day = day.min(g.today);
    let hour = g.rng.u32(if saturday { saturday_hours } else { hours });
    let minute = if g.chance(70) { 0 } else { 30 };
    let time = NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN);
    Planned { kind, locality: locality as u32, starts_at: day.and_time(time) }
}

/// Outcomes that fit each kind of event.
struct Outcomes {
    by_kind: Vec<(EventKind, Vec<&'static str>)>,
}

impl Outcomes {
    fn new() -> Self {
        use EventKind::*;
        let has = |o: &str, words: &[&str]| words.iter().any(|w| o.contains(w));
        const CLEAN_UP: &[&str] = &["мешков", "Очищена", "график дежурств"];
        const LEARNING: &[&str] = &["семинар", "шаблоны"];
        const SURVEY: &[&str] = &["анкет", "Поступило"];
        const VOTE: &[&str] = &["голосован", "проголосовали", "перечень"];
        const HEARING: &[&str] = &["Замечаний", "Поступило", "дизайн-проект"];
        const STRATEGY: &[&str] = &["дорожная карта", "рабочая группа", "Поступило", "перечень"];
        let special: Vec<&str> = [CLEAN_UP, LEARNING, SURVEY, VOTE, HEARING, STRATEGY].concat();
        let by_kind = EventKind::ALL
            .iter()
            .map(|&kind| {
                let fits = |o: &&str| match kind {
                    Subbotnik => has(o, CLEAN_UP),
                    Seminar | Webinar => has(o, LEARNING),
                    Survey => has(o, SURVEY),
                    Vote => has(o, VOTE),
                    PublicHearing => has(o, HEARING),
                    StrategySession | Forum => has(o, STRATEGY),
                    CitizensGathering | Meeting | ResidentsMeeting => !has(o, &special),
                };
                let list: Vec<&str> = EVENT_OUTCOMES.iter().copied().filter(fits).collect();
                (kind, if list.is_empty() { EVENT_OUTCOMES.to_vec() } else { list })
            })
            .collect();
        Outcomes { by_kind }
    }

    /// The outcomes that fit `kind`.
    fn of(&self, kind: EventKind) -> &[&'static str] {
        self.by_kind.iter().find(|(k, _)| *k == kind).map_or(&[], |(_, list)| list)
    }

    fn pick(&self, g: &mut Gen, kind: EventKind) -> &'static str {
        g.pick(self.of(kind))
    }
}

#[derive(Default)]
struct Rows {
    /// The device that stamps them.
    device: String,
    events: Vec<rows::Event<'static>>,
    attendees: Vec<rows::Attendee>,
    links: Vec<rows::EventInitiative>,
    history: Vec<Created>,
}

/// Makes one event with about `mean` named attendees (more at gatherings, fewer at webinars;
/// exactly `mean` if it is the `last`); returns how many were named.
#[allow(clippy::too_many_arguments)]
fn make(
    g: &mut Gen,
    geo: &Geography,
    people: &People,
    projects: &Projects,
    outcomes: &Outcomes,
    p: &Planned,
    (mean, last): (usize, bool),
    rows: &mut Rows,
) -> usize {
    use EventKind::*;
    let l = p.locality as usize;
    let locality = &geo.localities[l];
    let district = locality.district;
    let day = p.starts_at.date();
    let (id, at) = g.id_on(day);

    let title = g.pick(event_titles(p.kind)).replace("{place}", &locality.name);
    let online = p.kind == Webinar || (p.kind == Survey && g.chance(30));
    let places: Vec<&str> = EVENT_PLACES.iter().copied().filter(|pl| pl.starts_with("онлайн") == online).collect();
    let place = g.pick(&places);
    let place = if online { place.to_string() } else { format!("{place}, {}", locality.name) };
    let hours = match p.kind {
        Subbotnik => g.rng.i64(3..=4) * 60,
        Forum | StrategySession => g.rng.i64(4..=6) * 60,
        Survey => 14 * 24 * 60,
        Vote => g.rng.i64(6..=9) * 60,
        _ => g.rng.i64(3..=5) * 30,
    };
    let ends_at = g.chance(90).then(|| p.starts_at + TimeDelta::minutes(hours));

    // Named attendees: the village first, then the district, a few from elsewhere.
    let factor = match p.kind {
        CitizensGathering => 160,
        Vote | Forum => 120,
        Subbotnik => 110,
        Meeting | ResidentsMeeting => 100,
        PublicHearing => 90,
        Survey => 80,
        Seminar => 70,
        StrategySession => 60,
        Webinar => 50,
    };
    let base = (mean * factor / 100).max(1);
    // The last event makes up what is still missing, so the total comes out as promised.
    let wanted = if last { mean } else { g.rng.usize(base / 2..=base * 3 / 2) }.min(300);
    let mut named: Vec<(u32, AttendeeRole)> = Vec::with_capacity(wanted);
    let add = |who: u32, role: AttendeeRole, named: &mut Vec<(u32, AttendeeRole)>| {
        if named.len() < wanted.max(1) && !named.iter().any(|n| n.0 == who) {
            named.push((who, role));
        }
    };
    if g.chance(45)
        && let Some(official) = (!people.officials[district].is_empty()).then(|| g.pick(&people.officials[district]))
    {
        let role = if matches!(p.kind, Seminar | Webinar | Forum | StrategySession) {
            AttendeeRole::Organiser
        } else {
            AttendeeRole::Official
        };
        add(official, role, &mut named);
    }
    if matches!(p.kind, CitizensGathering | Meeting | ResidentsMeeting | Subbotnik)
        && g.chance(60)
        && let Some(elder) = people.elders[l]
    {
        add(elder, AttendeeRole::Speaker, &mut named);
    }

    // Initiatives discussed: this village's (or district's) projects of this year or the next.
    let links = if matches!(p.kind, CitizensGathering | Meeting | PublicHearing | Vote | ResidentsMeeting)
        || (p.kind == Survey && g.chance(40))
        || (p.kind == Subbotnik && g.chance(25))
    {
        g.weighted(&[30, 50, 20])
    } else {
        0
    };
    if links > 0 {
        let year = day.year();
        let fits = |&&i: &&u32| {
            let init = &projects.list[i as usize];
            (init.year == year || init.year == year + 1) && init.idea_on <= day
        };
        let mut candidates: Vec<u32> = projects.by_locality[l].iter().filter(fits).copied().collect();
        if candidates.is_empty() {
            candidates = projects.by_district[district].iter().filter(fits).copied().collect();
        }
        g.rng.shuffle(&mut candidates);
        for &i in candidates.iter().take(links) {
            let init = &projects.list[i as usize];
            rows.links.push(rows::EventInitiative { event_id: id, initiative_id: init.id });
            if let Some(who) = init.initiator {
                add(who, AttendeeRole::Initiator, &mut named);
            }
        }
    }

    let here = &people.persons[l];
    let around = &people.district_persons[district];
    for _ in 0..wanted * 3 {
        if named.len() >= wanted {
            break;
        }
        let pool = match g.rng.u8(0..100) {
            0..70 if !here.is_empty() => here,
            0..95 => around,
            _ => &people.district_persons[g.rng.usize(..geo.districts.len())],
        };
        if pool.is_empty() {
            continue;
        }
        let role = match g.rng.u8(0..100) {
            0..4 => AttendeeRole::Speaker,
            4..6 => AttendeeRole::Expert,
            _ => AttendeeRole::Participant,
        };
        add(g.pick(pool), role, &mut named);
    }

    let (lo, hi) = match p.kind {
        CitizensGathering | Survey | Vote | Forum => (30, 300),
        Webinar => (20, 150),
        ResidentsMeeting => (15, 120),
        Subbotnik => (10, 80),
        _ => (10, 60),
    };
    let ceiling = (locality.population * 7 / 10).clamp(10, hi);
    let headcount = (g.rng.i64(lo.min(ceiling)..=ceiling) as usize).max(named.len());
    let minutes = if matches!(p.kind, CitizensGathering | Meeting | PublicHearing | Vote) && g.chance(70) {
        format!("Протокол № {} от {}", g.rng.u8(1..=40), day.format("%d.%m.%Y"))
    } else {
        String::new()
    };
    rows.attendees.extend(named.iter().map(|&(who, role)| rows::Attendee {
        event_id: id,
        contact_id: people.contacts[who as usize].id,
        role,
    }));
    rows.history.push(Created { id: g.id_on(day).0, entity_id: id, at });
    let outcome = if g.chance(92) { outcomes.pick(g, p.kind) } else { "" };
    rows.events.push(rows::Event {
        id,
        kind: p.kind,
        sort_key: fold(&title).into(),
        title: title.into(),
        starts_at: p.starts_at,
        ends_at,
        place: place.into(),
        territory_id: locality.id,
        headcount: headcount as i64,
        outcome: outcome.into(),
        minutes: minutes.into(),
        created_at: at,
        updated_at: at,
        updated_by: rows.device.clone().into(),
    });
    named.len()
}

impl Rows {
    fn write(mut self, sink: &mut Sink) -> Result<()> {
        // In key order, as the tables keep them: each row goes in at the end, without a search.
        self.attendees.sort_unstable_by_key(|a| (a.event_id, a.contact_id));
        self.links.sort_unstable_by_key(|l| (l.event_id, l.initiative_id));
        sink.insert(self.events)?;
        sink.insert(self.attendees)?;
        sink.insert(self.links)?;
        write_history(sink, Entity::Event, self.history)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;
    use mestno_core::model::Id;

    #[test]
    fn every_kind_has_fitting_outcomes() {
        let outcomes = Outcomes::new();
        for &kind in EventKind::ALL {
            assert!(!outcomes.of(kind).is_empty(), "{kind:?}");
        }
        let clean_up = outcomes.of(EventKind::Subbotnik);
        assert!(clean_up.iter().all(|o| !o.contains("голосован")), "a clean-up does not vote: {clean_up:?}");
    }

    #[test]
    fn events_fall_between_the_first_year_and_today_on_plausible_days() {
        use super::super::territory::{District, Locality};
        let today = ymd(2025, 11, 1);
        let mut g = Gen::new(31, today);
        let locality = |name: &str, centre: bool| Locality {
            id: Id::nil(),
            name: name.into(),
            district: 0,
            population: if centre { 9_000 } else { 400 },
            centre,
        };
        let geo = Geography {
            districts: vec![District { code: 0, localities: 0..2 }],
            localities: vec![locality("п. Абан", true), locality("д. Ивановка", false)],
            ids: vec![],
        };
        let lottery = Lottery::new([9_000, 400]);
        for _ in 0..3_000 {
            let p = plan(&mut g, &geo, &lottery);
            let day = p.starts_at.date();
            assert!(day <= today && day >= ymd(FIRST_YEAR, 1, 1), "{day}");
            let weekday = day.weekday().num_days_from_monday();
            if p.kind == EventKind::Subbotnik {
                assert_eq!(weekday, 5, "clean-ups are on Saturdays: {day}");
            } else {
                assert!(weekday <= 5, "nothing on Sundays: {:?} {day}", p.kind);
            }
            assert!((9..=18).contains(&p.starts_at.hour()), "{}", p.starts_at);
            if matches!(p.kind, EventKind::Seminar | EventKind::Forum) {
                assert_eq!(p.locality, 0, "district events are held in the centre");
            }
        }
    }
}
