use mestno_core::Lang;
use mestno_import::{Error, Kind, Value};

use crate::files::{self, raw_xlsx, s};
use crate::util::Office;

#[test]
fn a_truncated_workbook_is_damaged_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("реестр.xlsx");
    files::registry(&file);
    let bytes = std::fs::read(&file).unwrap();
    for cut in [30, bytes.len() / 3, bytes.len() / 2, bytes.len() - 10] {
        let cut_file = dir.path().join(format!("cut-{cut}.xlsx"));
        std::fs::write(&cut_file, &bytes[..cut]).unwrap();
        match mestno_import::open(&cut_file) {
            Err(Error::Damaged { detail, .. }) => assert!(!detail.is_empty()),
            Err(other) => panic!("cut at {cut}: expected «damaged», got {other}"),
            Ok(_) => panic!("cut at {cut}: a truncated file was read"),
        }
    }
}

#[test]
fn foreign_empty_and_disguised_files_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let empty = write("пусто.csv", b"");
    assert!(matches!(mestno_import::open(&empty), Err(Error::Empty { .. })));
    let blank = write("пробелы.csv", b" \r\n\r\n ");
    assert!(matches!(mestno_import::open(&blank), Err(Error::Empty { .. })));
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..2000u32).map(|i| (i * 31 % 256) as u8));
    let picture = write("фото.xlsx", &png);
    let err = mestno_import::open(&picture).unwrap_err();
    assert!(matches!(err, Error::NotSpreadsheet { .. }), "{err}");
    assert!(err.to_string().contains("сохраните как .xlsx или .csv"), "the message says what to do: {err}");
    let html = write("выгрузка.xls", "<html><body><table><tr><td>ФИО</td></tr></table></body></html>".as_bytes());
    assert!(matches!(mestno_import::open(&html), Err(Error::NotSpreadsheet { .. })), "an HTML page named .xls");
    let ole = write("старый.xls", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0]);
    assert!(matches!(mestno_import::open(&ole), Err(Error::Damaged { .. })), "a cut Excel 97 file");
    let missing = dir.path().join("нет такого.xlsx");
    assert!(matches!(mestno_import::open(&missing), Err(Error::Io { .. })));

    let sheetless = dir.path().join("пустая книга.xlsx");
    raw_xlsx(&sheetless, "");
    assert!(matches!(mestno_import::open(&sheetless), Err(Error::Empty { .. })), "a workbook with no cells");
}

#[test]
fn a_word_document_is_no_table_not_a_damaged_one() {
    let dir = tempfile::tempdir().unwrap();
    let letter = dir.path().join("Письмо в администрацию.docx");
    files::word_document(&letter, "Просим включить проект в перечень на 2026 год.");
    let err = mestno_import::open(&letter).unwrap_err();
    assert!(matches!(err, Error::NotSpreadsheet { .. }), "a zip like an xlsx, but with no workbook in it: {err}");
    assert!(err.message(Lang::Ru).contains("не похож на таблицу"), "{err}");
    assert!(
        err.message(Lang::En).contains("does not look like a table"),
        "the English twin: {}",
        err.message(Lang::En)
    );

    // Cut short, it may have been anything: damaged, as a cut workbook is.
    let bytes = std::fs::read(&letter).unwrap();
    let cut = dir.path().join("обрывок.docx");
    std::fs::write(&cut, &bytes[..bytes.len() - 10]).unwrap();
    assert!(matches!(mestno_import::open(&cut), Err(Error::Damaged { .. })), "a cut zip tells nothing of what it held");
}

#[tokio::test]
async fn error_cells_formulas_and_a_far_corner_cell_are_read_for_what_they_are() {
    let o = Office::new().await;
    let file = o.path("контакты.xlsx");
    raw_xlsx(
        &file,
        &[
            format!(r#"<row r="1">{}{}{}</row>"#, s("A1", "ФИО"), s("B1", "Телефон"), s("C1", "Населённый пункт")),
            format!(
                r#"<row r="2">{}<c r="B2"><v>89131112233</v></c>{}</row>"#,
                s("A2", "Орлова Нина"),
                s("C2", "д. Ивановка")
            ),
            format!(
                r#"<row r="3">{}<c r="B3" t="e"><f>1/0</f><v>#DIV/0!</v></c>{}</row>"#,
                s("A3", "Зайцев Пётр"),
                s("C3", "с. Берёзовка")
            ),
            format!(
                r#"<row r="4">{}<c r="B4" t="str"><f>"8913"&amp;"4445566"</f><v>89134445566</v></c>{}</row>"#,
                s("A4", "Белова Вера"),
                s("C4", "с. Берёзовка")
            ),
            r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#.to_string(),
        ]
        .concat(),
    );
    let source = mestno_import::open(&file).unwrap();
    assert_eq!(source.tables[0].cell(2, 1), &Value::Error("#DIV/0!".into()), "an error cell stays an error");
    let plan = o.plan_source(&source, Kind::Contacts, |_| {}).await;
    assert_eq!(plan.bad_rows, vec![3]);
    let p = &plan.problems[0];
    assert_eq!((p.row, p.column.as_deref()), (3, Some("B")));
    assert!(p.message.ru.contains("ошибка формулы #DIV/0!"), "{}", p.message.ru);
    assert_eq!(plan.batch.contacts[0].input.phones, vec!["+79131112233"], "a phone stored as a number");
    assert_eq!(plan.batch.contacts[1].input.phones, vec!["+79134445566"], "a formula's cached text");
    assert_eq!(plan.rows_read, 3, "the lone cell in the far corner is not in a mapped column");
}

#[tokio::test]
async fn a_huge_cell_is_a_problem_of_its_row_not_a_crash() {
    let o = Office::new().await;
    let file = o.path("заметки.csv");
    let huge = "очень длинная заметка ".repeat(5_000);
    std::fs::write(&file, format!("ФИО;Примечание\nОрлова Нина;{huge}\nКотов Илья;коротко\n")).unwrap();
    let plan = o.plan(&file, Kind::Contacts, |_| {}).await;
    assert_eq!(plan.bad_rows, vec![2]);
    assert_eq!(plan.problems[0].column.as_deref(), Some("B"));
    assert!(plan.problems[0].message.ru.contains("слишком длинный текст"), "{}", plan.problems[0].message.ru);
    assert!(plan.problems[0].value.as_ref().is_some_and(|v| v.chars().count() < 100), "the report shows a snippet");
    assert_eq!(plan.ready(), 1);
}

#[tokio::test]
async fn a_sheet_without_a_table_of_this_kind_is_said_so() {
    let o = Office::new().await;
    let file = o.path("справка.csv");
    std::fs::write(&file, "Справка о работе офиса за 2024 год\n").unwrap();
    let source = mestno_import::open(&file).unwrap();
    let mapping = mestno_import::Mapping {
        kind: Kind::Initiatives,
        sheet: None,
        header_row: None,
        columns: vec![],
        defaults: Default::default(),
        create_territories: false,
    };
    let err = mestno_import::validate(&o.store, &source, &mapping).await.unwrap_err();
    assert!(matches!(err, Error::NoTable), "{err}");
}
