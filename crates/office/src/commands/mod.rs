//! The one table of commands the window calls: each command's name, its arguments and what it
//! returns, written once, below. From the table come [`NAMES`] (which the Tauri shell registers
//! and grants its window), [`dispatch`] (which runs a command from its JSON arguments), a typed
//! method of [`Call`] for each command (`call.stats(filter)`, which the `mestno` command calls),
//! and — with the `ts` feature — the signatures the window's typed client
//! `ui/src/ipc/backend.ts` and the TypeScript types are generated from ([`crate::client`],
//! [`crate::bindings`]).
//!
//! A line of the table reads as the command's signature, then the function that runs it:
//!
//! ```text
//! /// Adds a territory (no `id`) or changes one at revision `rev`.
//! save_territory(id: Option<Id>, rev: Option<i64>, input: TerritoryInput) -> Territory = settings::save_territory;
//! ```
//!
//! The arguments arrive as one JSON object keyed by their names in camelCase (`skip_bad` →
//! `skipBad`), as Tauri's commands have always taken them; an `Option` may be left out. The
//! function is called with a [`Call`] and the arguments in the table's order, and its reply is
//! sent back as JSON. The doc comment is the typed client's.
//!
//! To add a command: write its function in the module of its area, add its line to the table,
//! and regenerate what is generated from the table (`MESTNO_BLESS=1 cargo test --test app`).

mod backup;
mod contacts;
mod events;
mod import;
mod initiatives;
mod office;
mod privacy;
mod records;
mod reports;
mod server;
mod settings;
mod sync;
mod updates;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use mestno_core::model::{
    ConsentInput, Contact, ContactInput, ErasureLogEntry, ErasureRequest, Event, EventInput, Id, Initiative,
    InitiativeInput, OfficeProfile, Program, ProgramInput, Stage, Territory, TerritoryInput,
};
use mestno_core::store::{
    Attachment, ContactActivity, ContactQuery, ContactRow, EventQuery, EventRow, HistoryEntry, InitiativeCheck,
    InitiativeQuery, InitiativeRow, Page, SearchHit, Stats, StatsFilter, SyncConflict, TerritoryNode,
};
use mestno_core::vault::{BackupReport, RestoreReport};
use mestno_core::{ErrorCode, Lang, Store};
use mestno_import::{Kind as ImportKind, Mapping};
use mestno_reports::{ReportKind, ReportRequest, ReportSummary};
use mestno_server::Report as ServerSyncReport;
use mestno_sync::exchange::Loaded;
use serde::de::DeserializeOwned;

use crate::backup::{BackupSettings, BackupStatus};
use crate::erasure::Erased;
use crate::import::{ImportCheck, ImportDone, ImportOpened};
use crate::server::ServerStatus;
use crate::sync::{PartnerView, SyncStatus, Written};
use crate::updates::{UpdateCheck, UpdateSettings};
use crate::{AppError, AppInfo, DemoScale, Office, OfficeSetup, Shell, WorkingPerson};

/// What a command's function returns.
type Reply<T> = Result<T, AppError>;

/// What a command runs with: the office, and the front end around it.
#[derive(Clone)]
pub struct Call<'a> {
    /// The office the command works on.
    pub office: &'a Office,
    /// The front end that called: progress, the file manager, the file the app started with.
    pub shell: &'a dyn Shell,
    /// The office's store once the command asked for it, held until the command ends: a restore
    /// waits for it.
    store: OnceLock<Arc<Store>>,
}

impl<'a> Call<'a> {
    /// A command on `office`, called from `shell`.
    pub fn new(office: &'a Office, shell: &'a dyn Shell) -> Self {
        Call { office, shell, store: OnceLock::new() }
    }

    /// The office's open store, or why there is none.
    pub fn store(&self) -> Result<&Store, AppError> {
        if let Some(store) = self.store.get() {
            return Ok(store);
        }
        let store = self.office.store()?;
        Ok(self.store.get_or_init(|| store))
    }
}

