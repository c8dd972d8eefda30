use mestno_core::model::ContactKind;
use mestno_core::store::ContactQuery;
use mestno_reports::{ReportKind, ReportRequest, write_report};

use crate::util::*;

/// The names the contacts report must list: organisations, and persons with a consent in force
/// today — decided by the core's own `Consent::is_active` on each full record.
async fn allowed(o: &Office) -> (Vec<String>, u64) {
    let (mut names, mut withheld, mut after) = (Vec::new(), 0, None);
    loop {
        let page = o.store.list_contacts(&ContactQuery { limit: 500, after, ..Default::default() }).await.unwrap();
        for row in &page.items {
            let c = o.store.contact(row.id).await.unwrap();
            if c.input.kind == ContactKind::Organisation || c.consents.iter().any(|k| k.is_active(date(TODAY))) {
                names.push(c.display_name);
            } else {
                withheld += 1;
            }
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    names.sort();
    (names, withheld)
}

async fn check(o: &Office) -> Sheet {
    let path = o.dir.path().join("contacts.xlsx");
    let summary = write_report(&o.store, ReportKind::Contacts, &ReportRequest::default(), &path).await.unwrap();
    let sheet = read(&path);
    let (expected, withheld) = allowed(o).await;
    let header = sheet.row_of(0, "№ п/п");
    let total = sheet.row_of(1, "Всего контактов");
    let mut listed: Vec<String> = (header + 1..total).map(|r| sheet.text(r, 1)).collect();
    listed.sort();
    assert_eq!(listed, expected, "exactly the organisations and the persons whose consent is in force");
    assert_eq!(summary.withheld, withheld, "everyone else is counted as withheld");
    let title = sheet.title_block(header);
    assert!(
        title.contains("согласием на обработку персональных данных (152-ФЗ)"),
        "the title block says who is listed:\n{title}"
    );
    assert!(
        title.contains(&format!("Не включено лиц без действующего согласия: {withheld}.")),
        "and how many were left out"
    );
    assert_eq!(
        sheet.formula(total, 2),
        format!("SUBTOTAL(3,A{}:A{})", header + 2, total),
        "the count is a live formula"
    );
    assert_eq!(sheet.number(total, 2) as usize, expected.len(), "cached as the number listed");
    sheet
}

#[tokio::test]
async fn only_people_whose_consent_is_in_force_are_listed() {
    let o = hand_built().await;
    let sheet = check(&o).await;
    let anna = sheet.row_of(1, "Иванова Анна");
    assert_eq!(sheet.text(anna, 7), "+7 (913) 555-12-34", "phones as people read them");
    assert_eq!(sheet.number(anna, 10), 45352.0, "consent given on 01.03.2024 (Excel's day 45352)");
    assert_eq!(sheet.text(anna, 13), "бессрочно", "a consent without a term");
    assert_eq!(sheet.text(sheet.row_of(1, "ООО «Ангара-Строй»"), 2), "организация");
}

#[tokio::test]
async fn the_demo_contacts_respect_every_consent() {
    let o = demo_office().await;
    check(&o).await;
}

#[tokio::test]
async fn an_expired_consent_keeps_a_person_out_as_a_withdrawn_one_does() {
    use mestno_core::model::*;
    let o = hand_built().await;
    let mut input = o.store.contact(o.ids.olga).await.unwrap().input;
    input.last_name = "Петров".into();
    input.first_name = "Пётр".into();
    let petrov = o.store.create_contact(input).await.unwrap().id;
    let consent = ConsentInput {
        purpose: "участие в ППМИ".into(),
        given_on: date("2024-01-10"),
        method: ConsentMethod::Electronic,
        expires_on: Some(date("2025-06-30")),
    };
    o.store.add_consent(petrov, consent).await.unwrap();
    let sheet = check(&o).await;
    let header = sheet.row_of(0, "№ п/п");
    let total = sheet.row_of(1, "Всего контактов");
    assert!((header + 1..total).all(|r| sheet.text(r, 1) != "Петров Пётр"), "his consent ran out on 30.06.2025");
    assert!(
        sheet.title_block(header).contains("Не включено лиц без действующего согласия: 3."),
        "he is counted as withheld, beside Борисов (consent withdrawn) and Ольгина (none given)"
    );

    let mut card = initiative_of(&o).await;
    card.initiator =
        Initiator { kind: InitiatorKind::Resident, name: "Петров П.".into(), contact_id: Some(petrov) };
    let id = o.store.create_initiative(card, Stage::Idea, date("2025-10-01")).await.unwrap().id;
    let path = o.write(ReportKind::Initiative, &ReportRequest { initiative_id: Some(id), ..Default::default() }).await;
    let card = read(&path);
    assert_eq!(
        card.text(card.row_of(0, "Инициатор"), 1),
        "житель: имя не раскрывается: нет согласия на обработку персональных данных (152-ФЗ)",
        "the project card does not name him either"
    );
}

async fn initiative_of(o: &Office) -> mestno_core::model::InitiativeInput {
    o.store.initiative(o.ids.water).await.unwrap().input
}
