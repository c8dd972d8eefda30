//! Plain sample records for tests and benchmarks that want many records alike — a settlement's
//! residents and projects by the thousand — rather than the realistic office of [`generate`]
//! (crate::generate).

use chrono::NaiveDate;
use mestno_core::model::{
    BudgetLine, ContactInput, ContactKind, Id, InitiativeInput, Initiator, InitiatorKind, ObjectType, Stage,
};
use mestno_core::money::{FundingSource, Kopecks};
use mestno_core::store::{Batch, NewContact, NewInitiative};

/// Resident number `i` of `territory`: «Житель{tag} Имя{i}», with a phone of their own.
pub fn resident(territory: Id, i: usize, tag: &str) -> ContactInput {
    ContactInput {
        kind: ContactKind::Person,
        last_name: format!("Житель{tag}"),
        first_name: format!("Имя{i}"),
        middle_name: String::new(),
        org_name: String::new(),
        position: String::new(),
        territory_id: Some(territory),
        address: String::new(),
        notes: String::new(),
        roles: vec![],
        phones: vec![format!("+7 913 {:03} {:04}", i / 10_000, i % 10_000)],
        emails: vec![],
        tags: vec![],
    }
}

/// A village elder's water-supply project in `territory`: `regional` from the region's budget
/// and 100 000 ₽ from the residents, 100 beneficiaries, 10 supporters.
pub fn project(territory: Id, title: impl Into<String>, regional: Kopecks) -> InitiativeInput {
    let budget = vec![
        BudgetLine { source: FundingSource::Regional, planned: regional, actual: Kopecks::ZERO, note: String::new() },
        BudgetLine {
            source: FundingSource::Residents,
            planned: Kopecks::rubles(100_000),
            actual: Kopecks::ZERO,
            note: String::new(),
        },
    ];
    InitiativeInput {
        title: title.into(),
        number: None,
        description: String::new(),
        object_type: ObjectType::WaterSupply,
        territory_id: territory,
        program_id: None,
        year: 2025,
        initiator: Initiator { kind: InitiatorKind::VillageElder, name: "Староста".into(), contact_id: None },
        total_cost: budget.iter().map(|l| l.planned).sum(),
        budget,
        beneficiaries: 100,
        supporters: 10,
        votes: 0,
        implementation: Default::default(),
        results: String::new(),
    }
}

/// A settlement's records for one batch: `residents` [`resident`]s and `projects` [`project`]s
/// («Проект {tag} № {i}», each a kopeck apart), the projects ideas since 1 March 2025.
pub fn settlement(territory: Id, residents: usize, projects: usize, tag: &str) -> Batch {
    let since = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default();
    Batch {
        contacts: (0..residents).map(|i| NewContact { input: resident(territory, i, tag), consent: None }).collect(),
        initiatives: (0..projects)
            .map(|i| NewInitiative {
                input: project(territory, format!("Проект {tag} № {i}"), Kopecks(90_000_000 + i as i64)),
                stage: Stage::Idea,
                stage_on: since,
                meeting: None,
            })
            .collect(),
        ..Default::default()
    }
}