/// Writes [`NAMES`], [`dispatch`], [`Call`]'s typed methods and (with `ts`) [`signatures`] and
/// [`export_types`] from the table: every command once, each expanded the same way.
macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $out:ty = $run:path;
    )*) => {
        /// Every command's name, in the table's order.
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Runs command `name` on `office` with `args` (a JSON object keyed by the arguments'
        /// names in camelCase, as the window sends them), and returns its reply as JSON. Arguments
        /// that cannot be read and commands that do not exist are refused before anything runs.
        pub async fn dispatch(
            office: &Office,
            name: &str,
            args: serde_json::Value,
            shell: &dyn Shell,
        ) -> Result<serde_json::Value, AppError> {
            let call = Call::new(office, shell);
            match name {
                $(stringify!($name) => {
                    #[derive(serde::Deserialize)]
                    #[serde(rename_all = "camelCase")]
                    struct Args { $($arg: $ty),* }
                    let Args { $($arg),* } = read_args(name, args)?;
                    let out: $out = Box::pin($run(call, $($arg),*)).await?;
                    reply(out)
                })*
                _ => Err(unknown(name)),
            }
        }

        /// Each command as a typed method, for front ends written in Rust (the `mestno`
        /// command): the call is the command's, and it runs as [`dispatch`] runs it.
        impl Call<'_> {
            $(
                $(#[doc = $doc])*
                pub async fn $name(self, $($arg: $ty),*) -> Result<$out, AppError> {
                    $run(self, $($arg),*).await
                }
            )*
        }

        /// Every command's signature, for the typed client.
        #[cfg(feature = "ts")]
        pub fn signatures(cfg: &ts_rs::Config) -> Vec<crate::client::Signature> {
            use crate::client::{Signature, TsType};
            vec![$(Signature {
                name: stringify!($name),
                doc: concat!($($doc, "\n"),*),
                args: vec![$((stringify!($arg), TsType::of::<$ty>(stringify!($ty), cfg))),*],
                output: TsType::of::<$out>(stringify!($out), cfg),
            }),*]
        }

        /// Writes the TypeScript declaration of every type a command takes or returns (and of the
        /// types they hold) into `cfg`'s folder.
        #[cfg(feature = "ts")]
        pub fn export_types(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
            $($(crate::bindings::export_with_dependencies::<$ty>(cfg)?;)* crate::bindings::export_with_dependencies::<$out>(cfg)?;)*
            Ok(())
        }
    };
}

