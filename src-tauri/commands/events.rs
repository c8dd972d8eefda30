//! Engagement events.

use mestno_core::model::{Event, EventInput, Id};
use mestno_core::store::{EventQuery, EventRow, Page};

use super::{OfficeState, Reply};

/// A page of the events list.
#[tauri::command]
pub async fn list_events(office: OfficeState<'_>, query: EventQuery) -> Reply<Page<EventRow>> {
    Ok(office.store()?.list_events(&query).await?)
}

/// One event with its attendees and linked initiatives.
#[tauri::command]
pub async fn event(office: OfficeState<'_>, id: Id) -> Reply<Event> {
    Ok(office.store()?.event(id).await?)
}

/// Adds an event (no `id`) or changes one at revision `rev`.
#[tauri::command]
pub async fn save_event(office: OfficeState<'_>, id: Option<Id>, rev: Option<i64>, input: EventInput) -> Reply<Event> {
    let store = office.store()?;
    Ok(match id {
        None => store.create_event(input).await?,
        Some(id) => store.update_event(id, rev.unwrap_or_default(), input).await?,
    })
}

/// Deletes an event.
#[tauri::command]
pub async fn delete_event(office: OfficeState<'_>, id: Id) -> Reply<()> {
    Ok(office.store()?.delete_event(id).await?)
}
