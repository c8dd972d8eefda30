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
