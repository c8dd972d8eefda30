//! A demo killed half-way, at each stage of its one transaction, leaves the office as it was.

use std::io::{BufRead, BufReader, Lines};
use std::path::PathBuf;
use std::process::{Child, ChildStderr, Stdio};

use super::{Office, PASSWORD, stderr};

#[test]
fn a_demo_killed_midway_leaves_the_database_as_it_was() {
    let o = Office::new();
    o.ok(&["init"]);
    let mut child = o.demo_in_background();
    // The line comes once the first events are written into the open transaction.
    let _stderr = wait_for_stage(&mut child, "мероприятия");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(o.journal().exists(), "killed inside the transaction: a hot journal is left to roll back");
    o.assert_untouched();
}

#[cfg(unix)]
#[test]
fn a_demo_killed_while_it_writes_the_file_leaves_the_database_as_it_was() {
    use std::os::unix::fs::MetadataExt;
    // At the commit SQLite sets the file to its new size (about 40 MB) and then writes the
    // pages in: watch the disk space the file takes and pull the plug half-way. Should the
    // commit slip through between two looks, the next attempt catches it.
    let taken = |o: &Office| std::fs::metadata(o.db()).map_or(0, |m| m.blocks() * 512);
    for _ in 0..5 {
        let o = Office::new();
        o.ok(&["init"]);
        let empty = taken(&o);
        let mut child = o.demo_in_background();
        let _stderr = wait_for_stage(&mut child, "сохранение");
        let mut caught = false;
        while child.try_wait().unwrap().is_none() {
            if taken(&o) > empty + 16_000_000 && o.journal().exists() {
                child.kill().unwrap();
                caught = true;
                break;
            }
        }
        child.wait().unwrap();
        if !caught {
            continue;
        }
        let written = taken(&o);
        assert!(written > empty && written < 38_000_000, "killed with the file half-written: {written} bytes");
        o.assert_untouched();
        assert!(!o.journal().exists(), "the journal was rolled back and removed");
        return;
    }
    panic!("the commit never was caught half-way in five attempts");
}

#[test]
fn a_demo_killed_while_another_program_has_the_office_open_leaves_it_as_it_was() {
    let o = Office::new();
    o.ok(&["init"]);
    // Another program holds the file open, so the demo cannot take it for itself and writes
    // through the write-ahead log, as every other write does: its commit writes some 40 MB into
    // the log, the commit mark last. Pull the plug a fifth of the way.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let clock = std::sync::Arc::new(mestno_core::SystemClock);
    let other = rt.block_on(async {
        let password = mestno_core::vault::Unlock::Passphrase(mestno_core::Sensitive::new(PASSWORD.into()));
        let key = mestno_core::vault::unlock(&o.db(), &password).await.unwrap().key;
        mestno_core::Store::open_with(&o.db(), mestno_core::Access::Key(key), clock, "другая программа").await
    });
    let other = other.unwrap();
    let wal = o.dir.path().join("office.sqlite-wal");
    let mut child = o.demo_in_background();
    let _stderr = wait_for_stage(&mut child, "сохранение");
    while child.try_wait().unwrap().is_none() {
        if std::fs::metadata(&wal).map_or(0, |m| m.len()) > 8_000_000 {
            child.kill().unwrap();
            break;
        }
    }
    child.wait().unwrap();
    assert!(!o.journal().exists(), "the demo went through the write-ahead log");
    assert!(std::fs::metadata(&wal).unwrap().len() > 8_000_000, "killed with the commit half-written to the log");
    assert!(rt.block_on(other.is_empty()).unwrap(), "the other program sees the office as it was");
    o.assert_untouched();
    rt.block_on(other.close());
}

impl Office {
    fn journal(&self) -> PathBuf {
        self.dir.path().join("office.sqlite-journal")
    }

    /// `mestno demo --scale medium`, its stage lines on a pipe.
    fn demo_in_background(&self) -> Child {
        self.cmd().args(["demo", "--scale", "medium"]).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap()
    }

    /// The file is consistent and holds no demo data, as after `mestno init`.
    fn assert_untouched(&self) {
        assert!(self.ok(&["check"]).contains("Проверка пройдена"), "the file is consistent after the kill");
        let stats = self.json(&["stats", "--json"]);
        assert_eq!(stats["initiatives"], 0, "all or nothing: no half-made demo");
        assert_eq!(self.json(&["list", "contacts", "--json"])["total"], 0);
        let again = self.run(&["demo", "--scale", "small"]);
        assert!(again.status.success(), "the office takes a demo again: {}", stderr(&again));
    }
}

/// Reads the demo's stage lines until `stage` begins; fails if the demo ends first. The rest of
/// its stderr is returned, to be kept open while the demo runs.
fn wait_for_stage(child: &mut Child, stage: &str) -> Lines<BufReader<ChildStderr>> {
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        if line.unwrap().contains(stage) {
            return lines;
        }
    }
    panic!("the demo stopped before «{stage}»");
}
