use mestno_core::model::{ObjectType, Stage};
use mestno_core::money::{FundingSource, Kopecks};
use mestno_import::{Field, Kind};

use crate::files;
use crate::util::Office;

#[tokio::test]
async fn a_messy_registry_is_read_as_a_person_reads_it_and_imported_exactly() {
    let o = Office::new().await;
    let file = o.path("реестр ППМИ 2025.xlsx");
    files::registry(&file);

    let source = mestno_import::open(&file).unwrap();
    let workbook = mestno_import::inspect(&source, Kind::Initiatives);
    assert_eq!(workbook.suggested_sheet.as_deref(), Some("Реестр 2025"), "the sheet with the registry, not the note");
    let sheet = workbook.sheets.iter().find(|s| s.name == "Реестр 2025").unwrap();
    assert_eq!(sheet.header_row, Some(4), "the header is found under the title block");
    assert_eq!(sheet.data_row, Some(7), "the row of column numbers is not data");
    let field = |letter: &str| sheet.columns.iter().find(|c| c.letter == letter).and_then(|c| c.field);
    assert_eq!(field("C"), Some(Field::Territory));
    assert_eq!(field("D"), Some(Field::Title));
    assert_eq!(field("F"), Some(Field::TotalCost));
    assert_eq!(field("I"), Some(Field::Residents), "«Источники финансирования / Население» is the residents' money");
    assert_eq!(field("M"), None, "a hidden scratch column does not take the total cost from the visible one");
    assert!(sheet.columns.iter().find(|c| c.letter == "M").unwrap().hidden);

    let plan = o
        .plan_source(&source, Kind::Initiatives, |m| {
            m.defaults.program = Some("ппми".into());
            m.defaults.year = Some(2025);
        })
        .await;
    assert!(plan.problems.is_empty(), "{:#?}", plan.problems);
    assert_eq!(plan.sheet, "Реестр 2025");
    assert_eq!(plan.ready(), 4, "four projects; sections, subtotals and the total are not projects");
    assert_eq!(plan.skipped.len(), 4, "{:?}", plan.skipped);
    assert_eq!(plan.batch_rows, vec![8, 9, 10, 13], "rows as Excel numbers them");

    let summary = o.commit(&plan, false).await.unwrap();
    assert_eq!(summary.created, 4);
    let mut stored = Vec::new();
    for id in &summary.ids.initiatives {
        stored.push(o.store.initiative(*id).await.unwrap());
    }
    let water = &stored[0];
    assert_eq!(water.input.title, "Ремонт водопровода по ул. Лесной");
    assert_eq!(water.input.territory_id, o.berezovka);
    assert_eq!(water.input.object_type, ObjectType::WaterSupply);
    assert_eq!(water.input.total_cost, Kopecks(150_000_000));
    assert_eq!(water.input.planned(FundingSource::Residents), Kopecks(10_000_000), "«100 000,00» as text");
    assert_eq!(water.input.program_id, Some(o.ppmi));
    assert_eq!((water.stage, water.input.year, water.input.beneficiaries), (Stage::Selected, 2025, 320));

    let lights = &stored[1];
    assert_eq!(lights.input.territory_id, o.ivanovka, "the district merged down the rows does not hide the village");
    assert_eq!(lights.input.total_cost, Kopecks(98_765_432), "«987 654,32 руб.» to the kopeck");
    assert_eq!(lights.input.planned(FundingSource::Municipal), Kopecks(8_765_432));
    assert!(lights.input.budget.iter().all(|l| l.source != FundingSource::Business), "a zero is no source");
    assert_eq!(lights.input.object_type, ObjectType::StreetLighting, "no type given: told by the title");
    assert_eq!(lights.stage, Stage::Completed);

    let playground = &stored[2];
    assert_eq!(playground.input.territory_id, o.dolgy_most);
    assert_eq!(playground.input.total_cost, Kopecks(60_000_000), "a formula's cached value is read");
    assert_eq!(playground.stage, Stage::Application);

    let club = &stored[3];
    assert_eq!(club.input.territory_id, o.irbey_berezovka, "the district column settles which Берёзовка");
    assert_eq!(club.input.total_cost, Kopecks(200_000_050), "half a rouble in a number cell is exact");
    assert_eq!(club.input.object_type, ObjectType::Culture);

    let history = o.store.history(water.id).await.unwrap();
    assert_eq!(history.len(), 1, "an imported record has its creation in the history");
    assert_eq!(history[0].actor, "Петрова О. В.");
    assert_eq!(history[0].changes["imported_from"]["new"], "реестр ППМИ 2025.xlsx");
    let hits = o.store.search("водопровод", 10).await.unwrap();
    assert!(hits.iter().any(|h| h.id == water.id), "imported initiatives are found by search");
    assert!(o.store.check().await.unwrap().ok, "the search index and the budgets are consistent");
}

