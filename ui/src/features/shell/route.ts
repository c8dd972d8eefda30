// Where the app is: a small closed set of screens, kept in the URL hash (#/initiatives/…) so
// the back button and links work without a server.

export type Area = 'dashboard' | 'initiatives' | 'contacts' | 'events' | 'reports' | 'import' | 'sync' | 'settings';

export type Route =
  | { area: 'dashboard' }
  | { area: 'initiatives' | 'contacts' | 'events'; id: string | null }
  | { area: 'reports' }
  | { area: 'import' }
  | { area: 'sync' }
  | { area: 'settings'; tab: SettingsTab };

export type SettingsTab = 'territories' | 'programs' | 'office' | 'erasures' | 'updates' | 'backups' | 'server';

export const AREAS: readonly Area[] = ['dashboard', 'initiatives', 'contacts', 'events', 'reports', 'import', 'sync', 'settings'];

/** `#/initiatives/new` → {area: 'initiatives', id: 'new'}; anything unknown is the dashboard. */
export function parseRoute(hash: string): Route {
  const [area, arg] = hash.replace(/^#?\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (area) {
    case 'initiatives':
    case 'contacts':
    case 'events':
      return { area, id: arg ?? null };
    case 'reports':
    case 'import':
    case 'sync':
      return { area };
    case 'settings':
      return {
        area,
        tab:
          arg === 'programs' || arg === 'office' || arg === 'erasures' || arg === 'updates' || arg === 'backups' || arg === 'server'
            ? arg
            : 'territories',
      };
    default:
      return { area: 'dashboard' };
  }
}

export function formatRoute(r: Route): string {
  switch (r.area) {
    case 'initiatives':
    case 'contacts':
    case 'events':
      return r.id ? `#/${r.area}/${encodeURIComponent(r.id)}` : `#/${r.area}`;
    case 'settings':
      return `#/settings/${r.tab}`;
    default:
      return `#/${r.area}`;
  }
}

/** The hash of a record's page. */
export function recordHref(area: 'initiatives' | 'contacts' | 'events', id: string): string {
  return formatRoute({ area, id });
}
