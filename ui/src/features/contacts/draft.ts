// The contact form's state: the core's ContactInput with tags as one comma-separated line.
import type { Contact, ContactInput } from '../../ipc/types';

export type ContactDraft = Omit<ContactInput, 'tags'> & { tags: string };

export function emptyContact(): ContactDraft {
  return {
    kind: 'person',
    last_name: '',
    first_name: '',
    middle_name: '',
    org_name: '',
    position: '',
    territory_id: null,
    address: '',
    notes: '',
    roles: [],
    phones: [''],
    emails: [],
    tags: '',
  };
}

export function draftFromContact(c: Contact): ContactDraft {
  return {
    kind: c.kind,
    last_name: c.last_name,
    first_name: c.first_name,
    middle_name: c.middle_name,
    org_name: c.org_name,
    position: c.position,
    territory_id: c.territory_id,
    address: c.address,
    notes: c.notes,
    roles: [...c.roles],
    phones: [...c.phones],
    emails: [...c.emails],
    tags: c.tags.join(', '),
  };
}

/** Drops empty phone and e-mail rows (in the draft too, so the core's `phones[i]` match the inputs). */
export function inputFromContact(d: ContactDraft): ContactInput {
  d.phones = d.phones.filter((p) => p.trim() !== '');
  d.emails = d.emails.filter((p) => p.trim() !== '');
  return {
    ...d,
    roles: [...d.roles],
    phones: [...d.phones],
    emails: [...d.emails],
    tags: d.tags
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}
