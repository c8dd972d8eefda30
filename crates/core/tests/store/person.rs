use mestno_core::Entity;
use mestno_core::model::*;

use crate::util::*;

#[tokio::test]
async fn a_persons_data_gathers_everything_held_about_them() {
    let o = office().await;
    let f = semenova(&o).await;
    let data = o.store.person_data(f.anna).await.unwrap();
    assert_eq!(data.contact.display_name, "Семёнова Анна Петровна");
    assert_eq!(data.contact.input.phones, ["+79135551234"]);
    assert_eq!(data.contact.input.emails, ["anna@mail.ru"]);
    assert_eq!(data.territory.as_deref(), Some("с. Берёзовка"));
    assert_eq!(data.contact.consents.len(), 1, "her consent, with its expiry");
    assert_eq!(data.contact.consents[0].input.expires_on, Some(date("2027-03-01")));

    let events: Vec<(Id, AttendeeRole)> = data.events.iter().map(|e| (e.id, e.role)).collect();
    assert_eq!(
        events,
        [(f.gathering, AttendeeRole::Initiator), (f.subbotnik, AttendeeRole::Participant)],
        "both events, oldest first, each with her part in it"
    );
    let initiatives: Vec<(Id, bool)> = data.initiatives.iter().map(|i| (i.id, i.by_record)).collect();
    assert_eq!(
        initiatives,
        [(f.water, true), (f.memorial, false)],
        "the project she put forward, and the one whose initiator is written as her name"
    );
    assert_eq!(data.appeals.iter().map(|a| a.id).collect::<Vec<_>>(), [f.appeal]);
    let mut files: Vec<&str> = data.attachments.iter().map(|a| a.sha256.as_str()).collect();
    files.sort_unstable();
    let mut expected = [f.own_file.as_str(), f.shared_file.as_str()];
    expected.sort_unstable();
    assert_eq!(files, expected, "the files attached to her record");
    assert!(data.history.len() >= 2, "created, consent recorded: {:?}", data.history);

    let mentioned = |entity: Entity, id: Id, field: &str| {
        data.mentions.iter().any(|m| m.entity == Some(entity) && m.id == Some(id) && m.field == field)
    };
    assert!(mentioned(Entity::Event, f.gathering, "протокол"), "the minutes name her: {:?}", data.mentions);
    assert!(mentioned(Entity::Event, f.gathering, "решения"));
    assert!(mentioned(Entity::Event, f.gathering, "история изменений"), "and so does the gathering's history");
    assert!(mentioned(Entity::Initiative, f.water, "примечание"), "the stage note");
    assert!(mentioned(Entity::Appeal, f.appeal, "текст"), "her signature under the appeal");
    assert!(
        data.mentions.iter().all(|m| m.id != Some(f.anna) && m.id != Some(f.husband) && m.id != Some(f.boris)),
        "her own record is listed apart; her husband and neighbour are not mentions of her"
    );

    let husband = o.store.person_data(f.husband).await.unwrap();
    assert!(husband.events.is_empty() && husband.initiatives.is_empty(), "her husband did none of it");
    assert!(husband.mentions.is_empty(), "texts naming her do not name him: {:?}", husband.mentions);
}
