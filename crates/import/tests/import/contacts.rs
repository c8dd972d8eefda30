use mestno_core::Lang;
use mestno_core::model::{ContactKind, Role};
use mestno_import::{ColumnMapping, Field, Format, Kind, Mapping};

use crate::files;
use crate::util::Office;

#[tokio::test]
async fn a_windows_1251_list_with_semicolons_is_matched_not_duplicated_and_bad_rows_are_named() {
    let o = Office::new().await;
    let smirnov = o.add_contact("Смирнов", "Олег", None, &["+7 913 555-00-00"]).await;
    let nikolaev = o.add_contact("Николаев", "Юрий", Some(o.berezovka), &[]).await;
    let file = o.path("старосты.csv");
    files::cp1251(&file, files::ELDERS_CSV);

    let source = mestno_import::open(&file).unwrap();
    assert_eq!(source.format, Format::Csv { encoding: "windows-1251".into(), delimiter: ';' });
    let plan = o.plan_source(&source, Kind::Contacts, |_| {}).await;
    assert_eq!(plan.header_row, 3, "the title line is not the header");
    assert_eq!(plan.bad_rows, vec![7], "{:#?}", plan.problems);
    let phone = &plan.problems[0];
    assert_eq!((phone.row, phone.column.as_deref(), phone.heading.as_deref()), (7, Some("C"), Some("Телефон")));
    assert!(phone.message.ru.contains("«2-12-34» не похоже на российский номер"), "{}", phone.message.ru);
    assert!(phone.message.en.contains("not a Russian phone number"));
    // A village the office lacks does not refuse the person: the name goes into the address.
    let place = &plan.warnings[0];
    assert_eq!((place.row, place.column.as_deref()), (8, Some("B")));
    assert!(
        place.message.ru.contains("«Тайга»") && place.message.ru.contains("записан в адрес"),
        "{}",
        place.message.ru
    );

    assert_eq!(plan.matched.len(), 2, "{:#?}", plan.matched);
    let same_row = plan.matched.iter().find(|d| d.row == 9).unwrap();
    assert_eq!(same_row.existing_row, Some(4), "«Семенова» in the same village is «Семёнова» of row 4");
    let same_phone = plan.matched.iter().find(|d| d.row == 10).unwrap();
    assert_eq!(same_phone.existing_id, Some(smirnov), "the same phone is the stored contact");
    assert_eq!(plan.likely_duplicates.len(), 1);
    assert_eq!(plan.likely_duplicates[0].existing_id, Some(nikolaev), "the same name in another village may be them");

    let before = o.fingerprint().await;
    let refused = o.commit(&plan, false).await.unwrap_err();
    assert!(refused.to_string().contains("ничего не загружено"), "{refused}");
    assert_eq!(o.fingerprint().await, before, "all or nothing: nothing");

    let summary = o.commit(&plan, true).await.unwrap();
    assert_eq!((summary.created, summary.matched, summary.bad_rows_skipped), (5, 2, 1));
    let anna = o.store.contact(summary.ids.contacts[0]).await.unwrap();
    assert_eq!(anna.display_name, "Семёнова Анна Петровна");
    assert_eq!(anna.input.territory_id, Some(o.berezovka));
    assert_eq!(anna.input.phones, vec!["+79135551234"]);
    assert_eq!(anna.input.emails, vec!["anna@mail.ru"]);
    assert_eq!(anna.input.roles, vec![Role::VillageElder]);
    assert_eq!(anna.consents.len(), 1, "the consent date became a consent");
    assert_eq!(anna.consents[0].input.given_on.to_string(), "2024-03-12");
    let petr = o.store.contact(summary.ids.contacts[1]).await.unwrap();
    assert_eq!(petr.input.phones, vec!["+73916321234", "+79135551235"], "two phones in one cell");
    assert_eq!(petr.input.roles, vec![Role::Deputy]);
    let firm = o.store.contact(summary.ids.contacts[2]).await.unwrap();
    assert_eq!((firm.input.kind, firm.display_name.as_str()), (ContactKind::Organisation, "ООО «Ромашка»"));
    assert!(o.store.check().await.unwrap().ok);
}

