import { describe, expect, it } from 'vitest';
import type { Page } from '../ipc/types';
import { KeysetList } from './keyset.svelte';

const rows = Array.from({ length: 250 }, (_, i) => ({ id: String(i).padStart(3, '0') }));

/** A core-like source: pages of `size` after the cursor, which is the last id. */
function source(size = 100) {
  const asked: (string | null)[] = [];
  const fetch = async (after: string | null): Promise<Page<{ id: string }>> => {
    asked.push(after);
    const start = after === null ? 0 : rows.findIndex((r) => r.id === after) + 1;
    const items = rows.slice(start, start + size);
    return { items, next: start + size < rows.length ? (items.at(-1)?.id ?? null) : null, total: rows.length };
  };
  return { fetch, asked };
}

describe('KeysetList', () => {
  it('loads the first page on reset and the following ones on demand, never all at once', async () => {
    const s = source();
    const list = new KeysetList(s.fetch);
    await list.reset();
    expect(list.rows).toHaveLength(100);
    expect(list.total).toBe(250);
    await list.more();
    await list.more();
    expect(list.rows).toHaveLength(250);
    expect(list.hasMore).toBe(false);
    await list.more();
    expect(s.asked).toEqual([null, '099', '199']);
  });

  it('drops a late page of a query that was replaced', async () => {
    let release: () => void = () => {};
    const slow = () =>
      new Promise<Page<{ id: string }>>((done) => {
        release = () => done({ items: [{ id: 'old' }], next: null, total: 1 });
      });
    const list = new KeysetList(slow);
    const first = list.reset();
    const fresh = list.reset(async () => ({ items: [{ id: 'new' }], next: null, total: 1 }));
    await fresh;
    release();
    await first;
    expect(list.rows.map((r) => r.id)).toEqual(['new']);
  });

  it('keeps the rows it has when a page fails, and says why', async () => {
    const list = new KeysetList<{ id: string }>(async () => {
      throw { code: 'storage', message: 'база заблокирована', fields: [] };
    });
    await list.reset();
    expect(list.error?.code).toBe('storage');
    expect(list.loading).toBe(false);
  });
});
