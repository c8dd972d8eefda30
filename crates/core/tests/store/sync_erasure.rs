//! An erasure under 152-ФЗ travels as an act and is done again on every office; an erased person
//! never comes back from an older package or an office that has not heard of the act yet.

use chrono::Duration;
use mestno_core::model::*;
use mestno_core::store::{Holdings, Scope};

use crate::erasure::traces_of_in_tables;
use crate::sync::{content, deliver, replicas};
use crate::util::{date, event, geo, person, water};

fn request() -> ErasureRequest {
    ErasureRequest {
        request_number: "ПД-7/2025".into(),
        requested_on: date("2025-10-28"),
        reason: "заявление субъекта".into(),
        basis: ErasureBasis::SubjectRequest,
    }
}

#[tokio::test]
async fn an_erasure_is_done_again_on_every_office_and_the_person_never_comes_back() {
    let r = replicas(3).await;
    let (district, village, other) = (&r.stores[0], &r.stores[1], &r.stores[2]);
    let g = geo(district).await;
    let mut input = person("Журавлёва", "Ольга", "Ивановна", Some(g.berezovka));
    input.phones = vec!["+7 913 555-77-88".into()];
    let olga = district.create_contact(input).await.unwrap();
    let mut project = water(g.berezovka, None);
    project.initiator.contact_id = Some(olga.id);
    project.initiator.name = "Журавлёва О. И.".into();
    project.description = "Предложила Журавлёва Ольга Ивановна, тел. +7 913 555-77-88".into();
    let project = district.create_initiative(project, Stage::Idea, date("2025-10-01")).await.unwrap();
    let meeting = district
        .create_event(event(g.berezovka, EventKind::Meeting, "2025-10-05 18:00", 40, &[olga.id]))
        .await
        .unwrap();
    deliver(district, village).await;
    deliver(district, other).await;
    // A package the other office made before it heard of the erasure, and an edit of hers it
    // makes meanwhile.
    let stale = other.changes_since(&Holdings::new(), &Scope::default()).await.unwrap();
    r.clock.advance(Duration::minutes(1));
    let held = other.contact(olga.id).await.unwrap();
    let mut edited = held.input.clone();
    edited.notes = "звонила 1 ноября".into();
    other.update_contact(olga.id, held.stamp.rev, edited).await.unwrap();

    r.clock.advance(Duration::minutes(1));
    let act = district.erase_person(olga.id, request()).await.unwrap();

    let applied = deliver(district, village).await;
    assert_eq!(applied.erased, 1, "{applied:?}");
    assert!(village.contact(olga.id).await.is_err(), "erased in the village too");
    let log = village.erasure_log().await.unwrap();
    assert_eq!(log.len(), 1, "the village logs an act of its own");
    assert_eq!(log[0].request_number, "ПД-7/2025");
    assert!(log[0].reason.contains(&act.log.act_number), "it names the district's act: {}", log[0].reason);
    let there = village.initiative(project.id).await.unwrap();
    assert_eq!(there.input.initiator.contact_id, None);
    assert!(!there.input.description.contains("Журавлёва"), "{}", there.input.description);
    assert_eq!(village.event(meeting.id).await.unwrap().input.headcount, 40, "the headcount stays");
    let traces = ["Журавлёва", "Журавлевой", "9135557788", "555-77-88"];
    assert_eq!(traces_of_in_tables(village.path(), &traces).await, Vec::<String>::new());

    // The old package and the office that has not heard of the act bring nothing of her back.
    let again = village.apply_changes(&stale, &Scope::default()).await.unwrap();
    assert!(again.refused > 0, "{again:?}");
    deliver(other, village).await;
    deliver(other, district).await;
    for store in [district, village] {
        assert!(store.contact(olga.id).await.is_err());
        assert_eq!(traces_of_in_tables(store.path(), &traces).await, Vec::<String>::new());
    }
    // The act reaches the other office in turn, and every office ends the same.
    for (from, to) in [(district, other), (village, other), (other, district), (other, village)] {
        deliver(from, to).await;
    }
    assert!(other.contact(olga.id).await.is_err());
    assert_eq!(traces_of_in_tables(other.path(), &traces).await, Vec::<String>::new());
    assert_eq!(content(village).await, content(district).await);
    assert_eq!(content(other).await, content(district).await);
}

#[tokio::test]
async fn an_office_that_never_held_the_person_remembers_her_as_erased() {
    let r = replicas(3).await;
    let (district, village, late) = (&r.stores[0], &r.stores[1], &r.stores[2]);
    let g = geo(district).await;
    deliver(district, late).await;
    let olga = district.create_contact(person("Журавлёва", "Ольга", "Ивановна", Some(g.berezovka))).await.unwrap();
    deliver(district, village).await;
    r.clock.advance(Duration::minutes(1));
    district.erase_person(olga.id, request()).await.unwrap();
    // The late office hears of the act first, then of her from everything the village holds.
    let applied = deliver(district, late).await;
    assert_eq!(applied.erased, 0, "nobody to erase there");
    let everything = village.changes_since(&Holdings::new(), &Scope::default()).await.unwrap();
    let old_copy = late.apply_changes(&everything, &Scope::default()).await.unwrap();
    assert_eq!(old_copy.refused, 1, "her record is refused as erased: {old_copy:?}");
    assert!(late.contact(olga.id).await.is_err(), "she never arrives");
    assert!(late.erasure_log().await.unwrap().is_empty());
}
