// The fake import wizard. The mocked open dialog hands out a path; a few built-in "files" answer
// to their names (a list of village elders, an empty CSV, a damaged workbook, a Word document),
// read and checked the way the import crate does it: the header found under the title rows,
// columns guessed from their headings, a mapping spelled out per sheet and remembered per kind
// after an import, every problem with its sheet, row, column and reason, contacts matched by
// phone, e-mail or name and settlement, and the import all or nothing unless bad rows are
// skipped. Only contact lists become records; rows of initiatives or events are refused.
// Settlements the office lacks are listed for creating with the import (found by name only,
// case, «ё» and type words aside); without that, the contact keeps the name in its address.

import { IMPORT_FIELDS, IMPORT_MANY_FIELDS, IMPORT_MONEY_FIELDS, ROLES } from '../codes';
import type {
  ColumnMapping,
  ColumnSummary,
  ConsentInput,
  ContactInput,
  Duplicate,
  ImportCheck,
  ImportDone,
  ImportField,
  ImportFormat,
  ImportKind,
  ImportOpened,
  Lang,
  Mapping,
  MergeCandidate,
  MoneyUnit,
  PlannedColumn,
  PlannedTerritory,
  Problem,
  SheetSummary,
  Skipped,
  TerritoryInput,
  Text,
  Workbook,
} from '../types';
import { noDefaults } from '../../features/import/mapping';
import { fail, fold, type Db } from './db';
import { saveTerritory } from './office';
import { addConsent, normalizePhone, saveContact } from './people';

interface SampleSheet {
  name: string;
  hidden: boolean;
  rows: string[][];
  hiddenColumns?: number[];
}
interface SampleFile {
  format: ImportFormat;
  sheets: SampleSheet[];
}

/** The file the mocked open dialog picks unless a test names another. */
export const SAMPLE_PATH = '/home/office/Документы/Старосты.xlsx';

const ELDERS = [
  ['ФИО', 'Телефон', 'Населённый пункт', 'Примечание'],
  ['Григорьева Нина Павловна', '8 (913) 555-01-01', 'Берёзовка', 'председатель ТОС «Берёзка»'],
  ['Тарасов Олег Викторович', 'позвонить в сельсовет', 'Ивановка', ''],
  ['Фомина Светлана Игоревна', '+7 913 555 03 03', 'с. Покровка', 'избрана в 2025 году'],
];

const FILES: Record<string, SampleFile> = {
  'Старосты.xlsx': {
    format: { format: 'xlsx' },
    sheets: [
      {
        name: 'Старосты',
        hidden: false,
        rows: [['Список сельских старост Абанского района на 01.05.2025'], [], ...ELDERS, ['Всего: 3 старосты']],
      },
      { name: 'Архив 2023', hidden: true, rows: [['ФИО', 'Телефон'], ['Лаптев Андрей Сергеевич', '8 913 555 09 09']] },
      { name: 'Пояснения', hidden: false, rows: [['Список ведёт специалист администрации.']] },
    ],
  },
  'Старосты.csv': {
    format: { format: 'csv', encoding: 'windows-1251', delimiter: ';' },
    sheets: [{ name: 'Старосты', hidden: false, rows: ELDERS }],
  },
  // A village the office has not entered yet, named twice, as offices write it.
  'Реестр старост.xlsx': {
    format: { format: 'xlsx' },
    sheets: [
      {
        name: 'Реестр',
        hidden: false,
        rows: [
          ['Реестр сельских старост'],
          ['ФИО', 'Телефон', 'Населённый пункт', 'Адрес'],
          ['Власова Мария Ивановна', '8 913 555 11 11', 'д. Степановка', 'ул. Лесная, 3'],
          ['Кудрявцев Пётр Ильич', '8 913 555 22 22', 'Ивановка', ''],
          ['Орлов Илья Сергеевич', '8 913 555 33 33', 'дер. Степановка', ''],
        ],
      },
    ],
  },
};

type Field = ImportField;

/** Fields several columns may feed, and money fields, as the crate has them (generated). */
const MANY = IMPORT_MANY_FIELDS;
const MONEY = IMPORT_MONEY_FIELDS;
const NUMERIC: readonly Field[] = [...MONEY, 'beneficiaries', 'supporters', 'votes', 'headcount'];

