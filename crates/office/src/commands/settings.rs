//! The office's settings: its territories and the programs it takes part in.

use mestno_core::model::{Id, Program, ProgramInput, Territory, TerritoryInput};
use mestno_core::store::TerritoryNode;

use super::{Call, Reply};

pub(super) async fn territories(call: Call<'_>) -> Reply<Vec<TerritoryNode>> {
    Ok(call.store()?.territories().await?)
}

pub(super) async fn territory(call: Call<'_>, id: Id) -> Reply<Territory> {
    Ok(call.store()?.territory(id).await?)
}

pub(super) async fn save_territory(
    call: Call<'_>,
    id: Option<Id>,
    rev: Option<i64>,
    input: TerritoryInput,
) -> Reply<Territory> {
    let store = call.store()?;
    Ok(match id {
        None => store.create_territory(input).await?,
        Some(id) => store.update_territory(id, rev.unwrap_or_default(), input).await?,
    })
}

pub(super) async fn delete_territory(call: Call<'_>, id: Id) -> Reply<()> {
    Ok(call.store()?.delete_territory(id).await?)
}

pub(super) async fn programs(call: Call<'_>) -> Reply<Vec<Program>> {
    Ok(call.store()?.programs().await?)
}

pub(super) async fn program(call: Call<'_>, id: Id) -> Reply<Program> {
    Ok(call.store()?.program(id).await?)
}

pub(super) async fn save_program(
    call: Call<'_>,
    id: Option<Id>,
    rev: Option<i64>,
    input: ProgramInput,
) -> Reply<Program> {
    let store = call.store()?;
    Ok(match id {
        None => store.create_program(input).await?,
        Some(id) => store.update_program(id, rev.unwrap_or_default(), input).await?,
    })
}

pub(super) async fn delete_program(call: Call<'_>, id: Id) -> Reply<()> {
    Ok(call.store()?.delete_program(id).await?)
}
