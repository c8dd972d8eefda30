//! One data row to one record: each mapped cell read as its field wants, every cell that cannot
//! be read noted as a [`Problem`] with its row and column.

use chrono::{Datelike, NaiveDate};
use mestno_core::model::{
    BudgetLine, ConsentInput, ConsentMethod, ContactInput, ContactKind, EventInput, EventKind, Id, Implementation,
    InitiativeInput, Initiator, InitiatorKind, ObjectType, Stage,
};
use mestno_core::money::{FundingSource, Kopecks};
use mestno_core::store::{NewContact, NewInitiative};
use mestno_core::{Lang, Text};

use crate::fields::Field;
use crate::header::DataCells;
use crate::labels;
use crate::mapping::{Column, Defaults};
use crate::parse::{self, MoneyUnit, Reason};
use crate::places::{Level, Lookup, Places, Programs};
use crate::plan::Problem;
use crate::table::{Value, column_letter};

/// What every row of a sheet is read against.
pub(crate) struct Context<'a> {
    pub sheet: &'a str,
    pub names: &'a [String],
    pub columns: &'a [Column],
    pub cells: &'a DataCells<'a>,
    pub places: &'a Places,
    pub programs: &'a Programs,
    pub defaults: &'a Defaults,
    pub default_territory: Option<Id>,
    pub default_program: Option<Id>,
    pub today: NaiveDate,
}

/// One row being read.
pub(crate) struct Row<'a> {
    ctx: &'a Context<'a>,
    r: usize,
    pub problems: Vec<Problem>,
    /// What is worth knowing about the row, though it is imported.
    pub warnings: Vec<Problem>,
}

/// Where a row's place columns point.
enum Place {
    /// No place given: the default, if any.
    Default,
    /// A territory of the office.
    Found(Id),
    /// A name the office lacks, or that fits several territories.
    Unknown { field: Field, name: String, message: Text },
}

impl<'a> Row<'a> {
    pub(crate) fn new(ctx: &'a Context<'a>, r: usize) -> Self {
        Row { ctx, r, problems: Vec::new(), warnings: Vec::new() }
    }

    fn columns(&self, field: Field) -> impl Iterator<Item = &'a Column> + use<'a> {
        self.ctx.columns.iter().filter(move |c| c.field == field)
    }

    fn value(&self, c: &Column) -> &'a Value {
        self.ctx.cells.get(self.r, c.index)
    }

    pub(crate) fn has(&self, field: Field) -> bool {
        self.columns(field).next().is_some()
    }

    /// A problem with the row, in the column of `field` if it has one.
    pub(crate) fn problem(&mut self, field: Option<Field>, message: Text) {
        let column = field.and_then(|f| self.columns(f).next());
        self.problems.push(Problem {
            sheet: self.ctx.sheet.to_string(),
            row: self.r as u32 + 1,
            column: column.map(|c| column_letter(c.index as u32)),
            heading: column.and_then(|c| self.ctx.names.get(c.index)).cloned(),
            value: column.map(|c| parse::shorten(&self.value(c).display())).filter(|v| !v.is_empty()),
            message,
        });
    }

    /// A warning about the row, in the column of `field`: the row is imported all the same.
    fn warning(&mut self, field: Option<Field>, message: Text) {
        let before = self.problems.len();
        self.problem(field, message);
        let w = self.problems.split_off(before);
        self.warnings.extend(w);
    }

    fn problem_at(&mut self, c: &Column, message: Reason) {
        self.problems.push(Problem {
            sheet: self.ctx.sheet.to_string(),
            row: self.r as u32 + 1,
            column: Some(column_letter(c.index as u32)),
            heading: self.ctx.names.get(c.index).cloned(),
            value: Some(parse::shorten(&self.value(c).display())).filter(|v| !v.is_empty()),
            message,
        });
    }

    /// The field's first column read with `read`; a cell that cannot be read is a problem.
    fn read<T>(&mut self, field: Field, read: impl Fn(&Value, MoneyUnit) -> Result<Option<T>, Reason>) -> Option<T> {
        let c = self.columns(field).next()?;
        match read(self.value(c), c.unit) {
            Ok(v) => v,
            Err(reason) => {
                self.problem_at(c, reason);
                None
            }
        }
    }

    /// Every column of the field read with `read`, results joined.
    fn read_all<T>(&mut self, field: Field, read: impl Fn(&Value) -> Result<Vec<T>, Reason>) -> Vec<T> {
        let mut out = Vec::new();
        for c in self.columns(field).collect::<Vec<_>>() {
            match read(self.value(c)) {
                Ok(v) => out.extend(v),
                Err(reason) => self.problem_at(c, reason),
            }
        }
        out
    }

    fn text(&mut self, field: Field) -> Option<String> {
        self.read(field, |v, _| parse::text(v))
    }

    fn text_or_empty(&mut self, field: Field) -> String {
        self.text(field).unwrap_or_default()
    }

    /// The territory from the settlement column (the district column settling namesakes), or
    /// the district alone, or the default; a name the office lacks is a problem.
    fn territory(&mut self) -> Option<Id> {
        match self.place() {
            Place::Default => self.ctx.default_territory,
            Place::Found(id) => Some(id),
            Place::Unknown { field, message, .. } => {
                self.problem(Some(field), message);
                None
            }
        }
    }

    fn place(&mut self) -> Place {
        let district = self.text(Field::District);
        let (field, name, level) = match self.text(Field::Territory) {
            Some(name) => (Field::Territory, name, Level::Settlement),
            None => match &district {
                Some(d) => (Field::District, d.clone(), Level::District),
                None => return Place::Default,
            },
        };
        let district = district.filter(|_| field == Field::Territory);
        match self.ctx.places.lookup(&name, district.as_deref(), level) {
            Lookup::Found(id) => Place::Found(id),
            Lookup::Ambiguous(message) => Place::Unknown { field, name, message },
            Lookup::Missing => Place::Unknown {
                field,
                message: Text::new(
                    format!(
                        "территории «{name}» нет в справочнике офиса; её можно создать при импорте \
                         («создать недостающие территории»)"
                    ),
                    format!(
                        "the office has no territory «{name}»; the import can create it (\"create missing territories\")"
                    ),
                ),
                name,
            },
        }
    }

    fn money(&mut self, field: Field) -> Option<Kopecks> {
        self.read(field, parse::money)
    }

    fn count(&mut self, field: Field) -> i64 {
        self.read(field, |v, _| parse::count(v)).unwrap_or(0)
    }

    fn date(&mut self, field: Field) -> Option<NaiveDate> {
        self.read(field, |v, _| parse::date(v))
    }
}

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

