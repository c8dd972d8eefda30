use std::collections::HashSet;

use mestno_core::model::{EventKind, ObjectType};

use super::*;
use crate::templates::{event_titles, object_purpose, object_titles};

fn assert_unique<'a>(list: &str, items: impl IntoIterator<Item = &'a str>) {
    let mut seen = HashSet::new();
    for item in items {
        assert!(seen.insert(item), "{list}: duplicate {item:?}");
    }
}

/// Folds «ё» into «е», the way search compares text.
fn fold_yo(s: &str) -> String {
    s.replace('ё', "е").replace('Ё', "Е")
}

fn all_strings() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = Vec::new();
    all.extend(SURNAMES.iter().flat_map(|&(m, f)| [m, f]));
    all.extend(MALE_NAMES.iter().flat_map(|&(n, pm, pf)| [n, pm, pf]));
    all.extend(FEMALE_NAMES.iter());
    all.extend(DISTRICTS.iter().flat_map(|&(d, c)| [d, c]));
    all.extend(LOCALITY_ROOTS.iter());
    all.extend(LocalityKind::ALL.iter().flat_map(|k| [k.abbreviation(), k.word()]));
    all.extend(STREETS.iter());
    all.extend(ObjectType::ALL.iter().flat_map(|&o| object_titles(o).iter().copied()));
    all.extend(EventKind::ALL.iter().flat_map(|&k| event_titles(k).iter().copied()));
    all.extend(ObjectType::ALL.iter().map(|&o| object_purpose(o)));
    for list in [
        &EVENT_PLACES,
        &EVENT_OUTCOMES,
        &ORGANISATIONS,
        &CONTRACTORS,
        &POSITIONS,
        &APPEAL_TEXTS,
        &TAGS,
        &INITIATIVE_RESULTS,
        &IN_KIND_NOTES,
    ] {
        all.extend(list.iter());
    }
    all
}

#[test]
fn lists_meet_minimum_sizes() {
    let sizes = [
        ("SURNAMES", SURNAMES.len(), 300),
        ("MALE_NAMES", MALE_NAMES.len(), 60),
        ("FEMALE_NAMES", FEMALE_NAMES.len(), 60),
        ("DISTRICTS", DISTRICTS.len(), 44),
        ("LOCALITY_ROOTS", LOCALITY_ROOTS.len(), 250),
        ("LOCALITY_KINDS", LocalityKind::ALL.len(), 4),
        ("STREETS", STREETS.len(), 80),
        ("EVENT_PLACES", EVENT_PLACES.len(), 25),
        ("EVENT_OUTCOMES", EVENT_OUTCOMES.len(), 25),
        ("ORGANISATIONS", ORGANISATIONS.len(), 80),
        ("CONTRACTORS", CONTRACTORS.len(), 40),
        ("POSITIONS", POSITIONS.len(), 30),
        ("APPEAL_TEXTS", APPEAL_TEXTS.len(), 40),
        ("TAGS", TAGS.len(), 20),
    ];
    for (name, len, min) in sizes {
        assert!(len >= min, "{name} has {len} entries, needs at least {min}");
    }
    assert_eq!(DISTRICTS.len(), 44, "the krai has exactly 44 districts");
    for code in ObjectType::ALL {
        let titles = object_titles(*code);
        assert!(titles.len() >= 12, "OBJECT_TITLES[{code:?}] has {}", titles.len());
    }
    for code in EventKind::ALL {
        let titles = event_titles(*code);
        assert!(titles.len() >= 6, "EVENT_TITLES[{code:?}] has {}", titles.len());
    }
}

#[test]
fn lists_have_no_duplicates() {
    assert_unique("SURNAMES", SURNAMES.iter().map(|&(m, _)| m));
    assert_unique("MALE_NAMES", MALE_NAMES.iter().map(|&(n, _, _)| n));
    assert_unique("FEMALE_NAMES", FEMALE_NAMES.iter().copied());
    assert_unique("DISTRICTS", DISTRICTS.iter().map(|&(d, _)| d));
    assert_unique("DISTRICT centres", DISTRICTS.iter().map(|&(_, c)| c));
    assert_unique("LOCALITY_ROOTS", LOCALITY_ROOTS.iter().copied());
    assert_unique("LOCALITY_KINDS", LocalityKind::ALL.iter().map(|k| k.abbreviation()));
    assert_unique("STREETS", STREETS.iter().copied());
    assert_unique("EVENT_PLACES", EVENT_PLACES.iter().copied());
    assert_unique("EVENT_OUTCOMES", EVENT_OUTCOMES.iter().copied());
    assert_unique("ORGANISATIONS", ORGANISATIONS.iter().copied());
    assert_unique("CONTRACTORS", CONTRACTORS.iter().copied());
    assert_unique("POSITIONS", POSITIONS.iter().copied());
    assert_unique("APPEAL_TEXTS", APPEAL_TEXTS.iter().copied());
    assert_unique("TAGS", TAGS.iter().copied());
    for (code, titles) in templates() {
        assert_unique(&code, titles.iter().copied());
    }
    // Names that differ only in ё/е would look like duplicates to search.
    let mut folded = HashSet::new();
    for s in SURNAMES.iter().map(|&(m, _)| m).chain(LOCALITY_ROOTS.iter().copied()) {
        assert!(folded.insert(fold_yo(s)), "{s:?} differs from another only in ё/е");
    }
}

