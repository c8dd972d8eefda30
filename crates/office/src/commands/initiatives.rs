//! Initiatives: the list, the form, stage changes.

use chrono::NaiveDate;
use mestno_core::model::{Id, Initiative, InitiativeInput, Stage};
use mestno_core::store::{InitiativeCheck, InitiativeQuery, InitiativeRow, Page};

use super::{Call, Reply};
use crate::initiatives::{NEW_STAGE, create_initiative};

pub(super) async fn list_initiatives(call: Call<'_>, query: InitiativeQuery) -> Reply<Page<InitiativeRow>> {
    Ok(call.store()?.list_initiatives(&query).await?)
}

pub(super) async fn initiative(call: Call<'_>, id: Id) -> Reply<Initiative> {
    Ok(call.store()?.initiative(id).await?)
}

pub(super) async fn save_initiative(
    call: Call<'_>,
    id: Option<Id>,
    rev: Option<i64>,
    input: InitiativeInput,
    stage: Option<Stage>,
    on: Option<NaiveDate>,
) -> Reply<Initiative> {
    let store = call.store()?;
    Ok(match id {
        None => create_initiative(store, input, stage, on).await?,
        Some(id) => store.update_initiative(id, rev.unwrap_or_default(), input).await?,
    })
}

pub(super) async fn check_initiative(
    call: Call<'_>,
    input: InitiativeInput,
    stage: Option<Stage>,
) -> Reply<InitiativeCheck> {
    Ok(call.store()?.check_initiative(&input, stage.unwrap_or(NEW_STAGE)).await?)
}

pub(super) async fn change_stage(
    call: Call<'_>,
    id: Id,
    rev: i64,
    to: Stage,
    on: NaiveDate,
    note: Option<String>,
) -> Reply<Initiative> {
    Ok(call.store()?.change_stage(id, rev, to, on, note.as_deref().unwrap_or_default()).await?)
}

pub(super) async fn delete_initiative(call: Call<'_>, id: Id) -> Reply<()> {
    Ok(call.store()?.delete_initiative(id).await?)
}
