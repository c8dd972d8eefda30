//! What spans every kind of record: the dashboard, the search, the change history.

use std::path::PathBuf;

use mestno_core::model::Id;
use mestno_core::store::{Attachment, HistoryEntry, SearchHit, Stats, StatsFilter};

use super::{Call, Reply};

/// The hits a search sends back unless asked for fewer, and the most it sends.
const HITS: u32 = 20;
const MAX_HITS: u32 = 50;

pub(super) async fn stats(call: Call<'_>, filter: StatsFilter) -> Reply<Stats> {
    Ok(call.store()?.stats(&filter).await?)
}

pub(super) async fn search(call: Call<'_>, text: String, limit: Option<u32>) -> Reply<Vec<SearchHit>> {
    Ok(call.store()?.search(&text, limit.unwrap_or(HITS).min(MAX_HITS)).await?)
}

pub(super) async fn history(call: Call<'_>, id: Id) -> Reply<Vec<HistoryEntry>> {
    Ok(call.store()?.history(id).await?)
}

pub(super) async fn attach_file(call: Call<'_>, id: Id, path: PathBuf) -> Reply<Attachment> {
    Ok(call.store()?.attach(id, &path).await?)
}

pub(super) async fn attachments(call: Call<'_>, id: Id) -> Reply<Vec<Attachment>> {
    Ok(call.store()?.attachments(id).await?)
}
