use calamine::{Reader, open_workbook_auto};
use mestno_core::Lang;
use mestno_import::Kind;

use crate::files;
use crate::util::Office;

#[tokio::test]
async fn a_failure_at_commit_leaves_the_database_exactly_as_it_was() {
    let o = Office::new().await;
    let file = o.path("реестр.xlsx");
    files::registry(&file);
    let plan = o
        .plan(&file, Kind::Initiatives, |m| {
            m.defaults.program = Some("ППМИ".into());
            m.defaults.year = Some(2025);
        })
        .await;
    assert!(plan.problems.is_empty());
    // Between the check and the commit someone deletes a village a project is in.
    o.store.delete_territory(o.dolgy_most).await.unwrap();
    let before = o.fingerprint().await;
    let err = o.commit(&plan, false).await.unwrap_err();
    assert!(err.to_string().contains("территория не найдена"), "{err}");
    assert_eq!(o.fingerprint().await, before, "not one of the other three projects was written");
    assert!(o.store.check().await.unwrap().ok);
}

#[tokio::test]
async fn the_report_lists_every_problem_with_its_place_in_russian() {
    let o = Office::new().await;
    let file = o.path("старосты.csv");
    files::cp1251(&file, files::ELDERS_CSV);
    let plan = o.plan(&file, Kind::Contacts, |_| {}).await;
    let report = o.path("ошибки.xlsx");
    mestno_import::write_report(&plan, &report, Lang::Ru).unwrap();
    let mut book = open_workbook_auto(&report).unwrap();
    assert_eq!(book.sheet_names(), vec!["Ошибки", "Совпадения", "Пропущено"]);
    let problems = book.worksheet_range("Ошибки").unwrap();
    let rows: Vec<Vec<String>> = problems.rows().skip(4).map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows.len(), 1, "the bad phone; the unknown village is a warning, its contact kept");
    assert_eq!(&rows[0][..4], &["старосты", "7", "C", "Телефон"], "sheet, row, column and heading");
    assert_eq!(rows[0][4], "2-12-34", "the value as written");
    assert!(rows[0][5].contains("не похоже на российский номер"), "{}", rows[0][5]);
    let duplicates = book.worksheet_range("Совпадения").unwrap();
    assert_eq!(duplicates.rows().count(), 1 + plan.matched.len() + plan.likely_duplicates.len());
}
