// Provisional copies of the Rust types that cross IPC, read off crates/core and crates/reports.
// They give way to the generated ones in ../bindings/ (ts-rs) as soon as those land; the rest of
// the UI imports types from here only, so the switch happens in this one file.

/** Record id: a UUID string. */
export type Id = string;
/** chrono::NaiveDate: "YYYY-MM-DD". */
export type NaiveDate = string;
/** chrono::NaiveDateTime: "YYYY-MM-DDTHH:MM:SS". */
export type NaiveDateTime = string;
/** Whole kopecks (an i64 in Rust, always an integer here). */
export type Kopecks = number;
export type Cursor = string;
export type Lang = 'ru' | 'en';

export type Stage =
  | 'idea'
  | 'discussion'
  | 'application'
  | 'selected'
  | 'rejected'
  | 'implementation'
  | 'completed'
  | 'withdrawn';
export type ObjectType =
  | 'water_supply'
  | 'roads'
  | 'street_lighting'
  | 'landscaping'
  | 'culture'
  | 'sport'
  | 'playground'
  | 'fire_safety'
  | 'burial_places'
  | 'memorials'
  | 'other';
export type InitiatorKind =
  | 'resident'
  | 'village_elder'
  | 'tos'
  | 'initiative_group'
  | 'ngo'
  | 'business'
  | 'administration';
export type FundingSource = 'federal' | 'regional' | 'municipal' | 'residents' | 'business' | 'in_kind';
export type TerritoryKind =
  | 'region'
  | 'district'
  | 'municipal_okrug'
  | 'urban_okrug'
  | 'urban_settlement'
  | 'rural_settlement'
  | 'locality';
export type ProgramKind =
  | 'ppmi'
  | 'people_budget'
  | 'tos_contest'
  | 'civic_50_50'
  | 'comfortable_environment'
  | 'other';
export type ContactKind = 'person' | 'organisation';
export type Role =
  | 'resident'
  | 'village_elder'
  | 'tos_leader'
  | 'entrepreneur'
  | 'business'
  | 'ngo'
  | 'institution_head'
  | 'deputy'
  | 'official'
  | 'expert'
  | 'media';
export type ConsentMethod = 'written' | 'electronic' | 'oral';
export type EventKind =
  | 'citizens_gathering'
  | 'meeting'
  | 'public_hearing'
  | 'survey'
  | 'vote'
  | 'subbotnik'
  | 'seminar'
  | 'webinar'
  | 'strategy_session'
  | 'forum'
  | 'residents_meeting';
export type AttendeeRole = 'participant' | 'speaker' | 'organiser' | 'official' | 'expert' | 'initiator';
export type Entity =
  | 'territory'
  | 'program'
  | 'initiative'
  | 'contact'
  | 'event'
  | 'appeal'
  | 'consent'
  | 'attachment';
export type Op = 'create' | 'update' | 'delete' | 'stage';
export type Direction = 'asc' | 'desc';
export type ReportKind = 'registry' | 'funding' | 'engagement' | 'initiative' | 'contacts';
export type ErrorCode = 'invalid' | 'not_found' | 'ambiguous' | 'conflict' | 'refused' | 'storage' | 'io' | 'internal';

export interface Text {
  ru: string;
  en: string;
}
export interface FieldError {
  field: string;
  message: Text;
}
export interface AppError {
  code: ErrorCode;
  message: string;
  fields: FieldError[];
}

export interface Stamp {
  created_at: number;
  updated_at: number;
  updated_by: string;
  rev: number;
}

export interface Page<T> {
  items: T[];
  next: Cursor | null;
  total: number;
}

// --- office ------------------------------------------------------------------------------------

export interface AppInfo {
  version: string;
  db_path: string;
  office_name: string | null;
  empty: boolean;
  lang: Lang;
}
export interface OfficeSetup {
  office_name: string;
  territory: TerritoryInput;
}
export type DemoScale = 'small' | 'medium' | 'large';
export interface Progress {
  task: string;
  done: number;
  total: number;
}

