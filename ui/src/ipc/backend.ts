// Every command of the Rust shell, one typed function each. The only place that calls invoke().

import { invoke } from '@tauri-apps/api/core';
import { BackendError, toAppError } from './errors';
import type {
  AppInfo,
  ConsentInput,
  Contact,
  ContactActivity,
  ContactInput,
  ContactQuery,
  ContactRow,
  DemoScale,
  Event,
  EventInput,
  EventQuery,
  EventRow,
  Erased,
  ErasureLogEntry,
  ErasureRequest,
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
  Mapping,
  NaiveDate,
  OfficeSetup,
  Page,
  Program,
  ProgramInput,
  ReportKind,
  ReportRequest,
  ReportSummary,
  SearchHit,
  Stage,
  Stats,
  StatsFilter,
  Territory,
  TerritoryInput,
  TerritoryNode,
} from './types';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw new BackendError(toAppError(e));
  }
}

/** Where a save goes: a new record (id null) or an update of the revision the form loaded. */
export interface Target {
  id: Id | null;
  rev: number | null;
}

// office
export const appInfo = () => call<AppInfo>('app_info');
/** Opens the office with its password; with `null`, tries the system's password store again. */
export const unlockOffice = (passphrase: string | null) => call<AppInfo>('unlock_office', { passphrase });
export const setupOffice = (input: OfficeSetup) => call<AppInfo>('setup_office', { input });
export const loadDemo = (scale: DemoScale) => call<AppInfo>('load_demo', { scale });
export const setLang = (lang: Lang) => call<null>('set_lang', { lang });

// territories and programs
export const territories = () => call<TerritoryNode[]>('territories');
export const territory = (id: Id) => call<Territory>('territory', { id });
export const saveTerritory = (t: Target, input: TerritoryInput) =>
  call<Territory>('save_territory', { id: t.id, rev: t.rev, input });
export const deleteTerritory = (id: Id) => call<null>('delete_territory', { id });
export const programs = () => call<Program[]>('programs');
export const program = (id: Id) => call<Program>('program', { id });
export const saveProgram = (t: Target, input: ProgramInput) =>
  call<Program>('save_program', { id: t.id, rev: t.rev, input });
export const deleteProgram = (id: Id) => call<null>('delete_program', { id });

// dashboard and search
export const stats = (filter: StatsFilter) => call<Stats>('stats', { filter });
export const search = (text: string, limit: number) => call<SearchHit[]>('search', { text, limit });
export const history = (id: Id) => call<HistoryEntry[]>('history', { id });

// initiatives
export const listInitiatives = (query: InitiativeQuery) =>
  call<Page<InitiativeRow>>('list_initiatives', { query });
export const initiative = (id: Id) => call<Initiative>('initiative', { id });
/** A new initiative starts as an idea today unless `start` says otherwise (an application entered late). */
export const saveInitiative = (t: Target, input: InitiativeInput, start?: { stage: Stage; on: NaiveDate }) =>
  call<Initiative>('save_initiative', { id: t.id, rev: t.rev, input, stage: start?.stage ?? null, on: start?.on ?? null });
/** What saving at `stage` would say, and each source's share, without saving. */
export const checkInitiative = (input: InitiativeInput, stage: Stage) =>
  call<InitiativeCheck>('check_initiative', { input, stage });
export const changeStage = (id: Id, rev: number, to: Stage, on: NaiveDate, note: string) =>
  call<Initiative>('change_stage', { id, rev, to, on, note });
export const deleteInitiative = (id: Id) => call<null>('delete_initiative', { id });

// contacts
export const listContacts = (query: ContactQuery) => call<Page<ContactRow>>('list_contacts', { query });
export const contact = (id: Id) => call<Contact>('contact', { id });
export const saveContact = (t: Target, input: ContactInput) =>
  call<Contact>('save_contact', { id: t.id, rev: t.rev, input });
export const deleteContact = (id: Id) => call<null>('delete_contact', { id });
export const addConsent = (id: Id, input: ConsentInput) => call<Contact>('add_consent', { id, input });
export const withdrawConsent = (consentId: Id, on: NaiveDate) =>
  call<Contact>('withdraw_consent', { id: consentId, on });
export const contactActivity = (id: Id) => call<ContactActivity>('contact_activity', { id });
/** Merges `duplicate` into `keep` (seen at revision `rev`): one person entered twice. */
export const mergeContacts = (keep: Id, rev: number, duplicate: Id) =>
  call<Contact>('merge_contacts', { keep, rev, duplicate });

// a resident's requests under 152-ФЗ
/** Writes everything held about person `id` to `path`; the rows written. */
export const exportPerson = (id: Id, path: string) => call<number>('export_person', { id, path });
/** Erases person `id` on `request` and writes the act of destruction to `act`. */
export const erasePerson = (id: Id, request: ErasureRequest, act: string) =>
  call<Erased>('erase_person', { id, request, act });
export const erasureLog = () => call<ErasureLogEntry[]>('erasure_log');
export const erasureAct = (id: Id, path: string) => call<null>('erasure_act', { id, path });

// events
export const listEvents = (query: EventQuery) => call<Page<EventRow>>('list_events', { query });
export const event = (id: Id) => call<Event>('event', { id });
export const saveEvent = (t: Target, input: EventInput) => call<Event>('save_event', { id: t.id, rev: t.rev, input });
export const deleteEvent = (id: Id) => call<null>('delete_event', { id });

// reports
export const exportReport = (kind: ReportKind, request: ReportRequest, path: string) =>
  call<ReportSummary>('export_report', { kind, request, path });
export const reveal = (path: string) => call<null>('reveal', { path });

// import wizard: open → (another sheet) → check → commit, or close
/** The spreadsheet the app was started with (`mestno-app реестр.xlsx`), once; then null. */
export const takeOpenFile = () => call<string | null>('take_open_file');
export const importOpen = (path: string, kind: ImportKind) => call<ImportOpened>('import_open', { path, kind });
export const importSheet = (sheet: string) => call<Mapping>('import_sheet', { sheet });
export const importCheck = (mapping: Mapping) => call<ImportCheck>('import_check', { mapping });
export const importCommit = (skipBad: boolean) => call<ImportDone>('import_commit', { skipBad });
/** Saves the last check's problems as an .xlsx at `path`. */
export const importProblems = (path: string) => call<null>('import_problems', { path });
export const importClose = () => call<null>('import_close');
