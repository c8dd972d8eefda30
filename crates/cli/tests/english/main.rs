//! `mestno --lang en` is English throughout: every command and subcommand with its `--help`, its
//! success and, where it can fail, its failure, run against a real office. Not one Cyrillic
//! letter may be printed but the office's own data. The data the test enters is in Latin
//! letters, so every Cyrillic letter printed is the program's — save the few allowed by name:
//! the Russian column headings of the test's own import files ([`HEADINGS`]); in JSON the
//! Russian half of a message given in both languages (`{"ru": …, "en": …}`, the English half is
//! checked); and in the erasure log's JSON the act's words the log keeps in Russian (checked to be
//! exactly those, then left out).

mod imports;
mod records;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const PASSWORD_VAR: &str = "MESTNO_EN_PASSPHRASE";
const PASSWORD: &str = "project office password";
const BACKUP_VAR: &str = "MESTNO_EN_BACKUP";

/// The column headings of the test's import files: the user's own file, printed back to them.
const HEADINGS: &[&str] = &[
    "Наименование проекта",
    "Населённый пункт",
    "Общая стоимость",
    "Вид мероприятия",
    "Количество участников",
    "ФИО",
    "Телефон",
    "Год",
    "Дата",
    "Тема",
];

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{052F}').contains(&c)
        || ('\u{2DE0}'..='\u{2DFF}').contains(&c)
        || ('\u{A640}'..='\u{A69F}').contains(&c)
}

/// What one run printed.
struct Run {
    args: String,
    success: bool,
    stdout: String,
    stderr: String,
}

