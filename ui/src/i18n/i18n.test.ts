import { describe, expect, it } from 'vitest';
import { en } from './en';
import { ru } from './ru';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('have the same keys in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ru).sort());
  });

  it('have no empty texts', () => {
    for (const [key, text] of [...Object.entries(ru), ...Object.entries(en)]) {
      expect(text.trim(), key).not.toBe('');
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(ru) as (keyof typeof ru)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(ru[key]));
    }
  });

  it('translate: an English text is not left in Russian', () => {
    const cyrillic = /[а-яё]/i;
    const untranslated = Object.entries(en).filter(([, text]) => cyrillic.test(text.replace(/«[^»]*»/g, '')));
    expect(untranslated).toEqual([]);
  });
});