/// An initiative from a row of a registry.
pub(crate) fn initiative(row: &mut Row<'_>) -> Option<NewInitiative> {
    let title = row.text_or_empty(Field::Title);
    let description = row.text_or_empty(Field::Description);
    let object_type = match row.text(Field::ObjectType) {
        Some(t) => labels::object_type(&t).unwrap_or(ObjectType::Other),
        None => labels::object_type(&title).or(row.ctx.defaults.object_type).unwrap_or(ObjectType::Other),
    };
    let territory = territory_required(row);
    let program_id = match row.text(Field::Program) {
        // What Mestno's own registry writes for a project outside every program.
        Some(p) if mestno_core::text::fold(&p) == "вне программ" => None,
        Some(p) => match row.ctx.programs.find(&p) {
            Ok(id) => Some(id),
            Err(message) => {
                row.problem(Some(Field::Program), message);
                None
            }
        },
        None => row.ctx.default_program,
    };
    let stage_on_cell = row.date(Field::StageOn);
    let before = row.problems.len();
    let year =
        row.read(Field::Year, |v, _| parse::year(v)).or(row.ctx.defaults.year).or(stage_on_cell.map(|d| d.year()));
    if year.is_none() && row.problems.len() == before {
        row.problem(Some(Field::Year), Text::new("не указан год проекта", "the initiative's year is not given"));
    }
    let stage = match row.text(Field::Stage) {
        Some(s) => labels::stage(&s).unwrap_or_else(|| {
            let list: Vec<&str> = Stage::ALL.iter().map(|s| s.label(Lang::Ru)).collect();
            row.problem(
                Some(Field::Stage),
                Text::new(
                    format!("«{}» — неизвестная стадия; допустимы: {}", parse::shorten(&s), list.join(", ")),
                    format!("«{}» is not a stage", parse::shorten(&s)),
                ),
            );
            Stage::Application
        }),
        None => row.ctx.defaults.stage.unwrap_or(Stage::Application),
    };
    let stage_on = stage_on_cell.unwrap_or_else(|| {
        let end_of_year = year.and_then(|y| NaiveDate::from_ymd_opt(y, 12, 31)).unwrap_or(row.ctx.today);
        end_of_year.min(row.ctx.today)
    });
    let before = row.problems.len();
    let mut budget = Vec::new();
    for source in FundingSource::ALL {
        let (field, actual) = Field::of_source(source);
        let planned = row.money(field).unwrap_or(Kopecks::ZERO);
        let actual = row.money(actual).unwrap_or(Kopecks::ZERO);
        if planned.0 > 0 || actual.0 > 0 {
            budget.push(BudgetLine { source, planned, actual, note: String::new() });
        }
    }
    let total_cell = row.money(Field::TotalCost);
    let total_cost = total_cell.unwrap_or_else(|| budget.iter().map(|l| l.planned).sum());
    if total_cell.is_none() && total_cost.0 == 0 && row.problems.len() == before {
        row.problem(
            Some(Field::TotalCost),
            Text::new("не указана стоимость проекта", "the initiative's cost is not given"),
        );
    }
    let initiator_name = row.text_or_empty(Field::Initiator);
    let initiator = Initiator {
        kind: if initiator_name.is_empty() {
            InitiatorKind::InitiativeGroup
        } else {
            labels::initiator_kind(&initiator_name)
        },
        name: if initiator_name.is_empty() {
            "инициативная группа жителей".into()
        } else {
            initiator_name
        },
        contact_id: None,
    };
    let implementation = Implementation {
        contractor: row.text_or_empty(Field::Contractor),
        contract_sum: row.money(Field::ContractSum),
        contract_date: row.date(Field::ContractDate),
        start_date: row.date(Field::StartDate),
        end_date: row.date(Field::EndDate),
        percent_done: row.read(Field::PercentDone, |v, _| parse::percent(v)).unwrap_or(0),
    };
    let input = InitiativeInput {
        number: row.text(Field::Number),
        title,
        description,
        object_type,
        territory_id: territory.unwrap_or_default(),
        program_id,
        year: year.unwrap_or(0),
        initiator,
        total_cost,
        budget,
        beneficiaries: row.count(Field::Beneficiaries),
        supporters: row.count(Field::Supporters),
        votes: row.count(Field::Votes),
        implementation,
        results: row.text_or_empty(Field::Results),
    };
    let meeting = meeting(row, &input, stage_on);
    row.problems.is_empty().then_some(NewInitiative { input, stage, stage_on, meeting })
}