/** Headings by the stems of their words (a few of the crate's aliases). */
const ALIASES: Partial<Record<Field, string[][]>> = {
  full_name: [['фио'], ['ф', 'и', 'о'], ['фамил', 'имя', 'отчеств'], ['фамил', 'имя'], ['контактн', 'лицо']],
  last_name: [['фамил']],
  first_name: [['имя']],
  middle_name: [['отчеств']],
  org_name: [['организац'], ['мест', 'работ'], ['учрежден']],
  position: [['должност']],
  role: [['рол'], ['статус'], ['категор']],
  territory: [['населен', 'пункт'], ['нас', 'пункт'], ['поселен'], ['территор']],
  district: [['район'], ['округ']],
  address: [['адрес']],
  phone: [['телефон'], ['тел'], ['моб'], ['сотов']],
  email: [['email'], ['e', 'mail'], ['эл', 'почт'], ['электрон', 'почт']],
  tags: [['тег'], ['метк']],
  notes: [['примечан'], ['комментар'], ['заметк']],
  consent_on: [['согласи']],
  title: [['наименован', 'проект'], ['наименован'], ['название']],
  year: [['год']],
  total_cost: [['общ', 'стоимост'], ['стоимост']],
  date: [['дата']],
  event_kind: [['вид', 'мероприят']],
  place: [['место']],
  headcount: [['число', 'участник'], ['количеств', 'участник']],
};

const words = (s: string) => fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** Every stem begins a different word of the heading. */
function fits(alias: string[], heading: string[]): boolean {
  const used = new Set<number>();
  return alias.every((stem) => {
    const i = heading.findIndex((w, n) => !used.has(n) && w.startsWith(stem));
    if (i < 0) return false;
    used.add(i);
    return true;
  });
}

/** The field a heading names, and how sure: more words, then more letters. */
function bestField(kind: ImportKind, heading: string): [Field, number] | null {
  const w = words(heading);
  let best: [Field, number] | null = null;
  for (const { code } of IMPORT_FIELDS[kind]) {
    for (const alias of ALIASES[code] ?? []) {
      if (!fits(alias, w)) continue;
      const score = alias.length * 100 + alias.join('').length;
      if (!best || score > best[1]) best = [code, score];
    }
  }
  return best;
}

export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function letterIndex(letter: string): number | null {
  const l = letter.trim().toUpperCase();
  if (!/^[A-Z]{1,3}$/.test(l)) return null;
  return [...l].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
}

const unitOf = (heading: string): MoneyUnit => {
  const f = fold(heading);
  return /млн/.test(f) ? 'millions' : /тыс/.test(f) ? 'thousands' : 'rubles';
};
const isTotals = (cell: string) => ['итого', 'итог', 'всего', 'total', 'итоги'].includes(words(cell)[0] ?? '');
const blank = (row: string[] | undefined) => !row || row.every((c) => !c.trim());
const shorten = (s: string) => (s.length > 60 ? `${s.slice(0, 59)}…` : s);

interface Header {
  /** 0-based row of the headings. */
  row: number;
  names: string[];
  recognised: number;
}

/** The row of the first ten with the most headings recognised (then the most cells filled). */
function detect(sheet: SampleSheet, kind: ImportKind): Header | null {
  let best: Header | null = null;
  let bestRank = 0;
  for (const [row, cells] of sheet.rows.slice(0, 10).entries()) {
    const recognised = cells.filter((c) => c.trim() && bestField(kind, c)).length;
    const rank = recognised * 1000 + cells.filter((c) => c.trim()).length;
    if (recognised > 0 && rank > bestRank) {
      best = { row, names: cells.map((c) => c.trim()), recognised };
      bestRank = rank;
    }
  }
  return best;
}

function summarize(sheet: SampleSheet, kind: ImportKind, header: Header | null): SheetSummary {
  if (!header) {
    return { name: sheet.name, hidden: sheet.hidden, header_row: null, data_row: null, data_rows: 0, recognised: 0, columns: [], preview: [] };
  }
  const below = sheet.rows.slice(header.row + 1);
  const width = Math.max(header.names.length, ...below.map((r) => r.length));
  const columns: ColumnSummary[] = Array.from({ length: width }, (_, i) => {
    const heading = header.names[i] ?? '';
    const guess = heading ? bestField(kind, heading) : null;
    return {
      index: i,
      letter: columnLetter(i),
      heading,
      hidden: sheet.hiddenColumns?.includes(i) ?? false,
      field: guess?.[0] ?? null,
      unit: unitOf(heading),
      score: guess?.[1] ?? 0,
    };
  });
  // One column per field, phones and the like excepted: the best fit wins, visible first.
  for (const { code } of IMPORT_FIELDS[kind]) {
    if (MANY.includes(code)) continue;
    const rank = (c: ColumnSummary) => (c.hidden ? 0 : 1_000_000) + c.score * 100 - c.index;
    const holders = columns.filter((c) => c.field === code).sort((a, b) => rank(b) - rank(a));
    for (const c of holders.slice(1)) c.field = null;
  }
  const data = below
    .map((cells, n) => ({ row: header.row + n + 2, cells }))
    .filter((r) => !blank(r.cells) && !r.cells.slice(0, 4).some(isTotals));
  return {
    name: sheet.name,
    hidden: sheet.hidden,
    header_row: header.row + 1,
    data_row: header.row + 2,
    data_rows: data.length,
    recognised: header.recognised,
    columns,
    preview: data.slice(0, 20).map((r) => ({ row: r.row, cells: columns.map((c) => shorten((r.cells[c.index] ?? '').trim())) })),
  };
}

