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

#[tokio::test]
async fn merging_a_duplicate_keeps_everything_they_did_and_counts_them_once() {
    let o = office().await;
    let g = geo(&o.store).await;
    let mut anna = person("Семёнова", "Анна", "", Some(g.berezovka));
    anna.phones = vec!["+7 913 555-12-34".into()];
    anna.roles = vec![Role::VillageElder];
    let anna = o.store.create_contact(anna).await.unwrap();
    // The same woman again, from an imported list: a patronymic, another phone, an e-mail.
    let mut twin = person("Семёнова", "Анна", "Петровна", Some(g.elkino));
    twin.phones = vec!["8 913 555 12 34".into(), "+7 391 632-12-34".into()];
    twin.emails = vec!["anna@mail.ru".into()];
    twin.notes = "из списка старост".into();
    let twin = o.store.create_contact(twin).await.unwrap();
    o.store
        .add_consent(
            twin.id,
            ConsentInput {
                purpose: "участие в ППМИ".into(),
                given_on: date("2025-03-01"),
                method: ConsentMethod::Written,
                expires_on: None,
            },
        )
        .await
        .unwrap();
    let mut own = water(g.berezovka, None);
    own.initiator.contact_id = Some(twin.id);
    let own = o.store.create_initiative(own, Stage::Idea, date("2025-03-01")).await.unwrap().id;
    // Both records attended the gathering; the twin alone attended the hearing.
    let gathering = o
        .store
        .create_event(event(g.berezovka, EventKind::CitizensGathering, "2025-04-12 18:00", 40, &[anna.id, twin.id]))
        .await
        .unwrap()
        .id;
    let hearing = o
        .store
        .create_event(event(g.berezovka, EventKind::PublicHearing, "2025-05-20 17:00", 25, &[twin.id]))
        .await
        .unwrap()
        .id;
    let before = o.store.stats(&Default::default()).await.unwrap();
    assert_eq!(before.unique_people, 2);

    let merged = o.store.merge_contacts(anna.id, anna.stamp.rev, twin.id).await.unwrap();
    assert_eq!(merged.display_name, "Семёнова Анна Петровна", "the empty patronymic is filled in");
    assert_eq!(merged.input.territory_id, Some(g.berezovka), "the kept record's own fields stay");
    assert_eq!(merged.input.phones, ["+73916321234", "+79135551234"], "the same phone once");
    assert_eq!(merged.input.emails, ["anna@mail.ru"]);
    assert_eq!(merged.input.notes, "из списка старост");
    assert_eq!(merged.consents.len(), 1, "the consent passes to the kept record");
    let did = o.store.contact_activity(anna.id, 50).await.unwrap();
    let events: Vec<Id> = did.events.iter().map(|e| e.id).collect();
    assert_eq!(events.len(), 2, "both events once: {events:?}");
    assert!(events.contains(&gathering) && events.contains(&hearing));
    assert!(did.initiatives.iter().any(|i| i.id == own && i.initiator), "the initiative they put forward");

    let after = o.store.stats(&Default::default()).await.unwrap();
    assert_eq!(after.unique_people, 1, "one person now");
    assert_eq!(after.participants, before.participants, "headcounts do not change");
    assert_eq!(o.store.contact(twin.id).await.unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(count(&o.store, "tombstones").await, 1, "the duplicate leaves a tombstone for sync");
    let history = o.store.history(anna.id).await.unwrap();
    assert!(history.iter().any(|h| h.changes.get("merged_from").is_some()), "{history:?}");
    assert!(o.store.check().await.unwrap().ok);

    let again = o.store.merge_contacts(anna.id, merged.stamp.rev, twin.id).await.unwrap_err();
    assert_eq!(again.code(), ErrorCode::NotFound);
    let stale = o.store.merge_contacts(anna.id, anna.stamp.rev, gathering).await.unwrap_err();
    assert_eq!(stale.code(), ErrorCode::NotFound, "an event is not a contact");
    let org = o
        .store
        .create_contact(ContactInput {
            kind: ContactKind::Organisation,
            org_name: "ООО «Ромашка»".into(),
            ..person("", "", "", None)
        })
        .await
        .unwrap();
    let refused = o.store.merge_contacts(anna.id, merged.stamp.rev, org.id).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Refused);
    assert_eq!(o.store.contact(org.id).await.unwrap().display_name, "ООО «Ромашка»", "nothing merged");
}

#[tokio::test]
async fn an_expired_consent_fails_the_consent_filter_from_the_day_after_it_ends() {
    let o = office().await;
    let c = o.store.create_contact(person("Ковалёва", "Нина", "", None)).await.unwrap();
    let consent = ConsentInput {
        purpose: "участие в ППМИ".into(),
        given_on: date("2024-01-10"),
        method: ConsentMethod::Written,
        expires_on: Some(date("2025-06-30")),
    };
    o.store.add_consent(c.id, consent).await.unwrap();
    for (day, listed) in [("2024-01-09", 0), ("2024-01-10", 1), ("2025-06-30", 1), ("2025-07-01", 0), ("2025-11-01", 0)]
    {
        let q = ContactQuery { consent_on: Some(date(day)), limit: 10, ..Default::default() };
        assert_eq!(o.store.list_contacts(&q).await.unwrap().total, listed, "on {day}");
    }
}

#[tokio::test]
async fn an_initiative_linked_to_a_person_names_them_in_reports_only_with_consent_whatever_its_initiator_kind() {
    let o = office().await;
    let g = geo(&o.store).await;
    let leader = o.store.create_contact(person("Кузнецов", "Иван", "Петрович", Some(g.berezovka))).await.unwrap().id;
    let mut group = water(g.berezovka, None);
    group.initiator = Initiator {
        kind: InitiatorKind::InitiativeGroup,
        name: "Кузнецов Иван Петрович".into(),
        contact_id: Some(leader),
    };
    o.store.create_initiative(group, Stage::Idea, date("2025-03-01")).await.unwrap();
    let mut tos = water(g.elkino, None);
    tos.title = "Уличное освещение".into();
    tos.initiator = Initiator { kind: InitiatorKind::Tos, name: "ТОС «Лесной»".into(), contact_id: None };
    o.store.create_initiative(tos, Stage::Idea, date("2025-03-01")).await.unwrap();

    let names = || async {
        let mut names = Vec::new();
        let keep = |batch: Vec<(usize, mestno_core::store::RegistryRow)>| {
            names.extend(batch.into_iter().map(|(_, r)| (r.title, r.initiator_name)));
            std::future::ready(Ok::<_, mestno_core::Error>(()))
        };
        o.store.registry_rows(&[Default::default()], date("2025-10-01"), keep).await.unwrap();
        names
    };
    let water_title = water(g.berezovka, None).title;
    assert_eq!(
        names().await,
        [(water_title.clone(), None), ("Уличное освещение".to_string(), Some("ТОС «Лесной»".to_string()))],
        "a group's name stays; the person the group is linked to is not named without consent"
    );
    let consent = ConsentInput {
        purpose: "участие в ППМИ".into(),
        given_on: date("2025-02-01"),
        method: ConsentMethod::Written,
        expires_on: None,
    };
    o.store.add_consent(leader, consent).await.unwrap();
    assert_eq!(names().await[0], (water_title, Some("Кузнецов Иван Петрович".to_string())), "with consent, named");
}
