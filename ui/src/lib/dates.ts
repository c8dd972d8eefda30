// Dates as the core sends them ("2025-05-01", "2025-05-01T18:30:00") and as people read them.

import type { Lang } from '../ipc/types';

const pad = (n: number) => String(n).padStart(2, '0');

/** Today in local time, "YYYY-MM-DD". */
export function today(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * "2025-05-01" → «01.05.2025» (ru) or «2025-05-01» (en), the same on every computer: never the
 * system's locale, under which «05/01/2025» would read as 5 January in Russia.
 */
export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return lang === 'ru' ? `${m[3]}.${m[2]}.${m[1]}` : `${m[1]}-${m[2]}-${m[3]}`;
}

/** "2025-05-01T18:30:00" → «01.05.2025 18:30». */
export function formatDateTime(naive: string | null | undefined, lang: Lang): string {
  if (!naive) return '';
  const time = /T(\d{2}:\d{2})/.exec(naive)?.[1];
  return time ? `${formatDate(naive, lang)} ${time}` : formatDate(naive, lang);
}

/** Milliseconds since the epoch → local date and time. */
export function formatTimestamp(ms: number, lang: Lang): string {
  const d = new Date(ms);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${formatDate(date, lang)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The core's NaiveDateTime → what a date-and-time field holds ("…T18:30", minutes). */
export function toLocalInput(naive: string | null | undefined): string {
  return naive ? naive.slice(0, 16) : '';
}

/** What a date-and-time field holds → the core's NaiveDateTime, seconds included. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  return value.length === 16 ? `${value}:00` : value;
}

/** Why a typed date is not one; `empty` is for the caller to judge (optional or required). */
export type DateProblem = 'empty' | 'format' | 'no_such_date' | 'no_such_time' | 'time_missing';

/** A date (or date and time) read from what a person typed, as the core takes it. */
export type DateParse = { ok: true; value: string } | { ok: false; reason: DateProblem };

const DAY_FIRST = /^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$/;
const YEAR_FIRST = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TIME = /^(\d{1,2})[:.](\d{2})$/;

/**
 * A date as offices type it, whatever the language: «05.10.2025», «5.10.2025» and «05.10.25»
 * (day first, with dots) or «2025-10-05» (year first) → "2025-10-05". Slashes are refused:
 * «05/10/2025» is 5 October in Russia and 10 May in America. A day the calendar lacks
 * (31.02.2025) is `no_such_date`; years run from 1900 to 2199, and two digits mean 20xx.
 */
export function parseDate(text: string): DateParse {
  const s = text.trim();
  if (s === '') return { ok: false, reason: 'empty' };
  let y: number, m: number, d: number;
  const dotted = DAY_FIRST.exec(s);
  const iso = YEAR_FIRST.exec(s);
  if (dotted) {
    [d, m, y] = [Number(dotted[1]), Number(dotted[2]), Number(dotted[3])];
    if (dotted[3]!.length === 2) y += 2000;
  } else if (iso) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    return { ok: false, reason: 'format' };
  }
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return { ok: false, reason: 'no_such_date' };
  return { ok: true, value: `${y}-${pad(m)}-${pad(d)}` };
}

/** A time of day, «18:30», «9:05» or «18.30» → "18:30" (24 hours; seconds are not kept). */
export function parseTime(text: string): DateParse {
  const s = text.trim();
  if (s === '') return { ok: false, reason: 'empty' };
  const t = TIME.exec(s);
  if (!t) return { ok: false, reason: 'format' };
  const [h, m] = [Number(t[1]), Number(t[2])];
  if (h > 23 || m > 59) return { ok: false, reason: 'no_such_time' };
  return { ok: true, value: `${pad(h)}:${pad(m)}` };
}

/**
 * A date and a time, «05.10.2025 18:30», «05.10.2025, 18:30» or «2025-10-05T18:30» →
 * "2025-10-05T18:30", what `toLocalInput` gives and `fromLocalInput` takes. A date alone is
 * `time_missing`: an event at midnight would be a guess.
 */
export function parseDateTime(text: string): DateParse {
  const s = text.trim();
  if (s === '') return { ok: false, reason: 'empty' };
  const parts = s.split(/\s*,\s*|\s+|T/).filter((p) => p !== '');
  if (parts.length > 2) return { ok: false, reason: 'format' };
  const date = parseDate(parts[0] ?? '');
  if (!date.ok) return date;
  if (parts.length === 1) return { ok: false, reason: 'time_missing' };
  const time = parseTime(parts[1]!);
  return time.ok ? { ok: true, value: `${date.value}T${time.value}` } : time;
}

/** "2025-10-05" moved by `days` (across months and years): "2025-10-06" for 1. */
export function shiftDate(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const moved = new Date(Date.UTC(y!, m! - 1, d! + days));
  return `${moved.getUTCFullYear()}-${pad(moved.getUTCMonth() + 1)}-${pad(moved.getUTCDate())}`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
