import { describe, expect, it } from 'vitest';
import type { Page } from '../types';
import { matches, page } from './db';

const rows = Array.from({ length: 7 }, (_, i) => ({ id: `id${i}`, n: i % 3 }));

describe('the fake backend', () => {
  it('pages by (key, id) like the core: stable, no row twice, none missed', () => {
    for (const dir of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const p: Page<(typeof rows)[number]> = page(rows, (r) => r.n, dir, after, 3);
        seen.push(...p.items.map((r) => r.id));
        after = p.next;
      } while (after);
      expect(seen.sort()).toEqual(rows.map((r) => r.id).sort());
    }
  });

  it('matches every word as a prefix, ё or е alike', () => {
    expect(matches('Ремонт дороги в с. Ёлкино', 'дорог елк')).toBe(true);
    expect(matches('Ремонт дороги', 'мост')).toBe(false);
  });
});
