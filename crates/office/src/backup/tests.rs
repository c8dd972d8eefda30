use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use mestno_core::model::TerritoryInput;
use mestno_core::vault::{Unlock, key_file_path};
use mestno_core::{Clock, ErrorCode, FixedClock, Lang, Sensitive, Store};
use serde_json::json;

use super::folder::{name, parse};
use super::*;
use crate::error::set_ui_lang;
use crate::{Office, OfficeSetup};

const PASSWORD: &str = "пароль проектного офиса";

/// Messages follow the language chosen, one per process: the tests that read them take turns.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2025, 10, 28, 9, 0, 0).unwrap()))
}

fn day(d: &str) -> NaiveDate {
    d.parse().unwrap()
}

fn territory(name: &str) -> TerritoryInput {
    serde_json::from_value(json!({"kind": "locality", "name": name})).unwrap()
}

async fn plain_store(dir: &Path, clock: Arc<FixedClock>) -> Store {
    Store::open(&dir.join("office.sqlite"), clock, "Петрова А. В.").await.unwrap()
}

/// An encrypted office, opened as the app opens one (with a password: no OS store here), set up.
async fn office(dir: &Path, clock: Arc<FixedClock>) -> Office {
    let unlock = Unlock::Passphrase(Sensitive::new(PASSWORD.into()));
    let office = Office::open_with(dir.join("office.sqlite"), clock, "Петрова А. В.".into(), unlock).await;
    if office.info().await.unwrap().empty {
        let setup = OfficeSetup {
            office_name: "Проектный офис Абанского района".into(),
            territory: Some(territory("Абан")),
        };
        office.set_up(setup).await.unwrap();
    }
    office
}

async fn names(office: &Office) -> Vec<String> {
    office.store().unwrap().territories().await.unwrap().into_iter().map(|t| t.name).collect()
}

fn folder_in(dir: &Path) -> PathBuf {
    let folder = dir.join("флешка");
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

fn on(folder: &Path, keep: u32) -> BackupSettings {
    BackupSettings { auto: true, folder: folder.display().to_string(), keep }
}

#[tokio::test]
async fn settings_are_kept_in_the_office_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let store = plain_store(dir.path(), clock()).await;
    assert_eq!(settings(&store).await.unwrap(), BackupSettings::default(), "none set: off, no folder, a week kept");
    assert_eq!(BackupSettings::default().keep, 7);

    let folder = folder_in(dir.path());
    let wanted = BackupSettings { auto: true, folder: format!("  {}  ", folder.display()), keep: 30 };
    let saved = save_settings(&store, wanted).await.unwrap();
    assert_eq!(saved.folder, folder.display().to_string(), "the folder is trimmed");
    assert_eq!(settings(&store).await.unwrap(), saved, "read back as saved");

    let field = |e: Error| e.field_errors().iter().map(|f| f.field.clone()).collect::<Vec<_>>();
    let none = BackupSettings { auto: true, folder: String::new(), keep: 7 };
    assert_eq!(field(save_settings(&store, none).await.unwrap_err()), ["folder"], "automatic copies need a folder");
    let relative = BackupSettings { auto: false, folder: "флешка".into(), keep: 7 };
    assert_eq!(field(save_settings(&store, relative).await.unwrap_err()), ["folder"], "a full path only");
    let missing = BackupSettings { auto: true, folder: dir.path().join("нет").display().to_string(), keep: 0 };
    assert_eq!(
        field(save_settings(&store, missing).await.unwrap_err()),
        ["folder", "keep"],
        "no such folder, none kept"
    );
    let many = BackupSettings { keep: MAX_KEEP + 1, ..saved.clone() };
    assert_eq!(field(save_settings(&store, many).await.unwrap_err()), ["keep"]);
    assert_eq!(settings(&store).await.unwrap(), saved, "a refused change stores nothing");
    let off = BackupSettings { auto: false, folder: String::new(), keep: 7 };
    assert_eq!(save_settings(&store, off.clone()).await.unwrap(), off, "off needs no folder");
}

