use mestno_core::ErrorCode;
use mestno_core::model::*;
use mestno_core::store::ContactQuery;

use crate::util::*;

#[tokio::test]
async fn phones_and_emails_are_stored_normalised() {
    let o = office().await;
    let mut input = person("Семёнова", "Анна", "Петровна", None);
    input.phones = vec!["8 (913) 555-12-34".into()];
    input.emails = vec![" Anna.Semenova@Mail.RU ".into()];
    let c = o.store.create_contact(input).await.unwrap();
    assert_eq!(c.input.phones, ["+79135551234"]);
    assert_eq!(c.input.emails, ["anna.semenova@mail.ru"]);
    assert_eq!(c.display_name, "Семёнова Анна Петровна");
}

#[tokio::test]
async fn a_bad_phone_is_refused_on_its_field_and_nothing_is_stored() {
    let o = office().await;
    let mut input = person("Иванов", "Пётр", "", None);
    input.phones = vec!["+7 913 555 12 34".into(), "звонить через сельсовет".into()];
    let err = o.store.create_contact(input).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "phones[1]");
    assert!(err.to_string().contains("не похож на российский номер"), "{err}");
    assert_eq!(count(&o.store, "contacts").await, 0);
    assert_eq!(count(&o.store, "contact_phones").await, 0);
}

#[tokio::test]
async fn only_people_with_consent_in_force_pass_the_consent_filter() {
    let o = office().await;
    let with = o.store.create_contact(person("Кузнецов", "Иван", "Ильич", None)).await.unwrap();
    let without = o.store.create_contact(person("Белых", "Ольга", "", None)).await.unwrap();
    let withdrawn = o.store.create_contact(person("Толстая", "Мария", "", None)).await.unwrap();
    let consent = |on: &str| ConsentInput {
        purpose: "участие в ППМИ".into(),
        given_on: date(on),
        method: ConsentMethod::Written,
        expires_on: None,
    };
    o.store.add_consent(with.id, consent("2025-01-10")).await.unwrap();
    let w = o.store.add_consent(withdrawn.id, consent("2025-01-10")).await.unwrap();
    o.store.withdraw_consent(w.consents[0].id, date("2025-06-01")).await.unwrap();

    let page = o
        .store
        .list_contacts(&ContactQuery { consent_on: Some(date("2025-11-01")), limit: 50, ..Default::default() })
        .await
        .unwrap();
    let names: Vec<&str> = page.items.iter().map(|r| r.display_name.as_str()).collect();
    assert_eq!(names, ["Кузнецов Иван Ильич"]);
    assert_eq!(page.total, 1);
    let before = o
        .store
        .list_contacts(&ContactQuery { consent_on: Some(date("2025-05-01")), limit: 50, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(before.total, 2, "before the withdrawal both consents were in force");
    assert!(before.items.iter().all(|r| r.id != without.id));

    let future = o.store.add_consent(without.id, consent("2025-12-01")).await.unwrap_err();
    assert_eq!(future.field_errors()[0].field, "given_on", "consent cannot be dated in the future");
}

#[tokio::test]
async fn organisations_do_not_give_personal_consent() {
    let o = office().await;
    let org = ContactInput {
        kind: ContactKind::Organisation,
        org_name: "ООО «СибДорСтрой»".into(),
        roles: vec![Role::Business],
        ..person("", "", "", None)
    };
    let org = o.store.create_contact(org).await.unwrap();
    assert_eq!(org.display_name, "ООО «СибДорСтрой»");
    let err = o
        .store
        .add_consent(
            org.id,
            ConsentInput {
                purpose: "x".into(),
                given_on: date("2025-01-01"),
                method: ConsentMethod::Oral,
                expires_on: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Refused);
}

#[tokio::test]
async fn a_contacts_activity_lists_what_they_put_forward_and_the_events_they_attended() {
    let o = office().await;
    let g = geo(&o.store).await;
    let anna = o.store.create_contact(person("Семёнова", "Анна", "", Some(g.berezovka))).await.unwrap().id;
    let oleg = o.store.create_contact(person("Жуков", "Олег", "", Some(g.berezovka))).await.unwrap().id;
    let mut own = water(g.berezovka, None);
    own.initiator.contact_id = Some(anna);
    let own = o.store.create_initiative(own, Stage::Idea, date("2025-03-01")).await.unwrap().id;
    let mut other = water(g.elkino, None);
    other.title = "Детская площадка в д. Ёлкино".into();
    let other = o.store.create_initiative(other, Stage::Idea, date("2025-03-02")).await.unwrap().id;
    let mut gathering = event(g.elkino, EventKind::CitizensGathering, "2025-04-12 18:00", 30, &[anna, oleg]);
    gathering.attendees[0].role = AttendeeRole::Speaker;
    gathering.initiative_ids = vec![other];
    let gathering = o.store.create_event(gathering).await.unwrap().id;

    let anna_did = o.store.contact_activity(anna, 50).await.unwrap();
    let initiatives: Vec<(Id, bool)> = anna_did.initiatives.iter().map(|i| (i.id, i.initiator)).collect();
    assert_eq!(initiatives.len(), 2, "{initiatives:?}");
    assert!(initiatives.contains(&(own, true)) && initiatives.contains(&(other, false)));
    assert_eq!(anna_did.events.len(), 1);
    assert_eq!((anna_did.events[0].id, anna_did.events[0].role), (gathering, AttendeeRole::Speaker));

    let oleg_did = o.store.contact_activity(oleg, 50).await.unwrap();
    assert_eq!(oleg_did.initiatives.iter().map(|i| i.id).collect::<Vec<_>>(), [other]);
    let nobody = o.store.contact_activity(Id::now_v7(), 50).await.unwrap_err();
    assert_eq!(nobody.code(), ErrorCode::NotFound);
}
