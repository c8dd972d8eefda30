//! Сведения о субъекте персональных данных: everything the office holds about one person, for
//! their request under ч. 7 ст. 14 152-ФЗ — the record and the facts of processing on the first
//! sheet, then a sheet each for consents, events, initiatives, appeals, files, mentions in other
//! records, and the record's change history.

use std::path::Path;

use chrono::{DateTime, NaiveDate};
use mestno_core::model::{Consent, ConsentMethod, ContactKind, Id, Role};
use mestno_core::store::{HistoryEntry, PersonData};
use mestno_core::{Lang, Store};
use rust_xlsxwriter::{FormatAlign, RowNum, Workbook, Worksheet};
use serde_json::Value;

use crate::sheet::{self, Column, Kind, Styles, Weight, col, excel_date, russian_date};
use crate::{Result, office_line};

/// The export's title.
pub const TITLE: &str = "Сведения о субъекте персональных данных";

/// The legal basis the first sheet states.
pub const BASIS: &str = "Основание: ч. 7 ст. 14 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных» \
                         (право субъекта на получение сведений, касающихся обработки его персональных данных).";

/// Writes everything held about person `id` to the `.xlsx` at `path`; returns the rows of data
/// written over all sheets.
pub async fn person_export(store: &Store, id: Id, path: &Path) -> Result<u64> {
    let data = store.person_data(id).await?;
    let today = store.clock().today();
    let profile = store.office_profile().await?;
    let (office, address) = (profile.name, profile.address);
    let database = store.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();

    let mut book = Workbook::new();
    let styles = Styles::new();
    sheet::set_properties(&mut book, TITLE, &office, today)?;
    let mut rows = subject(&mut book, &styles, &data, today, [&office, &address, &database])?;
    rows += consents(&mut book, &styles, &data.contact.consents, today)?;

    let events = data.events.iter().map(|e| {
        [
            e.starts_at.format("%d.%m.%Y %H:%M").to_string(),
            e.kind.label(Lang::Ru).to_string(),
            e.title.clone(),
            e.place.clone(),
            e.territory.clone(),
            e.role.label(Lang::Ru).to_string(),
        ]
    });
    const EVENTS: [Column; 6] = [
        col("Дата и время", Kind::Text),
        col("Вид мероприятия", Kind::Text),
        col("Название", Kind::Text),
        col("Место", Kind::Text),
        col("Территория", Kind::Text),
        col("Роль субъекта", Kind::Text),
    ];
    rows += table(
        &mut book,
        &styles,
        "Мероприятия",
        "Мероприятия, в которых субъект участвовал поимённо",
        &EVENTS,
        events,
    )?;

    let initiatives = data.initiatives.iter().map(|i| {
        let link = if i.by_record {
            "указан(а) инициатором проекта"
        } else {
            "имя инициатора совпадает с именем субъекта"
        };
        [
            i.title.clone(),
            i.year.to_string(),
            i.stage.label(Lang::Ru).to_string(),
            i.initiator_kind.label(Lang::Ru).to_string(),
            i.initiator_name.clone(),
            link.to_string(),
        ]
    });
    const INITIATIVES: [Column; 6] = [
        col("Проект", Kind::Text),
        col("Год", Kind::Text),
        col("Стадия", Kind::Text),
        col("Вид инициатора", Kind::Text),
        col("Инициатор (как записано)", Kind::Text),
        col("Связь с субъектом", Kind::Text),
    ];
    rows +=
        table(&mut book, &styles, "Проекты", "Проекты, инициатором которых указан субъект", &INITIATIVES, initiatives)?;

    let appeals = data.appeals.iter().map(|a| {
        [
            russian_date(a.received_on),
            a.channel.label(Lang::Ru).to_string(),
            a.status.label(Lang::Ru).to_string(),
            a.text.clone(),
        ]
    });
    const APPEALS: [Column; 4] = [
        col("Дата поступления", Kind::Text),
        col("Способ поступления", Kind::Text),
        col("Статус", Kind::Text),
        col("Текст обращения", Kind::Text),
    ];
    rows += table(&mut book, &styles, "Обращения", "Обращения, автором которых указан субъект", &APPEALS, appeals)?;

    let files = data
        .attachments
        .iter()
        .map(|f| [f.file_name.clone(), moment(f.added_at), f.size_bytes.to_string(), f.sha256.clone()]);
    const FILES: [Column; 4] = [
        col("Имя файла", Kind::Text),
        col("Добавлен (UTC)", Kind::Text),
        col("Размер, байт", Kind::Text),
        col("Контрольная сумма SHA-256", Kind::Text),
    ];
    rows += table(&mut book, &styles, "Файлы", "Файлы, прикреплённые к записи о субъекте", &FILES, files)?;

    let mentions = data.mentions.iter().map(|m| {
        [
            m.entity.map_or("запись", |e| e.label(Lang::Ru)).to_string(),
            m.record.clone(),
            m.field.clone(),
            m.text.clone(),
        ]
    });
    const MENTIONS: [Column; 4] = [
        col("Вид записи", Kind::Text),
        col("Запись", Kind::Text),
        col("Поле", Kind::Text),
        col("Текст, в котором упомянут субъект", Kind::Text),
    ];
    let note = "Другие записи, в текстах которых упомянуты имя, телефоны или адреса эл. почты субъекта";
    rows += table(&mut book, &styles, "Упоминания", note, &MENTIONS, mentions)?;

    let territory =
        Territory { id: data.contact.input.territory_id.map(|t| t.to_string()), name: data.territory.as_deref() };
    let history = data.history.iter().map(|h: &HistoryEntry| {
        [
            moment(h.at),
            h.op.label(Lang::Ru).to_string(),
            h.actor.clone(),
            h.device.clone(),
            changes(&h.changes, &territory),
        ]
    });
    const HISTORY: [Column; 5] = [
        col("Дата и время (UTC)", Kind::Text),
        col("Действие", Kind::Text),
        col("Пользователь", Kind::Text),
        col("Устройство", Kind::Text),
        col("Изменения", Kind::Text),
    ];
    rows += table(&mut book, &styles, "История", "История изменений записи о субъекте", &HISTORY, history)?;

    crate::save(&mut book, path)?;
    Ok(rows)
}

