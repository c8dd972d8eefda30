// What the «Обмен данными» screen works out: the names the save dialogs propose, a file's size,
// what a package would do (per kind of record), and the conflicts journal as people read it.
import { ENTITIES, FUNDING_SOURCES, IMPORT_FIELDS, type Coded } from '../../ipc/codes';
import type { Applied, Lang, SyncStatus, TerritoryNode } from '../../ipc/types';
import { formatDate, formatTimestamp } from '../../lib/dates';
import { formatKopecks } from '../../lib/money';

/** `parts` joined into a file name safe on Windows, macOS and Linux alike. */
function safeName(parts: string[]): string {
  // Control characters, too, are refused by Windows in file names.
  // eslint-disable-next-line no-control-regex
  return parts.join('-').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** «Mestno-Проектный офис Абанского района.mestno-pair»: this office's card. */
export function cardFileName(office: string): string {
  return `${safeName(['Mestno', office.trim() || 'office'])}.mestno-pair`;
}

/** «Mestno-Администрация с. Берёзовка-2025-06-16.mestno-sync»: a package for `office`, made on `day`. */
export function packageFileName(office: string, day: string): string {
  return `${safeName(['Mestno', office.trim() || 'office', day])}.mestno-sync`;
}

/** The file a path names, whichever the separator. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** Bytes as people read a file's size: «812 Б», «14,2 КБ», «3,1 МБ». */
export function formatBytes(bytes: number, lang: Lang): string {
  const units = lang === 'ru' ? ['Б', 'КБ', 'МБ', 'ГБ'] : ['B', 'KB', 'MB', 'GB'];
  let n = bytes;
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  const digits = unit === 0 ? 0 : 1;
  const text = new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
  return `${text}\u00a0${units[unit]}`;
}

/** One kind of record in a package's preview. */
export interface KindCounts {
  kind: string;
  added: number;
  changed: number;
  deleted: number;
}

/** What a package adds, changes and deletes, per kind of record, in the order the app lists kinds. */
export function kindCounts(applied: Applied): KindCounts[] {
  const kinds = new Set([...Object.keys(applied.added), ...Object.keys(applied.changed), ...Object.keys(applied.deleted)]);
  const order = (k: string) => {
    const i = ENTITIES.findIndex((e) => e.code === k);
    return i < 0 ? ENTITIES.length : i;
  };
  return [...kinds]
    .map((kind) => ({ kind, added: applied.added[kind] ?? 0, changed: applied.changed[kind] ?? 0, deleted: applied.deleted[kind] ?? 0 }))
    .filter((c) => c.added + c.changed + c.deleted > 0)
    .sort((a, b) => order(a.kind) - order(b.kind) || a.kind.localeCompare(b.kind));
}

/** The name of a kind of record, or the code itself for one the app does not name. */
export function kindName(kind: string, lang: Lang): string {
  return ENTITIES.find((e) => e.code === kind)?.[lang] ?? kind;
}

/** Whether the office must say which territory it answers for before its first card. */
export function needsTerritory(status: SyncStatus | null, territories: readonly TerritoryNode[]): boolean {
  return !!status && status.code == null && territories.filter((t) => t.parent_id == null).length > 1;
}

/** Who made a value: «Иванова Н. П. (Администрация с. Берёзовка)», this office named as such. */
export function author(actor: string, replica: string, status: SyncStatus | null, here: string): string {
  const office = replica === status?.replica ? here : (status?.partners.find((p) => p.replica === replica)?.office ?? '');
  if (!office) return actor;
  return actor ? `${actor} (${office})` : office;
}

/** When a value was made: local date and time. */
export function when(ms: number, lang: Lang): string {
  return ms > 0 ? formatTimestamp(ms, lang) : '';
}

const FIELDS: Record<string, Coded<string>> = Object.fromEntries(
  Object.values(IMPORT_FIELDS)
    .flat()
    .map((f) => [f.code, f as Coded<string>]),
);

const OWN_FIELDS: Record<string, { ru: string; en: string }> = {
  '*': { ru: 'запись целиком', en: 'the whole record' },
  name: { ru: 'наименование', en: 'name' },
  kind: { ru: 'вид', en: 'kind' },
  parent_id: { ru: 'входит в', en: 'part of' },
  territory_id: { ru: 'территория', en: 'territory' },
  program_id: { ru: 'программа', en: 'program' },
  population: { ru: 'население', en: 'population' },
  oktmo: { ru: 'ОКТМО', en: 'OKTMO' },
  budget: { ru: 'бюджет', en: 'budget' },
  attendees: { ru: 'участники', en: 'attendees' },
  phones: { ru: 'телефоны', en: 'phones' },
  emails: { ru: 'эл. почта', en: 'e-mail' },
  roles: { ru: 'роли', en: 'roles' },
  implementation: { ru: 'реализация', en: 'implementation' },
  starts_at: { ru: 'начало', en: 'starts' },
  source: { ru: 'источник', en: 'source' },
  planned: { ru: 'план', en: 'planned' },
  actual: { ru: 'факт', en: 'actual' },
  note: { ru: 'примечание', en: 'note' },
};

/** A journal field as people read it: «наименование», «бюджет: краевой / областной бюджет». */
export function fieldName(field: string, lang: Lang): string {
  const [head = field, tail] = field.split(/\.(.*)/s);
  const name = OWN_FIELDS[head]?.[lang] ?? FIELDS[head]?.[lang] ?? head;
  if (tail === undefined) return name;
  const part = FUNDING_SOURCES.find((s) => s.code === tail)?.[lang] ?? tail;
  return `${name}: ${part}`;
}

const MONEY = /(^|_)(cost|sum|planned|actual)$/;

/** A value of the journal as text: money in roubles, dates as dates, lists and records shortened. */
export function formatValue(value: unknown, field: string, lang: Lang, names: (id: string) => string = () => ''): string {
  if (value === null || value === undefined || value === '') return '—';
  const key = field.split('.').pop() ?? field;
  if (typeof value === 'number') return MONEY.test(key) ? formatKopecks(value, lang) : String(value);
  if (typeof value === 'boolean') return value ? (lang === 'ru' ? 'да' : 'yes') : lang === 'ru' ? 'нет' : 'no';
  if (typeof value === 'string') {
    if (key.endsWith('_id')) return names(value) || value;
    if (key === 'source') return FUNDING_SOURCES.find((s) => s.code === value)?.[lang] ?? value;
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value, lang) : value;
  }
  if (Array.isArray(value)) return value.length ? value.map((v) => formatValue(v, field, lang, names)).join('; ') : '—';
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== '' && !(Array.isArray(v) && !v.length));
  return entries.map(([k, v]) => `${fieldName(k, lang)}: ${formatValue(v, k, lang, names)}`).join(', ') || '—';
}
