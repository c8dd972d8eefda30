//! Initiatives: the list, the form, stage changes.

use chrono::NaiveDate;
use mestno_core::model::{Id, Initiative, InitiativeInput, Stage};
use mestno_core::store::{InitiativeCheck, InitiativeQuery, InitiativeRow, Page};

use super::{OfficeState, Reply};

/// A page of the initiatives list.
#[tauri::command]
pub async fn list_initiatives(office: OfficeState<'_>, query: InitiativeQuery) -> Reply<Page<InitiativeRow>> {
    Ok(office.store()?.list_initiatives(&query).await?)
}

/// One initiative with its stage history and the program rules it breaks.
#[tauri::command]
pub async fn initiative(office: OfficeState<'_>, id: Id) -> Reply<Initiative> {
    Ok(office.store()?.initiative(id).await?)
}

/// Adds an initiative (no `id`; at `stage` reached `on`, by default an idea today) or changes one
/// at revision `rev`.
#[tauri::command]
pub async fn save_initiative(
    office: OfficeState<'_>,
    id: Option<Id>,
    rev: Option<i64>,
    input: InitiativeInput,
    stage: Option<Stage>,
    on: Option<NaiveDate>,
) -> Reply<Initiative> {
    let store = office.store()?;
    Ok(match id {
        None => {
            let on = on.unwrap_or_else(|| store.clock().today());
            store.create_initiative(input, stage.unwrap_or(Stage::Idea), on).await?
        }
        Some(id) => store.update_initiative(id, rev.unwrap_or_default(), input).await?,
    })
}

/// What saving would say, and each source's share, without saving: the form asks as a person
/// types.
#[tauri::command]
pub async fn check_initiative(
    office: OfficeState<'_>,
    input: InitiativeInput,
    stage: Option<Stage>,
) -> Reply<InitiativeCheck> {
    Ok(office.store()?.check_initiative(&input, stage.unwrap_or(Stage::Idea)).await?)
}

/// Moves an initiative to stage `to` on date `on`.
#[tauri::command]
pub async fn change_stage(
    office: OfficeState<'_>,
    id: Id,
    rev: i64,
    to: Stage,
    on: NaiveDate,
    note: Option<String>,
) -> Reply<Initiative> {
    Ok(office.store()?.change_stage(id, rev, to, on, note.as_deref().unwrap_or_default()).await?)
}

/// Deletes an initiative (kept as a tombstone for sync).
#[tauri::command]
pub async fn delete_initiative(office: OfficeState<'_>, id: Id) -> Reply<()> {
    Ok(office.store()?.delete_initiative(id).await?)
}
