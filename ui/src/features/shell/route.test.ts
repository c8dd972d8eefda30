import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from './route';

describe('routes', () => {
  it('round-trip through the hash', () => {
    for (const hash of ['#/dashboard', '#/initiatives', '#/initiatives/new', '#/contacts/0190-ab', '#/reports', '#/import', '#/sync', '#/settings/programs', '#/settings/office', '#/settings/erasures', '#/settings/backups']) {
      expect(formatRoute(parseRoute(hash))).toBe(hash);
    }
  });

  it('send anything unknown to the dashboard', () => {
    expect(parseRoute('')).toEqual({ area: 'dashboard' });
    expect(parseRoute('#/nowhere/1')).toEqual({ area: 'dashboard' });
    expect(parseRoute('#/settings')).toEqual({ area: 'settings', tab: 'territories' });
    expect(parseRoute('#/import/whatever')).toEqual({ area: 'import' });
  });
});
