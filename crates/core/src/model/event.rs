use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::{Id, Stamp, check_date, check_not_blank};
use crate::codes::code_enum;
use crate::error::Problems;

code_enum! {
    /// The kind of an engagement event.
    EventKind {
        CitizensGathering = "citizens_gathering", "сход граждан", "citizens' gathering";
        Meeting = "meeting", "собрание", "meeting";
        PublicHearing = "public_hearing", "публичные слушания", "public hearing";
        Survey = "survey", "опрос", "survey";
        Vote = "vote", "голосование", "vote";
        Subbotnik = "subbotnik", "субботник", "community clean-up";
        Seminar = "seminar", "семинар", "seminar";
        Webinar = "webinar", "вебинар", "webinar";
        StrategySession = "strategy_session", "стратегическая сессия", "strategy session";
        Forum = "forum", "форум", "forum";
        ResidentsMeeting = "residents_meeting", "встреча с жителями", "meeting with residents";
    }
}

code_enum! {
    /// The part a named attendee played at an event.
    AttendeeRole {
        Participant = "participant", "участник", "participant";
        Speaker = "speaker", "выступающий", "speaker";
        Organiser = "organiser", "организатор", "organiser";
        Official = "official", "представитель власти", "official";
        Expert = "expert", "эксперт", "expert";
        Initiator = "initiator", "инициатор", "initiator";
    }
}

/// A named attendee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Attendee {
    /// The contact.
    pub contact_id: Id,
    /// Their part.
    #[serde(default = "participant")]
    pub role: AttendeeRole,
}

fn participant() -> AttendeeRole {
    AttendeeRole::Participant
}

/// What a form supplies for an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EventInput {
    /// Kind.
    pub kind: EventKind,
    /// Title.
    pub title: String,
    /// Local start.
    pub starts_at: NaiveDateTime,
    /// Local end.
    #[serde(default)]
    pub ends_at: Option<NaiveDateTime>,
    /// Place.
    #[serde(default)]
    pub place: String,
    /// Territory.
    pub territory_id: Id,
    /// Everyone who took part, named or anonymous.
    #[serde(default)]
    pub headcount: i64,
    /// Named attendees (contacts).
    #[serde(default)]
    pub attendees: Vec<Attendee>,
    /// Initiatives discussed.
    #[serde(default)]
    pub initiative_ids: Vec<Id>,
    /// Decisions taken.
    #[serde(default)]
    pub outcome: String,
    /// Minutes (протокол).
    #[serde(default)]
    pub minutes: String,
}

/// A stored event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Event {
    /// Id.
    pub id: Id,
    /// The editable fields.
    #[serde(flatten)]
    pub input: EventInput,
    /// Sync stamp.
    pub stamp: Stamp,
}

impl EventInput {
    pub(crate) fn validate(&self, p: &mut Problems) {
        check_not_blank(p, "title", &self.title, "название мероприятия", "event's title");
        check_date(p, "starts_at", self.starts_at.date());
        if let Some(end) = self.ends_at
            && end < self.starts_at
        {
            p.push("ends_at", "мероприятие заканчивается раньше, чем начинается", "the event ends before it starts");
        }
        if self.headcount < 0 {
            p.push("headcount", "число участников не может быть отрицательным", "the headcount cannot be negative");
        } else if (self.headcount as usize) < self.attendees.len() {
            p.push(
                "headcount",
                format!(
                    "участников всего ({}) меньше, чем названо поимённо ({})",
                    self.headcount,
                    self.attendees.len()
                ),
                format!(
                    "the headcount ({}) is below the number of named attendees ({})",
                    self.headcount,
                    self.attendees.len()
                ),
            );
        }
        let mut seen = std::collections::HashSet::new();
        for (i, a) in self.attendees.iter().enumerate() {
            if !seen.insert(a.contact_id) {
                p.push(
                    format!("attendees[{i}].contact_id"),
                    "этот участник уже указан",
                    "this attendee is listed twice",
                );
            }
        }
    }
}
