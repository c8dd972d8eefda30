//! The Russian vocabulary the generator draws from: names, places, organisations, texts.
//!
//! The lists live in `data/`, one entry a line, built into the library; an entry of several
//! forms (a surname's male and female form, a district and its centre) gives them on one line,
//! separated by ` | `. Each list is read once, the first time it is used. The templates keyed by
//! object type or kind of event are in `templates.rs`.

use std::sync::LazyLock;

/// A list of single entries.
type List = LazyLock<Vec<&'static str>>;
/// A list of entries in two forms.
type Pairs = LazyLock<Vec<(&'static str, &'static str)>>;

/// The lines of a data file.
fn lines(text: &'static str) -> Vec<&'static str> {
    text.lines().filter(|l| !l.is_empty()).collect()
}

/// The lines of a data file of two forms an entry.
fn pairs(text: &'static str) -> Vec<(&'static str, &'static str)> {
    lines(text).into_iter().map(|l| l.split_once(" | ").unwrap_or((l, l))).collect()
}

/// Surnames as (male form, female form): Russian, Siberian old-settler, Ukrainian, Tatar, German.
pub(crate) static SURNAMES: Pairs = LazyLock::new(|| pairs(include_str!("../data/surnames.txt")));

/// Male first names with the patronymics they give: (name, son's patronymic, daughter's).
pub(crate) static MALE_NAMES: LazyLock<Vec<(&'static str, &'static str, &'static str)>> = LazyLock::new(|| {
    lines(include_str!("../data/male-names.txt"))
        .into_iter()
        .map(|l| {
            let mut forms = l.split(" | ");
            let mut next = || forms.next().unwrap_or(l);
            (next(), next(), next())
        })
        .collect()
});

/// Female first names.
pub(crate) static FEMALE_NAMES: List = LazyLock::new(|| lines(include_str!("../data/female-names.txt")));

/// The 44 municipal districts/okrugs of a Siberian krai: (official name, administrative centre).
pub(crate) static DISTRICTS: Pairs = LazyLock::new(|| pairs(include_str!("../data/districts.txt")));

/// Names of villages and settlements, without the kind prefix.
pub(crate) static LOCALITY_ROOTS: List = LazyLock::new(|| lines(include_str!("../data/localities.txt")));

/// Street names with their type abbreviation, as written in addresses.
pub(crate) static STREETS: List = LazyLock::new(|| lines(include_str!("../data/streets.txt")));

/// Places where engagement events are held.
pub(crate) static EVENT_PLACES: List = LazyLock::new(|| lines(include_str!("../data/event-places.txt")));

/// Outcomes of engagement events, as recorded in the minutes.
pub(crate) static EVENT_OUTCOMES: List = LazyLock::new(|| lines(include_str!("../data/event-outcomes.txt")));

/// Organisations: businesses, farms, municipal institutions, NGOs, TOS, foundations.
pub(crate) static ORGANISATIONS: List = LazyLock::new(|| lines(include_str!("../data/organisations.txt")));

/// Contractor firms that carry out initiative projects.
pub(crate) static CONTRACTORS: List = LazyLock::new(|| lines(include_str!("../data/contractors.txt")));

/// Job titles and roles of contacts.
pub(crate) static POSITIONS: List = LazyLock::new(|| lines(include_str!("../data/positions.txt")));

/// Residents' appeals and proposals, in the residents' own words.
pub(crate) static APPEAL_TEXTS: List = LazyLock::new(|| lines(include_str!("../data/appeals.txt")));

/// Tags attached to contacts.
pub(crate) static TAGS: List = LazyLock::new(|| lines(include_str!("../data/tags.txt")));

/// Results of completed initiatives, as reports put them.
pub(crate) static INITIATIVE_RESULTS: List = LazyLock::new(|| lines(include_str!("../data/initiative-results.txt")));

/// Non-monetary contributions of residents and businesses.
pub(crate) static IN_KIND_NOTES: List = LazyLock::new(|| lines(include_str!("../data/in-kind-contributions.txt")));

/// Kinds of localities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LocalityKind {
    /// Село.
    Village,
    /// Деревня.
    Hamlet,
    /// Посёлок.
    Settlement,
    /// Посёлок городского типа.
    UrbanSettlement,
}

impl LocalityKind {
    /// Every kind.
    #[cfg(test)]
    pub(crate) const ALL: [LocalityKind; 4] =
        [LocalityKind::Village, LocalityKind::Hamlet, LocalityKind::Settlement, LocalityKind::UrbanSettlement];

    /// The abbreviation written before the name: «с. Берёзовка».
    pub(crate) fn abbreviation(self) -> &'static str {
        match self {
            LocalityKind::Village => "с.",
            LocalityKind::Hamlet => "д.",
            LocalityKind::Settlement => "п.",
            LocalityKind::UrbanSettlement => "пгт",
        }
    }

    /// The full word.
    #[cfg(test)]
    pub(crate) fn word(self) -> &'static str {
        match self {
            LocalityKind::Village => "село",
            LocalityKind::Hamlet => "деревня",
            LocalityKind::Settlement => "посёлок",
            LocalityKind::UrbanSettlement => "посёлок городского типа",
        }
    }
}

#[cfg(test)]
mod tests;
