import { describe, expect, it } from 'vitest';
import type { Applied, SyncStatus, TerritoryNode } from '../../ipc/types';
import { author, cardFileName, fieldName, fileName, formatBytes, formatValue, kindCounts, needsTerritory, packageFileName } from './exchange';

const status = (over: Partial<SyncStatus> = {}): SyncStatus => ({
  replica: 'here',
  code: null,
  territory_name: null,
  partners: [
    {
      replica: 'village',
      office: 'Администрация с. Берёзовка',
      territory_name: 'с. Берёзовка',
      code: '1234-5678-9012-3456',
      paired_at: 0,
      sent_at: null,
      received_at: null,
      waiting: 3,
      files_waiting: 0,
      files_waiting_bytes: 0,
      files_too_large: 0,
      files_too_large_bytes: 0,
    },
  ],
  open_conflicts: 0,
  files_per_package: 512 * 1024 * 1024,
  ...over,
});

const node = (id: string, parent_id: string | null): TerritoryNode => ({ id, parent_id, kind: 'district', name: id });

describe('exchange file names', () => {
  it('name the card by the office and the package by its recipient and day', () => {
    expect(cardFileName('Проектный офис Абанского района')).toBe('Mestno-Проектный офис Абанского района.mestno-pair');
    expect(packageFileName('Администрация с. Берёзовка', '2025-06-16')).toBe('Mestno-Администрация с. Берёзовка-2025-06-16.mestno-sync');
  });

  it('drop what a file system refuses, and never leave the name empty', () => {
    expect(packageFileName('ТОС "Заречье" / МО <1>', '2025-06-16')).toBe('Mestno-ТОС Заречье МО 1 -2025-06-16.mestno-sync');
    expect(cardFileName('  ')).toBe('Mestno-office.mestno-pair');
  });

  it('read the file a path names, whichever the separator', () => {
    expect(fileName('/media/флешка/Mestno-район.mestno-sync')).toBe('Mestno-район.mestno-sync');
    expect(fileName('E:\\обмен\\пакет.mestno-sync')).toBe('пакет.mestno-sync');
  });
});

describe('sizes', () => {
  it('count bytes, then kilobytes and megabytes with one decimal', () => {
    expect(formatBytes(812, 'ru')).toBe('812\u00a0Б');
    expect(formatBytes(14_540, 'ru')).toBe('14,2\u00a0КБ');
    expect(formatBytes(3_250_586, 'en')).toBe('3.1\u00a0MB');
  });
});

describe('a package preview', () => {
  it('lists the kinds it touches in the app’s order, leaving out the untouched', () => {
    const applied: Applied = {
      new_changes: 9,
      known_changes: 0,
      added: { initiative: 1, territory: 3, event: 0 },
      changed: { initiative: 2 },
      deleted: { contact: 1 },
      conflicts: 1,
      refused: 1,
      erased: 0,
    };
    expect(kindCounts(applied)).toEqual([
      { kind: 'territory', added: 3, changed: 0, deleted: 0 },
      { kind: 'initiative', added: 1, changed: 2, deleted: 0 },
      { kind: 'contact', added: 0, changed: 0, deleted: 1 },
    ]);
  });
});

describe('the card’s territory', () => {
  it('is asked for only before the first card, and only where there are several top territories', () => {
    const two = [node('Абанский район', null), node('Тасеевский район', null), node('с. Берёзовка', 'Абанский район')];
    expect(needsTerritory(status(), two)).toBe(true);
    expect(needsTerritory(status(), two.slice(0, 1)), 'one top territory: the card takes it').toBe(false);
    expect(needsTerritory(status(), []), 'a new office with none: its partner says which').toBe(false);
    expect(needsTerritory(status({ code: '1111-2222-3333-4444' }), two), 'the card is made already').toBe(false);
    expect(needsTerritory(null, two), 'not read yet').toBe(false);
  });
});

describe('the conflicts journal', () => {
  it('names who made a value and in which office', () => {
    const s = status();
    expect(author('Иванова Н. П.', 'village', s, 'Проектный офис')).toBe('Иванова Н. П. (Администрация с. Берёзовка)');
    expect(author('Кузнецова Е. А.', 'here', s, 'Проектный офис')).toBe('Кузнецова Е. А. (Проектный офис)');
    expect(author('Петров', 'unknown', s, 'Проектный офис'), 'an office no longer paired').toBe('Петров');
  });

  it('names fields as the forms do', () => {
    expect(fieldName('title', 'ru')).toBe('наименование');
    expect(fieldName('total_cost', 'en')).toBe('total cost');
    expect(fieldName('budget.regional', 'ru')).toBe('бюджет: субсидия из краевого бюджета');
    expect(fieldName('*', 'ru')).toBe('запись целиком');
    expect(fieldName('something_new', 'ru'), 'a field the UI does not know yet').toBe('something_new');
  });

  it('shows values as people read them: money in roubles, dates, references by name', () => {
    expect(formatValue('Ремонт клуба', 'title', 'ru')).toBe('Ремонт клуба');
    expect(formatValue(10_000_000, 'total_cost', 'ru')).toBe('100\u00a0000,00\u00a0₽');
    expect(formatValue(120, 'beneficiaries', 'ru')).toBe('120');
    expect(formatValue('2025-06-16', 'contract_date', 'ru')).toBe('16.06.2025');
    expect(formatValue('t1', 'territory_id', 'ru', (id) => (id === 't1' ? 'с. Берёзовка' : ''))).toBe('с. Берёзовка');
    expect(formatValue(null, 'title', 'ru')).toBe('—');
    expect(formatValue({ source: 'regional', planned: 5_000_000, actual: 0, note: '' }, 'budget.regional', 'ru')).toBe(
      'источник: субсидия из краевого бюджета, план: 50\u00a0000,00\u00a0₽, факт: 0,00\u00a0₽',
    );
  });
});
