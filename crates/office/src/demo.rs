//! Demo data: the first start's other choice instead of an empty office ([`Office::load_demo`]),
//! and `mestno demo` ([`generate`], any scale and seed).

use mestno_core::model::OfficeProfile;
use mestno_core::{Lang, Store};
pub use mestno_demo::{DemoProgress, DemoSpec, DemoSummary, Scale};
use serde::Deserialize;

use crate::error::ui_lang;
use crate::{AppError, AppInfo, Office, Progress};

/// The name the demo office gets.
const DEMO_OFFICE: &str = "Проектный офис (демо)";
/// The seed of the demo data the window offers: the same office every time.
const DEMO_SEED: u64 = 1;

/// How much demo data to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum DemoScale {
    /// A few districts.
    Small,
    /// Ten districts.
    Medium,
    /// A whole krai (about two million rows; takes a while).
    Large,
}

impl Office {
    /// Fills the empty office with demo data, telling `progress` how far it has got. Everything
    /// is written in one transaction: if it fails, the office stays empty.
    pub async fn load_demo(
        &self,
        scale: DemoScale,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<AppInfo, AppError> {
        let store = self.store()?;
        let scale = match scale {
            DemoScale::Small => Scale::Small,
            DemoScale::Medium => Scale::Medium,
            DemoScale::Large => Scale::Large,
        };
        let report = |p: DemoProgress| {
            let task = match ui_lang() {
                Lang::Ru => format!("Демо-данные: {}", p.stage),
                Lang::En => format!("Demo data: {}", p.stage),
            };
            progress(Progress { task, done: p.done, total: p.total });
        };
        generate(&store, DemoSpec { scale, seed: DEMO_SEED }, &report).await?;
        let profile = store.office_profile().await?;
        if profile.name.is_empty() {
            store.save_office_profile(&OfficeProfile { name: DEMO_OFFICE.to_owned(), ..profile }).await?;
        }
        self.info().await
    }
}

/// Fills the empty office at `store` with the demo data `spec` asks for, telling `progress` how
/// far it has got, then gathers the statistics the queries are planned by. Everything is written
/// in one transaction: if it fails, the office stays empty.
pub async fn generate(
    store: &Store,
    spec: DemoSpec,
    progress: &(dyn Fn(DemoProgress) + Send + Sync),
) -> Result<DemoSummary, AppError> {
    let summary = mestno_demo::generate(store, spec, progress).await?;
    store.analyze().await?;
    Ok(summary)
}
