//! What a new initiative is when nothing else is said: an idea, entered today. The window's form
//! and `mestno add initiative` both start one here.

use chrono::NaiveDate;
use mestno_core::Store;
use mestno_core::model::{Initiative, InitiativeInput, Stage};

/// The stage a new initiative starts at, and the stage its rules are checked at, unless said.
pub const NEW_STAGE: Stage = Stage::Idea;

/// Adds an initiative at `stage` reached `on` (by default [`NEW_STAGE`] today, by the store's
/// clock): an application entered late says so.
pub async fn create_initiative(
    store: &Store,
    input: InitiativeInput,
    stage: Option<Stage>,
    on: Option<NaiveDate>,
) -> mestno_core::Result<Initiative> {
    let on = on.unwrap_or_else(|| store.clock().today());
    store.create_initiative(input, stage.unwrap_or(NEW_STAGE), on).await
}
