//! The redaction's tests: one person, Анна Петровна Семёнова, found and not found in free text.

use serde_json::json;

use super::*;
use crate::model::{ContactInput, ContactKind, Stamp};

fn anna() -> Person {
    Person::of(&Contact {
        id: crate::model::Id::nil(),
        input: ContactInput {
            kind: ContactKind::Person,
            last_name: "Семёнова".into(),
            first_name: "Анна".into(),
            middle_name: "Петровна".into(),
            org_name: String::new(),
            position: String::new(),
            territory_id: None,
            address: String::new(),
            notes: String::new(),
            roles: vec![],
            phones: vec!["+79135551234".into()],
            emails: vec!["anna@mail.ru".into()],
            tags: vec![],
        },
        display_name: "Семёнова Анна Петровна".into(),
        consents: vec![],
        stamp: Stamp { created_at: 0, updated_at: 0, updated_by: String::new(), rev: 1 },
    })
}

#[test]
fn the_full_name_is_found_in_any_order_case_and_spelling() {
    let p = anna();
    for (text, expected) in [
        ("Выступила Семёнова Анна Петровна, староста.", "Выступила [удалено], староста."),
        ("Слово предоставлено Семеновой А.П.", "Слово предоставлено [удалено]"),
        ("Докладчик — А. П. Семёнова.", "Докладчик — [удалено]."),
        ("поручить СЕМЁНОВОЙ АННЕ подготовить смету", "поручить [удалено] подготовить смету"),
        ("Анну Петровну Семёнову избрали старостой", "[удалено] избрали старостой"),
        ("Семёнова Анна Петровна", "[удалено]"),
    ] {
        assert_eq!(p.redact(text, false).as_deref(), Some(expected), "«{text}» names her in full");
    }
}

#[test]
fn her_record_ids_count_only_when_given() {
    let id = Id::from_u128(0x0193_5d2e_0000_7000_8000_0000_0000_0abc);
    let other = Id::from_u128(0x0193_5d2e_0000_7000_8000_0000_0000_0def);
    let mut history =
        json!({ "attendees": { "old": [{ "contact_id": id.to_string() }, { "contact_id": other.to_string() }] } });
    assert!(anna().redact_json(&mut history.clone(), false).is_empty(), "an id alone is not a mention of her");
    let before = anna().with_records(&[id]).redact_json(&mut history, false);
    assert_eq!(before, [id.to_string()]);
    assert_eq!(
        history,
        json!({ "attendees": { "old": [{ "contact_id": "[удалено]" }, { "contact_id": other.to_string() }] } }),
        "hers goes, another person's stays"
    );
}

#[test]
fn a_lone_surname_counts_only_in_a_text_about_her() {
    let p = anna();
    let lone = "Семёновы предложили покрасить забор";
    assert_eq!(p.redact(lone, false), None, "a namesake's family in an unrelated text stays");
    assert_eq!(p.redact(lone, true).as_deref(), Some("[удалено] предложили покрасить забор"));
    let both = "Семёнова А.П. внесла предложение; Семёновой поручено собрать подписи, Анна Петровна согласна.";
    assert_eq!(
        p.redact(both, false).as_deref(),
        Some("[удалено] внесла предложение; [удалено] поручено собрать подписи, [удалено] согласна."),
        "once named in full, the surname alone and the name with patronymic are her too"
    );
    assert_eq!(p.redact("Анна Ивановна Петрова", true), None, "another Анна is not her");
    assert_eq!(p.redact("Семенихин А.П.", true), None, "another surname sharing letters is not hers");
    for relative in [
        "Семёнов П.И. поддержал",
        "выступил Семёнов Пётр Ильич",
        "П. И. Семёнов против",
        "Семёнова Анна Ивановна, соседка",
        "подписала Семёнова А. И.",
    ] {
        assert_eq!(
            p.redact(relative, true),
            None,
            "«{relative}» is a relative or a namesake, even in a text about her"
        );
    }
}

#[test]
fn phones_in_any_notation_and_emails_in_any_case_are_found_everywhere() {
    let p = anna();
    for (text, expected) in [
        ("тел. 8 (913) 555-12-34", "тел. [удалено]"),
        ("+7 913 555 12 34, звонить вечером", "[удалено], звонить вечером"),
        ("79135551234;89135551234", "[удалено];[удалено]"),
        ("пишите на Anna@Mail.RU.", "пишите на [удалено]."),
    ] {
        assert_eq!(p.redact(text, false).as_deref(), Some(expected), "{text}");
    }
    for text in ["8 (913) 555-12-345", "191355512341", "hanna@mail.ru", "anna@mail.ru.com", "555-12-34"] {
        assert_eq!(p.redact(text, true), None, "«{text}» is someone else's");
    }
}

#[test]
fn json_strings_are_redacted_and_keys_kept() {
    let p = anna();
    let mut v = json!({"minutes": {"old": "Семёнова А.П. против", "new": ""}, "phones": {"new": ["+79135551234"]}});
    let before = p.redact_json(&mut v, false);
    assert_eq!(v, json!({"minutes": {"old": "[удалено] против", "new": ""}, "phones": {"new": ["[удалено]"]}}));
    assert_eq!(before.len(), 2, "the two strings that held her");
}

#[test]
fn needles_cover_what_the_redaction_looks_for() {
    let p = anna();
    for n in ["Семёнов", "Семенов", "семенов", "СЕМЁНОВ", "1234", "12-34", "12 34"] {
        assert!(p.needles().contains(&n.to_string()), "{n} in {:?}", p.needles());
    }
    assert_eq!(p.lowercase_needles(), ["anna@mail.ru"]);
}