function inspect(file: string, source: SampleFile, kind: ImportKind): Workbook {
  const sheets = source.sheets.map((s) => summarize(s, kind, detect(s, kind)));
  const rank = (s: SheetSummary) => (s.hidden ? 0 : 1_000_000) + s.recognised * 1000 + s.data_rows;
  const fitting = sheets.filter((s) => s.header_row !== null && s.data_rows > 0).sort((a, b) => rank(b) - rank(a));
  return { file, format: source.format, kind, sheets, suggested_sheet: fitting[0]?.name ?? null };
}

/** What the crate's errors say, in the UI's language. */
function mappingError(lang: Lang, ru: string, en: string): never {
  return fail('invalid', lang === 'ru' ? `сопоставление столбцов не подходит: ${ru}` : `the column mapping does not fit: ${en}`);
}

const fieldLabel = (f: Field, lang: Lang) =>
  Object.values(IMPORT_FIELDS)
    .flat()
    .find((x) => x.code === f)?.[lang] ?? f;

interface Column {
  index: number;
  field: Field;
  unit: MoneyUnit;
}

function fromGuess(kind: ImportKind, sheet: SheetSummary): Mapping {
  return {
    kind,
    sheet: sheet.name,
    header_row: null,
    columns: sheet.columns
      .filter((c) => c.heading || c.field)
      .map((c) => ({ heading: c.heading, column: c.letter, field: c.field, unit: c.field && MONEY.includes(c.field) ? c.unit : null })),
    defaults: noDefaults(),
    create_territories: false,
  };
}

/** The columns a mapping reads: its own entries (by heading, else letter), then the guesses. */
function resolve(lang: Lang, m: Mapping, names: string[], summary: SheetSummary): Column[] {
  const taken = new Set<number>();
  const out: Column[] = [];
  const allowed = IMPORT_FIELDS[m.kind].map((f) => f.code);
  for (const c of m.columns) {
    const key = words(c.heading).join(' ');
    let index: number | null = c.heading.trim() ? names.findIndex((n, i) => !taken.has(i) && words(n).join(' ') === key) : -1;
    if (index < 0) index = null;
    if (index === null && c.column) {
      index = letterIndex(c.column);
      if (index === null) mappingError(lang, `«${c.column}» — не буква столбца`, `«${c.column}» is not a column letter`);
    }
    if (index === null) mappingError(lang, `в таблице нет столбца «${c.heading}»`, `the table has no column «${c.heading}»`);
    if (c.field && !allowed.includes(c.field)) {
      mappingError(lang, `поле «${fieldLabel(c.field, 'ru')}» не бывает у таких записей`, `«${c.field}» is not a field of ${m.kind}`);
    }
    taken.add(index);
    if (c.field) out.push({ index, field: c.field, unit: c.unit ?? unitOf(names[index] ?? '') });
  }
  const chosen = new Set(out.map((c) => c.field));
  for (const c of summary.columns) {
    if (taken.has(c.index) || !c.field) continue;
    if (MANY.includes(c.field) || !chosen.has(c.field)) out.push({ index: c.index, field: c.field, unit: c.unit });
  }
  const single = new Set<Field>();
  for (const c of out) {
    if (MANY.includes(c.field)) continue;
    if (single.has(c.field)) {
      mappingError(lang, `поле «${fieldLabel(c.field, 'ru')}» сопоставлено нескольким столбцам`, `«${c.field}» is mapped to several columns`);
    }
    single.add(c.field);
  }
  return out.sort((a, b) => a.index - b.index);
}

function forSheet(lang: Lang, m: Mapping, sheet: SheetSummary): Mapping {
  const names = sheet.columns.map((c) => c.heading);
  const read = resolve(lang, m, names, sheet);
  return {
    kind: m.kind,
    sheet: sheet.name,
    header_row: m.sheet === sheet.name ? m.header_row : null,
    columns: sheet.columns.map((c): ColumnMapping => {
      const r = read.find((x) => x.index === c.index);
      return { heading: c.heading, column: c.letter, field: r?.field ?? null, unit: r && MONEY.includes(r.field) ? r.unit : null };
    }),
    defaults: { ...m.defaults },
    create_territories: m.create_territories,
  };
}

