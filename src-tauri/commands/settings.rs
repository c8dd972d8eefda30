//! The office's settings: its territories and the programs it takes part in.

use mestno_core::model::{Id, Program, ProgramInput, Territory, TerritoryInput};
use mestno_core::store::TerritoryNode;

use super::{OfficeState, Reply};

/// Every territory, parents before children.
#[tauri::command]
pub async fn territories(office: OfficeState<'_>) -> Reply<Vec<TerritoryNode>> {
    Ok(office.store()?.territories().await?)
}

/// One territory with its population by year.
#[tauri::command]
pub async fn territory(office: OfficeState<'_>, id: Id) -> Reply<Territory> {
    Ok(office.store()?.territory(id).await?)
}

/// Adds a territory (no `id`) or changes one at revision `rev`.
#[tauri::command]
pub async fn save_territory(
    office: OfficeState<'_>,
    id: Option<Id>,
    rev: Option<i64>,
    input: TerritoryInput,
) -> Reply<Territory> {
    let store = office.store()?;
    Ok(match id {
        None => store.create_territory(input).await?,
        Some(id) => store.update_territory(id, rev.unwrap_or_default(), input).await?,
    })
}

/// Deletes a territory nothing refers to.
#[tauri::command]
pub async fn delete_territory(office: OfficeState<'_>, id: Id) -> Reply<()> {
    Ok(office.store()?.delete_territory(id).await?)
}

/// Every program.
#[tauri::command]
pub async fn programs(office: OfficeState<'_>) -> Reply<Vec<Program>> {
    Ok(office.store()?.programs().await?)
}

/// One program.
#[tauri::command]
pub async fn program(office: OfficeState<'_>, id: Id) -> Reply<Program> {
    Ok(office.store()?.program(id).await?)
}

/// Adds a program (no `id`) or changes one at revision `rev`.
#[tauri::command]
pub async fn save_program(
    office: OfficeState<'_>,
    id: Option<Id>,
    rev: Option<i64>,
    input: ProgramInput,
) -> Reply<Program> {
    let store = office.store()?;
    Ok(match id {
        None => store.create_program(input).await?,
        Some(id) => store.update_program(id, rev.unwrap_or_default(), input).await?,
    })
}

/// Deletes a program no initiative refers to.
#[tauri::command]
pub async fn delete_program(office: OfficeState<'_>, id: Id) -> Reply<()> {
    Ok(office.store()?.delete_program(id).await?)
}
