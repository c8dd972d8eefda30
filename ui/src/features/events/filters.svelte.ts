import type { Direction, EventKind, EventQuery, EventSort } from '../../ipc/types';
import { PAGE_SIZE } from '../../lib/keyset.svelte';

export const eventFilter = $state({
  kind: null as EventKind | null,
  territory: null as string | null,
  from: '',
  until: '',
  text: '',
  sort: 'starts_at' as EventSort,
  direction: 'desc' as Direction,
});

export function eventQuery(after: string | null): EventQuery {
  const f = eventFilter;
  return {
    kind: f.kind,
    territory_id: f.territory,
    from: f.from ? `${f.from}T00:00:00` : null,
    until: f.until ? `${f.until}T23:59:59` : null,
    initiative_id: null,
    contact_id: null,
    text: f.text.trim() || null,
    sort: f.sort,
    direction: f.direction,
    after,
    limit: PAGE_SIZE,
  };
}