/** The crate's `require`: what every record needs a column (or a default) for. */
function requireColumns(lang: Lang, m: Mapping, columns: Column[]) {
  const has = (f: Field) => columns.some((c) => c.field === f);
  const place = has('territory') || has('district') || !!m.defaults.territory;
  const missing: Field[] =
    m.kind === 'contacts'
      ? (['full_name', 'last_name', 'first_name', 'org_name'] as Field[]).some(has)
        ? []
        : ['full_name']
      : m.kind === 'initiatives'
        ? ([
            !has('title') && 'title',
            !place && 'territory',
            !(['total_cost', 'federal', 'regional', 'municipal', 'residents', 'business'] as Field[]).some(has) && 'total_cost',
          ].filter(Boolean) as Field[])
        : ([!has('date') && 'date', !place && 'territory'].filter(Boolean) as Field[]);
  if (!missing.length) return;
  const names = (l: Lang) => missing.map((f) => `«${fieldLabel(f, l)}»`).join(', ');
  mappingError(lang, `не найден столбец ${names('ru')}; укажите, какой столбец его содержит`, `no column for ${names('en')}; say which column holds it`);
}

const PLACE_WORDS = new Set(['село', 'деревня', 'дер', 'поселок', 'пос', 'пгт', 'город', 'район', 'сельсовет', 'поселение', 'округ']);
const placeKey = (name: string) =>
  words(name)
    .filter((w) => w.length > 1 && !PLACE_WORDS.has(w))
    .join(' ');

/** A territory to look names up in: the office's, or one the import would create. */
interface Place {
  id: string;
  name: string;
}

/** The territory called `name`, however it is written; a text saying why when none or several fit. */
function findPlace(places: readonly Place[], name: string): string | Text {
  const found = lookupPlace(places, name);
  if (found.length === 1) return found[0]?.id ?? '';
  if (!found.length) {
    return { ru: `территория «${name}» не найдена в справочнике территорий офиса`, en: `the office has no territory «${name}»` };
  }
  const names = found.map((t) => t.name).join(', ');
  return {
    ru: `«${name}» — так называются несколько территорий: ${names}; укажите район`,
    en: `several territories are called «${name}»: ${names}; give the district`,
  };
}

/** The territories `name` may mean: by the name as written, else without its type words. */
function lookupPlace(places: readonly Place[], name: string): Place[] {
  const found = places.filter((t) => fold(t.name) === fold(name));
  if (found.length) return found;
  const key = placeKey(name);
  return key ? places.filter((t) => placeKey(t.name) === key) : [];
}

/** A territory the import would create, with the id the rows refer to it by until it is stored. */
interface NewTerritory {
  id: string;
  planned: PlannedTerritory;
  input: TerritoryInput;
}

/**
 * The settlements the place column names that the office lacks, each once, under the default
 * territory or else the office's single top territory (the crate also reads a district column
 * and the levels; the mock only settlements).
 */
function missingPlaces(db: Db, names: { row: number; name: string }[], parentId: string | null): NewTerritory[] {
  const roots = db.territories.filter((t) => t.parent_id === null);
  const parent = parentId ?? (roots.length === 1 ? (roots[0]?.id ?? null) : null);
  const parentName = db.territories.find((t) => t.id === parent)?.name ?? null;
  const out: NewTerritory[] = [];
  for (const { row, name } of names) {
    if (lookupPlace(db.territories, name).length) continue;
    const known = lookupPlace(out.map((n) => ({ id: n.id, name: n.planned.name })), name)[0];
    const same = out.find((n) => n.id === known?.id);
    if (same) {
      same.planned.rows += 1;
      continue;
    }
    const clean = name.trim().replace(/\s+/g, ' ');
    out.push({
      id: `new-territory-${out.length + 1}`,
      planned: { name: clean, kind: 'locality', parent: parentName, parent_is_new: false, rows: 1, first_row: row },
      input: { parent_id: parent, kind: 'locality', name: clean, oktmo: '', population: [] },
    });
  }
  return out;
}

/** dd.mm.yyyy or yyyy-mm-dd → "yyyy-mm-dd". */
function parseDate(s: string): string | null {
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  if (ru) return `${ru[3]}-${ru[2]?.padStart(2, '0')}-${ru[1]?.padStart(2, '0')}`;
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : null;
}

interface NewContact {
  row: number;
  input: ContactInput;
  consent: ConsentInput | null;
}

interface Plan {
  kind: ImportKind;
  mapping: Mapping;
  sheet: string;
  header_row: number;
  columns: PlannedColumn[];
  rows_read: number;
  contacts: NewContact[];
  newTerritories: NewTerritory[];
  warnings: Problem[];
  problems: Problem[];
  bad_rows: number[];
  skipped: Skipped[];
  matched: Duplicate[];
  likely: Duplicate[];
}

interface Session {
  file: string;
  source: SampleFile;
  workbook: Workbook;
  start: Mapping;
  plan: Plan | null;
}

