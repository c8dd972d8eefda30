import { describe, expect, it } from 'vitest';
import { formatBp, formatKopecks, formatKopecksShort, formatRoublesInput, parseRoubles } from './money';

const ok = (kopecks: number) => ({ ok: true, kopecks });

describe('parseRoubles', () => {
  it('reads the Russian notation exactly, to the kopeck', () => {
    expect(parseRoubles('1 234 567,89')).toEqual(ok(123_456_789));
    expect(parseRoubles('1\u00a0234\u00a0567,89 ₽')).toEqual(ok(123_456_789));
    expect(parseRoubles('0,05')).toEqual(ok(5));
    expect(parseRoubles('12,5')).toEqual(ok(1250));
    expect(parseRoubles('100')).toEqual(ok(10_000));
    expect(parseRoubles(',5')).toEqual(ok(50));
  });

  it('accepts a dot as the separator too, and English grouping in English', () => {
    expect(parseRoubles('1234567.89')).toEqual(ok(123_456_789));
    expect(parseRoubles('1,234,567.89', 'en')).toEqual(ok(123_456_789));
  });

  it('never drifts the way floats do', () => {
    // 0.1 + 0.2 and 1.15 * 100 are the classic float traps.
    expect(parseRoubles('0,29')).toEqual(ok(29));
    expect(parseRoubles('1,15')).toEqual(ok(115));
    expect(parseRoubles('4,35')).toEqual(ok(435));
    expect(parseRoubles('90 071 992 547 409,91')).toEqual(ok(9_007_199_254_740_991));
  });

  it('says why it refuses', () => {
    expect(parseRoubles('  ')).toEqual({ ok: false, reason: 'empty' });
    expect(parseRoubles('12,345')).toEqual({ ok: false, reason: 'precision' });
    expect(parseRoubles('двенадцать')).toEqual({ ok: false, reason: 'format' });
    expect(parseRoubles('1,2,3')).toEqual({ ok: false, reason: 'format' });
    expect(parseRoubles('90 071 992 547 409,92')).toEqual({ ok: false, reason: 'range' });
  });

  it('keeps the sign', () => {
    expect(parseRoubles('-1,00')).toEqual(ok(-100));
  });
});

describe('formatting kopecks', () => {
  it('shows roubles the Russian way', () => {
    expect(formatKopecks(123_456_789, 'ru')).toBe('1\u00a0234\u00a0567,89\u00a0₽');
    expect(formatKopecks(5, 'ru')).toBe('0,05\u00a0₽');
    expect(formatKopecks(-100, 'ru')).toBe('-1,00\u00a0₽');
    expect(formatKopecks(123_456_789, 'en')).toBe('1,234,567.89\u00a0₽');
  });

  it('round-trips through the input notation for any amount', () => {
    const samples = [0, 1, 99, 100, 101, 123_456_789, 9_007_199_254_740_991];
    for (let i = 0; i < 500; i++) samples.push(Math.floor(Math.random() * Number.MAX_SAFE_INTEGER));
    for (const k of samples) {
      for (const lang of ['ru', 'en'] as const) {
        expect(parseRoubles(formatRoublesInput(k, lang), lang)).toEqual(ok(k));
        expect(parseRoubles(formatKopecks(k, lang), lang)).toEqual(ok(k));
      }
    }
  });

  it('refuses fractional kopecks rather than hiding them', () => {
    expect(() => formatKopecks(1.5, 'ru')).toThrow(RangeError);
  });

  it('shortens large sums for charts', () => {
    expect(formatKopecksShort(97_100_000_000, 'ru')).toBe('971,0\u00a0млн\u00a0₽');
    expect(formatKopecksShort(50_000, 'en')).toBe('500\u00a0₽');
  });

  it('shows basis points as percentages', () => {
    expect(formatBp(1234, 'ru')).toBe('12,34\u00a0%');
    expect(formatBp(500, 'en')).toBe('5.00%');
  });
});

describe('percentages as basis points', () => {
  it('reads and writes shares exactly', async () => {
    const { parsePercentBp, formatBpInput } = await import('./money');
    expect(parsePercentBp('5')).toEqual(ok(500));
    expect(parsePercentBp('12,5 %')).toEqual(ok(1250));
    expect(parsePercentBp('0,01')).toEqual(ok(1));
    expect(formatBpInput(1250, 'ru')).toBe('12,50');
  });
});
