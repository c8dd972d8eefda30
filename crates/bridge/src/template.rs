//! The demo offices a page may start with (`small`, `medium`, `large`): each made once, by the
//! app's own «load demo data» workflow on an empty office, into a file that every session of that
//! scale gets a copy of. The large one (two million rows) takes seconds to make and a fraction of
//! one to copy; it and the medium one are made by a child process that runs only when nothing
//! else wants the processor or the disk (`chrt --idle`, `ionice -c 3`), so that pages already at
//! work are slowed as little as may be while they are made.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use mestno_core::{Access, Footprint, Store, SystemClock};
use mestno_office::{DemoScale, Office};
use tokio::sync::OnceCell;

/// What a new session's office holds at first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// Nothing: the first start.
    Empty,
    /// The demo data of this scale, as «load demo data» makes it.
    Demo(DemoScale),
}

impl Preset {
    /// `empty`, `small`, `medium` or `large`.
    pub fn parse(name: &str) -> Option<Preset> {
        Some(match name {
            "empty" => Preset::Empty,
            "small" => Preset::Demo(DemoScale::Small),
            "medium" => Preset::Demo(DemoScale::Medium),
            "large" => Preset::Demo(DemoScale::Large),
            _ => return None,
        })
    }
}

/// The demo offices made so far, one file per scale, in `dir`.
pub struct Templates {
    dir: PathBuf,
    small: OnceCell<PathBuf>,
    medium: OnceCell<PathBuf>,
    large: OnceCell<PathBuf>,
}

impl Templates {
    /// Templates to be made in `dir`, each when first asked for.
    pub fn new(dir: PathBuf) -> Templates {
        Templates { dir, small: OnceCell::new(), medium: OnceCell::new(), large: OnceCell::new() }
    }

    /// The file holding the demo office of `scale`, made on the first call (later calls wait for
    /// it).
    pub async fn get(&self, scale: DemoScale) -> anyhow::Result<&Path> {
        let (cell, name) = match scale {
            DemoScale::Small => (&self.small, "small"),
            DemoScale::Medium => (&self.medium, "medium"),
            DemoScale::Large => (&self.large, "large"),
        };
        let path = self.dir.join(format!("demo-{name}.sqlite"));
        let made = match scale {
            DemoScale::Small => cell.get_or_try_init(|| make(path, scale)).await,
            DemoScale::Medium | DemoScale::Large => cell.get_or_try_init(|| make_aside(path, name)).await,
        };
        Ok(made.with_context(|| format!("while making the {name} demo office"))?)
    }

    /// Copies the demo office of `scale` to `to` (a file that does not exist yet).
    pub async fn copy(&self, scale: DemoScale, to: &Path) -> anyhow::Result<()> {
        let from = self.get(scale).await?;
        tokio::fs::copy(from, to)
            .await
            .with_context(|| format!("while copying {} to {}", from.display(), to.display()))?;
        Ok(())
    }
}

/// Makes the demo office called `name` at `path` in a child process (`mestno-bridge
/// --make-template NAME PATH`), at idle priority where `chrt` and `ionice` are there.
async fn make_aside(path: PathBuf, name: &'static str) -> anyhow::Result<PathBuf> {
    let this = std::env::current_exe().context("while finding the bridge's own program")?;
    let make = |command: &mut std::process::Command| {
        command.arg("--make-template").arg(name).arg(&path).stdin(std::process::Stdio::null());
    };
    // SCHED_IDLE: it runs only when nothing else wants the processor; its disk writes likewise.
    let mut idle = std::process::Command::new("chrt");
    idle.args(["--idle", "0", "ionice", "-c", "3"]).arg(&this);
    make(&mut idle);
    // Where those tools are missing or refused, at the ordinary priority.
    let mut plain = std::process::Command::new(&this);
    make(&mut plain);
    let status = tokio::task::spawn_blocking(move || match idle.status() {
        Ok(status) if status.success() => Ok(status),
        _ => plain.status(),
    })
    .await??;
    anyhow::ensure!(status.success(), "the child process that made it stopped with {status}");
    Ok(path)
}

/// Makes the demo office of `scale` at `path` through the app's own workflow, then closes the
/// file, its write-ahead log folded in, so that a copy of the one file is the whole office.
pub async fn make(path: PathBuf, scale: DemoScale) -> anyhow::Result<PathBuf> {
    let store =
        Store::open_sized(&path, Access::Plain, Footprint::Large, Arc::new(SystemClock), "mestno-bridge").await?;
    let kept = store.clone();
    let office = Office::from_store(store);
    office.load_demo(scale, &|_| {}).await.map_err(|e| anyhow::anyhow!("{}", e.message))?;
    drop(office);
    kept.close().await;
    Ok(path)
}