export class FakeImport {
  /** The mapping of the last import of each kind. */
  saved: Partial<Record<ImportKind, Mapping>> = {};
  /** Where the last check's problems were "saved". */
  problemsSavedTo: string | null = null;
  private session: Session | null = null;

  open(db: Db, path: string, kind: ImportKind): ImportOpened {
    const lang = db.info.lang;
    const file = path.split(/[\\/]/).pop() ?? path;
    const source = readFile(lang, path, file);
    const workbook = inspect(file, source, kind);
    const name = workbook.suggested_sheet;
    const summary = workbook.sheets.find((s) => s.name === name);
    if (!summary) fail('invalid', lang === 'ru' ? 'в файле не найдено ни одной таблицы с данными' : 'no sheet of the file holds a table of data');
    const saved = this.saved[kind];
    const savedSheet = workbook.sheets.find((s) => s.name === saved?.sheet && s.header_row !== null);
    let mapping: Mapping;
    let fromSaved = false;
    try {
      mapping = saved ? forSheet(lang, saved, savedSheet ?? summary) : fromGuess(kind, summary);
      fromSaved = !!saved;
    } catch {
      mapping = fromGuess(kind, summary);
    }
    this.session = { file, source, workbook, start: mapping, plan: null };
    return { workbook, mapping, saved: fromSaved };
  }

  sheet(db: Db, name: string): Mapping {
    const lang = db.info.lang;
    const s = this.open_(lang);
    const summary = s.workbook.sheets.find((x) => x.name === name);
    if (!summary) {
      const all = s.workbook.sheets.map((x) => x.name).join(', ');
      fail('not_found', lang === 'ru' ? `в файле нет листа «${name}»; есть: ${all}` : `the file has no sheet «${name}»; it has: ${all}`);
    }
    if (summary.header_row === null) {
      fail(
        'invalid',
        lang === 'ru' ? `На листе «${name}» не найдена таблица с заголовками` : `No table with headings was found on sheet «${name}»`,
      );
    }
    try {
      return forSheet(lang, s.start, summary);
    } catch {
      return fromGuess(s.start.kind, summary);
    }
  }

  check(db: Db, mapping: Mapping): ImportCheck {
    const lang = db.info.lang;
    const s = this.open_(lang);
    if (mapping.kind !== s.start.kind) {
      fail('invalid', lang === 'ru' ? 'Сопоставление сделано для других записей' : 'The mapping is for another kind of records');
    }
    s.plan = null;
    const plan = validate(db, s, mapping);
    s.plan = plan;
    const first = <T>(xs: T[]) => xs.slice(0, 200);
    return {
      new_territories: plan.newTerritories.map((n) => n.planned),
      create_territories: mapping.create_territories,
      warnings: first(plan.warnings),
      warnings_total: plan.warnings.length,
      updates: [],
      updates_total: 0,
      conflicts: [],
      conflicts_total: 0,
      sheet: plan.sheet,
      header_row: plan.header_row,
      columns: plan.columns,
      rows_read: plan.rows_read,
      ready: plan.contacts.length,
      bad_rows: plan.bad_rows.length,
      problems: first(plan.problems),
      problems_total: plan.problems.length,
      skipped: first(plan.skipped),
      skipped_total: plan.skipped.length,
      matched: first(plan.matched),
      matched_total: plan.matched.length,
      likely_duplicates: first(plan.likely),
      likely_duplicates_total: plan.likely.length,
    };
  }

  async commit(
    db: Db,
    skipBad: boolean,
    today: string,
    progress: (done: number, total: number) => Promise<void>,
  ): Promise<ImportDone> {
    const lang = db.info.lang;
    const s = this.open_(lang);
    const plan = s.plan;
    if (!plan) {
      fail(
        'refused',
        lang === 'ru' ? 'Сначала проверьте файл: загружается только проверенное' : 'Check the file first: only a checked file is imported',
      );
    }
    const n = plan.bad_rows.length;
    if (n && !skipBad) {
      fail(
        'invalid',
        lang === 'ru'
          ? `в файле есть строки с ошибками (${n}); ничего не загружено — исправьте их или загрузите остальные, пропустив ошибочные`
          : `${n} rows have problems; nothing was imported — fix them, or import the rest skipping the bad rows`,
      );
    }
    const territories = plan.mapping.create_territories ? plan.newTerritories : [];
    const total = territories.length + plan.contacts.length;
    await progress(0, total);
    const stored = new Map<string, string>();
    for (const n of territories) stored.set(n.id, saveTerritory(db, null, null, n.input).id);
    const ids = new Map<number, string>();
    for (const [i, c] of plan.contacts.entries()) {
      const territory = c.input.territory_id;
      const input = territory && stored.has(territory) ? { ...c.input, territory_id: stored.get(territory) ?? null } : c.input;
      const made = saveContact(db, null, null, input);
      if (c.consent) addConsent(db, made.id, c.consent, today);
      ids.set(c.row, made.id);
      await progress(territories.length + i + 1, total);
    }
    const toMerge: MergeCandidate[] = [];
    for (const d of plan.likely.slice(0, 200)) {
      const id = ids.get(d.row);
      const existing = d.existing_id ?? (d.existing_row !== null ? ids.get(d.existing_row) : undefined);
      if (id && existing) toMerge.push({ row: d.row, id, name: d.name, existing_id: existing, existing_name: d.existing_name, reason: d.reason });
    }
    const used = s.workbook.sheets.find((x) => x.name === plan.sheet);
    // Territories are created only when the person asks, file by file: not remembered.
    if (used) this.saved[plan.kind] = forSheet(lang, { ...plan.mapping, create_territories: false }, used);
    this.session = null;
    return {
      created: plan.contacts.length,
      territories_created: territories.length,
      meetings: 0,
      updated: 0,
      matched: plan.matched.length,
      likely_duplicates: plan.likely.length,
      bad_rows_skipped: n,
      rows_skipped: plan.skipped.length,
      to_merge: toMerge,
    };
  }

