import { describe, expect, it } from 'vitest';
import { Baseline, canonicalJson } from './dirty';

describe('form dirtiness', () => {
  it('a form just loaded is clean, even as a copy with keys in another order', () => {
    const loaded = { title: 'Ремонт', budget: [{ source: 'residents', planned: '10' }], year: 2025 };
    const b = new Baseline(loaded);
    expect(b.differs({ year: 2025, budget: [{ planned: '10', source: 'residents' }], title: 'Ремонт' })).toBe(false);
  });

  it('any changed value makes it dirty, and changing it back makes it clean again', () => {
    const form = { title: 'Ремонт', budget: [{ source: 'residents', planned: '10' }] };
    const b = new Baseline(form);
    const edited = structuredClone(form);
    edited.budget[0]!.planned = '11';
    expect(b.differs(edited)).toBe(true);
    edited.budget[0]!.planned = '10';
    expect(b.differs(edited)).toBe(false);
    edited.budget.push({ source: 'business', planned: '' });
    expect(b.differs(edited)).toBe(true);
  });

  it('after a save the saved state is clean', () => {
    const b = new Baseline({ title: 'a' });
    expect(b.differs({ title: 'b' })).toBe(true);
    b.reset({ title: 'b' });
    expect(b.differs({ title: 'b' })).toBe(false);
  });

  it('canonical JSON ignores key order only', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(canonicalJson([2, 1])).toBe('[2,1]');
  });
});
