// Reading what the page's office holds through the real commands, as a test checks what the UI
// did (never through the UI itself).
import { backend } from './harness.mjs';

/** Every row of list command `cmd` (list_initiatives, list_contacts, list_events) for `query`. */
export async function all(page, cmd, query = {}) {
  const rows = [];
  let after = null;
  do {
    const found = await backend(page, cmd, { query: { ...query, after, limit: 500 } });
    rows.push(...found.items);
    after = found.next;
  } while (after);
  return rows;
}

/** The one territory called `name`, with its population by year. */
export async function territoryNamed(page, name) {
  const found = (await backend(page, 'territories')).filter((t) => t.name === name);
  if (found.length !== 1) throw new Error(`${found.length} territories called «${name}»`);
  return backend(page, 'territory', { id: found[0].id });
}

/** The contacts whose name or other fields match `text`, as full records. */
export async function contactsMatching(page, text) {
  const rows = await all(page, 'list_contacts', { text });
  return Promise.all(rows.map((r) => backend(page, 'contact', { id: r.id })));
}
