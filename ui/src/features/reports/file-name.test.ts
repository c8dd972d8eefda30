import { describe, expect, it } from 'vitest';
import { defaultFileName } from './file-name';

describe('report file names', () => {
  it('name the report and its year', () => {
    expect(defaultFileName('registry', 2024, null)).toBe('Реестр проектов 2024.xlsx');
    expect(defaultFileName('contacts', null, null)).toBe('Контакты.xlsx');
  });

  it('keep a card title but drop what a file system refuses', () => {
    expect(defaultFileName('initiative', 2024, 'Ремонт "дороги" <ул. Мира>/2')).toBe('Карточка проекта Ремонт дороги ул. Мира 2.xlsx');
  });
});