// --- territories and programs ------------------------------------------------------------------

export interface Population {
  year: number;
  population: number;
}
export interface TerritoryInput {
  parent_id: Id | null;
  kind: TerritoryKind;
  name: string;
  oktmo: string;
  population: Population[];
}
export interface Territory extends TerritoryInput {
  id: Id;
  stamp: Stamp;
}
export interface TerritoryNode {
  id: Id;
  parent_id: Id | null;
  kind: TerritoryKind;
  name: string;
}

export interface CofinancingRules {
  min_residents_share_bp: number;
  min_business_share_bp: number;
  min_municipal_share_bp: number;
  max_subsidy_share_bp: number | null;
  max_subsidy_kopecks: Kopecks | null;
}
export interface ProgramCycle {
  year: number;
  applications_open: NaiveDate | null;
  applications_close: NaiveDate | null;
  fund_kopecks: Kopecks | null;
}
export interface ProgramInput {
  code: string;
  name: string;
  kind: ProgramKind;
  description: string;
  rules: CofinancingRules;
  cycles: ProgramCycle[];
}
export interface Program extends ProgramInput {
  id: Id;
  stamp: Stamp;
}

// --- initiatives -------------------------------------------------------------------------------

export interface Initiator {
  kind: InitiatorKind;
  name: string;
  contact_id: Id | null;
}
export interface BudgetLine {
  source: FundingSource;
  planned: Kopecks;
  actual: Kopecks;
  note: string;
}
export interface Implementation {
  contractor: string;
  contract_sum: Kopecks | null;
  contract_date: NaiveDate | null;
  start_date: NaiveDate | null;
  end_date: NaiveDate | null;
  percent_done: number;
}
export interface InitiativeInput {
  title: string;
  description: string;
  object_type: ObjectType;
  territory_id: Id;
  program_id: Id | null;
  year: number;
  initiator: Initiator;
  total_cost: Kopecks;
  budget: BudgetLine[];
  beneficiaries: number;
  supporters: number;
  votes: number;
  implementation: Implementation;
  results: string;
}
export interface StageChange {
  from: Stage | null;
  to: Stage;
  on: NaiveDate;
  note: string;
  recorded_at: number;
}
export interface Initiative extends InitiativeInput {
  id: Id;
  stage: Stage;
  stage_on: NaiveDate;
  stages: StageChange[];
  flags: FieldError[];
  stamp: Stamp;
}
export type InitiativeSort = 'title' | 'total_cost' | 'year' | 'updated';
export interface InitiativeQuery {
  program_id: Id | null;
  year: number | null;
  territory_id: Id | null;
  stages: Stage[];
  object_type: ObjectType | null;
  text: string | null;
  sort: InitiativeSort;
  direction: Direction;
  after: Cursor | null;
  limit: number;
}
export interface InitiativeRow {
  id: Id;
  title: string;
  object_type: ObjectType;
  stage: Stage;
  stage_on: NaiveDate;
  year: number;
  territory_id: Id;
  territory_name: string;
  program_code: string | null;
  total_cost: Kopecks;
  residents: Kopecks;
  beneficiaries: number;
  updated_at: number;
}
export interface SourceShare {
  source: FundingSource;
  planned: Kopecks;
  /** Share of the planned total, basis points (10 000 = 100 %); all add up to exactly 10 000. */
  share_bp: number;
}
export interface InitiativeCheck {
  shares: SourceShare[];
  planned_total: Kopecks;
  /** What stops the initiative from being saved at the stage asked. */
  errors: FieldError[];
  /** The program's rules it breaks (binding, and so also among errors, from the application on). */
  warnings: FieldError[];
}

// --- contacts ----------------------------------------------------------------------------------