commands! {
    // The office: what the window shows first, its password, the first start, its profile.
    /// The app and its office.
    app_info() -> AppInfo = office::app_info;
    /// Opens the office with its password; with `null`, tries the system's password store again.
    unlock_office(passphrase: Option<String>) -> AppInfo = office::unlock_office;
    /// Starts an empty office: its name and the territory it serves.
    setup_office(input: OfficeSetup) -> AppInfo = office::setup_office;
    /// Fills the empty office with demo data, sending `progress` events.
    load_demo(scale: DemoScale) -> AppInfo = office::load_demo;
    /// Switches the language of messages, and remembers it.
    set_lang(lang: Lang) -> () = office::set_lang;
    /// The office's name, address and the operator's details the papers print.
    office_profile() -> OfficeProfile = office::office_profile;
    /// Changes the office's profile; without a name it is refused.
    save_office_profile(profile: OfficeProfile) -> OfficeProfile = office::save_office_profile;
    /// Who works at the computer: the person of the staff the history names, or the login.
    working_person() -> WorkingPerson = office::working_person;
    /// Says which of the staff works at the computer (`null`: no one in particular); a name
    /// not on the staff is refused.
    set_working_person(name: Option<String>) -> WorkingPerson = office::set_working_person;

    // Backups: a copy now, the automatic copies into a folder, a restore.
    /// The backup settings, the last copy, the warning and the copies in the folder (once the
    /// automatic copy started with the office has ended).
    backup_status() -> BackupStatus = backup::backup_status;
    /// Keeps the automatic backups' folder, whether they are made and how many are kept.
    save_backup_settings(settings: BackupSettings) -> BackupStatus = backup::save_backup_settings;
    /// Writes a copy of the office to `path` (never over a file); with `passphrase`, one that
    /// opens on another computer with it.
    backup_now(path: PathBuf, passphrase: Option<String>) -> BackupReport = backup::backup_now;
    /// Writes a copy into the backup folder now, as the automatic copy does.
    backup_to_folder() -> BackupStatus = backup::backup_to_folder;
    /// Replaces the office with the backup at `path` (its password, if it has one) and opens it
    /// again; a bad backup leaves the office as it was.
    restore_backup(path: PathBuf, passphrase: Option<String>) -> RestoreReport = backup::restore_backup;

    // Territories and programs.
    /// Every territory, parents before children.
    territories() -> Vec<TerritoryNode> = settings::territories;
    /// One territory with its population by year.
    territory(id: Id) -> Territory = settings::territory;
    /// Adds a territory (no `id`) or changes one at revision `rev`.
    save_territory(id: Option<Id>, rev: Option<i64>, input: TerritoryInput) -> Territory = settings::save_territory;
    /// Deletes a territory nothing refers to.
    delete_territory(id: Id) -> () = settings::delete_territory;
    /// Every program.
    programs() -> Vec<Program> = settings::programs;
    /// One program.
    program(id: Id) -> Program = settings::program;
    /// Adds a program (no `id`) or changes one at revision `rev`.
    save_program(id: Option<Id>, rev: Option<i64>, input: ProgramInput) -> Program = settings::save_program;
    /// Deletes a program no initiative refers to.
    delete_program(id: Id) -> () = settings::delete_program;

    // The dashboard, the search, the history.
    /// The dashboard figures for a program, year and territory.
    stats(filter: StatsFilter) -> Stats = records::stats;
    /// Initiatives, contacts and events matching `text`, best first (20 unless `limit`, at most 50).
    search(text: String, limit: Option<u32>) -> Vec<SearchHit> = records::search;
    /// A record's change history, oldest first.
    history(id: Id) -> Vec<HistoryEntry> = records::history;
    /// Attaches a copy of the file at `path` to the record `id` (a project, event, contact or
    /// appeal); its description travels to partners, its content when a package carries files.
    attach_file(id: Id, path: PathBuf) -> Attachment = records::attach_file;
    /// The files attached to the record `id`.
    attachments(id: Id) -> Vec<Attachment> = records::attachments;

    // Initiatives.
    /// A page of the initiatives list.
    list_initiatives(query: InitiativeQuery) -> Page<InitiativeRow> = initiatives::list_initiatives;
    /// One initiative with its stage history and the program rules it breaks.
    initiative(id: Id) -> Initiative = initiatives::initiative;
    /// Adds an initiative (no `id`) or changes one at revision `rev`. A new initiative starts as an
    /// idea today unless `stage` and `on` say otherwise (an application entered late).
    save_initiative(
        id: Option<Id>,
        rev: Option<i64>,
        input: InitiativeInput,
        stage: Option<Stage>,
        on: Option<NaiveDate>,
    ) -> Initiative = initiatives::save_initiative;
    /// What saving at `stage` (an idea unless given) would say, and each source's share, without saving.
    check_initiative(input: InitiativeInput, stage: Option<Stage>) -> InitiativeCheck = initiatives::check_initiative;
    /// Moves an initiative seen at revision `rev` to stage `to` on date `on`.
    change_stage(id: Id, rev: i64, to: Stage, on: NaiveDate, note: Option<String>) -> Initiative = initiatives::change_stage;
    /// Deletes an initiative (kept as a tombstone for sync).
    delete_initiative(id: Id) -> () = initiatives::delete_initiative;

    // Contacts.
    /// A page of the contacts list.
    list_contacts(query: ContactQuery) -> Page<ContactRow> = contacts::list_contacts;
    /// One contact with roles, phones, e-mails and consents.
    contact(id: Id) -> Contact = contacts::contact;
    /// Adds a contact (no `id`) or changes one at revision `rev`.
    save_contact(id: Option<Id>, rev: Option<i64>, input: ContactInput) -> Contact = contacts::save_contact;
    /// Deletes a contact.
    delete_contact(id: Id) -> () = contacts::delete_contact;
    /// Records a consent contact `id` gave.
    add_consent(id: Id, input: ConsentInput) -> Contact = contacts::add_consent;
    /// Records that consent `id` was withdrawn on `on`.
    withdraw_consent(id: Id, on: NaiveDate) -> Contact = contacts::withdraw_consent;
    /// The initiatives a contact put forward and the events they attended.
    contact_activity(id: Id) -> ContactActivity = contacts::contact_activity;
    /// Merges `duplicate` into `keep` (seen at revision `rev`): one person entered twice.
    merge_contacts(keep: Id, rev: i64, duplicate: Id) -> Contact = contacts::merge_contacts;

    // A resident's requests under 152-ФЗ.
    /// Writes everything held about person `id` to `path`; the rows written.
    export_person(id: Id, path: PathBuf) -> u64 = privacy::export_person;
    /// Erases person `id` on `request` and writes the act of destruction to `act`.
    erase_person(id: Id, request: ErasureRequest, act: PathBuf) -> Erased = privacy::erase_person;
    /// The erasure log, newest first.
    erasure_log() -> Vec<ErasureLogEntry> = privacy::erasure_log;
    /// Writes the act of destruction of log entry `id` again, to `path`.
    erasure_act(id: Id, path: PathBuf) -> () = privacy::erasure_act;

    // Events.
    /// A page of the events list.
    list_events(query: EventQuery) -> Page<EventRow> = events::list_events;
    /// One event with its attendees and linked initiatives.
    event(id: Id) -> Event = events::event;
    /// Adds an event (no `id`) or changes one at revision `rev`.
    save_event(id: Option<Id>, rev: Option<i64>, input: EventInput) -> Event = events::save_event;
    /// Deletes an event.
    delete_event(id: Id) -> () = events::delete_event;

    // Reports.
    /// Writes report `kind` for `request` to `path`, sending `progress` events as rows are written.
    export_report(kind: ReportKind, request: ReportRequest, path: PathBuf) -> ReportSummary = reports::export_report;
    /// Shows the file at `path` in the system's file manager.
    reveal(path: PathBuf) -> () = reports::reveal;

    // The import wizard: open → (another sheet) → check → commit, or close.
    /// The spreadsheet the app was started with (`mestno-app реестр.xlsx`), once; then null.
    take_open_file() -> Option<String> = import::take_open_file;
    /// Opens the file at `path` to import records of `kind`.
    import_open(path: PathBuf, kind: ImportKind) -> ImportOpened = import::import_open;
    /// The mapping for another sheet of the open file.
    import_sheet(sheet: String) -> Mapping = import::import_sheet;
    /// Checks every row of the open file with `mapping`; writes nothing.
    import_check(mapping: Mapping) -> ImportCheck = import::import_check;
    /// Imports the checked rows in one transaction, sending `progress` events.
    import_commit(skip_bad: bool) -> ImportDone = import::import_commit;
    /// Saves the last check's problems as an .xlsx at `path`.
    import_problems(path: PathBuf) -> () = import::import_problems;
    /// Closes the wizard's file without importing.
    import_close() -> () = import::import_close;

    // «Обмен данными»: exchange packages with paired offices, and the conflicts journal.
    /// This office's card code, the paired offices with what waits for each, open conflicts.
    sync_status() -> SyncStatus = sync::sync_status;
    /// Writes this office's pairing card to `path` (on first use, for `territory`).
    sync_write_card(territory: Option<Id>, path: PathBuf) -> Written = sync::sync_write_card;
    /// Pairs with the office whose card is the file at `path`; `territory` is the one it answers
    /// for here, if not its card's (a settlement's new office has no territories yet).
    sync_pair(path: PathBuf, territory: Option<Id>) -> PartnerView = sync::sync_pair;
    /// Writes a package of what `partner` (replica id or office name) lacks to `path`; with
    /// `files`, the content of the files waiting for it too (their size is in its status).
    sync_export(partner: String, path: PathBuf, files: bool) -> Written = sync::sync_export;
    /// Loads the package at `path` in one transaction; with `dryRun`, says what it would do.
    sync_load(path: PathBuf, dry_run: bool) -> Loaded = sync::sync_load;
    /// The conflicts journal, newest first.
    sync_conflicts(open_only: bool) -> Vec<SyncConflict> = sync::sync_conflicts;
    /// Takes the value the merge set aside (a change that travels like any other).
    sync_take_other(id: Id) -> () = sync::sync_take_other;
    /// Leaves the value the merge kept, and closes the conflict.
    sync_keep_value(id: Id) -> () = sync::sync_keep_value;

    // «Сервер»: the district's or region's shared server.
    /// The shared server joined (if any), how often the window syncs by itself, the last sync.
    server_status() -> ServerStatus = server::server_status;
    /// Joins the server whose invitation file (.mestno-server) is at `path`.
    server_join(path: PathBuf) -> ServerStatus = server::server_join;
    /// Leaves the server; what was synced stays.
    server_leave() -> ServerStatus = server::server_leave;
    /// Syncs with the server now: sends what is new here, receives what is new there.
    server_sync_now() -> ServerSyncReport = server::server_sync_now;
    /// Keeps how often the window syncs by itself, in minutes (none: only by hand).
    server_save_auto(minutes: Option<u32>) -> ServerStatus = server::server_save_auto;

    // Updates of the app, from the address the office set and only when asked (or agreed to).
    /// Where the office looks for updates, and whether it may look at each start.
    update_settings() -> UpdateSettings = updates::update_settings;
    /// Keeps the update address and the consent to look at start.
    save_update_settings(settings: UpdateSettings) -> UpdateSettings = updates::save_update_settings;
    /// Looks for a newer version at the office's address; offline, says «нет связи».
    check_update() -> UpdateCheck = updates::check_update;
    /// Downloads the version found, checks its signature and installs it, sending `progress` events.
    install_update() -> () = updates::install_update;
    /// Starts the app again, on the version just installed.
    restart_app() -> () = updates::restart_app;
}

/// The arguments of command `name`: an object (nothing at all counts as an empty one).
fn read_args<T: DeserializeOwned>(name: &str, args: serde_json::Value) -> Result<T, AppError> {
    let args = if args.is_null() { serde_json::Value::Object(Default::default()) } else { args };
    serde_json::from_value(args).map_err(|e| {
        let mut err = AppError::new(
            ErrorCode::Invalid,
            &format!("Команда «{name}» не может прочитать свои аргументы"),
            &format!("The command «{name}» cannot read its arguments"),
        );
        err.message = format!("{}: {e}", err.message);
        err
    })
}

/// A command's reply as JSON.
fn reply<T: serde::Serialize>(value: T) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(value).map_err(|e| {
        let mut err = AppError::new(ErrorCode::Io, "Ответ команды не записан", "The command's reply was not written");
        err.message = format!("{}: {e}", err.message);
        err
    })
}

fn unknown(name: &str) -> AppError {
    AppError::new(ErrorCode::NotFound, &format!("Нет команды «{name}»"), &format!("No such command: «{name}»"))
}