  problems(db: Db, path: string): null {
    const lang = db.info.lang;
    const s = this.open_(lang);
    if (!s.plan) fail('refused', lang === 'ru' ? 'Сначала проверьте файл' : 'Check the file first');
    this.problemsSavedTo = path;
    return null;
  }

  close(): null {
    this.session = null;
    return null;
  }

  private open_(lang: Lang): Session {
    return this.session ?? fail('refused', lang === 'ru' ? 'Файл для загрузки не открыт' : 'No file is open for import');
  }
}

/** The built-in file at `path`, or the crate's refusal of it. */
function readFile(lang: Lang, path: string, file: string): SampleFile {
  const ru = lang === 'ru';
  const known = FILES[file];
  if (known) return known;
  if (/^пуст/i.test(file)) fail('invalid', ru ? `файл «${path}» пуст` : `«${path}» is empty`);
  if (/^поврежд/i.test(file)) {
    const detail = 'invalid Zip archive: could not find central directory end';
    fail('invalid', ru ? `файл «${path}» повреждён или записан не до конца (${detail})` : `«${path}» is damaged or cut short (${detail})`);
  }
  if (/\.(xlsx|xls|ods|csv)$/i.test(file)) {
    fail('io', ru ? `не удалось прочитать файл «${path}»: No such file or directory (os error 2)` : `could not read «${path}»: No such file or directory (os error 2)`);
  }
  return fail(
    'invalid',
    ru
      ? `файл «${path}» не похож на таблицу: откройте его в Excel и сохраните как .xlsx или .csv`
      : `«${path}» does not look like a table: open it in Excel and save it as .xlsx or .csv`,
  );
}

