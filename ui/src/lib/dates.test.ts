import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, fromLocalInput, parseDate, parseDateTime, parseTime, shiftDate, toLocalInput } from './dates';

describe('dates as people read them', () => {
  it('shows a date the Russian way in Russian and year first in English, never by the locale', () => {
    expect(formatDate('2025-10-05', 'ru'), 'day first with dots, as Russian offices write').toBe('05.10.2025');
    expect(formatDate('2025-10-05', 'en'), 'year first: neither May nor October by guesswork').toBe('2025-10-05');
    expect(formatDateTime('2025-10-05T18:30:00', 'ru'), 'time in 24 hours, no seconds').toBe('05.10.2025 18:30');
    expect(formatDateTime('2025-10-05T18:30:00', 'en')).toBe('2025-10-05 18:30');
    expect(formatDate(null, 'ru'), 'no date shows nothing').toBe('');
  });
});

describe('dates as people type them', () => {
  it('reads the ways offices write a date, in either language', () => {
    for (const typed of ['05.10.2025', '5.10.2025', '05.10.25', ' 5.10.25 ', '2025-10-05', '2025-10-5']) {
      expect(parseDate(typed), `«${typed}» is 5 October 2025`).toEqual({ ok: true, value: '2025-10-05' });
    }
  });

  it('refuses a day the calendar lacks, so 31.02.2025 is an error and not 3 March', () => {
    expect(parseDate('31.02.2025')).toEqual({ ok: false, reason: 'no_such_date' });
    expect(parseDate('29.02.2025'), '2025 is not a leap year').toEqual({ ok: false, reason: 'no_such_date' });
    expect(parseDate('29.02.2024'), '2024 is').toEqual({ ok: true, value: '2024-02-29' });
    expect(parseDate('31.04.2025'), 'April has 30 days').toEqual({ ok: false, reason: 'no_such_date' });
    expect(parseDate('01.13.2025'), 'there is no 13th month').toEqual({ ok: false, reason: 'no_such_date' });
    expect(parseDate('00.10.2025')).toEqual({ ok: false, reason: 'no_such_date' });
    expect(parseDate('05.10.0025'), 'a typo in the year is caught').toEqual({ ok: false, reason: 'no_such_date' });
  });

  it('refuses what is not a date, and slashes, which read differently in Russia and America', () => {
    for (const typed of ['05/10/2025', '10/05/2025', '5 октября', '05.10', '05.10.2025 18:30', '2025-10-05x', '1.1.1']) {
      expect(parseDate(typed), `«${typed}»`).toEqual({ ok: false, reason: 'format' });
    }
    expect(parseDate('  '), 'empty is for the form to judge').toEqual({ ok: false, reason: 'empty' });
  });

  it('reads a time of day in 24 hours', () => {
    expect(parseTime('18:30')).toEqual({ ok: true, value: '18:30' });
    expect(parseTime('9:05'), 'the leading zero is added').toEqual({ ok: true, value: '09:05' });
    expect(parseTime('18.30'), 'offices also write the time with a dot').toEqual({ ok: true, value: '18:30' });
    expect(parseTime('24:00')).toEqual({ ok: false, reason: 'no_such_time' });
    expect(parseTime('18:60')).toEqual({ ok: false, reason: 'no_such_time' });
    expect(parseTime('6pm')).toEqual({ ok: false, reason: 'format' });
  });

  it('reads a date and a time into what the core takes, and asks for the time when it is left out', () => {
    for (const typed of ['05.10.2025 18:30', '05.10.2025, 18:30', '5.10.25 18.30', '2025-10-05 18:30', '2025-10-05T18:30']) {
      expect(parseDateTime(typed), `«${typed}»`).toEqual({ ok: true, value: '2025-10-05T18:30' });
    }
    expect(parseDateTime('05.10.2025'), 'a meeting at midnight would be a guess').toEqual({ ok: false, reason: 'time_missing' });
    expect(parseDateTime('31.02.2025 18:30')).toEqual({ ok: false, reason: 'no_such_date' });
    expect(parseDateTime('05.10.2025 25:00')).toEqual({ ok: false, reason: 'no_such_time' });
    expect(parseDateTime('05.10.2025 18:30 19:00')).toEqual({ ok: false, reason: 'format' });
    expect(fromLocalInput('2025-10-05T18:30'), 'the core gets its seconds').toBe('2025-10-05T18:30:00');
  });

  it('what a field shows reads back as the same value, in both languages', () => {
    for (const lang of ['ru', 'en'] as const) {
      expect(parseDate(formatDate('2025-01-31', lang))).toEqual({ ok: true, value: '2025-01-31' });
      const naive = '2025-12-31T23:59:00';
      expect(parseDateTime(formatDateTime(naive, lang))).toEqual({ ok: true, value: toLocalInput(naive) });
    }
  });

  it('moves a date by days across months and years (the arrow keys)', () => {
    expect(shiftDate('2025-10-05', 1)).toBe('2025-10-06');
    expect(shiftDate('2025-02-28', 1), 'no 29 February in 2025').toBe('2025-03-01');
    expect(shiftDate('2025-01-01', -1)).toBe('2024-12-31');
  });
});
