use chrono::NaiveDate;
use mestno_core::model::EventKind;
use mestno_import::Kind;

use crate::files;
use crate::util::Office;

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
}

#[tokio::test]
async fn an_attendance_list_in_utf8_with_a_bom_and_commas_becomes_events() {
    let o = Office::new().await;
    let file = o.path("мероприятия.csv");
    std::fs::write(&file, files::EVENTS_CSV).unwrap();
    let plan = o.plan(&file, Kind::Events, |_| {}).await;
    assert_eq!(plan.bad_rows, vec![5], "{:#?}", plan.problems);
    let bad = &plan.problems[0];
    assert_eq!(bad.column.as_deref(), Some("A"));
    assert!(bad.message.ru.contains("«31.02.2025»"), "no 31 February: {}", bad.message.ru);

    let summary = o.commit(&plan, true).await.unwrap();
    assert_eq!(summary.created, 3);
    let gathering = o.store.event(summary.ids.events[0]).await.unwrap().input;
    assert_eq!(gathering.kind, EventKind::CitizensGathering);
    assert_eq!(gathering.starts_at, at(2025, 3, 12, 18, 0));
    assert_eq!(gathering.ends_at, Some(at(2025, 3, 12, 20, 0)), "«18:00–20:00» gives the end too");
    assert_eq!(gathering.territory_id, o.berezovka);
    assert_eq!(gathering.headcount, 85);
    assert_eq!(gathering.outcome, "Выбран проект ремонта водопровода");
    let cleanup = o.store.event(summary.ids.events[1]).await.unwrap().input;
    assert_eq!((cleanup.kind, cleanup.title.as_str()), (EventKind::Subbotnik, "Уборка парка, посадка деревьев"));
    assert_eq!(cleanup.starts_at, at(2025, 4, 5, 10, 0), "an ISO date and a separate time");
    let hearing = o.store.event(summary.ids.events[2]).await.unwrap().input;
    assert_eq!(hearing.kind, EventKind::PublicHearing);
    assert_eq!(hearing.title, "Публичные слушания", "no title given: the kind names the event");
    assert_eq!(hearing.starts_at, at(2025, 5, 5, 15, 30), "a date and a time in one cell");
    assert_eq!(hearing.headcount, 1200, "«1 200» people");
}
