import { describe, expect, it } from 'vitest';
import type { AppError, Mapping } from '../types';
import { newDb } from './db';
import { loadDemo } from './demo';
import { FakeImport, SAMPLE_PATH } from './import';

async function office() {
  const db = newDb();
  await loadDemo(db, 'small', async () => {});
  return db;
}

function thrown(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('nothing thrown');
}

async function rejected(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('nothing thrown');
}

const noProgress = async () => {};

describe("the fake import wizard's sample", () => {
  it('finds the table under the title, guesses its columns and previews its rows', async () => {
    const db = await office();
    const opened = new FakeImport().open(db, SAMPLE_PATH, 'contacts');
    const { workbook, mapping } = opened;
    expect(workbook.file).toBe('Старосты.xlsx');
    expect(workbook.suggested_sheet).toBe('Старосты');
    expect(workbook.sheets.map((s) => [s.name, s.hidden, s.header_row])).toEqual([
      ['Старосты', false, 3],
      ['Архив 2023', true, 1],
      ['Пояснения', false, null],
    ]);
    const sheet = workbook.sheets[0]!;
    expect(sheet.columns.map((c) => [c.letter, c.field])).toEqual([
      ['A', 'full_name'],
      ['B', 'phone'],
      ['C', 'territory'],
      ['D', 'notes'],
    ]);
    expect(sheet.preview.map((r) => r.row)).toEqual([4, 5, 6]);
    expect(opened.saved).toBe(false);
    expect(mapping.columns.map((c) => c.field)).toEqual(['full_name', 'phone', 'territory', 'notes']);
  });

  it('checks all or nothing, skips the bad row on request and remembers the mapping', async () => {
    const db = await office();
    const before = db.contacts.length;
    const wizard = new FakeImport();
    const { mapping } = wizard.open(db, SAMPLE_PATH, 'contacts');
    const ignored: Mapping = { ...mapping, columns: mapping.columns.map((c) => (c.column === 'D' ? { ...c, field: null } : c)) };
    const check = wizard.check(db, ignored);
    expect([check.rows_read, check.ready, check.bad_rows, check.skipped_total]).toEqual([3, 2, 1, 1]);
    expect(check.problems).toEqual([
      {
        sheet: 'Старосты',
        row: 5,
        column: 'B',
        heading: 'Телефон',
        value: 'позвонить в сельсовет',
        message: {
          ru: '«позвонить в сельсовет» не похоже на российский номер телефона',
          en: '«позвонить в сельсовет» is not a Russian phone number',
        },
      },
    ]);
    const refused = await rejected(wizard.commit(db, false, '2025-05-15', noProgress));
    expect(refused.code).toBe('invalid');
    expect(refused.message).toContain('ничего не загружено');
    expect(db.contacts.length).toBe(before);

    const done = await wizard.commit(db, true, '2025-05-15', noProgress);
    expect(done).toMatchObject({ created: 2, matched: 0, bad_rows_skipped: 1, rows_skipped: 1, to_merge: [] });
    const added = db.contacts.slice(before);
    expect(added.map((c) => [c.display_name, c.phones, c.notes])).toEqual([
      ['Григорьева Нина Павловна', ['+79135550101'], ''],
      ['Фомина Светлана Игоревна', ['+79135550303'], ''],
    ]);
    expect(added[0]?.territory_id).toBe(db.territories.find((t) => t.name === 'с. Берёзовка')?.id);
    expect(thrown(() => wizard.check(db, ignored)).message).toBe('Файл для загрузки не открыт');

    // Next time the same file is matched, not added again, and «Примечание» stays ignored.
    const again = wizard.open(db, SAMPLE_PATH, 'contacts');
    expect(again.saved).toBe(true);
    expect(again.mapping.columns.find((c) => c.column === 'D')?.field).toBe(null);
    const second = wizard.check(db, again.mapping);
    expect([second.ready, second.matched_total]).toEqual([0, 2]);
    expect(second.matched[0]?.reason.ru).toBe('тот же телефон +79135550101');
  });

  it('lists a village the office lacks, keeps its people with it in the address, or creates it when asked', async () => {
    const db = await office();
    const before = { contacts: db.contacts.length, territories: db.territories.length };
    const wizard = new FakeImport();
    const { mapping } = wizard.open(db, '/home/office/Документы/Реестр старост.xlsx', 'contacts');
    const check = wizard.check(db, mapping);
    const region = db.territories.find((t) => t.parent_id === null);
    expect(check.new_territories, '«д. Степановка» and «дер. Степановка» are one village').toEqual([
      { name: 'д. Степановка', kind: 'locality', parent: region?.name, parent_is_new: false, rows: 2, first_row: 3 },
    ]);
    expect([check.ready, check.bad_rows, check.warnings_total], 'nobody is refused for a village').toEqual([3, 0, 2]);
    expect(check.warnings[0]?.message.ru).toContain('контакт сохранён, «д. Степановка» записан в адрес');
    expect([check.create_territories, check.updates_total, check.conflicts_total]).toEqual([false, 0, 0]);

    const create = wizard.check(db, { ...mapping, create_territories: true });
    expect([create.create_territories, create.new_territories.length, create.warnings_total]).toEqual([true, 1, 0]);
    expect(db.territories.length, 'a check writes nothing').toBe(before.territories);
    const done = await wizard.commit(db, false, '2025-05-15', noProgress);
    expect([done.created, done.territories_created, done.meetings, done.updated]).toEqual([3, 1, 0, 0]);
    const village = db.territories.at(-1);
    expect([village?.name, village?.kind, village?.parent_id]).toEqual(['д. Степановка', 'locality', region?.id]);
    const added = db.contacts.slice(before.contacts);
    expect(added.map((c) => c.territory_id), 'the two from the village point at it').toEqual([
      village?.id,
      db.territories.find((t) => t.name === 'с. Ивановка')?.id,
      village?.id,
    ]);
    expect(wizard.open(db, '/home/office/Документы/Реестр старост.xlsx', 'contacts').mapping.create_territories).toBe(false);
  });

  it('refuses a mapping that gives one field two columns, or no name at all', async () => {
    const db = await office();
    const wizard = new FakeImport();
    const { mapping } = wizard.open(db, SAMPLE_PATH, 'contacts');
    const twice = { ...mapping, columns: mapping.columns.map((c) => (c.column === 'C' ? { ...c, field: 'full_name' as const } : c)) };
    expect(thrown(() => wizard.check(db, twice)).message).toBe('сопоставление столбцов не подходит: поле «ФИО» сопоставлено нескольким столбцам');
    const nameless = { ...mapping, columns: mapping.columns.map((c) => (c.column === 'A' ? { ...c, field: null } : c)) };
    expect(thrown(() => wizard.check(db, nameless)).message).toContain('не найден столбец «ФИО»');
  });

  it('spells the mapping out for another sheet and refuses one without a table', async () => {
    const db = await office();
    const wizard = new FakeImport();
    wizard.open(db, SAMPLE_PATH, 'contacts');
    expect(wizard.sheet(db, 'Архив 2023').columns.map((c) => c.field)).toEqual(['full_name', 'phone']);
    expect(thrown(() => wizard.sheet(db, 'Пояснения')).code).toBe('invalid');
  });

  it('refuses what is no spreadsheet, an empty file and a damaged one, in the UI language', async () => {
    const db = await office();
    const wizard = new FakeImport();
    expect(thrown(() => wizard.open(db, '/home/office/Договор.docx', 'contacts')).message).toMatch(/не похож на таблицу/);
    expect(thrown(() => wizard.open(db, '/home/office/Пустой.csv', 'contacts')).message).toMatch(/пуст$/);
    db.info.lang = 'en';
    expect(thrown(() => wizard.open(db, '/home/office/Повреждённый.xlsx', 'contacts')).message).toMatch(/is damaged or cut short/);
  });
});
