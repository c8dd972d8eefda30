// Generated from the command table (crates/office/src/commands/mod.rs): every command of the
// office, one typed function each, and the only place that calls invoke(). Do not edit; after
// changing the table run `MESTNO_BLESS=1 cargo test --test app`.

import { invoke } from '@tauri-apps/api/core';
import { BackendError, toAppError } from './errors';
import type {
  AppInfo,
  Attachment,
  BackupReport,
  BackupSettings,
  BackupStatus,
  ConsentInput,
  Contact,
  ContactActivity,
  ContactInput,
  ContactQuery,
  ContactRow,
  DemoScale,
  Erased,
  ErasureLogEntry,
  ErasureRequest,
  Event,
  EventInput,
  EventQuery,
  EventRow,
  HistoryEntry,
  Id,
  ImportCheck,
  ImportDone,
  ImportKind,
  ImportOpened,
  Initiative,
  InitiativeCheck,
  InitiativeInput,
  InitiativeQuery,
  InitiativeRow,
  Lang,
  Loaded,
  Mapping,
  NaiveDate,
  OfficeProfile,
  OfficeSetup,
  Page,
  PartnerView,
  Program,
  ProgramInput,
  ReportKind,
  ReportRequest,
  ReportSummary,
  RestoreReport,
  SearchHit,
  ServerStatus,
  ServerSyncReport,
  Stage,
  Stats,
  StatsFilter,
  SyncConflict,
  SyncStatus,
  Territory,
  TerritoryInput,
  TerritoryNode,
  UpdateCheck,
  UpdateSettings,
  WorkingPerson,
  Written,
} from './types';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw new BackendError(toAppError(e));
  }
}

/** The app and its office. */
export const appInfo = () => call<AppInfo>('app_info');

/** Opens the office with its password; with `null`, tries the system's password store again. */
export const unlockOffice = (passphrase: string | null) => call<AppInfo>('unlock_office', { passphrase });

/** Starts an empty office: its name and the territory it serves. */
export const setupOffice = (input: OfficeSetup) => call<AppInfo>('setup_office', { input });

/** Fills the empty office with demo data, sending `progress` events. */
export const loadDemo = (scale: DemoScale) => call<AppInfo>('load_demo', { scale });

/** Switches the language of messages, and remembers it. */
export const setLang = (lang: Lang) => call<null>('set_lang', { lang });

/** The office's name, address and the operator's details the papers print. */
export const officeProfile = () => call<OfficeProfile>('office_profile');

/** Changes the office's profile; without a name it is refused. */
export const saveOfficeProfile = (profile: OfficeProfile) => call<OfficeProfile>('save_office_profile', { profile });

/** Who works at the computer: the person of the staff the history names, or the login. */
export const workingPerson = () => call<WorkingPerson>('working_person');

/**
 * Says which of the staff works at the computer (`null`: no one in particular); a name
 * not on the staff is refused.
 */
export const setWorkingPerson = (name: string | null) => call<WorkingPerson>('set_working_person', { name });

/**
 * The backup settings, the last copy, the warning and the copies in the folder (once the
 * automatic copy started with the office has ended).
 */
export const backupStatus = () => call<BackupStatus>('backup_status');

/** Keeps the automatic backups' folder, whether they are made and how many are kept. */
export const saveBackupSettings = (settings: BackupSettings) => call<BackupStatus>('save_backup_settings', { settings });

/**
 * Writes a copy of the office to `path` (never over a file); with `passphrase`, one that
 * opens on another computer with it.
 */
export const backupNow = (path: string, passphrase: string | null) => call<BackupReport>('backup_now', { path, passphrase });

/** Writes a copy into the backup folder now, as the automatic copy does. */
export const backupToFolder = () => call<BackupStatus>('backup_to_folder');

/**
 * Replaces the office with the backup at `path` (its password, if it has one) and opens it
 * again; a bad backup leaves the office as it was.
 */
export const restoreBackup = (path: string, passphrase: string | null) => call<RestoreReport>('restore_backup', { path, passphrase });

/** Every territory, parents before children. */
export const territories = () => call<Array<TerritoryNode>>('territories');

/** One territory with its population by year. */
export const territory = (id: Id) => call<Territory>('territory', { id });

/** Adds a territory (no `id`) or changes one at revision `rev`. */
export const saveTerritory = (id: Id | null, rev: number | null, input: TerritoryInput) => call<Territory>('save_territory', { id, rev, input });

/** Deletes a territory nothing refers to. */
export const deleteTerritory = (id: Id) => call<null>('delete_territory', { id });

