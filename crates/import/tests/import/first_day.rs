//! The first day in a new office: territories the file names that the office lacks, contacts
//! from villages it has not entered, the registry's meeting and actual-money columns, and a
//! registry brought back that updates what it changes — but never what was changed in Mestno.

use mestno_core::model::TerritoryKind;
use mestno_core::money::{FundingSource, Kopecks};
use mestno_import::Kind;

use crate::util::Office;

const REGISTRY: &str = "\
Наименование проекта;Муниципальный район;Населённый пункт;Год;Общая стоимость;Краевой бюджет;Население;\
Фактически израсходовано / Краевой бюджет;Число присутствовавших на собрании;Дата собрания;Благополучатели
Колодец на ул. Лесной;Абанский район;с. Берёзовка;2025;1 000 000,00;900 000,00;100 000,00;899 500,50;57;10.02.2025;320
Освещение ул. Новой;Манский МР;село Новосёлово;2025;500 000;450 000;50 000;;41;;120
Детская площадка;Манский муниципальный район;д. Степановка;2025;300 000;270 000;30 000;;;;80
";

#[tokio::test]
async fn territories_the_file_names_are_listed_and_created_in_one_step_with_their_district() {
    let o = Office::new().await;
    let file = o.path("реестр.csv");
    std::fs::write(&file, REGISTRY).unwrap();

    let plan = o.plan(&file, Kind::Initiatives, |_| {}).await;
    let names: Vec<(&str, TerritoryKind, Option<&str>)> =
        plan.new_territories.iter().map(|t| (t.name.as_str(), t.kind, t.parent.as_deref())).collect();
    assert_eq!(
        names,
        vec![
            ("Манский МР", TerritoryKind::District, Some("Красноярский край")),
            ("село Новосёлово", TerritoryKind::Locality, Some("Манский МР")),
            ("д. Степановка", TerritoryKind::Locality, Some("Манский МР")),
        ],
        "«Манский МР» and «Манский муниципальный район» are one district, in the office's region; «с. Берёзовка» of \
         Абанский is known"
    );
    assert_eq!(plan.bad_rows, vec![3, 4], "without the person's go-ahead the rows needing them are refused");
    assert!(plan.batch.territories.is_empty(), "and nothing would be created");

    let plan = o.plan(&file, Kind::Initiatives, |m| m.create_territories = true).await;
    assert!(plan.problems.is_empty(), "{:#?}", plan.problems);
    let summary = o.commit(&plan, false).await.unwrap();
    assert_eq!((summary.created, summary.territories_created, summary.meetings), (3, 3, 2));
    let manski = o.store.find_territory("Манский МР").await.unwrap();
    let village = o.store.find_territory("село Новосёлово").await.unwrap();
    assert_eq!(
        o.store.territory(village).await.unwrap().input.parent_id,
        Some(manski),
        "the village is in its district"
    );
    let well = o.store.initiative(summary.ids.initiatives[0]).await.unwrap();
    let line = well.input.budget.iter().find(|l| l.source == FundingSource::Regional).unwrap();
    assert_eq!((line.planned, line.actual), (Kopecks(90_000_000), Kopecks(89_950_050)), "planned and actual money");
    let meeting = o.store.event(summary.ids.events[0]).await.unwrap().input;
    assert_eq!(
        (meeting.headcount, meeting.starts_at.date().to_string(), meeting.initiative_ids),
        (57, "2025-02-10".to_string(), vec![well.id]),
        "the meeting that chose the project, with its headcount and date"
    );
    let stats = o.store.stats(&Default::default()).await.unwrap();
    assert_eq!(stats.participants, 57 + 41, "meeting participants count as participants");
}

#[tokio::test]
async fn a_name_two_territories_share_is_shown_never_picked_and_never_created_again() {
    let o = Office::new().await;
    let file = o.path("реестр.csv");
    std::fs::write(&file, "Наименование проекта;Населённый пункт;Год;Общая стоимость\nКолодец;Берёзовка;2025;1000\n")
        .unwrap();
    let plan = o.plan(&file, Kind::Initiatives, |m| m.create_territories = true).await;
    assert!(plan.new_territories.is_empty(), "an ambiguous name is not a missing one");
    let message = &plan.problems[0].message.ru;
    assert!(message.contains("Абанский район") && message.contains("Ирбейский район"), "{message}");
}

#[tokio::test]
async fn a_contact_from_a_village_the_office_lacks_is_kept_with_the_village_in_the_address() {
    let o = Office::new().await;
    let file = o.path("старосты.csv");
    std::fs::write(
        &file,
        "ФИО;Населённый пункт;Адрес;Телефон\nОрлова Нина Петровна;д. Тайга;ул. Лесная, 3;89130000001\nКотов Илья;с. Берёзовка;;89130000002\n",
    )
    .unwrap();
    let plan = o.plan(&file, Kind::Contacts, |_| {}).await;
    assert!(plan.problems.is_empty(), "one unknown village does not refuse the list: {:#?}", plan.problems);
    assert_eq!(plan.warnings.len(), 1);
    assert_eq!(plan.warnings[0].row, 2);
    assert!(plan.warnings[0].message.ru.contains("«д. Тайга» записан в адрес"), "{}", plan.warnings[0].message.ru);
    let summary = o.commit(&plan, false).await.unwrap();
    let orlova = o.store.contact(summary.ids.contacts[0]).await.unwrap();
    assert_eq!((orlova.input.territory_id, orlova.input.address.as_str()), (None, "д. Тайга, ул. Лесная, 3"));
    let kotov = o.store.contact(summary.ids.contacts[1]).await.unwrap();
    assert_eq!(kotov.input.territory_id, Some(o.berezovka));
}

