//! Акт об уничтожении персональных данных, with the extract from the system's event log that
//! must accompany it when data are processed by computer (Приказ Роскомнадзора от 28.10.2022
//! № 179): the operator and its address (from the office's profile), how the subject is
//! identified (the request's number — their name is destroyed), the categories destroyed, the
//! information system, the method, the reason and the date, and lines for the signatures of the
//! people who erased and of the one responsible for the processing of personal data (named by
//! the profile, when it names them).

use std::path::Path;

use mestno_core::model::Id;
use mestno_core::{Lang, Store};
use rust_xlsxwriter::{FormatAlign, FormatBorder, RowNum, Workbook, Worksheet};

use crate::Result;
use crate::person::moment;
use crate::sheet::{self, Kind, Styles, Weight, russian_date};

/// The act's title (its number follows «№»).
pub const TITLE: &str = "Акт об уничтожении персональных данных";

/// Characters of a value that fit on one line of the merged value cell.
const LINE: usize = 66;

/// Writes the act of erasure `log_id` (an entry of [`Store::erasure_log`]) to the `.xlsx` at
/// `path`.
pub async fn erasure_act(store: &Store, log_id: Id, path: &Path) -> Result<()> {
    let log = store.erasure_entry(log_id).await?;
    let profile = store.office_profile().await?;
    let (office, address) = (&profile.name, &profile.address);
    let or_blank = |s: &str| if s.trim().is_empty() { "не указан".to_string() } else { s.trim().to_string() };
    let system = format!(
        "Mestno — учёт инициативных проектов и вовлечённости населения; файл базы данных «{}»",
        store.path().display()
    );
    let subject = format!(
        "идентифицируется по регистрационному номеру запроса: № {} от {}. Фамилия, имя, отчество и иные \
         персональные данные субъекта уничтожены и в акте не приводятся; сведения о субъекте содержатся в \
         зарегистрированном запросе.",
        log.request_number,
        russian_date(log.requested_on)
    );
    let categories = log.categories.iter().map(|c| format!("— {c}")).collect::<Vec<_>>().join("\n");
    let method = format!(
        "{}: записи о субъекте удалены, упоминания его имени, телефонов и адресов эл. почты в других записях и \
         в истории изменений заменены на «[удалено]», поисковый индекс перестроен, освобождённое место в файле \
         перезаписано нулями",
        log.method
    );
    let counts = log
        .counts
        .labelled()
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(label, n)| format!("— {label}: {n}"))
        .collect::<Vec<_>>()
        .join("\n");
    let date = russian_date(log.erased_on);

    let mut book = Workbook::new();
    let styles = Styles::new();
    let title = format!("{TITLE} № {}", log.act_number);
    sheet::set_properties(&mut book, &title, office, log.erased_on)?;
    let ws = book.add_worksheet();
    ws.set_name("Акт")?;
    let mut act = Act::new(ws, &styles);
    let centred = styles.title.clone().set_align(FormatAlign::Center);
    act.ws.merge_range(0, 0, 0, 3, &format!("АКТ № {}", log.act_number), &centred)?;
    act.ws.merge_range(1, 0, 1, 3, "об уничтожении персональных данных", &centred)?;
    act.row = 3;
    act.field("Дата уничтожения", &date)?;
    act.field("Оператор персональных данных", &or_blank(office))?;
    act.field("Адрес оператора", &or_blank(address))?;
    act.field("Субъект персональных данных", &subject)?;
    act.field("Перечень категорий уничтоженных персональных данных", &categories)?;
    act.field("Наименование информационной системы персональных данных", &system)?;
    act.field("Способ уничтожения", &method)?;
    act.field("Причина уничтожения", &log.reason)?;
    act.field("Основание", log.basis.label(Lang::Ru))?;
    act.field("Количество уничтоженных и изменённых записей", &counts)?;

    act.section("Выгрузка из журнала регистрации событий в информационной системе персональных данных")?;
    act.field("Запись журнала", &log.id.to_string())?;
    act.field("Дата и время события (UTC)", &moment(log.erased_at))?;
    act.field("Событие", "уничтожение персональных данных субъекта")?;
    act.field("Пользователь информационной системы", &log.actor)?;
    act.field("Устройство", &log.device)?;
    act.field("Идентификация субъекта", &format!("по регистрационному номеру запроса № {}", log.request_number))?;
    act.field("Категории уничтоженных персональных данных", &categories)?;
    act.field("Информационная система", &system)?;
    act.field("Причина уничтожения", &log.reason)?;
    act.field("Дата уничтожения", &date)?;

    act.section("Лица, уничтожившие персональные данные")?;
    act.signatures(&[("", &log.actor), ("", ""), ("", "")])?;
    act.section("Ответственный за организацию обработки персональных данных")?;
    act.signatures(&[(&profile.responsible_position, &profile.responsible_name)])?;
    act.row += 1;
    act.ws.write_string_with_format(
        act.row,
        0,
        "Акт и выгрузка из журнала хранятся три года с даты уничтожения персональных данных \
         (Приказ Роскомнадзора от 28.10.2022 № 179).",
        &styles.note,
    )?;
    for (c, width) in [(0, 40.0), (1, 34.0), (2, 22.0), (3, 16.0)] {
        act.ws.set_column_width(c, width)?;
    }
    act.ws.set_portrait().set_paper_size(9).set_print_fit_to_pages(1, 0);
    act.ws.set_footer(format!("&LMestno&CАкт № {}&RСтраница &P из &N", log.act_number));
    crate::save(&mut book, path)
}

/// The act's sheet and where the next line goes.
struct Act<'a> {
    ws: &'a mut Worksheet,
    styles: &'a Styles,
    look: sheet::FieldLook,
    row: RowNum,
}

impl<'a> Act<'a> {
    fn new(ws: &'a mut Worksheet, styles: &'a Styles) -> Act<'a> {
        // A label in column A (boxed), its value across B–D.
        let mut look = sheet::FieldLook::new(styles, 3, LINE);
        look.label = look.label.set_border(FormatBorder::Thin);
        Act { ws, styles, look, row: 0 }
    }

    fn section(&mut self, title: &str) -> Result<()> {
        self.row = sheet::section(self.ws, self.styles, self.row, title)?;
        Ok(())
    }

    fn field(&mut self, label: &str, value: &str) -> Result<()> {
        self.look.field(self.ws, self.row, label, value)?;
        self.row += 1;
        Ok(())
    }

    /// A header and one signature line per (position, name) (blanks to fill in by hand).
    fn signatures(&mut self, people: &[(&str, &str)]) -> Result<()> {
        for (c, title) in ["Должность", "Фамилия, инициалы", "Подпись", "Дата"].iter().enumerate()
        {
            self.ws.write_string_with_format(self.row, c as u16, *title, &self.styles.header)?;
        }
        self.row += 1;
        let cell = self.styles.cell(Weight::Data, Kind::Text);
        for (position, name) in people {
            for c in 0..4 {
                let value = match c {
                    0 => *position,
                    1 => *name,
                    _ => "",
                };
                self.ws.write_string_with_format(self.row, c, value, cell)?;
            }
            self.ws.set_row_height(self.row, 24)?;
            self.row += 1;
        }
        Ok(())
    }
}
