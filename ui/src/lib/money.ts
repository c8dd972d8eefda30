// Money as people type and read it, and as the core stores it: whole kopecks, never floats.
// Parsing works on the digits as a string and builds the kopecks with BigInt, so
// «1 234 567,89» is exactly 123456789 kopecks however many digits there are.

import type { Lang } from '../ipc/types';

const NBSP = '\u00a0';
/** Spaces people and spreadsheets put between digit groups. */
const GROUP_SPACES = /[\s\u00a0\u202f\u2009]/g;
const CURRENCY = /(₽|руб\.?|р\.|rub\.?)$/i;

export type MoneyParse =
  | { ok: true; kopecks: number }
  | { ok: false; reason: 'empty' | 'format' | 'precision' | 'range' };

/**
 * Reads an amount of roubles: «1 234 567,89», «1234567.89», «-5», «12,5 ₽». In Russian both
 * the comma and the dot separate kopecks; in English the dot does and commas group thousands.
 * At most two digits after the separator; the result must fit a safe integer of kopecks.
 */
export function parseRoubles(text: string, lang: Lang = 'ru'): MoneyParse {
  let s = text.trim().replace(CURRENCY, '').replace(GROUP_SPACES, '');
  if (s === '') return { ok: false, reason: 'empty' };
  let negative = false;
  if (s.startsWith('-') || s.startsWith('−')) {
    negative = true;
    s = s.slice(1);
  }
  if (lang === 'en') s = s.replace(/,/g, '');
  const m = /^(\d*)(?:[.,](\d*))?$/.exec(s);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return { ok: false, reason: 'format' };
  const whole = m[1] || '0';
  const frac = m[2] ?? '';
  if (frac.length > 2) return { ok: false, reason: 'precision' };
  const kopecks = BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
  if (kopecks > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'range' };
  const n = Number(kopecks);
  return { ok: true, kopecks: negative && n !== 0 ? -n : n };
}

/** `1234567` → «1 234 567» (no-break spaces) in Russian, «1,234,567» in English. */
export function groupDigits(n: number, lang: Lang, sep?: string): string {
  const digits = Math.trunc(Math.abs(n)).toString();
  const s = sep ?? (lang === 'ru' ? NBSP : ',');
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += s;
    out += digits[i];
  }
  return (n < 0 ? '-' : '') + out;
}

function split(kopecks: number): { sign: string; roubles: number; cents: string } {
  if (!Number.isSafeInteger(kopecks)) throw new RangeError(`not a whole number of kopecks: ${kopecks}`);
  const abs = Math.abs(kopecks);
  return { sign: kopecks < 0 ? '-' : '', roubles: Math.floor(abs / 100), cents: String(abs % 100).padStart(2, '0') };
}

/** Kopecks as a person reads them: «1 234 567,89 ₽» (ru) or «1,234,567.89 ₽» (en). */
export function formatKopecks(kopecks: number, lang: Lang): string {
  const { sign, roubles, cents } = split(kopecks);
  const mark = lang === 'ru' ? ',' : '.';
  return `${sign}${groupDigits(roubles, lang)}${mark}${cents}${NBSP}₽`;
}

/** Kopecks as an input shows them for editing: «1 234 567,89» with ordinary spaces. */
export function formatRoublesInput(kopecks: number, lang: Lang): string {
  const { sign, roubles, cents } = split(kopecks);
  return lang === 'ru'
    ? `${sign}${groupDigits(roubles, lang, ' ')},${cents}`
    : `${sign}${groupDigits(roubles, lang, ',')}.${cents}`;
}

const SCALES: { at: number; ru: string; en: string }[] = [
  { at: 1e9, ru: 'млрд', en: 'bn' },
  { at: 1e6, ru: 'млн', en: 'M' },
  { at: 1e3, ru: 'тыс.', en: 'k' },
];

/** A short figure for charts: «1,2 млн ₽», «3.4M ₽». */
export function formatKopecksShort(kopecks: number, lang: Lang): string {
  const roubles = kopecks / 100;
  for (const s of SCALES) {
    if (Math.abs(roubles) >= s.at) {
      const v = (roubles / s.at).toFixed(1);
      const shown = lang === 'ru' ? v.replace('.', ',') : v;
      return lang === 'ru' ? `${shown}${NBSP}${s.ru}${NBSP}₽` : `${shown}${s.en}${NBSP}₽`;
    }
  }
  return `${groupDigits(Math.round(roubles), lang)}${NBSP}₽`;
}

/** Basis points as a percentage: 1234 → «12,34 %» (ru), «12.34%» (en). */
export function formatBp(bp: number, lang: Lang): string {
  const whole = Math.floor(bp / 100);
  const rest = String(bp % 100).padStart(2, '0');
  return lang === 'ru' ? `${whole},${rest}${NBSP}%` : `${whole}.${rest}%`;
}

/** A fraction (0.2534) as a percentage with two decimals. */
export function formatFraction(f: number, lang: Lang): string {
  return formatBp(Math.round(f * 10_000), lang);
}

/** A whole count with grouped thousands. */
export function formatCount(n: number, lang: Lang): string {
  return groupDigits(n, lang);
}

/** A percentage typed by a person («5», «12,5 %») as basis points (500, 1250). */
export function parsePercentBp(text: string, lang: Lang = 'ru'): MoneyParse {
  return parseRoubles(text.replace(/%\s*$/, ''), lang);
}

/** Basis points as an input shows them: 1250 → «12,50». */
export function formatBpInput(bp: number, lang: Lang): string {
  return formatRoublesInput(bp, lang);
}
