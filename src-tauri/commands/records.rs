//! What spans every kind of record: the dashboard, the search, the change history.

use mestno_core::model::Id;
use mestno_core::store::{HistoryEntry, SearchHit, Stats, StatsFilter};

use super::{OfficeState, Reply};

/// The most hits a search sends back.
const MAX_HITS: u32 = 50;

/// The dashboard figures for a program, year and territory.
#[tauri::command]
pub async fn stats(office: OfficeState<'_>, filter: StatsFilter) -> Reply<Stats> {
    Ok(office.store()?.stats(&filter).await?)
}

/// Initiatives, contacts and events matching `text`, best first.
#[tauri::command]
pub async fn search(office: OfficeState<'_>, text: String, limit: Option<u32>) -> Reply<Vec<SearchHit>> {
    Ok(office.store()?.search(&text, limit.unwrap_or(20).min(MAX_HITS)).await?)
}

/// A record's change history, oldest first.
#[tauri::command]
pub async fn history(office: OfficeState<'_>, id: Id) -> Reply<Vec<HistoryEntry>> {
    Ok(office.store()?.history(id).await?)
}
