//! What Mestno's benchmark binaries share: offices encrypted as the app keeps them, a district
//! with its settlements, and the process's memory as the kernel reports it.

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use mestno_core::model::{Id, TerritoryInput, TerritoryKind};
use mestno_core::vault::{self, Unlock};
use mestno_core::{Access, Footprint, Sensitive, Store, SystemClock};

/// Opens (creating it if need be) the office at `path`, encrypted with the benchmarks' own
/// password, as the app and the `mestno` command keep an office; `who` signs its changes.
pub async fn open_encrypted(path: &Path, who: &str) -> Result<Store> {
    open_encrypted_sized(path, Footprint::Large, who).await
}

/// [`open_encrypted`] with the page caches of `footprint` (the desktop app's are
/// [`Footprint::Small`]). An unencrypted office at `path` is encrypted first, as the app
/// encrypts one from an older Mestno.
pub async fn open_encrypted_sized(path: &Path, footprint: Footprint, who: &str) -> Result<Store> {
    let how = Unlock::Passphrase(Sensitive::new("пароль для замера".to_owned()));
    let key = vault::unlock(path, &how).await?.key;
    Ok(Store::open_sized(path, Access::Key(key), footprint, Arc::new(SystemClock), who).await?)
}

/// Makes «Абанский район» in `store` with a settlement of each of `villages`' names in it;
/// returns the district's id and theirs.
pub async fn district(store: &Store, villages: impl IntoIterator<Item = String>) -> Result<(Id, Vec<Id>)> {
    let place = |parent_id, kind, name: String| TerritoryInput {
        parent_id,
        kind,
        name,
        oktmo: String::new(),
        population: vec![],
    };
    let top = store.create_territory(place(None, TerritoryKind::District, "Абанский район".into())).await?.id;
    let mut ids = Vec::new();
    for name in villages {
        ids.push(store.create_territory(place(Some(top), TerritoryKind::Locality, name)).await?.id);
    }
    Ok((top, ids))
}

/// «с. Поселение 0», «с. Поселение 1», …: `n` names of settlements.
pub fn numbered_villages(n: usize) -> impl Iterator<Item = String> {
    (0..n).map(|i| format!("с. Поселение {i}"))
}

/// A figure of this process's `/proc/self/status` (`"VmHWM:"`, the peak; `"VmRSS:"`, now) in
/// MB; `None` where there is no such file.
pub fn status_mb(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 =
        status.lines().find_map(|l| l.strip_prefix(field))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb / 1024.0)
}

/// Forgets the process's peak so far (the kernel's `clear_refs` 5), so that the next
/// `status_mb("VmHWM:")` is the peak of what comes after: a step's own, not the making of its data.
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
