//! Files as offices have them, made for the tests.

use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, Formula, Workbook, Worksheet, XlsxError};

type Res = Result<(), XlsxError>;

fn merged(sheet: &mut Worksheet, r0: u32, c0: u16, r1: u32, c1: u16, text: &str) -> Res {
    let format = Format::new().set_bold().set_align(FormatAlign::Center).set_text_wrap();
    sheet.merge_range(r0, c0, r1, c1, text, &format)?;
    Ok(())
}

/// A registry of initiatives like a district's ППМИ office keeps: a merged title block, a
/// two-level header with merged cells, a row of column numbers, section headings per district,
/// the district written once and merged down, money as numbers, as text and as a formula,
/// subtotals and a grand total, a hidden scratch column, and three sheets.
pub fn registry(path: &Path) {
    write_registry(path).unwrap();
}

fn write_registry(path: &Path) -> Res {
    let mut book = Workbook::new();
    let note = book.add_worksheet().set_name("Справка")?;
    note.write(0, 0, "Реестр составлен по заявкам, поступившим до 1 марта.")?;
    note.write(1, 0, "Ответственный: Петрова О. В., тел. 8 (39163) 2-22-22")?;

    let sheet = book.add_worksheet().set_name("Реестр 2025")?;
    merged(sheet, 0, 0, 0, 12, "Реестр инициативных проектов — ППМИ 2025")?;
    merged(sheet, 1, 0, 1, 12, "Абанский и Ирбейский районы Красноярского края")?;
    for (c, h) in [
        (0, "№ п/п"),
        (1, "Муниципальный район"),
        (2, "Населённый пункт"),
        (3, "Наименование проекта"),
        (4, "Тип объекта"),
        (5, "Общая стоимость проекта, руб."),
        (10, "Количество благополучателей, чел."),
        (11, "Статус"),
        (12, "Стоимость (черновик)"),
    ] {
        merged(sheet, 3, c, 4, c, h)?;
    }
    merged(sheet, 3, 6, 3, 9, "Источники финансирования, руб.")?;
    for (c, h) in [(6, "Краевой бюджет"), (7, "Местный бюджет"), (8, "Население"), (9, "Юридические лица")]
    {
        sheet.write(4, c, h)?;
    }
    for c in 0..13u16 {
        sheet.write(5, c, f64::from(c + 1))?;
    }
    merged(sheet, 6, 0, 6, 12, "Абанский район")?;
    merged(sheet, 7, 1, 9, 1, "Абанский район")?;
    // Row 8: money as numbers, residents' money as text with a decimal comma.
    sheet.write(7, 0, 1)?;
    sheet.write(7, 2, "с. Берёзовка")?;
    sheet.write(7, 3, "Ремонт водопровода по ул. Лесной")?;
    sheet.write(7, 4, "водоснабжение")?;
    sheet.write(7, 5, 1_500_000.0)?;
    sheet.write(7, 6, 1_200_000.0)?;
    sheet.write(7, 7, 150_000.0)?;
    sheet.write(7, 8, "100 000,00")?;
    sheet.write(7, 9, 50_000.0)?;
    sheet.write(7, 10, 320)?;
    sheet.write(7, 11, "Отобран")?;
    sheet.write(7, 12, "черновик: 1,4 млн")?;
    // Row 9: the total as text with kopecks and «руб.», no type (told by the title).
    sheet.write(8, 0, 2)?;
    sheet.write(8, 2, "д. Ивановка")?;
    sheet.write(8, 3, "Уличное освещение ул. Центральной")?;
    sheet.write(8, 5, "987 654,32 руб.")?;
    sheet.write(8, 6, 800_000)?;
    sheet.write(8, 7, "87 654,32")?;
    sheet.write(8, 8, 100_000)?;
    sheet.write(8, 9, 0)?;
    sheet.write(8, 10, "150")?;
    sheet.write(8, 11, "Реализован")?;
    // Row 10: the total is a formula with its cached value.
    sheet.write(9, 0, 3)?;
    sheet.write(9, 2, "п. Долгий Мост")?;
    sheet.write(9, 3, "Детская площадка «Солнышко»")?;
    sheet.write(9, 4, "Детская площадка")?;
    sheet.write_formula(9, 5, Formula::new("=SUM(G10:J10)").set_result("600000"))?;
    sheet.write(9, 6, 500_000)?;
    sheet.write(9, 7, 50_000)?;
    sheet.write(9, 8, 30_000)?;
    sheet.write(9, 9, 20_000)?;
    sheet.write(9, 10, 95)?;
    sheet.write(9, 11, "заявка")?;
    merged(sheet, 10, 0, 10, 4, "Итого по Абанскому району")?;
    sheet.write_formula(10, 5, Formula::new("=SUM(F8:F10)").set_result("3087654.32"))?;
    merged(sheet, 11, 0, 11, 12, "Ирбейский район")?;
    // Row 13: a village name two districts share; half a kopeck in a number cell.
    sheet.write(12, 0, 4)?;
    sheet.write(12, 1, "Ирбейский район")?;
    sheet.write(12, 2, "Берёзовка")?;
    sheet.write(12, 3, "Ремонт сельского клуба")?;
    sheet.write(12, 4, "Культура")?;
    sheet.write(12, 5, 2_000_000.5)?;
    sheet.write(12, 6, 1_800_000.5)?;
    sheet.write(12, 7, 100_000)?;
    sheet.write(12, 8, 100_000)?;
    sheet.write(12, 10, 410)?;
    sheet.write(12, 11, "Победитель")?;
    sheet.write(13, 0, "Всего")?;
    sheet.write_formula(13, 5, Formula::new("=F11+F13").set_result("5087654.82"))?;
    sheet.set_column_hidden(12)?;

    let old = book.add_worksheet().set_name("Реестр 2024")?;
    for (c, h) in ["№", "Наименование проекта", "Населённый пункт", "Общая стоимость"].iter().enumerate()
    {
        old.write(0, c as u16, *h)?;
    }
    old.write(1, 0, 1)?;
    old.write(1, 1, "Ремонт колодца")?;
    old.write(1, 2, "с. Берёзовка")?;
    old.write(1, 3, 300_000)?;
    book.save(path)
}