/** Every program. */
export const programs = () => call<Array<Program>>('programs');

/** One program. */
export const program = (id: Id) => call<Program>('program', { id });

/** Adds a program (no `id`) or changes one at revision `rev`. */
export const saveProgram = (id: Id | null, rev: number | null, input: ProgramInput) => call<Program>('save_program', { id, rev, input });

/** Deletes a program no initiative refers to. */
export const deleteProgram = (id: Id) => call<null>('delete_program', { id });

/** The dashboard figures for a program, year and territory. */
export const stats = (filter: StatsFilter) => call<Stats>('stats', { filter });

/** Initiatives, contacts and events matching `text`, best first (20 unless `limit`, at most 50). */
export const search = (text: string, limit: number | null) => call<Array<SearchHit>>('search', { text, limit });

/** A record's change history, oldest first. */
export const history = (id: Id) => call<Array<HistoryEntry>>('history', { id });

/**
 * Attaches a copy of the file at `path` to the record `id` (a project, event, contact or
 * appeal); its description travels to partners, its content when a package carries files.
 */
export const attachFile = (id: Id, path: string) => call<Attachment>('attach_file', { id, path });

/** The files attached to the record `id`. */
export const attachments = (id: Id) => call<Array<Attachment>>('attachments', { id });

/** A page of the initiatives list. */
export const listInitiatives = (query: InitiativeQuery) => call<Page<InitiativeRow>>('list_initiatives', { query });

/** One initiative with its stage history and the program rules it breaks. */
export const initiative = (id: Id) => call<Initiative>('initiative', { id });

/**
 * Adds an initiative (no `id`) or changes one at revision `rev`. A new initiative starts as an
 * idea today unless `stage` and `on` say otherwise (an application entered late).
 */
export const saveInitiative = (id: Id | null, rev: number | null, input: InitiativeInput, stage: Stage | null, on: NaiveDate | null) => call<Initiative>('save_initiative', { id, rev, input, stage, on });

/** What saving at `stage` (an idea unless given) would say, and each source's share, without saving. */
export const checkInitiative = (input: InitiativeInput, stage: Stage | null) => call<InitiativeCheck>('check_initiative', { input, stage });

/** Moves an initiative seen at revision `rev` to stage `to` on date `on`. */
export const changeStage = (id: Id, rev: number, to: Stage, on: NaiveDate, note: string | null) => call<Initiative>('change_stage', { id, rev, to, on, note });

/** Deletes an initiative (kept as a tombstone for sync). */
export const deleteInitiative = (id: Id) => call<null>('delete_initiative', { id });

/** A page of the contacts list. */
export const listContacts = (query: ContactQuery) => call<Page<ContactRow>>('list_contacts', { query });

/** One contact with roles, phones, e-mails and consents. */
export const contact = (id: Id) => call<Contact>('contact', { id });

/** Adds a contact (no `id`) or changes one at revision `rev`. */
export const saveContact = (id: Id | null, rev: number | null, input: ContactInput) => call<Contact>('save_contact', { id, rev, input });

/** Deletes a contact. */
export const deleteContact = (id: Id) => call<null>('delete_contact', { id });

/** Records a consent contact `id` gave. */
export const addConsent = (id: Id, input: ConsentInput) => call<Contact>('add_consent', { id, input });

/** Records that consent `id` was withdrawn on `on`. */
export const withdrawConsent = (id: Id, on: NaiveDate) => call<Contact>('withdraw_consent', { id, on });

/** The initiatives a contact put forward and the events they attended. */
export const contactActivity = (id: Id) => call<ContactActivity>('contact_activity', { id });

/** Merges `duplicate` into `keep` (seen at revision `rev`): one person entered twice. */
export const mergeContacts = (keep: Id, rev: number, duplicate: Id) => call<Contact>('merge_contacts', { keep, rev, duplicate });

/** Writes everything held about person `id` to `path`; the rows written. */
export const exportPerson = (id: Id, path: string) => call<number>('export_person', { id, path });

/** Erases person `id` on `request` and writes the act of destruction to `act`. */
export const erasePerson = (id: Id, request: ErasureRequest, act: string) => call<Erased>('erase_person', { id, request, act });

/** The erasure log, newest first. */
export const erasureLog = () => call<Array<ErasureLogEntry>>('erasure_log');

/** Writes the act of destruction of log entry `id` again, to `path`. */
export const erasureAct = (id: Id, path: string) => call<null>('erasure_act', { id, path });

/** A page of the events list. */
export const listEvents = (query: EventQuery) => call<Page<EventRow>>('list_events', { query });

