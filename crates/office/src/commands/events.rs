//! Engagement events.

use mestno_core::model::{Event, EventInput, Id};
use mestno_core::store::{EventQuery, EventRow, Page};

use super::{Call, Reply};

pub(super) async fn list_events(call: Call<'_>, query: EventQuery) -> Reply<Page<EventRow>> {
    Ok(call.store()?.list_events(&query).await?)
}

pub(super) async fn event(call: Call<'_>, id: Id) -> Reply<Event> {
    Ok(call.store()?.event(id).await?)
}

pub(super) async fn save_event(call: Call<'_>, id: Option<Id>, rev: Option<i64>, input: EventInput) -> Reply<Event> {
    let store = call.store()?;
    Ok(match id {
        None => store.create_event(input).await?,
        Some(id) => store.update_event(id, rev.unwrap_or_default(), input).await?,
    })
}

pub(super) async fn delete_event(call: Call<'_>, id: Id) -> Reply<()> {
    Ok(call.store()?.delete_event(id).await?)
}
