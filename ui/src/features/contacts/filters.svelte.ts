import type { ContactQuery, ContactSort, Direction, Role } from '../../ipc/types';
import { today } from '../../lib/dates';
import { PAGE_SIZE } from '../../lib/keyset.svelte';

export const contactFilter = $state({
  role: null as Role | null,
  territory: null as string | null,
  consentOnly: false,
  text: '',
  sort: 'name' as ContactSort,
  direction: 'asc' as Direction,
});

export function contactQuery(after: string | null): ContactQuery {
  const f = contactFilter;
  return {
    role: f.role,
    territory_id: f.territory,
    consent_on: f.consentOnly ? today() : null,
    text: f.text.trim() || null,
    sort: f.sort,
    direction: f.direction,
    after,
    limit: PAGE_SIZE,
  };
}
