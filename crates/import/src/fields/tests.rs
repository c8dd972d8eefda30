use super::*;

fn guess(kind: Kind, heading: &str) -> Option<Field> {
    best_field(kind, heading).map(|(f, _)| f)
}

#[test]
fn usual_registry_headings_and_their_variants_are_recognised() {
    use Field::*;
    let k = Kind::Initiatives;
    for (heading, field) in [
        ("Наименование проекта", Some(Title)),
        ("Наименование инициативного проекта", Some(Title)),
        ("Населённый пункт", Some(Territory)),
        ("Населенный пункт", Some(Territory)),
        ("НАСЕЛЁННЫЙ  ПУНКТ:", Some(Territory)),
        ("Нас. пункт", Some(Territory)),
        ("Общая стоимость", Some(TotalCost)),
        ("Общая стоимость проекта, руб.", Some(TotalCost)),
        ("Вклад населения", Some(Residents)),
        ("Источники финансирования / Население", Some(Residents)),
        ("Субсидия из краевого бюджета", Some(Regional)),
        ("Бюджет муниципального образования", Some(Municipal)),
        ("Муниципальное образование", Some(Territory)),
        ("Муниципальный район", Some(District)),
        ("Территория (населённый пункт)", Some(Territory)),
        ("Численность населения", None),
        ("Количество благополучателей, чел.", Some(Beneficiaries)),
        ("% выполнения", Some(PercentDone)),
        ("Результат отбора", Some(Stage)),
        ("Кол-во участников собрания", Some(MeetingParticipants)),
        ("№ заявки", Some(Number)),
        ("Регистрационный номер заявки", Some(Number)),
        ("Номер проекта", Some(Number)),
        ("Код записи Mestno", Some(RecordId)),
        ("Число присутствовавших на собрании граждан", Some(MeetingParticipants)),
        ("Число присутствовавших", Some(MeetingParticipants)),
        ("Дата проведения собрания граждан", Some(MeetingDate)),
        ("Численность благополучателей", Some(Beneficiaries)),
        ("Количество голосов", Some(Votes)),
        ("Количество подписей в поддержку", Some(Supporters)),
        ("Подрядчик", Some(Contractor)),
        ("Сумма контракта, руб.", Some(ContractSum)),
        ("Дата заключения контракта", Some(ContractDate)),
        ("Дата завершения", Some(EndDate)),
        ("Краевой бюджет (план)", Some(Regional)),
        ("Фактически израсходовано / Краевой бюджет", Some(ActualRegional)),
        ("Кассовое исполнение: местный бюджет", Some(ActualMunicipal)),
        ("Факт / Население", Some(ActualResidents)),
        ("Фактически: средства юридических лиц", Some(ActualBusiness)),
        ("Фактическая стоимость", None),
    ] {
        assert_eq!(guess(k, heading), field, "«{heading}»");
    }
}

#[test]
fn contact_list_headings_are_recognised() {
    use Field::*;
    let k = Kind::Contacts;
    for (heading, field) in [
        ("ФИО", FullName),
        ("Ф.И.О.", FullName),
        ("Фамилия, имя, отчество", FullName),
        ("Фамилия", LastName),
        ("Телефон", Phone),
        ("Тел. моб.", Phone),
        ("E-mail", Email),
        ("Адрес электронной почты", Email),
        ("Адрес", Address),
        ("Населенный пункт", Territory),
        ("Наименование организации", OrgName),
        ("Должность", Position),
    ] {
        assert_eq!(guess(k, heading), Some(field), "«{heading}»");
    }
    for (heading, field) in [
        ("Согласие на обработку ПД", Some(ConsentOn)),
        ("Дата согласия", Some(ConsentOn)),
        ("Согласие действует до", Some(ConsentUntil)),
        ("Срок действия согласия", Some(ConsentUntil)),
        ("Дата окончания согласия", Some(ConsentUntil)),
        ("Дата отзыва согласия", None),
    ] {
        assert_eq!(guess(k, heading), field, "«{heading}»: an end or a withdrawal is not the day given");
    }
    assert_eq!(guess(k, "Финансирование из областного бюджета"), None, "single letters are not initials of ФИО");
    assert_eq!(guess(k, "№ п/п"), None);
}