#[tokio::test]
async fn a_registry_brought_back_updates_what_it_changes_but_not_what_was_changed_in_mestno() {
    let o = Office::new().await;
    let file = o.path("реестр.csv");
    let registry = |votes: i64, beneficiaries: i64| {
        format!(
            "Наименование проекта;Населённый пункт;Год;Общая стоимость;Голосов;Благополучатели\n\
             Колодец;с. Берёзовка;2025;1000;{votes};{beneficiaries}\nФонари;д. Ивановка;2025;2000;5;50\n"
        )
    };
    std::fs::write(&file, registry(10, 100)).unwrap();
    let first = o.commit(&o.plan(&file, Kind::Initiatives, |_| {}).await, false).await.unwrap();
    let well = first.ids.initiatives[0];

    // In Mestno someone corrects the beneficiaries; the file, meanwhile, changes the votes.
    let stored = o.store.initiative(well).await.unwrap();
    let mut input = stored.input.clone();
    input.beneficiaries = 150;
    o.store.update_initiative(well, stored.stamp.rev, input).await.unwrap();
    std::fs::write(&file, registry(12, 100)).unwrap();
    let plan = o.plan(&file, Kind::Initiatives, |_| {}).await;
    assert!(plan.updates.is_empty(), "a record changed in Mestno since the import is not overwritten");
    assert_eq!(plan.conflicts.len(), 1, "{:#?}", plan.conflicts);
    let c = &plan.conflicts[0];
    assert_eq!(
        (c.row, c.field.ru.as_str(), c.in_mestno.as_str(), c.in_file.as_str(), c.changed_by.as_str()),
        (2, "благополучатели", "150", "100", "Петрова О. В."),
        "both values are listed, with who changed it in Mestno"
    );
    assert_eq!(plan.bad_rows, vec![2], "its row is refused");
    assert!(o.commit(&plan, false).await.is_err(), "and the import is all or nothing");
    assert_eq!(o.store.initiative(well).await.unwrap().input.votes, 10, "nothing was written");

    // The file brought into line with Mestno's beneficiaries: its votes are taken.
    std::fs::write(&file, registry(12, 150)).unwrap();
    let plan = o.plan(&file, Kind::Initiatives, |_| {}).await;
    assert!(plan.conflicts.is_empty(), "{:#?}", plan.conflicts);
    assert_eq!(plan.updates.len(), 1, "only the changed project: {:#?}", plan.updates);
    let changes = &plan.updates[0].changes;
    assert_eq!(
        changes.iter().map(|c| (c.field.ru.as_str(), c.old.as_str(), c.new.as_str())).collect::<Vec<_>>(),
        vec![("голоса", "10", "12")],
        "the dry run says which field changes from what to what"
    );
    let summary = o.commit(&plan, false).await.unwrap();
    assert_eq!((summary.created, summary.updated), (0, 1));
    let after = o.store.initiative(well).await.unwrap();
    assert_eq!((after.input.votes, after.input.beneficiaries), (12, 150));
    let history = o.store.history(well).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.changes["imported_from"]["new"], "реестр.csv", "the history says the file changed it");
    assert_eq!(last.changes["votes"]["old"], 10);
}

#[tokio::test]
async fn the_commissions_decision_in_a_registry_brought_back_moves_the_project_to_its_stage() {
    let o = Office::new().await;
    let file = o.path("реестр.csv");
    let registry = |status: &str, on: &str| {
        format!(
            "Наименование проекта;Населённый пункт;Год;Общая стоимость;Статус;Дата решения\n\
             Колодец;с. Берёзовка;2025;1000;{status};{on}\n"
        )
    };
    std::fs::write(&file, registry("заявка", "01.03.2025")).unwrap();
    let id = o.commit(&o.plan(&file, Kind::Initiatives, |_| {}).await, false).await.unwrap().ids.initiatives[0];

    std::fs::write(&file, registry("отобран", "20.04.2025")).unwrap();
    let plan = o.plan(&file, Kind::Initiatives, |_| {}).await;
    assert!(plan.problems.is_empty(), "{:#?}", plan.problems);
    let change = &plan.updates[0].changes[0];
    assert_eq!((change.old.as_str(), change.new.as_str()), ("заявка", "отобран (20.04.2025)"));
    o.commit(&plan, false).await.unwrap();
    let after = o.store.initiative(id).await.unwrap();
    assert_eq!((after.stage, after.stage_on.to_string()), (mestno_core::model::Stage::Selected, "2025-04-20".into()));
    assert_eq!(after.stages.len(), 2, "the dated stage change is kept");

    // A decision that cannot follow: from «отобран» back to «идея».
    std::fs::write(&file, registry("идея", "21.04.2025")).unwrap();
    let plan = o.plan(&file, Kind::Initiatives, |_| {}).await;
    assert_eq!(plan.bad_rows, vec![2]);
    assert!(plan.problems[0].message.ru.contains("нельзя перевести"), "{:#?}", plan.problems);
}