/// The first sheet: title block, the person's data, the facts of processing.
fn subject(
    book: &mut Workbook,
    styles: &Styles,
    data: &PersonData,
    today: NaiveDate,
    [office, address, database]: [&str; 3],
) -> Result<u64> {
    let ws = book.add_worksheet();
    ws.set_name("Субъект")?;
    ws.write_string_with_format(0, 0, TITLE, &styles.title)?;
    let lines = [
        office_line(office, address),
        format!("Дата выгрузки: {}", russian_date(today)),
        format!("Информационная система: Mestno, файл базы данных «{database}»"),
    ];
    for (k, line) in lines.iter().enumerate() {
        ws.write_string(1 + k as RowNum, 0, line)?;
    }
    ws.write_string_with_format(1 + lines.len() as RowNum, 0, BASIS, &styles.note)?;
    let mut card = Card::new(ws, styles, 3 + lines.len() as RowNum);

    let c = &data.contact;
    let i = &c.input;
    card.section("Персональные данные")?;
    card.field("Фамилия, имя, отчество", &c.display_name)?;
    card.field("Фамилия", &i.last_name)?;
    card.field("Имя", &i.first_name)?;
    card.field("Отчество", &i.middle_name)?;
    card.field("Роли", &i.roles.iter().map(|r| r.label(Lang::Ru)).collect::<Vec<_>>().join(", "))?;
    card.field("Организация (место работы)", &i.org_name)?;
    card.field("Должность", &i.position)?;
    card.field("Территория", data.territory.as_deref().unwrap_or(""))?;
    card.field("Почтовый адрес", &i.address)?;
    card.field("Телефоны", &i.phones.iter().map(|p| crate::contacts::phone(p)).collect::<Vec<_>>().join(", "))?;
    card.field("Адреса эл. почты", &i.emails.join(", "))?;
    card.field("Метки", &i.tags.join(", "))?;
    card.field("Заметки", &i.notes)?;
    card.field("Запись создана (UTC)", &moment(c.stamp.created_at))?;
    card.field("Последнее изменение (UTC)", &moment(c.stamp.updated_at))?;

    card.section("Сведения об обработке персональных данных")?;
    card.field("Факт обработки", "персональные данные субъекта обрабатываются оператором")?;
    let purposes: Vec<&str> = c.consents.iter().map(|k| k.input.purpose.as_str()).collect();
    card.field(
        "Цели обработки",
        &if purposes.is_empty() {
            "согласие с целью обработки не записано".into()
        } else {
            purposes.join("; ")
        },
    )?;
    card.field(
        "Правовое основание",
        if c.consents.is_empty() {
            "согласие субъекта не записано"
        } else {
            "согласие субъекта на обработку персональных данных (п. 1 ч. 1 ст. 6 Федерального закона № 152-ФЗ)"
        },
    )?;
    card.field(
        "Способ обработки",
        "автоматизированная: запись, систематизация, хранение, уточнение, использование и удаление \
         в информационной системе Mestno",
    )?;
    let terms: Vec<String> = c
        .consents
        .iter()
        .map(|k| match (k.withdrawn_on, k.input.expires_on) {
            (Some(w), _) => format!("согласие от {} отозвано {}", russian_date(k.input.given_on), russian_date(w)),
            (None, Some(e)) => format!("согласие от {} — до {}", russian_date(k.input.given_on), russian_date(e)),
            (None, None) => format!("согласие от {} — до его отзыва", russian_date(k.input.given_on)),
        })
        .collect();
    card.field("Сроки обработки", &if terms.is_empty() { "не установлены".into() } else { terms.join("; ") })?;
    card.field(
        "Состав выгрузки",
        &format!(
            "согласий: {}; мероприятий: {}; проектов: {}; обращений: {}; файлов: {}; упоминаний в других записях: {}; \
             записей истории изменений: {}",
            c.consents.len(),
            data.events.len(),
            data.initiatives.len(),
            data.appeals.len(),
            data.attachments.len(),
            data.mentions.len(),
            data.history.len()
        ),
    )?;
    ws_finish(card.ws, 0)?;
    Ok(card.count)
}