#[tokio::test]
async fn a_saved_mapping_finds_its_columns_again_after_they_moved() {
    let o = Office::new().await;
    let first = o.path("2024.csv");
    std::fs::write(&first, "Ф.И.О. старосты;Нас. пункт;Тел. (сотовый)\nОрлова Нина;д. Ивановка;89130000001\n").unwrap();
    let source = mestno_import::open(&first).unwrap();
    let workbook = mestno_import::inspect(&source, Kind::Contacts);
    let mut mapping = Mapping::from_guess(Kind::Contacts, &workbook.sheets[0]);
    assert_eq!(
        mapping.columns.iter().map(|c| c.field).collect::<Vec<_>>(),
        vec![Some(Field::FullName), Some(Field::Territory), Some(Field::Phone)]
    );
    mapping
        .columns
        .push(ColumnMapping { heading: "Примечание".into(), column: None, field: None, unit: None });
    mapping.sheet = None;
    let saved = o.path("старосты.mapping.json");
    mapping.save(&saved).unwrap();

    let next = o.path("2025.csv");
    std::fs::write(
        &next,
        "Тел. (сотовый);Примечание;Ф.И.О. старосты;Нас. пункт\n8 913 000-00-02;звонить вечером;Котов Илья;с. Берёзовка\n",
    )
    .unwrap();
    let mapping = Mapping::load(&saved).unwrap();
    let plan = mestno_import::validate(&o.store, &mestno_import::open(&next).unwrap(), &mapping).await.unwrap();
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    let c = &plan.batch.contacts[0].input;
    assert_eq!((c.last_name.as_str(), c.first_name.as_str()), ("Котов", "Илья"));
    assert_eq!(c.phones, vec!["+79130000002"], "the phone column is found by its heading in column A now");
    assert_eq!(c.notes, "", "the column the user chose to ignore stays ignored");
}

#[tokio::test]
async fn a_mapping_without_a_name_column_is_refused_before_any_row_is_read() {
    let o = Office::new().await;
    let file = o.path("телефоны.csv");
    std::fs::write(&file, "Телефон;Адрес\n89130000001;ул. Лесная, 1\n").unwrap();
    let source = mestno_import::open(&file).unwrap();
    let mapping = Mapping {
        kind: Kind::Contacts,
        sheet: None,
        header_row: Some(1),
        columns: vec![],
        defaults: Default::default(),
        create_territories: false,
    };
    let err = mestno_import::validate(&o.store, &source, &mapping).await.unwrap_err();
    assert!(err.to_string().contains("не найден столбец «ФИО»"), "{err}");
    assert!(err.message(Lang::En).contains("no column for «full name»"), "{}", err.message(Lang::En));
}

#[tokio::test]
async fn a_consents_end_is_imported_so_an_expired_consent_hides_the_person() {
    let o = Office::new().await;
    let file = o.path("согласия.csv");
    std::fs::write(
        &file,
        "ФИО;Согласие на обработку ПД;Согласие действует до\n\
         Орлова Нина;10.01.2024;30.06.2025\n\
         Котов Илья;10.01.2024;бессрочно\n\
         Лисин Олег;10.01.2024;скоро\n\
         Панова Вера;10.01.2024;01.01.2024\n",
    )
    .unwrap();
    let plan = o.plan(&file, Kind::Contacts, |_| {}).await;
    let problems: Vec<(u32, Option<&str>, &str)> =
        plan.problems.iter().map(|p| (p.row, p.heading.as_deref(), p.message.ru.as_str())).collect();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(problems[0].0, 4, "«скоро» is not a day");
    assert_eq!(problems[0].1, Some("Согласие действует до"), "named in the column of the end");
    assert_eq!((problems[1].0, problems[1].1), (5, Some("Согласие действует до")), "an end before the start");

    let summary = o.commit(&plan, true).await.unwrap();
    let nina = o.store.contact(summary.ids.contacts[0]).await.unwrap();
    assert_eq!(nina.consents[0].input.expires_on, "2025-06-30".parse().ok(), "the end is kept");
    let ilya = o.store.contact(summary.ids.contacts[1]).await.unwrap();
    assert_eq!(ilya.consents[0].input.expires_on, None, "«бессрочно» has no end");
    let day =
        |d: &str| mestno_core::store::ContactQuery { consent_on: d.parse().ok(), limit: 10, ..Default::default() };
    assert_eq!(o.store.list_contacts(&day("2025-06-30")).await.unwrap().total, 2, "both in force on 30.06.2025");
    let now = o.store.list_contacts(&day("2025-07-01")).await.unwrap();
    assert_eq!(now.items.iter().map(|r| r.display_name.as_str()).collect::<Vec<_>>(), ["Котов Илья"]);
}
