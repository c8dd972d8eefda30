use mestno_reports::person_export;

use crate::util::*;

#[tokio::test]
async fn the_export_lists_everything_held_about_the_person() {
    let o = hand_built().await;
    set_address(&o.store, "663740, с. Абан, ул. Пионерская, 4").await;
    let path = o.dir.path().join("сведения.xlsx");
    let rows = person_export(&o.store, o.ids.anna, &path).await.unwrap();
    assert!(rows >= 20, "fields, a consent, three events, a project and the history: {rows}");

    let subject = read_sheet(&path, "Субъект");
    assert_eq!(subject.text(0, 0), "Сведения о субъекте персональных данных");
    let title = subject.title_block(6);
    assert!(title.contains("ч. 7 ст. 14 Федерального закона от 27.07.2006 № 152-ФЗ"), "the legal basis:\n{title}");
    assert!(
        title.contains("Проектный офис Абанского района, 663740, с. Абан"),
        "the operator and its address:\n{title}"
    );
    assert!(title.contains("Дата выгрузки: 01.11.2025"), "{title}");
    let field = |label: &str| subject.text(subject.row_of(0, label), 1);
    assert_eq!(field("Фамилия, имя, отчество"), "Иванова Анна");
    assert_eq!(field("Телефоны"), "+7 (913) 555-12-34", "her phone, as people read it");
    assert_eq!(field("Территория"), "с. Берёзовка");
    assert_eq!(field("Цели обработки"), "участие в ППМИ");

    let consents = read_sheet(&path, "Согласия");
    let header = consents.row_of(0, "Цель обработки");
    assert_eq!(consents.text(header + 1, 0), "участие в ППМИ");
    assert_eq!(consents.number(header + 1, 1), 45352.0, "given on 01.03.2024");
    assert_eq!(consents.text(header + 1, 2), "письменно");
    assert_eq!(consents.text(header + 1, 3), "бессрочно");
    assert_eq!(consents.text(header + 1, 5), "действует", "in force on the day of export");

    let events = read_sheet(&path, "Мероприятия");
    let header = events.row_of(0, "Дата и время");
    let listed: Vec<(String, String)> =
        (header + 1..header + 4).map(|r| (events.text(r, 0), events.text(r, 1))).collect();
    assert_eq!(
        listed,
        [
            ("10.02.2025 18:00".to_string(), "сход граждан".to_string()),
            ("10.05.2025 10:00".into(), "субботник".into()),
            ("01.09.2025 11:00".into(), "форум".into()),
        ],
        "the three events she attended, oldest first"
    );
    assert_eq!(events.text(header + 1, 5), "участник", "with her part in each");
    assert_eq!(events.text(header + 4, 0), "", "and no other");

    let projects = read_sheet(&path, "Проекты");
    let header = projects.row_of(0, "Проект");
    assert_eq!(projects.text(header + 1, 0), "Ремонт водопровода по ул. Лесной");
    assert_eq!(projects.text(header + 1, 4), "Староста Иванова А.");
    let history = read_sheet(&path, "История");
    let header = history.row_of(0, "Дата и время (UTC)");
    assert_eq!(history.text(header + 1, 1), "создание", "the record's creation opens its history");
    assert_eq!(history.text(header + 1, 2), "Петрова О. В.");
    // What changed, as she reads it: fields by their Russian names, values as the record shows
    // them — no internal keys, codes or ids.
    let made = history.text(header + 1, 4);
    for line in ["вид: — → человек", "фамилия: — → Иванова", "имя: — → Анна", "населённый пункт: — → с. Берёзовка"]
    {
        assert!(made.lines().any(|l| l == line), "«{line}» in {made}");
    }
    let all: String = (header + 1..header + 6).map(|r| history.text(r, 4)).collect::<Vec<_>>().join("\n");
    assert!(
        all.contains(
            "согласие на обработку персональных данных: — → цель: участие в ППМИ, дано 01.03.2024, способ: письменно"
        ),
        "{all}"
    );
    for internal in ["last_name", "first_name", "territory_id", "person", "consent_id", "written"] {
        assert!(!all.contains(internal), "«{internal}» in {all}");
    }
    for sheet in ["Обращения", "Файлы"] {
        let s = read_sheet(&path, sheet);
        assert_eq!(s.text(4, 0), "нет сведений", "{sheet}: nothing of that kind, said so");
    }
}

#[tokio::test]
async fn an_organisation_has_no_personal_data_to_export() {
    let o = hand_built().await;
    let firm = o
        .store
        .list_contacts(&mestno_core::store::ContactQuery {
            text: Some("Ангара".into()),
            limit: 5,
            ..Default::default()
        })
        .await
        .unwrap()
        .items[0]
        .id;
    let path = o.dir.path().join("организация.xlsx");
    let err = person_export(&o.store, firm, &path).await.unwrap_err();
    assert_eq!(err.code(), mestno_core::ErrorCode::Refused, "{err}");
    assert!(!path.exists(), "no file is written");
}
