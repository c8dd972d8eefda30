use mestno_core::ErrorCode;
use mestno_reports::{ReportKind, ReportRequest, write_report};

use crate::util::*;

#[tokio::test]
async fn the_card_shows_every_field_of_the_initiative() {
    let o = hand_built().await;
    let i = o.store.initiative(o.ids.water).await.unwrap();
    let sheet = read(
        &o.write(ReportKind::Initiative, &ReportRequest { initiative_id: Some(i.id), ..Default::default() }).await,
    );
    let field = |label: &str| sheet.text(sheet.row_of(0, label), 1);
    assert!(sheet.text(0, 0).contains(&i.input.title), "the title names the project");
    assert_eq!(field("Наименование проекта"), i.input.title);
    assert_eq!(field("Описание"), i.input.description);
    assert_eq!(field("Программа"), "ППМИ — Программа поддержки местных инициатив");
    assert_eq!(field("Муниципальное образование"), "Абанский район");
    assert_eq!(field("Территория (населённый пункт)"), "с. Берёзовка");
    assert_eq!(field("Стадия"), "заявка (с 01.03.2025)");
    assert_eq!(field("Инициатор"), "сельский староста: Староста Иванова А.", "named: her consent is in force");
    let cost = sheet.row_of(0, "Общая стоимость проекта, ₽");
    assert_eq!(sheet.kopecks(cost, 1), i.input.total_cost.0);
    assert_eq!(sheet.number(sheet.row_of(0, "Благополучатели, чел."), 1) as i64, i.input.beneficiaries);

    let regional = sheet.row_of(0, "Субсидия из краевого бюджета");
    assert_eq!(sheet.kopecks(regional, 1), 90_000_010, "planned regional money, to the kopeck");
    let total = sheet.row_of(0, "Итого");
    assert_eq!(sheet.formula(total, 1), format!("SUM(B{}:B{})", regional, total), "the budget's total is a live sum");
    assert_eq!(sheet.kopecks(total, 1), 100_000_030, "cached as the exact sum of the lines");
    let residents = sheet.row_of(0, "Население");
    assert_eq!(
        sheet.number(residents, 3),
        100_000.20 / 1_000_000.30,
        "the residents' share as the formula computes it"
    );
    assert!(
        sheet.row_of(0, "История стадий") < sheet.row_of(0, "Обсуждения и мероприятия"),
        "the history, then the events"
    );
    let events = sheet.row_of(0, "Обсуждения и мероприятия");
    assert_eq!(sheet.text(events + 2, 1), "сход граждан", "the gathering that discussed it is listed");
    assert_eq!(sheet.number(events + 2, 4), 120.0, "with its headcount");
}

#[tokio::test]
async fn a_card_needs_its_initiative_and_refuses_other_filters() {
    let o = hand_built().await;
    let path = o.dir.path().join("card.xlsx");
    let missing = write_report(&o.store, ReportKind::Initiative, &ReportRequest::default(), &path).await.err();
    assert_eq!(missing.map(|e| e.code()), Some(ErrorCode::Invalid), "no project, no card");
    let by_year = ReportRequest { initiative_id: Some(o.ids.water), year: Some(2025), ..Default::default() };
    let refused = write_report(&o.store, ReportKind::Initiative, &by_year, &path).await.err().map(|e| e.to_string());
    assert_eq!(
        refused.as_deref(),
        Some("в отчёте «Карточка инициативного проекта» не бывает отбора по году"),
        "said in Russian"
    );
    assert!(!path.exists(), "nothing is written when the request is refused");
}

#[tokio::test]
async fn a_group_linked_to_a_person_without_consent_is_not_named_on_the_card() {
    let o = hand_built().await;
    let i = o.store.initiative(o.ids.water).await.unwrap();
    let elder = o.store.contact(i.input.initiator.contact_id.unwrap()).await.unwrap();
    let mut input = i.input.clone();
    input.initiator.kind = mestno_core::model::InitiatorKind::InitiativeGroup;
    o.store.update_initiative(i.id, i.stamp.rev, input).await.unwrap();
    let card = ReportRequest { initiative_id: Some(i.id), ..Default::default() };
    let initiator = |sheet: &Sheet| sheet.text(sheet.row_of(0, "Инициатор"), 1);
    let named = read(&o.write(ReportKind::Initiative, &card).await);
    assert_eq!(initiator(&named), "инициативная группа: Староста Иванова А.", "named while her consent is in force");

    for consent in &elder.consents {
        o.store.withdraw_consent(consent.id, date("2025-10-01")).await.unwrap();
    }
    let hidden = read(&o.write(ReportKind::Initiative, &card).await);
    assert_eq!(
        initiator(&hidden),
        "инициативная группа: имя не раскрывается: нет согласия на обработку персональных данных (152-ФЗ)",
        "the group is linked to her, and her consent is withdrawn"
    );
}
