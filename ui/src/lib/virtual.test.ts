import { describe, expect, it } from 'vitest';
import { rowWindow, wantsMore } from './virtual';

const base = { scrollTop: 0, viewport: 400, rowHeight: 40, count: 20_000, overscan: 5 };

describe('rowWindow', () => {
  it('renders only the visible rows and the overscan at the top', () => {
    const w = rowWindow(base);
    expect(w).toEqual({ start: 0, end: 16, padTop: 0, height: 800_000 });
  });

  it('follows the scroll position', () => {
    const w = rowWindow({ ...base, scrollTop: 40 * 1000 + 15 });
    expect(w.start).toBe(995);
    expect(w.end).toBe(1016);
    expect(w.padTop).toBe(995 * 40);
    expect(w.end - w.start).toBeLessThan(30);
  });

  it('never runs past the last row when scrolled to (or beyond) the end', () => {
    const w = rowWindow({ ...base, scrollTop: 10_000_000 });
    expect(w.end).toBe(20_000);
    expect(w.start).toBeGreaterThan(19_980);
  });

  it('handles a list shorter than the viewport and an empty one', () => {
    expect(rowWindow({ ...base, count: 3 })).toEqual({ start: 0, end: 3, padTop: 0, height: 120 });
    expect(rowWindow({ ...base, count: 0 })).toEqual({ start: 0, end: 0, padTop: 0, height: 0 });
  });

  it('keeps the rendered window small whatever the list size', () => {
    for (const scrollTop of [0, 1234, 56_789, 400_000, 799_600]) {
      const w = rowWindow({ ...base, scrollTop });
      expect(w.end - w.start).toBeLessThanOrEqual(Math.ceil(400 / 40) + 1 + 2 * 5);
    }
  });
});

describe('wantsMore', () => {
  it('asks for the next page near the end only', () => {
    const near = rowWindow({ ...base, count: 100, scrollTop: 100 * 40 - 400 });
    const far = rowWindow({ ...base, count: 100 });
    expect(wantsMore(near, 100, true, false)).toBe(true);
    expect(wantsMore(far, 100, true, false)).toBe(false);
    expect(wantsMore(near, 100, false, false)).toBe(false);
    expect(wantsMore(near, 100, true, true)).toBe(false);
  });
});