/// A list of village elders as Russian Excel saves «CSV (разделители — точка с запятой)»:
/// Windows-1251, `;`, a title line, phones in every notation, a few bad rows.
pub const ELDERS_CSV: &str = "\
Список сельских старост Абанского района;;;;;
;;;;;
ФИО;Населенный пункт;Телефон;Эл. почта;Роль;Согласие на обработку ПД
Семёнова Анна Петровна;с. Берёзовка;8 (913) 555-12-34;Anna@Mail.ru;сельский староста;12.03.2024
Иванов Пётр Сергеевич;д. Ивановка;+7 913 555 12 35, 8 (39163) 2-12-34;;депутат;
ООО «Ромашка»;п. Долгий Мост;89135551236;info@romashka.ru;бизнес;
Кузнецова Мария;с. Берёзовка;2-12-34;;;
Петров Иван;Тайга;;;;
Семенова Анна Петровна;с. Берёзовка;;;;
Смирнов Олег;д. Ивановка;8 913 555 00 00;;;
Николаев Юрий;д. Ивановка;;;;
";

pub fn cp1251(path: &Path, text: &str) {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(text);
    assert!(!unmappable, "the test text fits the code page");
    std::fs::write(path, bytes).unwrap();
}

/// An attendance list in UTF-8 with a BOM and commas, as Google Sheets exports it.
pub const EVENTS_CSV: &str =
    "\u{feff}Дата,Время,Вид мероприятия,Тема,Место проведения,Населённый пункт,Количество участников,Решение
12.03.2025,18:00–20:00,Сход граждан,Выбор проекта ППМИ,Сельский клуб,с. Берёзовка,85,Выбран проект ремонта водопровода
2025-04-05,10:00,субботник,\"Уборка парка, посадка деревьев\",Парк,д. Ивановка,40,
05.05.2025 15:30,,Публичные слушания,,Администрация,п. Долгий Мост,\"1 200\",
31.02.2025,,Собрание,Неверная дата,,с. Берёзовка,10,
";

/// A minimal xlsx written by hand, for what rust_xlsxwriter does not write: error cells,
/// formulas with cached results, a cell at the very last row and column.
pub fn raw_xlsx(path: &Path, sheet_data: &str) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Контакты" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
            ),
        ),
    ];
    for (name, body) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// An inline-string cell.
pub fn s(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// A Word document (.docx) of one paragraph, with the parts Word itself needs: an Office Open
/// XML zip like an xlsx, but its main part is `word/document.xml`, not a workbook.
pub fn word_document(path: &Path, paragraph: &str) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        (
            "word/document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{paragraph}</w:t></w:r></w:p><w:sectPr/></w:body></w:document>"#
            ),
        ),
    ];
    for (name, body) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}