#[test]
fn copies_are_named_by_the_day_and_nothing_else_is_taken_for_one() {
    assert_eq!(name(day("2025-10-28"), 1), "mestno-backup-2025-10-28.sqlite");
    assert_eq!(name(day("2025-10-28"), 3), "mestno-backup-2025-10-28-3.sqlite");
    for n in [1, 2, 12] {
        assert_eq!(parse(&name(day("2025-10-28"), n)), Some((day("2025-10-28"), n)), "read back");
    }
    for other in [
        "mestno-backup-2025-10-28.sqlite.key.json",
        "mestno-backup-2025-10-28.sqlite.part",
        "mestno-backup-2025-10-28-1.sqlite",
        "mestno-backup-2025-10-28-x.sqlite",
        "mestno-backup-2025-13-01.sqlite",
        "mestno-backup-2025-1-01.sqlite",
        "отчёт.sqlite",
        "mestno.sqlite",
    ] {
        assert_eq!(parse(other), None, "{other} is not a copy this folder writes");
    }
}

#[tokio::test]
async fn the_folder_keeps_the_newest_copies_and_leaves_other_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    let store = plain_store(dir.path(), clock()).await;
    let folder = folder_in(dir.path());
    let other = folder.join("фото.jpg");
    std::fs::write(&other, "не копия").unwrap();
    let settings = on(&folder, 3);
    for d in ["2025-10-20", "2025-10-21", "2025-10-22", "2025-10-23"] {
        to_folder(&store, &settings, day(d)).await.unwrap();
    }
    let second = to_folder(&store, &settings, day("2025-10-23")).await.unwrap();
    assert_eq!(second.path, folder.join("mestno-backup-2025-10-23-2.sqlite"), "a second copy that day is numbered");

    let kept: Vec<_> = copies(&folder).unwrap().into_iter().map(|c| c.path.file_name().unwrap().to_owned()).collect();
    assert_eq!(
        kept,
        ["mestno-backup-2025-10-23-2.sqlite", "mestno-backup-2025-10-23.sqlite", "mestno-backup-2025-10-22.sqlite"],
        "the newest three, newest first"
    );
    assert!(other.exists(), "a file the folder did not write is never deleted");
    let left = std::fs::read_dir(&folder).unwrap().count();
    assert_eq!(left, 4, "nothing half-written is left beside them (plain copies have no key file)");
    for copy in copies(&folder).unwrap() {
        assert!(copy.bytes > 0);
        Store::open(&copy.path, clock(), "").await.expect("each copy is a database that opens").close().await;
    }
    assert_eq!(
        store.setting(LAST_DAILY).await.unwrap().as_deref(),
        Some("2025-10-23"),
        "a copy into the folder counts as that day's"
    );
}

#[tokio::test]
async fn an_encrypted_office_copies_with_its_key_file_and_rotation_takes_both() {
    let dir = tempfile::tempdir().unwrap();
    let office = office(dir.path(), clock()).await;
    let store = office.store().unwrap();
    let folder = folder_in(dir.path());
    let settings = on(&folder, 1);
    let first = to_folder(&store, &settings, day("2025-10-27")).await.unwrap();
    assert!(key_file_path(&first.path).exists(), "the key file goes beside the copy");
    assert_ne!(&std::fs::read(&first.path).unwrap()[..15], b"SQLite format 3", "encrypted as the office is");
    let second = to_folder(&store, &settings, day("2025-10-28")).await.unwrap();
    assert!(!first.path.exists() && !key_file_path(&first.path).exists(), "the older copy goes with its key file");
    assert!(second.path.exists() && key_file_path(&second.path).exists());
}

#[test]
fn the_daily_copy_is_due_at_the_first_start_of_each_day() {
    let folder = on(Path::new("/media/usb"), 7);
    let today = day("2025-10-28");
    assert!(due(&folder, None, today), "never made: due");
    assert!(due(&folder, Some(day("2025-10-27")), today), "made yesterday: due today");
    assert!(!due(&folder, Some(today), today), "made today: not again");
    assert!(!due(&folder, Some(day("2025-10-29")), today), "the clock went back: not again");
    assert!(!due(&BackupSettings { auto: false, ..folder.clone() }, None, today), "off");
    assert!(!due(&BackupSettings { folder: String::new(), ..folder }, None, today), "no folder");
}