/** One event with its attendees and linked initiatives. */
export const event = (id: Id) => call<Event>('event', { id });

/** Adds an event (no `id`) or changes one at revision `rev`. */
export const saveEvent = (id: Id | null, rev: number | null, input: EventInput) => call<Event>('save_event', { id, rev, input });

/** Deletes an event. */
export const deleteEvent = (id: Id) => call<null>('delete_event', { id });

/** Writes report `kind` for `request` to `path`, sending `progress` events as rows are written. */
export const exportReport = (kind: ReportKind, request: ReportRequest, path: string) => call<ReportSummary>('export_report', { kind, request, path });

/** Shows the file at `path` in the system's file manager. */
export const reveal = (path: string) => call<null>('reveal', { path });

/** The spreadsheet the app was started with (`mestno-app реестр.xlsx`), once; then null. */
export const takeOpenFile = () => call<string | null>('take_open_file');

/** Opens the file at `path` to import records of `kind`. */
export const importOpen = (path: string, kind: ImportKind) => call<ImportOpened>('import_open', { path, kind });

/** The mapping for another sheet of the open file. */
export const importSheet = (sheet: string) => call<Mapping>('import_sheet', { sheet });

/** Checks every row of the open file with `mapping`; writes nothing. */
export const importCheck = (mapping: Mapping) => call<ImportCheck>('import_check', { mapping });

/** Imports the checked rows in one transaction, sending `progress` events. */
export const importCommit = (skipBad: boolean) => call<ImportDone>('import_commit', { skipBad });

/** Saves the last check's problems as an .xlsx at `path`. */
export const importProblems = (path: string) => call<null>('import_problems', { path });

/** Closes the wizard's file without importing. */
export const importClose = () => call<null>('import_close');

/** This office's card code, the paired offices with what waits for each, open conflicts. */
export const syncStatus = () => call<SyncStatus>('sync_status');

/** Writes this office's pairing card to `path` (on first use, for `territory`). */
export const syncWriteCard = (territory: Id | null, path: string) => call<Written>('sync_write_card', { territory, path });

/**
 * Pairs with the office whose card is the file at `path`; `territory` is the one it answers
 * for here, if not its card's (a settlement's new office has no territories yet).
 */
export const syncPair = (path: string, territory: Id | null) => call<PartnerView>('sync_pair', { path, territory });

/**
 * Writes a package of what `partner` (replica id or office name) lacks to `path`; with
 * `files`, the content of the files waiting for it too (their size is in its status).
 */
export const syncExport = (partner: string, path: string, files: boolean) => call<Written>('sync_export', { partner, path, files });

/** Loads the package at `path` in one transaction; with `dryRun`, says what it would do. */
export const syncLoad = (path: string, dryRun: boolean) => call<Loaded>('sync_load', { path, dryRun });

/** The conflicts journal, newest first. */
export const syncConflicts = (openOnly: boolean) => call<Array<SyncConflict>>('sync_conflicts', { openOnly });

/** Takes the value the merge set aside (a change that travels like any other). */
export const syncTakeOther = (id: Id) => call<null>('sync_take_other', { id });

/** Leaves the value the merge kept, and closes the conflict. */
export const syncKeepValue = (id: Id) => call<null>('sync_keep_value', { id });

/** The shared server joined (if any), how often the window syncs by itself, the last sync. */
export const serverStatus = () => call<ServerStatus>('server_status');

/** Joins the server whose invitation file (.mestno-server) is at `path`. */
export const serverJoin = (path: string) => call<ServerStatus>('server_join', { path });

/** Leaves the server; what was synced stays. */
export const serverLeave = () => call<ServerStatus>('server_leave');

/** Syncs with the server now: sends what is new here, receives what is new there. */
export const serverSyncNow = () => call<ServerSyncReport>('server_sync_now');

/** Keeps how often the window syncs by itself, in minutes (none: only by hand). */
export const serverSaveAuto = (minutes: number | null) => call<ServerStatus>('server_save_auto', { minutes });

/** Where the office looks for updates, and whether it may look at each start. */
export const updateSettings = () => call<UpdateSettings>('update_settings');

/** Keeps the update address and the consent to look at start. */
export const saveUpdateSettings = (settings: UpdateSettings) => call<UpdateSettings>('save_update_settings', { settings });

/** Looks for a newer version at the office's address; offline, says «нет связи». */
export const checkUpdate = () => call<UpdateCheck>('check_update');

/** Downloads the version found, checks its signature and installs it, sending `progress` events. */
export const installUpdate = () => call<null>('install_update');

/** Starts the app again, on the version just installed. */
export const restartApp = () => call<null>('restart_app');