/// The consents sheet, with each consent's state on the day of export.
fn consents(book: &mut Workbook, styles: &Styles, consents: &[Consent], today: NaiveDate) -> Result<u64> {
    const COLUMNS: [Column; 6] = [
        col("Цель обработки", Kind::Text),
        col("Согласие дано", Kind::Date),
        col("Способ получения", Kind::Text),
        col("Действует до", Kind::Date),
        col("Отозвано", Kind::Date),
        col("Состояние на дату выгрузки", Kind::Text),
    ];
    let ws = book.add_worksheet();
    ws.set_name("Согласия")?;
    let header = intro(ws, styles, "Согласия на обработку персональных данных")?;
    let mut widths = sheet::write_header(ws, styles, header, &COLUMNS)?;
    let (text, date) = (styles.cell(Weight::Data, Kind::Text), styles.cell(Weight::Data, Kind::Date));
    let mut row = header + 1;
    for k in consents {
        let state = if k.withdrawn_on.is_some_and(|w| w <= today) {
            "отозвано"
        } else if k.input.expires_on.is_some_and(|e| e < today) {
            "истёк срок действия"
        } else if k.input.given_on > today {
            "ещё не действует"
        } else {
            "действует"
        };
        for (c, value) in [(0, k.input.purpose.as_str()), (2, k.input.method.label(Lang::Ru)), (5, state)] {
            ws.write_string_with_format(row, c, value, text)?;
            widths.text(c, value);
        }
        ws.write_datetime_with_format(row, 1, excel_date(k.input.given_on)?, date)?;
        match k.input.expires_on {
            Some(d) => ws.write_datetime_with_format(row, 3, excel_date(d)?, date)?,
            None => ws.write_string_with_format(row, 3, "бессрочно", text)?,
        };
        match k.withdrawn_on {
            Some(d) => ws.write_datetime_with_format(row, 4, excel_date(d)?, date)?,
            None => ws.write_blank(row, 4, date)?,
        };
        row += 1;
    }
    if consents.is_empty() {
        ws.write_string_with_format(row, 0, "нет сведений", text)?;
        row += 1;
    }
    widths.apply(ws)?;
    sheet::finish_table(ws, header, row - 1, COLUMNS.len() as u16 - 1, 0)?;
    Ok(consents.len() as u64)
}

/// A sheet of one category: a line saying what it lists, the header, a row per item (or
/// «нет сведений»); returns the rows written.
fn table<const N: usize>(
    book: &mut Workbook,
    styles: &Styles,
    name: &str,
    what: &str,
    columns: &[Column; N],
    items: impl Iterator<Item = [String; N]>,
) -> Result<u64> {
    let ws = book.add_worksheet();
    ws.set_name(name)?;
    let header = intro(ws, styles, what)?;
    let mut widths = sheet::write_header(ws, styles, header, columns)?;
    let wrap = styles.cell(Weight::Data, Kind::Text).clone().set_text_wrap().set_align(FormatAlign::Top);
    let mut row = header + 1;
    for item in items {
        for (c, value) in item.iter().enumerate() {
            let value = sheet::clip(value);
            ws.write_string_with_format(row, c as u16, value, &wrap)?;
            widths.fit(c as u16, value.chars().count().min(60));
        }
        row += 1;
    }
    let count = u64::from(row - header - 1);
    if count == 0 {
        ws.write_string_with_format(row, 0, "нет сведений", &wrap)?;
        row += 1;
    }
    widths.apply(ws)?;
    sheet::finish_table(ws, header, row - 1, N as u16 - 1, 0)?;
    Ok(count)
}

/// The sheet's title and what it lists; returns the header row.
fn intro(ws: &mut Worksheet, styles: &Styles, what: &str) -> Result<RowNum> {
    ws.write_string_with_format(0, 0, TITLE, &styles.title)?;
    ws.write_string(1, 0, what)?;
    Ok(3)
}

