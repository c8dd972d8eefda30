// Contacts and initiatives as choices for pickers, found by the core's text filters.
import * as backend from '../../ipc/backend';
import type { Choice } from '../../lib/choice';

export async function findContacts(text: string): Promise<Choice[]> {
  const page = await backend.listContacts({
    role: null,
    territory_id: null,
    consent_on: null,
    text,
    sort: 'name',
    direction: 'asc',
    after: null,
    limit: 10,
  });
  return page.items.map((c) => ({
    id: c.id,
    label: c.display_name,
    detail: [c.org_name, c.territory_name].filter(Boolean).join(', '),
  }));
}

export async function findInitiatives(text: string): Promise<Choice[]> {
  const page = await backend.listInitiatives({
    program_id: null,
    year: null,
    territory_id: null,
    stages: [],
    object_type: null,
    text,
    sort: 'updated',
    direction: 'desc',
    after: null,
    limit: 10,
  });
  return page.items.map((i) => ({ id: i.id, label: i.title, detail: `${i.territory_name}, ${i.year}` }));
}