export interface ContactInput {
  kind: ContactKind;
  last_name: string;
  first_name: string;
  middle_name: string;
  org_name: string;
  position: string;
  territory_id: Id | null;
  address: string;
  notes: string;
  roles: Role[];
  phones: string[];
  emails: string[];
  tags: string[];
}
export interface ConsentInput {
  purpose: string;
  given_on: NaiveDate;
  method: ConsentMethod;
  expires_on: NaiveDate | null;
}
export interface Consent extends ConsentInput {
  id: Id;
  withdrawn_on: NaiveDate | null;
}
export interface Contact extends ContactInput {
  id: Id;
  display_name: string;
  consents: Consent[];
  stamp: Stamp;
}
export type ContactSort = 'name' | 'updated';
export interface ContactQuery {
  role: Role | null;
  territory_id: Id | null;
  consent_on: NaiveDate | null;
  text: string | null;
  sort: ContactSort;
  direction: Direction;
  after: Cursor | null;
  limit: number;
}
export interface ContactRow {
  id: Id;
  kind: ContactKind;
  display_name: string;
  org_name: string;
  territory_name: string | null;
  phone: string | null;
  roles: Role[];
  updated_at: number;
}
export interface ContactInitiative {
  id: Id;
  title: string;
  year: number;
  stage: Stage;
}
export interface ContactEvent {
  id: Id;
  title: string;
  starts_at: NaiveDateTime;
  kind: EventKind;
  role: AttendeeRole;
}
export interface ContactActivity {
  initiatives: ContactInitiative[];
  events: ContactEvent[];
}

// --- events ------------------------------------------------------------------------------------

export interface Attendee {
  contact_id: Id;
  role: AttendeeRole;
}
export interface EventInput {
  kind: EventKind;
  title: string;
  starts_at: NaiveDateTime;
  ends_at: NaiveDateTime | null;
  place: string;
  territory_id: Id;
  headcount: number;
  attendees: Attendee[];
  initiative_ids: Id[];
  outcome: string;
  minutes: string;
}
export interface Event extends EventInput {
  id: Id;
  stamp: Stamp;
}
export type EventSort = 'starts_at' | 'title';
export interface EventQuery {
  kind: EventKind | null;
  territory_id: Id | null;
  from: NaiveDateTime | null;
  until: NaiveDateTime | null;
  initiative_id: Id | null;
  contact_id: Id | null;
  text: string | null;
  sort: EventSort;
  direction: Direction;
  after: Cursor | null;
  limit: number;
}
export interface EventRow {
  id: Id;
  kind: EventKind;
  title: string;
  starts_at: NaiveDateTime;
  place: string;
  territory_name: string;
  headcount: number;
  named: number;
}

// --- dashboard, search, history, reports -------------------------------------------------------

export interface StatsFilter {
  program_id: Id | null;
  year: number | null;
  territory_id: Id | null;
}
export interface Funds {
  federal: number;
  regional: number;
  municipal: number;
  residents: number;
  business: number;
  in_kind: number;
}
export interface Stats {
  initiatives: number;
  initiatives_by_stage: { [key in Stage]?: number };
  funds_kopecks: Funds;
  funds_total_kopecks: number;
  budget_kopecks: number;
  extra_budgetary_kopecks: number;
  funds_actual_kopecks: Funds;
  events: number;
  events_by_type: { [key in EventKind]?: number };
  participants: number;
  unique_people: number;
  population: number;
  engagement_share: number;
  beneficiaries: number;
  votes: number;
}
export interface SearchHit {
  entity: Entity;
  id: Id;
  title: string;
  snippet: string;
  rank: number;
}
export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export interface HistoryEntry {
  op: Op;
  at: number;
  device: string;
  actor: string;
  changes: JsonValue;
}
export interface ReportRequest {
  program_id: Id | null;
  year: number | null;
  territory_id: Id | null;
  initiative_id: Id | null;
}
export interface ReportSummary {
  kind: ReportKind;
  path: string;
  rows: number;
  withheld: number;
}
