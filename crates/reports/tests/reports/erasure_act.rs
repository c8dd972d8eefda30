use mestno_core::model::{ERASURE_METHOD, ErasureBasis, ErasureRequest};
use mestno_core::store::ContactQuery;
use mestno_reports::{ReportKind, ReportRequest, erasure_act};

use crate::util::*;

#[tokio::test]
async fn the_act_states_what_the_order_requires_and_not_the_persons_name() {
    let o = hand_built().await;
    set_address(&o.store, "663740, с. Абан, ул. Пионерская, 4").await;
    let request = ErasureRequest {
        request_number: "ПД-7/2025".into(),
        requested_on: date("2025-10-20"),
        reason: "заявление субъекта об уничтожении его персональных данных".into(),
        basis: ErasureBasis::SubjectRequest,
    };
    let record = o.store.erase_person(o.ids.anna, request).await.unwrap();
    let path = o.dir.path().join("акт.xlsx");
    erasure_act(&o.store, record.log.id, &path).await.unwrap();

    let act = read_sheet(&path, "Акт");
    assert_eq!(act.text(0, 0), "АКТ № 1/2025");
    assert_eq!(act.text(1, 0), "об уничтожении персональных данных");
    let field = |label: &str| act.text(act.row_of(0, label), 1);
    assert_eq!(field("Дата уничтожения"), "01.11.2025");
    assert_eq!(field("Оператор персональных данных"), "Проектный офис Абанского района");
    assert_eq!(field("Адрес оператора"), "663740, с. Абан, ул. Пионерская, 4");
    let subject = field("Субъект персональных данных");
    assert!(subject.contains("регистрационному номеру запроса: № ПД-7/2025 от 20.10.2025"), "{subject}");
    assert!(subject.contains("уничтожены и в акте не приводятся"), "why the name is missing: {subject}");
    let categories = field("Перечень категорий уничтоженных персональных данных");
    for category in ["фамилия, имя, отчество", "номера телефонов", "сведения об участии в мероприятиях"]
    {
        assert!(categories.contains(category), "{category} in\n{categories}");
    }
    let system = field("Наименование информационной системы персональных данных");
    assert!(system.starts_with("Mestno") && system.contains("office.sqlite"), "{system}");
    assert!(field("Способ уничтожения").starts_with(ERASURE_METHOD));
    assert_eq!(field("Причина уничтожения"), "заявление субъекта об уничтожении его персональных данных");
    assert!(field("Основание").contains("ч. 1 ст. 14, ч. 3 ст. 20"), "the provision of 152-ФЗ");

    let extract = act.row_of(0, "Выгрузка из журнала регистрации событий в информационной системе персональных данных");
    assert_eq!(act.text(extract + 1, 0), "Запись журнала");
    assert_eq!(act.text(extract + 1, 1), record.log.id.to_string(), "the log entry the extract comes from");
    assert_eq!(field("Пользователь информационной системы"), "Петрова О. В.");
    let signers = act.row_of(0, "Лица, уничтожившие персональные данные");
    assert_eq!(act.text(signers + 1, 2), "Подпись", "a column to sign in");
    assert_eq!(act.text(signers + 2, 1), "Петрова О. В.", "the person who erased, to sign");
    act.row_of(0, "Ответственный за организацию обработки персональных данных");

    for (sheet, cells) in all_text(&path) {
        for cell in cells {
            assert!(!cell.contains("Иванова") && !cell.contains("555-12-34"), "{sheet} names her: {cell}");
        }
    }

    let contacts = o.write(ReportKind::Contacts, &ReportRequest::default()).await;
    let listed: Vec<String> = all_text(&contacts).into_iter().flat_map(|(_, cells)| cells).collect();
    assert!(listed.iter().all(|c| !c.contains("Иванова")), "the contacts report no longer lists her");
    let page = o.store.list_contacts(&ContactQuery { limit: 50, ..Default::default() }).await.unwrap();
    assert_eq!(page.total, 3, "Борисов, Ольгина and the firm are left");
}

#[tokio::test]
async fn an_act_of_an_unknown_log_entry_is_refused() {
    let o = hand_built().await;
    let path = o.dir.path().join("акт.xlsx");
    let err = erasure_act(&o.store, mestno_core::model::Id::nil(), &path).await.unwrap_err();
    assert!(err.to_string().contains("нет записи"), "{err}");
    assert!(!path.exists());
}

/// The export and the act open in LibreOffice and in openpyxl, as the reports do.
#[tokio::test]
async fn the_export_and_the_act_open_in_libreoffice_and_openpyxl() {
    let o = hand_built().await;
    let work = o.dir.path();
    let export = work.join("сведения.xlsx");
    mestno_reports::person_export(&o.store, o.ids.olga, &export).await.unwrap();
    let request = ErasureRequest {
        request_number: "ПД-8/2025".into(),
        requested_on: date("2025-10-30"),
        reason: "отзыв согласия".into(),
        basis: ErasureBasis::ConsentWithdrawn,
    };
    let record = o.store.erase_person(o.ids.olga, request).await.unwrap();
    let act = work.join("акт.xlsx");
    erasure_act(&o.store, record.log.id, &act).await.unwrap();

    let profile = work.join("lo-profile");
    let out_dir = work.join("converted");
    let status = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(&out_dir)
        .args([&export, &act])
        .output()
        .expect("LibreOffice runs (scripts/install-deps.sh installs libreoffice-calc)");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    for name in ["сведения.pdf", "акт.pdf"] {
        let size = std::fs::metadata(out_dir.join(name)).map(|m| m.len()).unwrap_or(0);
        assert!(size > 1000, "LibreOffice printed {name} ({size} bytes)");
    }
    let script = "import sys, openpyxl\nfor p in sys.argv[1:]:\n    print(p, openpyxl.load_workbook(p).sheetnames)";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .args([&export, &act])
        .output()
        .expect("python3 runs (scripts/install-deps.sh installs it with openpyxl)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("'Субъект', 'Согласия', 'Мероприятия'") && text.contains("['Акт']"), "{text}");
}