/// `cmd` with `args`, `stdin` on its standard input (which is never a terminal).
fn run(mut cmd: Command, args: &[&str], stdin: Option<&str>) -> Run {
    cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    let out = child.wait_with_output().unwrap();
    Run {
        args: args.join(" "),
        success: out.status.success(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

impl Run {
    /// Fails the test on any Cyrillic letter in what was printed, once the `allowed` texts are
    /// taken out.
    fn assert_english(&self, allowed: &[&str]) {
        let stdout = match serde_json::from_str::<serde_json::Value>(&self.stdout) {
            Ok(mut json) => {
                without_russian_halves(&mut json);
                serde_json::to_string_pretty(&json).unwrap()
            }
            Err(_) => self.stdout.clone(),
        };
        for (name, text) in [("stdout", &stdout), ("stderr", &self.stderr)] {
            let mut rest = text.clone();
            for a in allowed {
                rest = rest.replace(a, "");
            }
            let russian: Vec<&str> = rest.lines().filter(|l| l.chars().any(is_cyrillic)).collect();
            assert!(russian.is_empty(), "`mestno {}` printed Russian on {name}:\n{}", self.args, russian.join("\n"));
        }
    }

    /// The run succeeded, in English; its stdout.
    fn ok(self, allowed: &[&str]) -> String {
        assert!(self.success, "`mestno {}` failed: {}", self.args, self.stderr);
        self.assert_english(allowed);
        self.stdout
    }

    /// The run failed, in English, saying `says`.
    fn fails(self, allowed: &[&str], says: &str) {
        assert!(!self.success, "`mestno {}` should fail: {}", self.args, self.stdout);
        self.assert_english(allowed);
        assert!(
            self.stderr.contains("error: ") && self.stderr.contains(says),
            "`mestno {}`: {}",
            self.args,
            self.stderr
        );
    }
}

/// JSON for programs gives a message in both languages, `{"ru": …, "en": …}`: the Russian half
/// is left out, the English one checked.
fn without_russian_halves(json: &mut serde_json::Value) {
    match json {
        serde_json::Value::Object(map) => {
            if map.len() == 2 && map.contains_key("ru") && map.contains_key("en") {
                map.remove("ru");
            }
            map.values_mut().for_each(without_russian_halves);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_russian_halves),
        _ => {}
    }
}

struct Office {
    dir: tempfile::TempDir,
}

impl Office {
    fn new() -> Self {
        Office { dir: tempfile::tempdir().unwrap() }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn arg(&self, name: &str) -> String {
        self.path(name).to_str().unwrap().to_owned()
    }

    /// `mestno --lang en` on this office, its database protected by a password.
    fn cmd(&self) -> Command {
        let mut c = self.cmd_without_password();
        c.args(["--passphrase-env", PASSWORD_VAR]);
        c
    }

    fn cmd_without_password(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_mestno"));
        c.env("MESTNO_DB", self.path("office.sqlite")).env("MESTNO_USER", "tester");
        c.env(PASSWORD_VAR, PASSWORD).env(BACKUP_VAR, "backup password for the district");
        c.args(["--lang", "en"]);
        c
    }

    fn ok(&self, args: &[&str]) -> String {
        run(self.cmd(), args, None).ok(&[])
    }

    fn ok_allowing(&self, args: &[&str], allowed: &[&str]) -> String {
        run(self.cmd(), args, None).ok(allowed)
    }

    fn fails(&self, args: &[&str], says: &str) {
        run(self.cmd(), args, None).fails(&[], says)
    }

    fn fails_allowing(&self, args: &[&str], says: &str, allowed: &[&str]) {
        run(self.cmd(), args, None).fails(allowed, says)
    }

    /// `mestno add WHAT` with the JSON on the standard input: the new id.
    fn add(&self, what: &str, json: &str) -> String {
        run(self.cmd(), &["add", what], Some(json)).ok(&[]).trim().to_owned()
    }

    fn add_fails(&self, what: &str, json: &str, says: &str) {
        run(self.cmd(), &["add", what], Some(json)).fails(&[], says)
    }
}

/// The commands a `--help` lists, as its «Commands:» section names them.
fn commands_in(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_help_of_every_command_is_english_with_lang_en_and_russian_without() {
    let o = Office::new();
    let mut paths: Vec<Vec<String>> = vec![vec![]];
    let mut seen = 0;
    while let Some(path) = paths.pop() {
        seen += 1;
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let short = o.ok(&[&path[..], &["-h"]].concat());
        let long = o.ok(&[&path[..], &["--help"]].concat());
        for help in [&short, &long] {
            assert!(help.contains("Usage: mestno"), "clap's own words are English: {help}");
        }
        let russian = run(Command::new(env!("CARGO_BIN_EXE_mestno")), &[&path[..], &["--help"]].concat(), None);
        let russian = russian.stdout;
        let about = russian.lines().next().unwrap_or_default();
        assert!(about.chars().any(is_cyrillic), "without --lang the help stays Russian: {russian}");
        assert!(
            russian.contains("Использование: mestno") && !russian.contains("Usage"),
            "and so are clap's words: {russian}"
        );
        for name in commands_in(&long) {
            paths.push([path.iter().map(|s| s.to_string()).collect::<Vec<_>>(), vec![name]].concat());
        }
    }
    assert!(seen >= 21, "the top level, 16 commands and the 4 of `person`: {seen}");
    o.ok(&["help"]);
    o.ok(&["help", "person", "erase"]);
    assert!(o.ok(&["--version"]).starts_with("mestno "));

    // clap's own mistakes, in English.
    o.fails(&["lst"], "unrecognized subcommand 'lst'");
    o.fails(&["list", "people"], "invalid value 'people'");
    o.fails(&["report", "registry"], "the following required arguments were not provided");
    o.fails(&["stats", "--year", "twenty"], "invalid value 'twenty' for '--year <YEAR>'");
    o.fails(&["stats", "--no-such-flag"], "unexpected argument '--no-such-flag'");
    run(Command::new(env!("CARGO_BIN_EXE_mestno")), &["--lang=en", "lst"], None).fails(&[], "unrecognized subcommand");
}

#[test]
fn a_demo_office_is_made_and_reported_in_english() {
    let o = Office::new();
    o.fails(&["demo", "--scale", "huge"], "unknown demo data scale «huge»");
    let demo = run(o.cmd(), &["demo", "--scale", "small", "--seed", "2"], None);
    let stages = demo.stderr.clone();
    assert!(demo.ok(&[]).contains("The demo data is ready in"));
    assert!(stages.contains("demo data: events…"), "each stage is named in English: {stages}");
    o.fails(&["demo", "--scale", "small"], "already holds data");
    let stats = o.ok(&["stats"]);
    assert!(stats.contains("Initiatives:") && stats.contains("Share engaged"), "{stats}");
    o.ok(&["stats", "--json"]);
    assert!(o.ok(&["check"]).contains("Check passed"));
    for what in ["registry", "funding", "engagement", "contacts"] {
        o.ok(&["report", what, "-o", &o.arg(&format!("{what}.xlsx"))]);
    }
}
