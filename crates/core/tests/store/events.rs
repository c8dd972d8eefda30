use mestno_core::ErrorCode;
use mestno_core::model::*;

use crate::util::*;

#[tokio::test]
async fn an_attendee_who_is_not_a_contact_is_refused_and_nothing_is_stored() {
    let o = office().await;
    let g = geo(&o.store).await;
    let anna = o.store.create_contact(person("Семёнова", "Анна", "", None)).await.unwrap().id;
    let input = event(g.berezovka, EventKind::CitizensGathering, "2025-04-12 18:00", 40, &[anna, Id::now_v7()]);
    let err = o.store.create_event(input).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "attendees[1].contact_id");
    assert!(err.to_string().contains("не найден среди контактов"));
    assert_eq!(count(&o.store, "events").await, 0);
    assert_eq!(count(&o.store, "event_attendees").await, 0);
}

#[tokio::test]
async fn headcount_includes_the_named_attendees() {
    let o = office().await;
    let g = geo(&o.store).await;
    let a = o.store.create_contact(person("А", "А", "", None)).await.unwrap().id;
    let b = o.store.create_contact(person("Б", "Б", "", None)).await.unwrap().id;
    let err =
        o.store.create_event(event(g.berezovka, EventKind::Meeting, "2025-04-12 18:00", 1, &[a, b])).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "headcount");
    let mut late = event(g.berezovka, EventKind::Meeting, "2025-04-12 18:00", 5, &[a]);
    late.ends_at = Some(late.starts_at - chrono::Duration::hours(1));
    assert_eq!(o.store.create_event(late).await.unwrap_err().field_errors()[0].field, "ends_at");
    let old = event(g.berezovka, EventKind::Meeting, "1999-04-12 18:00", 5, &[a]);
    assert_eq!(o.store.create_event(old).await.unwrap_err().code(), ErrorCode::Invalid, "a date out of range");
}

#[tokio::test]
async fn an_event_keeps_its_attendees_roles_and_linked_initiatives() {
    let o = office().await;
    let g = geo(&o.store).await;
    let a = o.store.create_contact(person("Жуков", "Олег", "", None)).await.unwrap().id;
    let i = o.store.create_initiative(water(g.berezovka, None), Stage::Idea, date("2025-03-01")).await.unwrap().id;
    let mut input = event(g.berezovka, EventKind::CitizensGathering, "2025-04-12 18:00", 57, &[a]);
    input.attendees[0].role = AttendeeRole::Speaker;
    input.initiative_ids = vec![i];
    let e = o.store.create_event(input.clone()).await.unwrap();
    assert_eq!(e.input, input, "what was saved is what is read back");
}