/** Reads and checks every row with `mapping`; writes nothing. */
function validate(db: Db, s: Session, mapping: Mapping): Plan {
  const lang = db.info.lang;
  const kind = mapping.kind;
  const name = mapping.sheet ?? s.workbook.suggested_sheet;
  const sheet = s.source.sheets.find((t) => name !== null && fold(t.name) === fold(name));
  if (!sheet) {
    const all = s.source.sheets.map((t) => t.name).join(', ');
    fail('not_found', lang === 'ru' ? `в файле нет листа «${name}»; есть: ${all}` : `the file has no sheet «${name}»; it has: ${all}`);
  }
  let header: Header | null;
  if (mapping.header_row !== null) {
    const cells = sheet.rows[mapping.header_row - 1];
    if (!cells) mappingError(lang, `в листе «${sheet.name}» нет строки ${mapping.header_row}`, `sheet «${sheet.name}» has no row ${mapping.header_row}`);
    header = { row: mapping.header_row - 1, names: cells.map((c) => c.trim()), recognised: 0 };
  } else {
    header = detect(sheet, kind);
  }
  if (!header) fail('invalid', lang === 'ru' ? 'в файле не найдено ни одной таблицы с данными' : 'no sheet of the file holds a table of data');
  const summary = summarize(sheet, kind, header);
  const names = summary.columns.map((c) => c.heading);
  const columns = resolve(lang, mapping, names, summary);
  requireColumns(lang, mapping, columns);
  let defaultTerritory: string | null = null;
  if (mapping.defaults.territory) {
    const found = findPlace(db.territories, mapping.defaults.territory);
    if (typeof found !== 'string') mappingError(lang, found.ru, found.en);
    defaultTerritory = found;
  }
  if (kind === 'initiatives' && mapping.defaults.program) {
    const code = mapping.defaults.program;
    if (!db.programs.some((p) => fold(p.code) === fold(code) || fold(p.name) === fold(code))) {
      mappingError(lang, `программа «${code}» не найдена: укажите её код, например ППМИ`, `no program «${code}»: give its code, e.g. ППМИ`);
    }
  }
  const plan: Plan = {
    kind,
    mapping,
    sheet: sheet.name,
    header_row: header.row + 1,
    columns: columns.map((c) => ({ column: columnLetter(c.index), heading: names[c.index] ?? '', field: c.field })),
    rows_read: 0,
    contacts: [],
    newTerritories: [],
    warnings: [],
    problems: [],
    bad_rows: [],
    skipped: [],
    matched: [],
    likely: [],
  };
  const placeColumn = columns.find((c) => c.field === 'territory') ?? columns.find((c) => c.field === 'district');
  if (placeColumn) {
    const named = sheet.rows
      .map((cells, r) => ({ row: r + 1, name: (cells[placeColumn.index] ?? '').trim() }))
      .slice(header.row + 1)
      .filter((n) => n.name && !isTotals(n.name));
    plan.newTerritories = missingPlaces(db, named, defaultTerritory);
  }
  const places: Place[] = [
    ...db.territories,
    ...(mapping.create_territories ? plan.newTerritories.map((n) => ({ id: n.id, name: n.planned.name })) : []),
  ];
  for (let r = header.row + 1; r < sheet.rows.length; r++) {
    const cells = sheet.rows[r] ?? [];
    const cell = (c: Column) => (cells[c.index] ?? '').trim();
    if (columns.every((c) => !cell(c))) continue;
    const numeric = (i: number) => columns.some((c) => c.index === i && NUMERIC.includes(c.field));
    const firstTexts = cells.map((v, i) => ({ v, i })).filter(({ v, i }) => v.trim() && !numeric(i)).slice(0, 3);
    if (firstTexts.some(({ v }) => isTotals(v))) {
      plan.skipped.push({ row: r + 1, reason: { ru: 'строка итогов', en: 'a totals row' } });
      continue;
    }
    plan.rows_read += 1;
    const problems: Problem[] = [];
    const warnings: Problem[] = [];
    const at = (c: Column | null, message: Text, to = problems) =>
      to.push({
        sheet: sheet.name,
        row: r + 1,
        column: c ? columnLetter(c.index) : null,
        heading: c ? (names[c.index] ?? null) : null,
        value: c && cell(c) ? shorten(cell(c)) : null,
        message,
      });
    if (kind === 'contacts') {
      const warn = (c: Column | null, message: Text) => at(c, message, warnings);
      const contact = readContact(places, mapping, columns, cell, at, warn, defaultTerritory);
      if (contact && !problems.length) plan.contacts.push({ row: r + 1, ...contact });
    } else {
      at(null, { ru: 'в демонстрационной сборке загружаются только контакты', en: 'the demo build imports contacts only' });
    }
    plan.warnings.push(...warnings);
    if (problems.length) {
      plan.bad_rows.push(r + 1);
      plan.problems.push(...problems);
    }
  }
  matchContacts(db, plan);
  return plan;
}

