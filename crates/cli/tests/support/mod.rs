//! What the `mestno` command's tests share: an office in a temporary folder, and the real binary
//! run on it, the office's database protected by a password (the tests have no OS credential
//! store; `scripts/keyring-test.sh` tries a real one).

// Each test binary uses the part it needs.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The variable the office's password is passed in, and the password.
pub const PASSWORD_VAR: &str = "MESTNO_TEST_PASSPHRASE";
pub const PASSWORD: &str = "пароль проектного офиса";

/// An office's folder: its database (made by the first `mestno init`) and the test's files.
pub struct Office {
    pub dir: tempfile::TempDir,
}

impl Office {
    /// An empty folder: no database yet.
    pub fn new() -> Self {
        Office { dir: tempfile::tempdir().unwrap() }
    }

    /// The file `name` in the office's folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The office's database.
    pub fn db(&self) -> PathBuf {
        self.path("office.sqlite")
    }

    /// `mestno` on this office, unlocked with its password.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_mestno"));
        c.env("MESTNO_DB", self.db()).env("MESTNO_USER", "тест");
        c.env(PASSWORD_VAR, PASSWORD).args(["--passphrase-env", PASSWORD_VAR]);
        c
    }

    /// `mestno args…`, as it ended.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// What `mestno args…` printed; the test fails, with what it said, if the command failed.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "mestno {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// What `mestno args…` printed, as JSON.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// `mestno add what` with `json` on its standard input, as it ended.
    pub fn add(&self, what: &str, json: &str) -> Output {
        let mut child = self
            .cmd()
            .args(["add", what])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(json.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }
}

/// What a command wrote to its standard error.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