/// Every template list, named by what it is for: each object type's titles, then each kind of
/// event's.
fn templates() -> Vec<(String, &'static [&'static str])> {
    let objects = ObjectType::ALL.iter().map(|&o| (format!("OBJECT_TITLES[{}]", o.as_str()), object_titles(o)));
    let events = EventKind::ALL.iter().map(|&k| (format!("EVENT_TITLES[{}]", k.as_str()), event_titles(k)));
    objects.chain(events).collect()
}

#[test]
fn every_object_type_has_titles_that_name_the_place() {
    for &object in ObjectType::ALL {
        let titles = object_titles(object);
        assert!(!titles.is_empty(), "{object:?} has titles");
        for title in titles {
            assert!(title.contains("{place}"), "OBJECT_TITLES[{}]: {title:?}", object.as_str());
        }
    }
}

#[test]
fn every_object_type_has_a_purpose() {
    for &object in ObjectType::ALL {
        assert!(!object_purpose(object).is_empty(), "{object:?} says what it gives residents");
    }
}

#[test]
fn every_kind_of_event_has_titles() {
    for &kind in EventKind::ALL {
        assert!(!event_titles(kind).is_empty(), "{kind:?} has titles");
    }
}

#[test]
fn templates_use_only_the_place_placeholder() {
    let templates = templates();
    for (code, titles) in &templates {
        for title in *titles {
            let rest = title.replace("{place}", "");
            assert!(!rest.contains(['{', '}']), "{code}: stray brace in {title:?}");
        }
    }
    for s in all_strings() {
        if !templates.iter().any(|(_, t)| t.contains(&s)) {
            assert!(!s.contains(['{', '}']), "placeholder outside templates: {s:?}");
        }
    }
}

#[test]
fn every_line_of_the_data_files_has_its_forms() {
    let files = [
        ("surnames", include_str!("../../data/surnames.txt"), 2),
        ("male-names", include_str!("../../data/male-names.txt"), 3),
        ("districts", include_str!("../../data/districts.txt"), 2),
        ("localities", include_str!("../../data/localities.txt"), 1),
        ("streets", include_str!("../../data/streets.txt"), 1),
    ];
    for (name, text, forms) in files {
        for line in text.lines() {
            assert_eq!(line.split(" | ").count(), forms, "{name}: {line:?}");
        }
    }
    assert_eq!(SURNAMES.len(), include_str!("../../data/surnames.txt").lines().count(), "no line is skipped");
}

#[test]
fn yo_is_spelled_where_russian_spells_it() {
    assert!(SURNAMES.iter().any(|&(m, f)| m.contains('ё') && f.contains('ё')));
    assert!(MALE_NAMES.iter().any(|&(n, _, _)| n.contains('ё')));
    assert!(MALE_NAMES.iter().any(|&(_, pm, pf)| pm.contains('ё') && pf.contains('ё')));
    assert!(LOCALITY_ROOTS.iter().any(|s| s.contains('ё')));
}

#[test]
fn strings_are_clean() {
    for s in all_strings() {
        assert!(!s.is_empty(), "empty string");
        assert_eq!(s, s.trim(), "stray whitespace in {s:?}");
        assert!(!s.contains("  "), "double space in {s:?}");
        assert!(!s.contains('"'), "straight quotes in {s:?}, use «» and „“");
        assert_eq!(s.matches('«').count(), s.matches('»').count(), "unbalanced «» in {s:?}");
        assert_eq!(s.matches('„').count(), s.matches('“').count(), "unbalanced „“ in {s:?}");
        // A Latin letter inside a Cyrillic word is almost always a typo (Latin "о", "с").
        for word in s.split(|c: char| !c.is_alphabetic()) {
            let latin = word.chars().any(|c| c.is_ascii_alphabetic());
            let cyrillic = word.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
            assert!(!(latin && cyrillic), "mixed Latin and Cyrillic in {s:?}");
        }
    }
}

#[test]
fn surnames_agree_in_gender() {
    for &(m, f) in SURNAMES.iter() {
        let adjectival = (m.ends_with("ой") || m.ends_with("ий"))
            && f.ends_with("ая")
            && m[..m.len() - "ой".len()] == f[..f.len() - "ая".len()];
        let ok = m == f || f == format!("{m}а") || adjectival;
        assert!(ok, "({m:?}, {f:?}) is not a male/female pair");
    }
}

#[test]
fn patronymics_follow_the_name() {
    for &(name, pm, pf) in MALE_NAMES.iter() {
        assert!(pm.ends_with("ич"), "{pm:?}");
        assert!(pf.ends_with("на"), "{pf:?}");
        // Лев → Львович: only the first letter is sure to survive.
        let stem: String = name.chars().take(1).collect();
        assert!(pm.starts_with(&stem), "{name:?} → {pm:?}");
        assert!(pf.starts_with(&stem), "{name:?} → {pf:?}");
    }
}