#[tokio::test]
async fn the_daily_copy_is_made_once_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let clock = clock();
    let store = plain_store(dir.path(), clock.clone()).await;
    let folder = folder_in(dir.path());
    assert_eq!(daily(&store, clock.today()).await.unwrap(), None, "off: nothing");
    save_settings(&store, on(&folder, 7)).await.unwrap();
    let made = daily(&store, clock.today()).await.unwrap().expect("on, never made: made");
    assert_eq!(made.path, folder.join("mestno-backup-2025-10-28.sqlite"));
    assert_eq!(daily(&store, clock.today()).await.unwrap(), None, "the second start that day makes none");
    clock.advance(Duration::days(1));
    assert!(daily(&store, clock.today()).await.unwrap().is_some(), "the next day's first start makes one");
    assert_eq!(copies(&folder).unwrap().len(), 2);
}

#[test]
fn the_window_warns_when_the_last_copy_is_more_than_a_week_old() {
    let now = Utc.with_ymd_and_hms(2025, 10, 28, 9, 0, 0).unwrap().timestamp_millis();
    let days_ago = |d: i64| now - d * DAY_MS;
    assert_eq!(overdue(None, now, true), (None, false), "a new, empty office: nothing to lose yet");
    assert_eq!(overdue(None, now, false), (None, true), "records and never a copy: warn");
    assert_eq!(overdue(Some(days_ago(0)), now, false), (Some(0), false));
    assert_eq!(overdue(Some(days_ago(6)), now, false), (Some(6), false));
    assert_eq!(overdue(Some(days_ago(7)), now, false), (Some(7), false), "a week is not more than a week");
    assert_eq!(overdue(Some(days_ago(7) - 1), now, false), (Some(7), true), "a moment past a week: warn");
    assert_eq!(overdue(Some(days_ago(30)), now, true), (Some(30), true));
    assert_eq!(overdue(Some(now + DAY_MS), now, false), (Some(0), false), "a clock set back: not overdue");
}

#[tokio::test]
async fn the_status_follows_the_copies_made() {
    let dir = tempfile::tempdir().unwrap();
    let clock = clock();
    let office = office(dir.path(), clock.clone()).await;
    let status = super::status(&office).await.unwrap();
    assert_eq!((status.last_at, status.days_since, status.overdue), (None, None, true), "set up, never copied");

    let path = dir.path().join("копия.sqlite");
    back_up(&office.store().unwrap(), &path, None).await.unwrap();
    clock.advance(Duration::days(3));
    let status = super::status(&office).await.unwrap();
    assert_eq!((status.days_since, status.overdue), (Some(3), false));
    assert_eq!(status.last_path, Some(path.display().to_string()));
    clock.advance(Duration::days(5));
    assert!(super::status(&office).await.unwrap().overdue, "eight days: warn");

    save_settings(&office.store().unwrap(), on(&folder_in(dir.path()), 7)).await.unwrap();
    office.backup_to_folder().await.unwrap();
    let status = super::status(&office).await.unwrap();
    assert!(!status.overdue && !status.folder_missing);
    assert_eq!(status.copies.len(), 1);
    std::fs::remove_dir_all(dir.path().join("флешка")).unwrap();
    assert!(super::status(&office).await.unwrap().folder_missing, "the stick pulled out");
}

#[tokio::test]
async fn the_office_makes_its_daily_copy_in_the_background_when_it_opens() {
    let _turn = TURN.lock().await;
    set_ui_lang(Lang::Ru);
    let dir = tempfile::tempdir().unwrap();
    let clock = clock();
    let office = office(dir.path(), clock.clone()).await;
    let folder = folder_in(dir.path());
    save_settings(&office.store().unwrap(), on(&folder, 7)).await.unwrap();
    office.close().await;

    let office = self::office(dir.path(), clock.clone()).await;
    let status = super::status(&office).await.unwrap();
    assert_eq!(status.copies.len(), 1, "made at the first start of the day");
    assert_eq!(status.auto_error, None);
    office.close().await;

    clock.advance(Duration::days(1));
    std::fs::remove_dir_all(&folder).unwrap();
    let office = self::office(dir.path(), clock.clone()).await;
    let status = super::status(&office).await.unwrap();
    let why = status.auto_error.expect("the stick is not in: said so");
    assert!(why.contains("Автоматическая резервная копия не сделана") && why.contains("вставьте флешку"), "{why}");
    office.close().await;

    std::fs::create_dir_all(&folder).unwrap();
    let office = self::office(dir.path(), clock.clone()).await;
    assert_eq!(super::status(&office).await.unwrap().copies.len(), 1, "a later start that day tries again");
}

