//! An initiative from a row of a registry, with the residents' meeting that chose it.

use chrono::{Datelike, NaiveDate};
use mestno_core::model::{
    BudgetLine, EventInput, EventKind, Implementation, InitiativeInput, Initiator, InitiatorKind, ObjectType, Stage,
};
use mestno_core::money::{FundingSource, Kopecks};
use mestno_core::store::NewInitiative;
use mestno_core::{Lang, Text};

use super::{Row, territory_required};
use crate::fields::Field;
use crate::labels;
use crate::parse;

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
