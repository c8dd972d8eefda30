import { describe, expect, it } from 'vitest';
import { IMPORT_FIELDS } from '../../ipc/codes';
import type { Mapping, SheetSummary, TerritoryNode } from '../../ipc/types';
import {
  buildMapping,
  choicesFor,
  DEFAULTS_FOR,
  defaultsFor,
  firstValues,
  MANY_COLUMNS,
  MONEY_FIELDS,
  nameIsShared,
  noDefaults,
  problemsFileName,
  repeatedFields,
  territoryByName,
} from './mapping';

const sheet: SheetSummary = {
  name: 'Старосты',
  hidden: false,
  header_row: 3,
  data_row: 4,
  data_rows: 3,
  recognised: 3,
  columns: [
    { index: 0, letter: 'A', heading: 'ФИО', hidden: false, field: 'full_name', unit: 'rubles', score: 3 },
    { index: 1, letter: 'B', heading: 'Телефон', hidden: false, field: 'phone', unit: 'rubles', score: 7 },
    { index: 2, letter: 'C', heading: '', hidden: false, field: null, unit: 'rubles', score: 0 },
    { index: 3, letter: 'D', heading: 'Сумма, тыс. руб.', hidden: true, field: null, unit: 'thousands', score: 0 },
  ],
  preview: [
    { row: 4, cells: ['Григорьева Нина Павловна', '', 'x', ''] },
    { row: 5, cells: ['Тарасов Олег', '8 913 555-01-01', '', ''] },
    { row: 6, cells: ['Фомина Светлана', ' ', '', ''] },
  ],
};

const mapping: Mapping = {
  kind: 'contacts',
  sheet: 'Старосты',
  header_row: null,
  columns: [
    { heading: 'ФИО', column: 'A', field: 'full_name', unit: null },
    { heading: 'Телефон', column: 'B', field: 'phone', unit: null },
    { heading: 'Сумма, тыс. руб.', column: 'D', field: null, unit: null },
  ],
  defaults: { ...noDefaults(), role: 'village_elder' },
  create_territories: false,
};

describe('the import mapping', () => {
  it("gives every column of the sheet a row, a column the backend left out being not loaded", () => {
    const rows = choicesFor(sheet, mapping);
    expect(rows.map((r) => [r.letter, r.field])).toEqual([
      ['A', 'full_name'],
      ['B', 'phone'],
      ['C', null],
      ['D', null],
    ]);
    expect(rows[3]?.hidden).toBe(true);
    expect(rows[3]?.unit).toBe('thousands');
  });

  it('names every column by heading and letter, with a unit for money only', () => {
    const rows = choicesFor(sheet, mapping);
    rows[2] = { ...rows[2]!, field: 'notes' };
    rows[3] = { ...rows[3]!, field: 'total_cost' };
    rows[1] = { ...rows[1]!, unit: 'millions' };
    const m = buildMapping('contacts', 'Старосты', 3, rows, { ...noDefaults(), role: 'deputy', program: 'ППМИ' });
    expect(m.columns).toEqual([
      { heading: 'ФИО', column: 'A', field: 'full_name', unit: null },
      { heading: 'Телефон', column: 'B', field: 'phone', unit: null },
      { heading: '', column: 'C', field: 'notes', unit: null },
      { heading: 'Сумма, тыс. руб.', column: 'D', field: 'total_cost', unit: 'thousands' },
    ]);
    expect(m.header_row).toBe(3);
    expect(m.defaults, 'a program means nothing to contacts').toEqual({ ...noDefaults(), role: 'deputy' });
    expect(m.create_territories, 'territories are created only when the person asks').toBe(false);
    expect(buildMapping('contacts', 'Старосты', 3, rows, noDefaults(), true).create_territories).toBe(true);
  });

  it('warns of a single-valued field chosen for two columns, not of two phone columns', () => {
    expect(repeatedFields([{ field: 'phone' }, { field: 'phone' }, { field: 'notes' }, { field: 'notes' }])).toEqual([]);
    expect(
      repeatedFields([{ field: 'full_name' }, { field: null }, { field: 'full_name' }, { field: 'territory' }, { field: 'full_name' }, { field: null }]),
    ).toEqual(['full_name']);
    expect(repeatedFields([{ field: 'title' }, { field: 'year' }, { field: 'year' }, { field: 'title' }])).toEqual(['year', 'title']);
  });

  it('knows the multi-column and money fields among those the kinds offer', () => {
    const all = new Set(Object.values(IMPORT_FIELDS).flatMap((list) => list.map((f) => f.code)));
    for (const f of [...MANY_COLUMNS, ...MONEY_FIELDS]) expect(all.has(f), f).toBe(true);
    const initiatives = IMPORT_FIELDS.initiatives.map((f) => f.code);
    for (const f of MONEY_FIELDS) expect(initiatives, f).toContain(f);
  });

  it('keeps the defaults each kind needs and no others', () => {
    expect(DEFAULTS_FOR.contacts).toEqual(['territory', 'role', 'consent_purpose']);
    expect(DEFAULTS_FOR.initiatives).toEqual(['territory', 'program', 'year', 'stage', 'object_type']);
    expect(DEFAULTS_FOR.events).toEqual(['territory', 'event_kind']);
    const all = {
      territory: ' с. Берёзовка ',
      program: 'ППМИ',
      year: 2025,
      stage: 'application' as const,
      object_type: 'roads' as const,
      event_kind: 'meeting' as const,
      role: 'village_elder' as const,
      consent_purpose: '   ',
    };
    expect(defaultsFor('events', all)).toEqual({ ...noDefaults(), territory: 'с. Берёзовка', event_kind: 'meeting' });
    expect(defaultsFor('contacts', all)).toEqual({ ...noDefaults(), territory: 'с. Берёзовка', role: 'village_elder' });
    expect(defaultsFor('initiatives', all)).toEqual({
      ...noDefaults(),
      territory: 'с. Берёзовка',
      program: 'ППМИ',
      year: 2025,
      stage: 'application',
      object_type: 'roads',
    });
  });

  it('previews the first values of a column, blanks left out', () => {
    expect(firstValues(sheet, 1)).toEqual(['8 913 555-01-01']);
    expect(firstValues(sheet, 0, 2)).toEqual(['Григорьева Нина Павловна', 'Тарасов Олег']);
  });

  it('finds a default territory by name and sees when two share it', () => {
    const nodes: TerritoryNode[] = [
      { id: 'r', parent_id: null, kind: 'region', name: 'Край' },
      { id: 'a', parent_id: 'r', kind: 'locality', name: 'с. Ивановка' },
      { id: 'b', parent_id: 'r', kind: 'locality', name: 'с. Ивановка' },
      { id: 'c', parent_id: 'r', kind: 'locality', name: 'с. Покровка' },
    ];
    expect(territoryByName(nodes, 'С. Покровка')).toBe('c');
    expect(territoryByName(nodes, null)).toBe(null);
    expect(nameIsShared(nodes, 'a')).toBe(true);
    expect(nameIsShared(nodes, 'c')).toBe(false);
    expect(nameIsShared(nodes, null)).toBe(false);
  });

  it('proposes a safe file name for the problems', () => {
    expect(problemsFileName('Старосты 2025.xlsx', 'Ошибки загрузки')).toBe('Ошибки загрузки — Старосты 2025.xlsx');
    expect(problemsFileName('a/b:c.csv', 'Errors')).toBe('Errors — a b c.xlsx');
  });
});
