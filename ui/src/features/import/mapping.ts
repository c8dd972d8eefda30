// The import wizard's own logic: the mapping as its table edits it (one row per column of the
// sheet), the defaults a kind of records can use, and what to warn about before the check.

import type {
  Defaults,
  ImportField,
  ImportKind,
  Mapping,
  MoneyUnit,
  SheetSummary,
  TerritoryNode,
} from '../../ipc/types';
import { IMPORT_MANY_FIELDS, IMPORT_MONEY_FIELDS } from '../../ipc/codes';

/** Fields several columns may feed, and fields holding money: as the core says (generated). */
export const MANY_COLUMNS = IMPORT_MANY_FIELDS;
export const MONEY_FIELDS = IMPORT_MONEY_FIELDS;

export const MONEY_UNITS: readonly MoneyUnit[] = ['rubles', 'thousands', 'millions'];

export function isMoney(field: ImportField | null): boolean {
  return field !== null && MONEY_FIELDS.includes(field);
}

/** The defaults that mean something for a kind of records, in the order the wizard shows them. */
export const DEFAULTS_FOR: Readonly<Record<ImportKind, readonly (keyof Defaults)[]>> = {
  contacts: ['territory', 'role', 'consent_purpose'],
  initiatives: ['territory', 'program', 'year', 'stage', 'object_type'],
  events: ['territory', 'event_kind'],
};

export function noDefaults(): Defaults {
  return {
    territory: null,
    program: null,
    year: null,
    stage: null,
    object_type: null,
    event_kind: null,
    role: null,
    consent_purpose: null,
  };
}

/** `d` with only the defaults `kind` uses; blank texts are no default. */
export function defaultsFor(kind: ImportKind, d: Defaults): Defaults {
  const out = noDefaults();
  const keep = DEFAULTS_FOR[kind];
  const text = (s: string | null) => (s && s.trim() ? s.trim() : null);
  if (keep.includes('territory')) out.territory = text(d.territory);
  if (keep.includes('program')) out.program = text(d.program);
  if (keep.includes('year')) out.year = d.year;
  if (keep.includes('stage')) out.stage = d.stage;
  if (keep.includes('object_type')) out.object_type = d.object_type;
  if (keep.includes('event_kind')) out.event_kind = d.event_kind;
  if (keep.includes('role')) out.role = d.role;
  if (keep.includes('consent_purpose')) out.consent_purpose = text(d.consent_purpose);
  return out;
}

/** One row of the mapping table: a column of the sheet and the field it feeds. */
export interface ColumnChoice {
  index: number;
  letter: string;
  heading: string;
  hidden: boolean;
  /** null: the column is not loaded. */
  field: ImportField | null;
  /** For money fields. */
  unit: MoneyUnit;
}

/**
 * The sheet's columns with the fields `mapping` gives them. The backend spells a mapping out
 * for the sheet, one entry per column by letter; a column it leaves out (no heading, nothing
 * guessed) is not loaded.
 */
export function choicesFor(sheet: SheetSummary, mapping: Mapping): ColumnChoice[] {
  return sheet.columns.map((c) => {
    const m = mapping.columns.find((x) => x.column === c.letter);
    const field = m ? m.field : null;
    return { index: c.index, letter: c.letter, heading: c.heading, hidden: c.hidden, field, unit: m?.unit ?? c.unit };
  });
}

/**
 * The mapping to check: every column named by heading and letter with its field (null: ignored),
 * so nothing is left for the backend to guess, only the defaults the kind uses, and whether the
 * territories the file names that the office lacks are to be created with the import.
 */
export function buildMapping(
  kind: ImportKind,
  sheet: string,
  headerRow: number | null,
  columns: readonly ColumnChoice[],
  defaults: Defaults,
  createTerritories = false,
): Mapping {
  return {
    kind,
    sheet,
    header_row: headerRow,
    columns: columns.map((c) => ({
      heading: c.heading,
      column: c.letter,
      field: c.field,
      unit: isMoney(c.field) ? c.unit : null,
    })),
    defaults: defaultsFor(kind, defaults),
    create_territories: createTerritories,
  };
}

/** Fields that take one column but are chosen for several, in the order they first appear. */
export function repeatedFields(columns: readonly { field: ImportField | null }[]): ImportField[] {
  const seen = new Set<ImportField>();
  const out: ImportField[] = [];
  for (const { field } of columns) {
    if (field === null || MANY_COLUMNS.includes(field)) continue;
    if (seen.has(field) && !out.includes(field)) out.push(field);
    seen.add(field);
  }
  return out;
}

/** The first non-empty values of a column in the sheet's preview. */
export function firstValues(sheet: SheetSummary, index: number, n = 3): string[] {
  const out: string[] = [];
  for (const row of sheet.preview) {
    const v = row.cells[index]?.trim();
    if (v) out.push(v);
    if (out.length >= n) break;
  }
  return out;
}

/** A default territory travels by name; the tree select works with ids. */
export function territoryByName(nodes: readonly TerritoryNode[], name: string | null): string | null {
  if (!name) return null;
  const key = name.trim().toLowerCase();
  return nodes.find((n) => n.name.trim().toLowerCase() === key)?.id ?? null;
}

/** Whether another territory has the same name as `id` (the backend then cannot tell which is meant). */
export function nameIsShared(nodes: readonly TerritoryNode[], id: string | null): boolean {
  const node = nodes.find((n) => n.id === id);
  if (!node) return false;
  const key = node.name.trim().toLowerCase();
  return nodes.some((n) => n.id !== node.id && n.name.trim().toLowerCase() === key);
}

/** The file name the save dialog proposes for the problems: «Ошибки загрузки — Старосты.xlsx». */
export function problemsFileName(file: string, prefix: string): string {
  const stem = file.replace(/\.[^.]+$/, '');
  // eslint-disable-next-line no-control-regex
  const name = `${prefix} — ${stem}`.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return `${name}.xlsx`;
}
