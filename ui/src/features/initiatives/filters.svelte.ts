// The initiatives list's filter and sort, kept while the person opens records and comes back.
import type { Direction, InitiativeQuery, InitiativeSort, ObjectType, Stage } from '../../ipc/types';
import { PAGE_SIZE } from '../../lib/keyset.svelte';

export const initiativeFilter = $state({
  program: null as string | null,
  year: null as number | null,
  territory: null as string | null,
  stages: [] as Stage[],
  objectType: null as ObjectType | null,
  text: '',
  sort: 'title' as InitiativeSort,
  direction: 'asc' as Direction,
});

export function initiativeQuery(after: string | null): InitiativeQuery {
  const f = initiativeFilter;
  return {
    program_id: f.program,
    year: f.year,
    territory_id: f.territory,
    stages: [...f.stages],
    object_type: f.objectType,
    text: f.text.trim() || null,
    sort: f.sort,
    direction: f.direction,
    after,
    limit: PAGE_SIZE,
  };
}
