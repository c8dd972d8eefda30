import { describe, expect, it } from 'vitest';
import { belongsTo, errorId, messagesFor, unplaced } from '../lib/field-errors';
import { BackendError, toAppError } from './errors';
import type { FieldError } from './types';

const fe = (field: string, ru = 'ошибка', en = 'error'): FieldError => ({ field, message: { ru, en } });

describe('toAppError', () => {
  it("keeps the core's error as it is", () => {
    const raw = { code: 'invalid', message: 'Проверьте поля', fields: [fe('title')] };
    expect(toAppError(raw)).toEqual(raw);
  });

  it('fills in what a partial error object lacks', () => {
    expect(toAppError({ code: 'conflict', message: 'изменено' })).toEqual({
      code: 'conflict',
      message: 'изменено',
      fields: [],
    });
    expect(toAppError({ code: 'weird', message: 'x', fields: [{ field: 1 }, fe('a')] })).toEqual({
      code: 'internal',
      message: 'x',
      fields: [fe('a')],
    });
  });

  it("turns Tauri's bare strings and thrown exceptions into internal errors", () => {
    expect(toAppError('command foo not found')).toEqual({
      code: 'internal',
      message: 'command foo not found',
      fields: [],
    });
    expect(toAppError(new TypeError('boom')).code).toBe('internal');
    expect(toAppError(undefined).code).toBe('internal');
  });

  it('unwraps a BackendError', () => {
    const e = new BackendError({ code: 'not_found', message: 'не найден проект', fields: [] });
    expect(e).toBeInstanceOf(Error);
    expect(toAppError(e)).toEqual({ code: 'not_found', message: 'не найден проект', fields: [] });
  });
});

describe('placing field errors', () => {
  const errors = [
    fe('title', 'укажите название', 'enter the title'),
    fe('budget.residents', 'доля мала', 'share too small'),
    fe('attendees[3].contact_id'),
    fe('implementation.percent_done'),
    fe('stage_on'),
  ];

  it('an input shows its own errors and those under it, in the language asked', () => {
    expect(messagesFor(errors, 'title', 'ru')).toEqual(['укажите название']);
    expect(messagesFor(errors, 'title', 'en')).toEqual(['enter the title']);
    expect(messagesFor(errors, 'budget', 'en')).toEqual(['share too small']);
    expect(messagesFor(errors, 'attendees[3]', 'ru')).toHaveLength(1);
    expect(belongsTo('titles', 'title')).toBe(false);
  });

  it('what no input claims goes to the banner', () => {
    expect(unplaced(errors, ['title', 'budget', 'attendees', 'implementation']).map((e) => e.field)).toEqual([
      'stage_on',
    ]);
  });

  it('makes ids a selector can use', () => {
    expect(errorId('budget[1].planned')).toBe('err-budget-1-planned');
    expect(errorId('title')).toBe('err-title');
  });
});