/// The residents' meeting that chose the initiative, when the registry gives its headcount or
/// its date: an event of its own, linked to the initiative, so that its participants count.
fn meeting(row: &mut Row<'_>, initiative: &InitiativeInput, stage_on: NaiveDate) -> Option<EventInput> {
    let headcount = row.count(Field::MeetingParticipants);
    let on = row.date(Field::MeetingDate);
    if headcount == 0 && on.is_none() {
        return None;
    }
    let title: String = initiative.title.chars().take(150).collect();
    Some(EventInput {
        kind: EventKind::Meeting,
        title: format!("Собрание граждан по проекту «{title}»"),
        starts_at: on.unwrap_or(stage_on).and_time(chrono::NaiveTime::MIN),
        ends_at: None,
        place: String::new(),
        territory_id: initiative.territory_id,
        headcount,
        attendees: Vec::new(),
        initiative_ids: Vec::new(),
        outcome: "выбран проект".into(),
        minutes: if on.is_some() {
            String::new()
        } else {
            "дата собрания в реестре не указана; поставлена дата стадии проекта".into()
        },
    })
}

/// An event from a row of an events list or attendance sheet.
pub(crate) fn event(row: &mut Row<'_>) -> Option<EventInput> {
    let title = row.text(Field::Title);
    let kind = match row.text(Field::EventKind) {
        Some(k) => labels::event_kind(&k),
        None => None,
    }
    .or_else(|| title.as_deref().and_then(labels::event_kind))
    .or(row.ctx.defaults.event_kind)
    .unwrap_or(EventKind::Meeting);
    let before = row.problems.len();
    let start = row.read(Field::Date, |v, _| parse::datetime(v));
    if start.is_none() && row.problems.len() == before {
        row.problem(Some(Field::Date), Text::new("не указана дата мероприятия", "the event's date is not given"));
    }
    let times = row.read(Field::Time, |v, _| parse::time_range(v));
    let end_time = row.read(Field::EndTime, |v, _| parse::time_range(v)).map(|(t, _)| t);
    let starts_at = start.map(|s| match times {
        Some((t, _)) => s.date().and_time(t),
        None => s,
    });
    let ends_at = match (starts_at, end_time.or(times.and_then(|(_, e)| e))) {
        (Some(s), Some(e)) => Some(s.date().and_time(e)),
        _ => None,
    };
    let territory = territory_required(row);
    let input = EventInput {
        kind,
        title: title.unwrap_or_else(|| capitalise(kind.label(Lang::Ru))),
        starts_at: starts_at.unwrap_or_default(),
        ends_at,
        place: row.text_or_empty(Field::Place),
        territory_id: territory.unwrap_or_default(),
        headcount: row.count(Field::Headcount),
        attendees: Vec::new(),
        initiative_ids: Vec::new(),
        outcome: row.text_or_empty(Field::Outcome),
        minutes: row.text_or_empty(Field::Minutes),
    };
    row.problems.is_empty().then_some(input)
}

/// The row's territory; its absence is a problem (records of these kinds must have one).
fn territory_required(row: &mut Row<'_>) -> Option<Id> {
    let before = row.problems.len();
    let territory = row.territory();
    if territory.is_none() && row.problems.len() == before {
        let field = [Field::Territory, Field::District].into_iter().find(|&f| row.has(f));
        row.problem(field, Text::new("не указан населённый пункт", "the territory is not given"));
    }
    territory
}

/// Whether `text` already holds `name` (case and «ё» aside).
fn fold_contains(text: &str, name: &str) -> bool {
    mestno_core::text::fold(text).contains(&mestno_core::text::fold(name))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
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
