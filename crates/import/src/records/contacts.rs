//! A contact from a row of a contact list: the name split or taken as an organisation, the
//! settlement, roles and the consent to data processing.

use chrono::NaiveDate;
use mestno_core::Text;
use mestno_core::model::{ConsentInput, ConsentMethod, ContactInput, ContactKind};
use mestno_core::store::NewContact;

use super::{Place, Row};
use crate::fields::Field;
use crate::labels;
use crate::parse;
use crate::table::Value;

/// A contact from a row of a contact list.
pub(crate) fn contact(row: &mut Row<'_>) -> Option<NewContact> {
    let full = row.text(Field::FullName);
    let mut input = ContactInput {
        kind: ContactKind::Person,
        last_name: row.text_or_empty(Field::LastName),
        first_name: row.text_or_empty(Field::FirstName),
        middle_name: row.text_or_empty(Field::MiddleName),
        org_name: row.text_or_empty(Field::OrgName),
        position: row.text_or_empty(Field::Position),
        territory_id: None,
        address: row.text_or_empty(Field::Address),
        notes: row.read_all(Field::Notes, |v| Ok(parse::text(v)?.into_iter().collect())).join("; "),
        roles: Vec::new(),
        phones: row.read_all(Field::Phone, parse::phones),
        emails: row.read_all(Field::Email, parse::emails),
        tags: row.read_all(Field::Tags, parse::list),
    };
    match row.place() {
        Place::Default => input.territory_id = row.ctx.default_territory,
        Place::Found(id) => input.territory_id = Some(id),
        Place::Unknown { field, name, message } => {
            if !fold_contains(&input.address, &name) {
                input.address = [name.as_str(), input.address.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ");
            }
            row.warning(
                Some(field),
                Text::new(
                    format!("{}; контакт сохранён, «{name}» записан в адрес", message.ru),
                    format!("{}; the contact is kept with «{name}» in its address", message.en),
                ),
            );
        }
    }
    if let Some(full) = full {
        if labels::looks_like_organisation(&full) {
            input.kind = ContactKind::Organisation;
            if !input.org_name.is_empty() && input.org_name != full {
                input.position = [input.position.as_str(), input.org_name.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ");
            }
            input.org_name = full;
        } else {
            let words: Vec<&str> = split_name(&full);
            let mut it = words.into_iter();
            input.last_name = it.next().unwrap_or_default().to_string();
            input.first_name = it.next().unwrap_or_default().to_string();
            input.middle_name = it.collect::<Vec<_>>().join(" ");
        }
    } else if input.last_name.is_empty() && input.first_name.is_empty() && !input.org_name.is_empty() {
        input.kind = ContactKind::Organisation;
    }
    for text in row.read_all(Field::Role, parse::list) {
        match labels::role(&text) {
            Some(role) => input.roles.push(role),
            None => input.tags.push(text),
        }
    }
    input.roles.extend(row.ctx.defaults.role);
    let consent = consent(row, input.kind);
    if input.kind == ContactKind::Person && input.last_name.is_empty() && input.first_name.is_empty() {
        let field = if row.has(Field::FullName) { Field::FullName } else { Field::LastName };
        row.problem(
            Some(field),
            Text::new("не указаны ни фамилия, ни название организации", "neither a name nor an organisation is given"),
        );
    }
    row.problems.is_empty().then_some(NewContact { input, consent })
}

/// «Иванов И.И.» → Иванов, И., И.; «Иванова Анна Петровна» → the three words.
fn split_name(full: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for w in full.split_whitespace() {
        let parts: Vec<&str> = w.split_inclusive('.').collect();
        if parts.len() > 1 && parts.iter().all(|p| p.chars().count() <= 2) {
            out.extend(parts);
        } else {
            out.push(w);
        }
    }
    out
}

fn consent(row: &mut Row<'_>, kind: ContactKind) -> Option<ConsentInput> {
    let c = row.columns(Field::ConsentOn).next()?;
    let v = row.value(c);
    if v.is_blank() || kind == ContactKind::Organisation {
        return None;
    }
    if let Value::Text(s) = v
        && matches!(mestno_core::text::fold(s).trim(), "нет" | "-" | "—" | "не дано" | "отозвано")
    {
        return None;
    }
    match parse::date(v) {
        Ok(Some(given_on)) => Some(ConsentInput {
            purpose: row
                .ctx
                .defaults
                .consent_purpose
                .clone()
                .unwrap_or_else(|| "участие в проектах и мероприятиях проектного офиса".into()),
            given_on,
            method: ConsentMethod::Written,
            expires_on: consent_end(row),
        }),
        Ok(None) => None,
        Err(_) => {
            row.problem_at(
                c,
                Text::new(
                    "укажите дату согласия на обработку персональных данных (дд.мм.гггг) или «нет»",
                    "give the date of consent to data processing (dd.mm.yyyy) or «нет»",
                ),
            );
            None
        }
    }
}

/// The last day a consent is in force: a date, or none for «бессрочно», «до отзыва», a dash or a
/// blank cell.
fn consent_end(row: &mut Row<'_>) -> Option<NaiveDate> {
    let c = row.columns(Field::ConsentUntil).next()?;
    let v = row.value(c);
    if v.is_blank() {
        return None;
    }
    if let Value::Text(s) = v {
        let s = mestno_core::text::fold(s);
        if s.contains("бессроч") || s.contains("отзыв") || matches!(s.trim(), "нет" | "-" | "—") {
            return None;
        }
    }
    match parse::date(v) {
        Ok(end) => end,
        Err(_) => {
            row.problem_at(
                c,
                Text::new(
                    "укажите, до какого дня действует согласие (дд.мм.гггг), или «бессрочно»",
                    "give the last day the consent is in force (dd.mm.yyyy), or «бессрочно»",
                ),
            );
            None
        }
    }
}

/// Whether `text` already holds `name` (case and «ё» aside).
fn fold_contains(text: &str, name: &str) -> bool {
    mestno_core::text::fold(text).contains(&mestno_core::text::fold(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_initials_are_split_into_their_parts() {
        assert_eq!(split_name("Семёнова Анна Петровна"), vec!["Семёнова", "Анна", "Петровна"]);
        assert_eq!(split_name("Иванов И.И."), vec!["Иванов", "И.", "И."]);
        assert_eq!(split_name("Мамедов Рашид Гусейн оглы"), vec!["Мамедов", "Рашид", "Гусейн", "оглы"]);
    }
}