function readContact(
  places: readonly Place[],
  mapping: Mapping,
  columns: Column[],
  cell: (c: Column) => string,
  at: (c: Column | null, message: Text) => void,
  warn: (c: Column | null, message: Text) => void,
  defaultTerritory: string | null,
): Omit<NewContact, 'row'> | null {
  const of = (f: Field) => columns.filter((c) => c.field === f);
  const text = (f: Field) => of(f).map(cell).find(Boolean) ?? '';
  const list = (f: Field) => of(f).flatMap((c) => cell(c).split(/[,;\n]/).map((x) => x.trim()).filter(Boolean));
  const input: ContactInput = {
    kind: 'person',
    last_name: text('last_name'),
    first_name: text('first_name'),
    middle_name: text('middle_name'),
    org_name: text('org_name'),
    position: text('position'),
    territory_id: defaultTerritory,
    address: text('address'),
    notes: of('notes').map(cell).filter(Boolean).join('; '),
    roles: [],
    phones: [],
    emails: [],
    tags: list('tags'),
  };
  const full = text('full_name');
  if (full) {
    const [last = '', first = '', ...rest] = full.split(/\s+/);
    Object.assign(input, { last_name: last, first_name: first, middle_name: rest.join(' ') });
  } else if (!input.last_name && !input.first_name && input.org_name) {
    input.kind = 'organisation';
  }
  const placeColumn = of('territory')[0] ?? of('district')[0];
  if (placeColumn && cell(placeColumn)) {
    const name = cell(placeColumn);
    const found = findPlace(places, name);
    if (typeof found === 'string') {
      input.territory_id = found;
    } else {
      // Kept all the same, with the settlement written into the address.
      if (!fold(input.address).includes(fold(name))) input.address = [name, input.address].filter(Boolean).join(', ');
      warn(placeColumn, {
        ru: `${found.ru}; контакт сохранён, «${name}» записан в адрес`,
        en: `${found.en}; the contact is kept with «${name}» in its address`,
      });
    }
  }
  for (const c of of('phone')) {
    const raw = cell(c);
    if (!raw || ['-', '—', 'нет'].includes(raw)) continue;
    for (const part of normalizePhone(raw) ? [raw] : raw.split(/[,;\n]| или /).map((p) => p.trim()).filter(Boolean)) {
      const phone = normalizePhone(part);
      if (phone) input.phones.push(phone);
      else at(c, { ru: `«${shorten(part)}» не похоже на российский номер телефона`, en: `«${shorten(part)}» is not a Russian phone number` });
    }
  }
  for (const c of of('email')) {
    for (const part of cell(c).split(/[,; ]/).filter(Boolean)) {
      const e = part.toLowerCase();
      if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) input.emails.push(e);
      else at(c, { ru: `«${shorten(part)}» не похоже на адрес эл. почты`, en: `«${shorten(part)}» is not an e-mail address` });
    }
  }
  for (const r of list('role')) {
    const role = ROLES.find((x) => fold(x.ru) === fold(r) || x.code === r);
    if (role) input.roles.push(role.code);
    else input.tags.push(r);
  }
  if (mapping.defaults.role && !input.roles.includes(mapping.defaults.role)) input.roles.push(mapping.defaults.role);
  let consent: ConsentInput | null = null;
  const consentColumn = of('consent_on')[0];
  const given = consentColumn ? cell(consentColumn) : '';
  if (consentColumn && given && !['нет', '-', '—', 'не дано', 'отозвано'].includes(fold(given))) {
    const on = parseDate(given);
    if (on) {
      const purpose = mapping.defaults.consent_purpose ?? 'участие в проектах и мероприятиях проектного офиса';
      consent = { purpose, given_on: on, method: 'written', expires_on: null };
    } else {
      at(consentColumn, {
        ru: 'укажите дату согласия на обработку персональных данных (дд.мм.гггг) или «нет»',
        en: 'give the date of consent to data processing (dd.mm.yyyy) or «нет»',
      });
    }
  }
  if (input.kind === 'person' && !input.last_name && !input.first_name) {
    at(of('full_name')[0] ?? of('last_name')[0] ?? null, {
      ru: 'не указаны ни фамилия, ни название организации',
      en: 'neither a name nor an organisation is given',
    });
  }
  return { input, consent };
}

const displayName = (c: ContactInput) =>
  c.kind === 'person' ? [c.last_name, c.first_name, c.middle_name].filter(Boolean).join(' ') : c.org_name;

/**
 * The crate's matching: the same phone, e-mail, or name in the same settlement is the stored
 * contact (or an earlier row) and is not added; only the same name may be the same person.
 */
function matchContacts(db: Db, plan: Plan) {
  type Owner = { id: string | null; row: number | null; name: string; phones: string[]; emails: string[]; key: string; territory: string | null };
  const owners: Owner[] = db.contacts.map((c) => ({
    id: c.id,
    row: null,
    name: c.display_name,
    phones: c.phones,
    emails: c.emails,
    key: fold(c.display_name),
    territory: c.territory_id,
  }));
  const keep: NewContact[] = [];
  for (const c of plan.contacts) {
    const name = displayName(c.input);
    const key = fold(name);
    const dup = (o: Owner, reason: Text): Duplicate => ({
      row: c.row,
      name,
      existing_id: o.id,
      existing_row: o.row,
      existing_name: o.name,
      reason,
    });
    let hit: Duplicate | null = null;
    for (const o of owners) {
      const phone = c.input.phones.find((p) => o.phones.includes(p));
      const email = c.input.emails.find((e) => o.emails.includes(e));
      if (phone) hit = dup(o, { ru: `тот же телефон ${phone}`, en: `the same phone ${phone}` });
      else if (email) hit = dup(o, { ru: `та же эл. почта ${email}`, en: `the same e-mail ${email}` });
      else if (c.input.territory_id && o.key === key && o.territory === c.input.territory_id) {
        hit = dup(o, { ru: 'то же имя в том же населённом пункте', en: 'the same name in the same settlement' });
      }
      if (hit) break;
    }
    if (hit) {
      plan.matched.push(hit);
      continue;
    }
    const namesake = c.input.kind === 'person' ? owners.find((o) => o.key === key) : undefined;
    if (namesake) {
      plan.likely.push(
        dup(namesake, { ru: 'то же имя, другой или неизвестный населённый пункт', en: 'the same name, another or no settlement' }),
      );
    }
    keep.push(c);
    owners.push({ id: null, row: c.row, name, phones: c.input.phones, emails: c.input.emails, key, territory: c.input.territory_id });
  }
  plan.contacts = keep;
}