#[tokio::test]
async fn a_backup_restored_brings_the_office_back_and_keeps_this_computers_settings() {
    let _turn = TURN.lock().await;
    set_ui_lang(Lang::Ru);
    let dir = tempfile::tempdir().unwrap();
    let office = office(dir.path(), clock()).await;
    let backup = dir.path().join("копия.sqlite");
    back_up(&office.store().unwrap(), &backup, None).await.unwrap();
    office.store().unwrap().create_territory(territory("с. Берёзовка")).await.unwrap();
    let folder = folder_in(dir.path());
    let settings = save_settings(&office.store().unwrap(), on(&folder, 5)).await.unwrap();

    // A command under way holds the office: the restore waits for it to end, and commands that
    // start meanwhile are told why they cannot run.
    let held = office.store().unwrap();
    let meanwhile = async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let refused = office.store().unwrap_err();
        drop(held);
        refused
    };
    let (report, refused) = tokio::join!(office.restore_backup(&backup, None), meanwhile);
    assert!(refused.message.contains("Идёт восстановление"), "{refused:?}");
    let report = report.unwrap();
    assert_eq!(names(&office).await, ["Абан"], "the change made after the backup is gone");
    assert!(report.previous.as_ref().is_some_and(|p| p.exists()), "the replaced database is kept");
    assert_eq!(super::settings(&office.store().unwrap()).await.unwrap(), settings, "the settings stay this computer's");
    assert!(super::status(&office).await.unwrap().last_at.is_some(), "and so does the last copy");
    assert!(backup.exists(), "the backup itself is only read");
}

#[tokio::test]
async fn a_bad_backup_leaves_the_office_as_it_was() {
    let _turn = TURN.lock().await;
    set_ui_lang(Lang::Ru);
    let dir = tempfile::tempdir().unwrap();
    let office = office(dir.path(), clock()).await;
    office.store().unwrap().create_territory(territory("с. Берёзовка")).await.unwrap();
    let before = names(&office).await;
    let refused = |e: &AppError| e.message.contains("Офис остался как был");

    let missing = office.restore_backup(&dir.path().join("нет.sqlite"), None).await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::Io, "{missing:?}");

    let garbage = dir.path().join("не копия.sqlite");
    std::fs::write(&garbage, "это не база данных".repeat(300)).unwrap();
    let e = office.restore_backup(&garbage, None).await.unwrap_err();
    assert!(refused(&e) && e.message.contains("не резервная копия Mestno"), "no key file beside it: {e:?}");

    // A copy with its key file, damaged after the first page: found out only once closed.
    let damaged = dir.path().join("повреждённая.sqlite");
    back_up(&office.store().unwrap(), &damaged, None).await.unwrap();
    let mut bytes = std::fs::read(&damaged).unwrap();
    let half = bytes.len() / 2;
    bytes[half..].iter_mut().for_each(|b| *b ^= 0x5a);
    std::fs::write(&damaged, bytes).unwrap();
    let e = office.restore_backup(&damaged, None).await.unwrap_err();
    assert!(refused(&e) && e.message.starts_with("Копия не восстановлена"), "{e:?}");

    let with_password = dir.path().join("с паролем.sqlite");
    back_up(&office.store().unwrap(), &with_password, Some("пароль для другого компьютера".into())).await.unwrap();
    let e = office.restore_backup(&with_password, None).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::PassphraseRequired, "asked for, before anything closes: {e:?}");
    let e = office.restore_backup(&with_password, Some("не тот пароль".into())).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::WrongKey, "{e:?}");
    assert!(refused(&e), "{e:?}");

    assert_eq!(names(&office).await, before, "every failure left the office open, and as it was");
    assert!(!dir.path().join("office.sqlite.before-restore").exists(), "nothing was replaced");
    set_ui_lang(Lang::En);
    let e = office.restore_backup(&garbage, None).await.unwrap_err();
    assert!(e.message.contains("The office was left as it was"), "in English too: {e:?}");
    set_ui_lang(Lang::Ru);

    let restored = office.restore_backup(&with_password, Some("пароль для другого компьютера".into())).await;
    assert!(restored.is_ok(), "the right password restores it: {restored:?}");
    assert_eq!(names(&office).await, before, "the copy held what the office held");
}
