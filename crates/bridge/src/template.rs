//! The demo offices a page may start with (`small`, `medium`, `large`): each made once, by the
//! app's own «load demo data» workflow on an empty office, into a file that every session of that
//! scale gets a copy of. The large one (two million rows, 400 MB) takes seconds to make and a
//! second and a half to copy; it and the medium one are made by a child process that runs only
//! when nothing else wants the processor or the disk (`chrt --idle`, `ionice -c 3`), so that
//! pages already at work are slowed as little as may be while they are made. That process also
//! makes one copy ahead, which the first session of the scale takes as its own at once: a run of
//! the browser tests opens the large office once.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

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

/// The demo office of one scale: its file, once made, and the copy of it made ahead, until a
/// session takes it.
#[derive(Default)]
struct Template {
    made: OnceCell<PathBuf>,
    spare: Mutex<Option<PathBuf>>,
}

/// The demo offices made so far, one file per scale, in `dir`.
pub struct Templates {
    dir: PathBuf,
    small: Template,
    medium: Template,
    large: Template,
}

impl Templates {
    /// Templates to be made in `dir`, each when first asked for.
    pub fn new(dir: PathBuf) -> Templates {
        Templates { dir, small: Template::default(), medium: Template::default(), large: Template::default() }
    }

    fn of(&self, scale: DemoScale) -> (&Template, &'static str) {
        match scale {
            DemoScale::Small => (&self.small, "small"),
            DemoScale::Medium => (&self.medium, "medium"),
            DemoScale::Large => (&self.large, "large"),
        }
    }

    /// The file holding the demo office of `scale`, made on the first call (later calls wait for
    /// it).
    pub async fn get(&self, scale: DemoScale) -> anyhow::Result<&Path> {
        let (template, name) = self.of(scale);
        let path = self.dir.join(format!("demo-{name}.sqlite"));
        let made = match scale {
            DemoScale::Small => template.made.get_or_try_init(|| make(path, scale)).await,
            DemoScale::Medium | DemoScale::Large => {
                template
                    .made
                    .get_or_try_init(|| async {
                        let path = make_aside(path, name).await?;
                        let spare = spare_of(&path);
                        if spare.is_file() {
                            *template.spare.lock().unwrap_or_else(PoisonError::into_inner) = Some(spare);
                        }
                        Ok(path)
                    })
                    .await
            }
        };
        Ok(made.with_context(|| format!("while making the {name} demo office"))?)
    }

    /// Puts the demo office of `scale` at `to` (a file that does not exist yet, in the same
    /// folder tree): the copy made ahead if no session took it yet, or a new copy.
    pub async fn copy(&self, scale: DemoScale, to: &Path) -> anyhow::Result<()> {
        let from = self.get(scale).await?;
        let spare = self.of(scale).0.spare.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(spare) = spare
            && tokio::fs::rename(&spare, to).await.is_ok()
        {
            return Ok(());
        }
        tokio::fs::copy(from, to)
            .await
            .with_context(|| format!("while copying {} to {}", from.display(), to.display()))?;
        Ok(())
    }
}

/// Where the copy of the template at `path` made ahead is kept.
pub fn spare_of(path: &Path) -> PathBuf {
    path.with_extension("spare.sqlite")
}

/// Makes the demo office called `name` at `path`, and its copy made ahead, in a child process
/// (`mestno-bridge --make-template NAME PATH`), at idle priority where `chrt` and `ionice` are
/// there.
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
    let office = Office::from_store(store).await.map_err(|e| anyhow::anyhow!("{}", e.message))?;
    office.load_demo(scale, &|_| {}).await.map_err(|e| anyhow::anyhow!("{}", e.message))?;
    drop(office);
    kept.close().await;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_first_session_takes_the_copy_made_ahead_and_later_ones_copy() {
        let dir = tempfile::tempdir().unwrap();
        let templates = Templates::new(dir.path().to_path_buf());
        let made = dir.path().join("demo-large.sqlite");
        std::fs::write(&made, b"the large office").unwrap();
        std::fs::write(spare_of(&made), b"the large office").unwrap();
        templates.large.made.set(made.clone()).unwrap();
        *templates.large.spare.lock().unwrap() = Some(spare_of(&made));

        let first = dir.path().join("first.sqlite");
        templates.copy(DemoScale::Large, &first).await.unwrap();
        assert!(!spare_of(&made).exists(), "the copy made ahead became the first session's file");
        let second = dir.path().join("second.sqlite");
        templates.copy(DemoScale::Large, &second).await.unwrap();
        for file in [&first, &second] {
            assert_eq!(std::fs::read(file).unwrap(), b"the large office");
        }
        assert_eq!(std::fs::read(&made).unwrap(), b"the large office", "the template stays for the next");
    }
}
