import { describe, expect, it } from 'vitest';
import type { AppError, Page } from '../types';
import { matches, newDb, page } from './db';
import { loadDemo } from './demo';
import { deleteInitiative, initiative } from './initiatives';
import { contactActivity } from './people';

/** What `f` throws, as the UI would receive it. */
function thrown(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('nothing thrown');
}

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

  it('words a missing record as the core does', () => {
    const db = newDb();
    expect(thrown(() => initiative(db, 'x1'))).toEqual({ code: 'not_found', message: 'не найден проект «x1»', fields: [] });
    db.info.lang = 'en';
    expect(thrown(() => deleteInitiative(db, 'x1')).message).toBe('no such initiative: «x1»');
  });

  it("lists a contact's initiatives as the core does: put forward, or discussed at events they attended", async () => {
    const db = newDb();
    await loadDemo(db, 'small', async () => {});
    const event = db.events.find((e) => e.attendees.length && e.initiative_ids.length);
    const attendee = event?.attendees[0]?.contact_id ?? '';
    const a = contactActivity(db, attendee);
    expect(a.events.map((e) => e.id)).toContain(event?.id);
    const discussed = a.initiatives.find((i) => i.id === event?.initiative_ids[0]);
    expect(discussed?.initiator).toBe(initiative(db, discussed?.id ?? '').initiator.contact_id === attendee);
    for (const i of a.initiatives) expect(Object.keys(i).sort()).toEqual(['id', 'initiator', 'stage', 'title', 'year']);
  });
});
