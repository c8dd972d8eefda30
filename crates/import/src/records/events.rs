//! An event from a row of an events list or attendance sheet.

use mestno_core::model::{EventInput, EventKind};
use mestno_core::{Lang, Text};

use super::{Row, territory_required};
use crate::fields::Field;
use crate::labels;
use crate::parse;

/// An event from a row of an events list or attendance sheet.
pub(crate) fn event(row: &mut Row<'_>) -> Option<EventInput> {
    let title = row.text(Field::Title);
    let kind = match row.text(Field::EventKind) {
        Some(k) => labels::event_kind(&k),
        None => None,
    }
    .or_else(|| title.as_deref().and_then(labels::event_kind))
    .or(row.ctx.defaults.event_kind)
    .unwrap_or(EventKind::Meeting);
    let before = row.problems.len();
    let start = row.read(Field::Date, |v, _| parse::datetime(v));
    if start.is_none() && row.problems.len() == before {
        row.problem(Some(Field::Date), Text::new("не указана дата мероприятия", "the event's date is not given"));
    }
    let times = row.read(Field::Time, |v, _| parse::time_range(v));
    let end_time = row.read(Field::EndTime, |v, _| parse::time_range(v)).map(|(t, _)| t);
    let starts_at = start.map(|s| match times {
        Some((t, _)) => s.date().and_time(t),
        None => s,
    });
    let ends_at = match (starts_at, end_time.or(times.and_then(|(_, e)| e))) {
        (Some(s), Some(e)) => Some(s.date().and_time(e)),
        _ => None,
    };
    let territory = territory_required(row);
    let input = EventInput {
        kind,
        title: title.unwrap_or_else(|| capitalise(kind.label(Lang::Ru))),
        starts_at: starts_at.unwrap_or_default(),
        ends_at,
        place: row.text_or_empty(Field::Place),
        territory_id: territory.unwrap_or_default(),
        headcount: row.count(Field::Headcount),
        attendees: Vec::new(),
        initiative_ids: Vec::new(),
        outcome: row.text_or_empty(Field::Outcome),
        minutes: row.text_or_empty(Field::Minutes),
    };
    row.problems.is_empty().then_some(input)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
