// The fake backend's data: plain arrays, with the helpers every command shares (ids, the
// clock, errors worded like the core's, history, keyset pages).

import { ENTITIES } from '../codes';
import type {
  AppError,
  AppInfo,
  Contact,
  Entity,
  ErasureLogEntry,
  Event,
  FieldError,
  HistoryEntry,
  Initiative,
  Lang,
  Op,
  Page,
  Program,
  Territory,
} from '../types';

/** A history entry's `{field: {old, new}}`. */
type Changes = HistoryEntry['changes'];

export interface Db {
  info: AppInfo;
  territories: Territory[];
  programs: Program[];
  initiatives: Initiative[];
  contacts: Contact[];
  events: Event[];
  history: Map<string, HistoryEntry[]>;
  /** The erasure log (152-ФЗ), newest first. */
  erasures: ErasureLogEntry[];
  /** Fake time, ms; moves a second per change so histories keep their order. */
  clock: number;
}

export function newDb(): Db {
  return {
    info: { version: '0.1.0-mock', db_path: '/tmp/mestno-mock.sqlite', office_name: null, empty: true, lang: 'ru' },
    territories: [],
    programs: [],
    initiatives: [],
    contacts: [],
    events: [],
    history: new Map(),
    erasures: [],
    clock: Date.UTC(2025, 4, 15, 9, 0, 0),
  };
}

let counter = 0;
/** Ids shaped like UUIDv7: they sort by creation. */
export function newId(): string {
  counter += 1;
  const hex = counter.toString(16).padStart(12, '0');
  return `0190${hex.slice(0, 4)}-${hex.slice(4, 8)}-7000-8000-${hex.slice(8).padStart(12, '0')}`;
}

export function tick(db: Db): number {
  db.clock += 1000;
  return db.clock;
}

export function fail(code: AppError['code'], message: string, fields: FieldError[] = []): never {
  const e: AppError = { code, message, fields };
  throw e;
}

/** Collects broken rules, then fails with all of them at once, as the core does. */
export class Problems {
  list: FieldError[] = [];
  push(field: string, ru: string, en: string): void {
    this.list.push({ field, message: { ru, en } });
  }
  blank(field: string, value: string, ru: string, en: string): void {
    if (!value.trim()) this.push(field, `укажите ${ru}`, `enter the ${en}`);
  }
  /** The core's summary: a head line, then each broken rule with its field. */
  check(lang: Lang): void {
    if (this.list.length) {
      const head = lang === 'ru' ? 'данные не сохранены, исправьте ошибки' : 'nothing was saved; fix these errors';
      const lines = this.list.map((e) => `\n  • ${e.field}: ${e.message[lang]}`).join('');
      fail('invalid', `${head}:${lines}`, this.list);
    }
  }
}

/** The core's `Entity::not_found`: Russian with the gender right, English with a colon. */
const NOT_FOUND: Record<Entity, string> = {
  territory: 'не найдена территория',
  program: 'не найдена программа',
  initiative: 'не найден проект',
  contact: 'не найден контакт',
  event: 'не найдено мероприятие',
  appeal: 'не найдено обращение',
  consent: 'не найдено согласие',
  attachment: 'не найден файл',
};

/** «не найден проект «id»», as the core says it. */
export function notFound(lang: Lang, entity: Entity, key: string): never {
  return fail('not_found', lang === 'ru' ? `${NOT_FOUND[entity]} «${key}»` : `no such ${entity}: «${key}»`);
}

function entityName(entity: Entity, lang: Lang): string {
  return ENTITIES.find((e) => e.code === entity)?.[lang] ?? entity;
}

export function conflict(lang: Lang, entity: Entity): never {
  return fail(
    'conflict',
    lang === 'ru'
      ? `${entityName(entity, 'ru')} изменён(а) другим пользователем или на другом устройстве; откройте запись заново`
      : `the ${entityName(entity, 'en')} was changed by someone else or on another device; open it again`,
  );
}

export function record(db: Db, id: string, op: Op, changes: Changes): void {
  const list = db.history.get(id) ?? [];
  list.push({ op, at: tick(db), device: 'mock', actor: 'Специалист офиса', changes });
  db.history.set(id, list);
}

/** The fields that differ, as `{old, new}` (a field the old version lacks was null). */
export function diff(old: object, neu: object): Changes {
  const out: Changes = {};
  const o = old as Record<string, unknown>;
  for (const [k, v] of Object.entries(neu)) {
    if (JSON.stringify(o[k]) !== JSON.stringify(v)) out[k] = { old: o[k] ?? null, new: v };
  }
  return out;
}

/** Every field of a new record as `{new}`, or of a deleted one as `{old}`, as the core records them. */
export function created(record: object): Changes {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, { new: v }]));
}
export function deleted(record: object): Changes {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, { old: v }]));
}

/** «Ёлкино» and «елкино» are the same word to search. */
export function fold(s: string): string {
  return s.toLowerCase().replace(/ё/g, 'е');
}

/** Every word of the query starts a word of the text. */
export function matches(text: string, query: string | null): boolean {
  if (!query) return true;
  const words = fold(text).split(/[^\p{L}\p{N}]+/u);
  return fold(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .every((q) => words.some((w) => w.startsWith(q)));
}

/** A keyset page over rows sorted by (key, id); the cursor names the last row's key and id. */
export function page<T extends { id: string }>(
  rows: T[],
  key: (r: T) => string | number,
  direction: 'asc' | 'desc',
  after: string | null,
  limit: number,
): Page<T> {
  const sign = direction === 'asc' ? 1 : -1;
  const cmp = (a: [string | number, string], b: [string | number, string]) =>
    (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) * sign;
  const keyed = rows.map((r) => ({ r, k: [key(r), r.id] as [string | number, string] }));
  keyed.sort((a, b) => cmp(a.k, b.k));
  let start = 0;
  if (after) {
    const pos = JSON.parse(after) as [string | number, string];
    start = keyed.findIndex((x) => cmp(x.k, pos) > 0);
    if (start < 0) start = keyed.length;
  }
  const n = Math.min(Math.max(limit || 100, 1), 500);
  const items = keyed.slice(start, start + n);
  const last = items[items.length - 1];
  const next = start + n < keyed.length && last ? JSON.stringify(last.k) : null;
  return { items: items.map((x) => x.r), next, total: rows.length };
}

/** A territory and everything under it. */
export function subtree(db: Db, id: string | null): Set<string> | null {
  if (!id) return null;
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of db.territories) {
      if (t.parent_id && out.has(t.parent_id) && !out.has(t.id)) {
        out.add(t.id);
        grew = true;
      }
    }
  }
  return out;
}

export function stamp(db: Db, rev = 1) {
  const now = tick(db);
  return { created_at: now, updated_at: now, updated_by: 'mock', rev };
}

export function bump(db: Db, entity: Entity, s: { created_at: number; rev: number }, rev: number | null) {
  if (rev !== s.rev) conflict(db.info.lang, entity);
  return { created_at: s.created_at, updated_at: tick(db), updated_by: 'mock', rev: s.rev + 1 };
}