#[tokio::test]
async fn loading_the_same_registry_twice_adds_nothing_the_second_time() {
    let o = Office::new().await;
    let file = o.path("реестр.xlsx");
    files::registry(&file);
    let defaults = |m: &mut mestno_import::Mapping| {
        m.defaults.program = Some("ППМИ".into());
        m.defaults.year = Some(2025);
    };
    let first = o.plan(&file, Kind::Initiatives, defaults).await;
    o.commit(&first, false).await.unwrap();
    let before = o.fingerprint().await;
    let again = o.plan(&file, Kind::Initiatives, defaults).await;
    assert_eq!(again.ready(), 0, "every project is already stored");
    assert_eq!(again.matched.len(), 4);
    assert!(again.matched.iter().all(|d| d.existing_id.is_some()));
    let summary = o.commit(&again, false).await.unwrap();
    assert_eq!(summary.created, 0);
    assert_eq!(o.fingerprint().await, before, "nothing was written");
}

#[tokio::test]
async fn another_sheet_is_read_when_asked_for_and_a_missing_year_is_a_problem_of_each_row() {
    let o = Office::new().await;
    let file = o.path("реестр.xlsx");
    files::registry(&file);
    let plan = o.plan(&file, Kind::Initiatives, |m| m.sheet = Some("реестр 2024".into())).await;
    assert_eq!(plan.sheet, "Реестр 2024", "sheet names are matched ignoring case");
    assert_eq!(plan.bad_rows, vec![2]);
    assert!(plan.problems[0].message.ru.contains("не указан год"), "{:?}", plan.problems);
    let plan = o
        .plan(&file, Kind::Initiatives, |m| {
            m.sheet = Some("Реестр 2024".into());
            m.defaults.year = Some(2024);
        })
        .await;
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    assert_eq!(plan.batch.initiatives[0].input.total_cost, Kopecks(30_000_000));
    let err = mestno_import::validate(
        &o.store,
        &mestno_import::open(&file).unwrap(),
        &mestno_import::Mapping {
            kind: Kind::Initiatives,
            sheet: Some("Лист5".into()),
            header_row: None,
            columns: vec![],
            defaults: Default::default(),
            create_territories: false,
        },
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("нет листа «Лист5»") && err.to_string().contains("Реестр 2025"), "{err}");
}

#[tokio::test]
async fn a_project_breaking_the_program_rules_is_reported_on_its_row_and_column() {
    let o = Office::new().await;
    let file = o.path("реестр.csv");
    std::fs::write(
        &file,
        "Наименование проекта;Населённый пункт;Общая стоимость;Субсидия;Вклад населения;Статус\n\
         Ремонт моста;с. Берёзовка;1 000 000;990 000;10 000;заявка\n\
         Ремонт дороги;д. Ивановка;1 000 000;900 000;90 000;заявка\n",
    )
    .unwrap();
    let plan = o
        .plan(&file, Kind::Initiatives, |m| {
            m.defaults.program = Some("ППМИ".into());
            m.defaults.year = Some(2025);
        })
        .await;
    assert_eq!(plan.bad_rows, vec![2, 3]);
    let residents = plan.problems.iter().find(|p| p.row == 2).unwrap();
    assert_eq!(residents.column.as_deref(), Some("E"), "the residents' share is the residents' column");
    assert!(residents.message.ru.contains("доля средств жителей"), "{}", residents.message.ru);
    let sum = plan.problems.iter().find(|p| p.row == 3).unwrap();
    assert_eq!(sum.column.as_deref(), Some("C"), "sources not adding up is the total's column");
    assert!(sum.message.ru.contains("не равна общей стоимости"), "{}", sum.message.ru);
    assert!(sum.describe(mestno_core::Lang::En).contains("row 3, column C"), "{}", sum.describe(mestno_core::Lang::En));
}