fn ws_finish(ws: &mut Worksheet, header: RowNum) -> Result<()> {
    ws.set_column_width(0, 34.0)?;
    ws.set_column_width(1, 90.0)?;
    sheet::print_setup(ws, header)
}

/// A sheet of labelled fields, and where the next goes.
struct Card<'a> {
    ws: &'a mut Worksheet,
    styles: &'a Styles,
    look: sheet::FieldLook,
    row: RowNum,
    count: u64,
}

impl<'a> Card<'a> {
    fn new(ws: &'a mut Worksheet, styles: &'a Styles, row: RowNum) -> Card<'a> {
        Card { ws, styles, look: sheet::FieldLook::new(styles, 1, 80), row, count: 0 }
    }

    fn section(&mut self, title: &str) -> Result<()> {
        self.row = sheet::section(self.ws, self.styles, self.row, title)?;
        Ok(())
    }

    fn field(&mut self, label: &str, value: &str) -> Result<()> {
        self.look.field(self.ws, self.row, label, value)?;
        self.row += 1;
        self.count += 1;
        Ok(())
    }
}

/// An instant (ms since the epoch) as `dd.mm.yyyy HH:MM`, UTC.
pub(crate) fn moment(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms).map(|t| t.format("%d.%m.%Y %H:%M").to_string()).unwrap_or_default()
}

/// A history entry's changes as a person reads them: `field: old → new`, one per line, each
/// field by its Russian name and each value as the record shows it (a role by its name, a date
/// as dd.mm.yyyy, the settlement by its name); the internal number of a consent is left out.
fn changes(changes: &serde_json::Value, territory: &Territory<'_>) -> String {
    let Some(fields) = changes.as_object() else { return changes.to_string() };
    fields
        .iter()
        .filter(|(field, _)| field.as_str() != "consent_id")
        .map(|(field, v)| {
            let show = |v: Option<&Value>| v.map_or_else(|| "—".to_owned(), |v| value(field, v, territory));
            format!("{}: {} → {}", field_label(field), show(v.get("old")), show(v.get("new")))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The person's settlement: its id, as the history names it, and its name.
struct Territory<'a> {
    id: Option<String>,
    name: Option<&'a str>,
}

/// A contact's field by its Russian name.
fn field_label(field: &str) -> &str {
    match field {
        "kind" => "вид",
        "last_name" => "фамилия",
        "first_name" => "имя",
        "middle_name" => "отчество",
        "org_name" => "организация",
        "position" => "должность",
        "territory_id" => "населённый пункт",
        "address" => "адрес",
        "notes" => "заметки",
        "roles" => "роли",
        "phones" => "телефоны",
        "emails" => "адреса эл. почты",
        "tags" => "метки",
        "consent" => "согласие на обработку персональных данных",
        "consent_withdrawn_on" => "согласие отозвано",
        "imported_from" => "загружено из файла",
        "source" => "источник",
        "merged_from" => "объединён с записью",
        "merged_into" => "влит в запись",
        "erasure" => "уничтожение данных",
        other => other,
    }
}

/// A value of `field` as the record shows it.
fn value(field: &str, v: &Value, territory: &Territory<'_>) -> String {
    match (field, v) {
        (_, Value::Null) => "—".to_owned(),
        ("kind", Value::String(s)) => ContactKind::parse(s).map_or(s.clone(), |k| k.label(Lang::Ru).to_owned()),
        ("roles", Value::String(s)) => Role::parse(s).map_or(s.clone(), |r| r.label(Lang::Ru).to_owned()),
        ("territory_id", Value::String(s)) if territory.id.as_deref() == Some(s.as_str()) => {
            territory.name.map_or_else(|| s.clone(), str::to_owned)
        }
        ("source", Value::String(s)) if s == "demo" => "демо-данные".to_owned(),
        ("consent", Value::Object(c)) => {
            let part = |key: &str, label: &str| {
                c.get(key).filter(|v| !v.is_null()).map(|v| format!("{label} {}", value(key, v, territory)))
            };
            [
                part("purpose", "цель:"),
                part("given_on", "дано"),
                part("method", "способ:"),
                part("expires_on", "действует до"),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
        }
        ("method", Value::String(s)) => ConsentMethod::parse(s).map_or(s.clone(), |m| m.label(Lang::Ru).to_owned()),
        (_, Value::String(s)) => {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_or_else(|_| s.clone(), |d| d.format("%d.%m.%Y").to_string())
        }
        (_, Value::Array(items)) if items.is_empty() => "—".to_owned(),
        (_, Value::Array(items)) => items.iter().map(|i| value(field, i, territory)).collect::<Vec<_>>().join(", "),
        (_, Value::Object(o)) => o
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{}: {}", field_label(k), value(k, v, territory)))
            .collect::<Vec<_>>()
            .join(", "),
        (_, other) => other.to_string(),
    }
}