#[tokio::test]
async fn a_registry_with_application_numbers_finds_its_projects_by_number_even_renamed() {
    let o = Office::new().await;
    let file = o.path("реестр.csv");
    let registry = |title: &str| {
        format!(
            "№ заявки;Наименование проекта;Населённый пункт;Год;Общая стоимость\n\
             П-2025-017;{title};с. Берёзовка;2025;1000\nП-2025-018;Фонари;д. Ивановка;2025;2000\n"
        )
    };
    std::fs::write(&file, registry("Колодец")).unwrap();
    let first = o.commit(&o.plan(&file, Kind::Initiatives, |_| {}).await, false).await.unwrap();
    let well = o.store.initiative(first.ids.initiatives[0]).await.unwrap();
    assert_eq!(well.input.number.as_deref(), Some("П-2025-017"), "the number is kept");

    std::fs::write(&file, registry("Колодец на ул. Лесной")).unwrap();
    let plan = o.plan(&file, Kind::Initiatives, |_| {}).await;
    assert_eq!(plan.ready(), 0, "a renamed project is not a new one: its number says which it is");
    assert_eq!(plan.updates.len(), 1);
    assert_eq!(plan.updates[0].matched_by.ru, "по номеру заявки");
    assert_eq!(plan.updates[0].changes[0].new, "Колодец на ул. Лесной");
}

#[tokio::test]
async fn a_totals_row_the_rows_do_not_add_up_to_is_pointed_out() {
    let o = Office::new().await;
    let file = o.path("реестр.csv");
    std::fs::write(
        &file,
        "Наименование проекта;Населённый пункт;Год;Общая стоимость;Благополучатели\n\
         Колодец;с. Берёзовка;2025;1 000,00;100\nФонари;д. Ивановка;2025;2 000,50;50\nИтого;;;3 000,50;160\n",
    )
    .unwrap();
    let plan = o.plan(&file, Kind::Initiatives, |_| {}).await;
    assert!(plan.problems.is_empty(), "the rows import as they are: {:#?}", plan.problems);
    assert_eq!(plan.warnings.len(), 1, "the money adds up, the beneficiaries do not: {:#?}", plan.warnings);
    let w = &plan.warnings[0];
    assert_eq!((w.row, w.column.as_deref()), (4, Some("E")));
    assert!(w.message.ru.contains("в строке итогов 160, а строки файла дают в сумме 150"), "{}", w.message.ru);
}

#[tokio::test]
async fn an_empty_status_cell_in_a_registry_brought_back_leaves_the_stage_as_it_is() {
    let o = Office::new().await;
    let file = o.path("реестр.csv");
    let registry = |status: &str| {
        format!(
            "Наименование проекта;Населённый пункт;Год;Общая стоимость;Статус\nКолодец;с. Берёзовка;2025;1000;{status}\n"
        )
    };
    std::fs::write(&file, registry("заявка")).unwrap();
    let id = o.commit(&o.plan(&file, Kind::Initiatives, |_| {}).await, false).await.unwrap().ids.initiatives[0];
    // In Mestno the project is withdrawn; the registry comes back with its status cell empty.
    let p = o.store.initiative(id).await.unwrap();
    o.store.change_stage(id, p.stamp.rev, mestno_core::model::Stage::Withdrawn, p.stage_on, "").await.unwrap();
    std::fs::write(&file, registry("")).unwrap();
    let plan = o.plan(&file, Kind::Initiatives, |_| {}).await;
    assert!(plan.problems.is_empty(), "an empty cell changes nothing, so nothing conflicts: {:#?}", plan.problems);
    assert!(plan.updates.is_empty(), "{:#?}", plan.updates);
    o.commit(&plan, false).await.unwrap();
    assert_eq!(o.store.initiative(id).await.unwrap().stage, mestno_core::model::Stage::Withdrawn);
}

#[tokio::test]
async fn a_program_the_office_lacks_is_named_with_those_it_has() {
    let o = Office::new().await;
    let file = o.path("реестр.csv");
    std::fs::write(
        &file,
        "Наименование проекта;Населённый пункт;Год;Общая стоимость;Программа\nКолодец;с. Берёзовка;2025;1000;НБ\n",
    )
    .unwrap();
    let plan = o.plan(&file, Kind::Initiatives, |_| {}).await;
    assert_eq!(plan.bad_rows, vec![2]);
    let said = &plan.problems[0].message.ru;
    assert!(said.contains("программы «НБ» в офисе нет; есть: ППМИ"), "{said}");
}
