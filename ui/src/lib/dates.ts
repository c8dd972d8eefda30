// Dates as the core sends them ("2025-05-01", "2025-05-01T18:30:00") and as people read them.

import type { Lang } from '../ipc/types';

const pad = (n: number) => String(n).padStart(2, '0');

/** Today in local time, "YYYY-MM-DD". */
export function today(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** "2025-05-01" → «01.05.2025» (ru) or «2025-05-01» (en). */
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

/** The core's NaiveDateTime → what `<input type="datetime-local">` holds ("…T18:30"). */
export function toLocalInput(naive: string | null | undefined): string {
  return naive ? naive.slice(0, 16) : '';
}

/** What `<input type="datetime-local">` holds → the core's NaiveDateTime, seconds included. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  return value.length === 16 ? `${value}:00` : value;
}
