// Fake contacts (with consents) and engagement events.
import type {
  ConsentInput,
  Contact,
  ContactActivity,
  ContactInput,
  ContactQuery,
  ContactRow,
  Erased,
  ErasureLogEntry,
  ErasureRequest,
  Event,
  EventInput,
  EventQuery,
  EventRow,
  Page,
} from '../types';
import { bump, created, deleted, diff, fail, matches, newId, notFound, page, Problems, record, stamp, subtree, type Db } from './db';

function displayName(c: ContactInput): string {
  return c.kind === 'person'
    ? [c.last_name, c.first_name, c.middle_name].map((s) => s.trim()).filter(Boolean).join(' ')
    : c.org_name.trim();
}

/** «8 (913) 555-12-34» → «+79135551234»; null when it is no Russian number. */
export function normalizePhone(raw: string): string | null {
  const d = raw.replace(/\D/g, '');
  if (d.length === 11 && (d[0] === '7' || d[0] === '8')) return `+7${d.slice(1)}`;
  if (d.length === 10 && d[0] === '9') return `+7${d}`;
  return null;
}

function normalize(db: Db, input: ContactInput): ContactInput {
  const c = structuredClone(input);
  const p = new Problems();
  if (c.kind === 'person' && !c.last_name.trim() && !c.first_name.trim()) {
    p.push('last_name', 'укажите фамилию или имя', 'enter a surname or a first name');
  }
  if (c.kind === 'organisation' && !c.org_name.trim()) {
    p.push('org_name', 'укажите название организации', "enter the organisation's name");
  }
  c.phones = c.phones.map((raw, i) => {
    const phone = normalizePhone(raw);
    if (!phone) p.push(`phones[${i}]`, `«${raw}» не похож на российский номер телефона`, `«${raw}» is not a Russian phone number`);
    return phone ?? raw;
  });
  c.emails = c.emails.map((raw, i) => {
    const e = raw.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) p.push(`emails[${i}]`, `«${raw}» не похож на адрес эл. почты`, `«${raw}» is not an e-mail address`);
    return e;
  });
  p.check(db.info.lang);
  c.phones = [...new Set(c.phones)];
  c.emails = [...new Set(c.emails)];
  c.roles = [...new Set(c.roles)];
  return c;
}

export function contact(db: Db, id: string): Contact {
  return db.contacts.find((c) => c.id === id) ?? notFound(db.info.lang, 'contact', id);
}

export function saveContact(db: Db, id: string | null, rev: number | null, input: ContactInput): Contact {
  const c = normalize(db, input);
  if (!id) {
    const made: Contact = { ...c, id: newId(), display_name: displayName(c), consents: [], stamp: stamp(db) };
    db.contacts.push(made);
    record(db, made.id, 'create', created(c));
    return made;
  }
  const old = contact(db, id);
  const updated: Contact = { ...old, ...c, display_name: displayName(c), stamp: bump(db, 'contact', old.stamp, rev) };
  db.contacts[db.contacts.indexOf(old)] = updated;
  record(db, id, 'update', diff(old, c));
  return updated;
}

export function deleteContact(db: Db, id: string): null {
  const { id: _id, display_name: _n, consents: _c, stamp: _s, ...input } = contact(db, id);
  db.contacts = db.contacts.filter((c) => c.id !== id);
  for (const e of db.events) e.attendees = e.attendees.filter((a) => a.contact_id !== id);
  record(db, id, 'delete', deleted(input));
  return null;
}

/** One person entered twice: `duplicate` goes into `keep` (as the core's merge_contacts does). */
export function mergeContacts(db: Db, keepId: string, rev: number, duplicateId: string): Contact {
  if (keepId === duplicateId) {
    fail('refused', db.info.lang === 'ru' ? 'контакт нельзя объединить с самим собой' : 'a contact cannot be merged with itself');
  }
  const keep = contact(db, keepId);
  const dup = contact(db, duplicateId);
  if (keep.kind !== dup.kind) {
    fail('refused', db.info.lang === 'ru' ? 'человека и организацию объединить нельзя' : 'a person and an organisation cannot be merged');
  }
  const fill = (a: string, b: string) => (a.trim() ? a : b);
  const join = <T>(a: T[], b: T[]) => [...a, ...b.filter((x) => !a.includes(x))];
  const merged: Contact = {
    ...keep,
    middle_name: fill(keep.middle_name, dup.middle_name),
    position: fill(keep.position, dup.position),
    address: fill(keep.address, dup.address),
    territory_id: keep.territory_id ?? dup.territory_id,
    roles: join(keep.roles, dup.roles),
    phones: join(keep.phones, dup.phones).sort(),
    emails: join(keep.emails, dup.emails).sort(),
    tags: join(keep.tags, dup.tags),
    consents: [...keep.consents, ...dup.consents],
    stamp: bump(db, 'contact', keep.stamp, rev),
  };
  merged.display_name = displayName(merged);
  db.contacts[db.contacts.indexOf(keep)] = merged;
  for (const e of db.events) {
    const hasKeep = e.attendees.some((a) => a.contact_id === keepId);
    e.attendees = e.attendees
      .filter((a) => !(hasKeep && a.contact_id === duplicateId))
      .map((a) => (a.contact_id === duplicateId ? { ...a, contact_id: keepId } : a));
  }
  for (const i of db.initiatives) {
    if (i.initiator.contact_id === duplicateId) i.initiator.contact_id = keepId;
  }
  db.contacts = db.contacts.filter((c) => c.id !== duplicateId);
  record(db, keepId, 'update', { merged_from: { new: { id: duplicateId, name: dup.display_name } } });
  record(db, duplicateId, 'delete', { merged_into: { new: { id: keepId, name: keep.display_name } } });
  return structuredClone(merged);
}

export function addConsent(db: Db, id: string, input: ConsentInput, today: string): Contact {
  const c = contact(db, id);
  const p = new Problems();
  p.blank('purpose', input.purpose, 'цель обработки персональных данных', 'purpose of processing');
  if (input.given_on > today) p.push('given_on', 'согласие не может быть дано в будущем', 'consent cannot be given in the future');
  if (input.expires_on && input.expires_on < input.given_on) {
    p.push('expires_on', 'срок действия заканчивается раньше, чем согласие дано', 'the consent expires before it was given');
  }
  p.check(db.info.lang);
  c.consents = [...c.consents, { ...input, id: newId(), withdrawn_on: null }];
  c.stamp = { ...c.stamp, rev: c.stamp.rev + 1 };
  record(db, id, 'update', { consent: { new: input } });
  return structuredClone(c);
}

export function withdrawConsent(db: Db, consentId: string, on: string): Contact {
  const c = db.contacts.find((x) => x.consents.some((k) => k.id === consentId)) ?? notFound(db.info.lang, 'consent', consentId);
  c.consents = c.consents.map((k) => (k.id === consentId ? { ...k, withdrawn_on: on } : k));
  c.stamp = { ...c.stamp, rev: c.stamp.rev + 1 };
  record(db, c.id, 'update', { consent_withdrawn_on: { old: null, new: on } });
  return structuredClone(c);
}

function consentInForce(c: Contact, day: string): boolean {
  if (c.kind === 'organisation') return true;
  return c.consents.some((k) => k.given_on <= day && (!k.withdrawn_on || k.withdrawn_on > day) && (!k.expires_on || k.expires_on >= day));
}

export function listContacts(db: Db, q: ContactQuery): Page<ContactRow> {
  const within = subtree(db, q.territory_id);
  const rows = db.contacts.filter(
    (c) =>
      (!q.role || c.roles.includes(q.role)) &&
      (!within || (c.territory_id !== null && within.has(c.territory_id))) &&
      (!q.consent_on || consentInForce(c, q.consent_on)) &&
      matches(`${c.display_name} ${c.org_name} ${c.phones.join(' ')}`, q.text),
  );
  const key = q.sort === 'updated' ? (c: Contact) => c.stamp.updated_at : (c: Contact) => c.display_name.toLowerCase();
  const p = page(rows, key, q.direction, q.after, q.limit);
  return {
    ...p,
    items: p.items.map((c) => ({
      id: c.id,
      kind: c.kind,
      display_name: c.display_name,
      org_name: c.org_name,
      territory_name: db.territories.find((t) => t.id === c.territory_id)?.name ?? null,
      phone: c.phones[0] ?? null,
      roles: c.roles,
      updated_at: c.stamp.updated_at,
    })),
  };
}

/** At most this many of each, as the shell asks the core for. */
const ACTIVITY_LIMIT = 200;

/** Newest first, by `keys` then id, as the core orders them. */
function newestFirst<T extends { id: string }>(rows: T[], keys: (r: T) => (string | number)[]): T[] {
  const k = (r: T) => [...keys(r), r.id];
  return rows.sort((a, b) => {
    const [x, y] = [k(a), k(b)];
    for (let n = 0; n < x.length; n++) {
      const [u, v] = [x[n] as string | number, y[n] as string | number];
      if (u !== v) return u < v ? 1 : -1;
    }
    return 0;
  });
}

/** The initiatives the contact put forward or that were discussed at events they attended, and those events. */
export function contactActivity(db: Db, id: string): ContactActivity {
  contact(db, id);
  const attended = db.events.filter((e) => e.attendees.some((a) => a.contact_id === id));
  const discussed = new Set(attended.flatMap((e) => e.initiative_ids));
  const initiatives = db.initiatives.filter((i) => i.initiator.contact_id === id || discussed.has(i.id));
  return {
    initiatives: newestFirst(initiatives, (i) => [i.year, i.stage_on])
      .slice(0, ACTIVITY_LIMIT)
      .map((i) => ({ id: i.id, title: i.title, year: i.year, stage: i.stage, initiator: i.initiator.contact_id === id })),
    events: newestFirst(attended, (e) => [e.starts_at])
      .slice(0, ACTIVITY_LIMIT)
      .map((e) => ({
        id: e.id,
        title: e.title,
        starts_at: e.starts_at,
        kind: e.kind,
        role: e.attendees.find((a) => a.contact_id === id)?.role ?? 'participant',
      })),
  };
}

export function event(db: Db, id: string): Event {
  return db.events.find((e) => e.id === id) ?? notFound(db.info.lang, 'event', id);
}

export function saveEvent(db: Db, id: string | null, rev: number | null, input: EventInput): Event {
  const p = new Problems();
  p.blank('title', input.title, 'название мероприятия', "event's title");
  if (input.ends_at && input.ends_at < input.starts_at) {
    p.push('ends_at', 'мероприятие заканчивается раньше, чем начинается', 'the event ends before it starts');
  }
  if (input.headcount < input.attendees.length) {
    p.push(
      'headcount',
      `участников всего (${input.headcount}) меньше, чем названо поимённо (${input.attendees.length})`,
      `the headcount (${input.headcount}) is below the number of named attendees (${input.attendees.length})`,
    );
  }
  if (!db.territories.some((t) => t.id === input.territory_id)) p.push('territory_id', 'нет такой территории', 'no such territory');
  p.check(db.info.lang);
  if (!id) {
    const e: Event = { ...structuredClone(input), id: newId(), stamp: stamp(db) };
    db.events.push(e);
    record(db, e.id, 'create', created(input));
    return e;
  }
  const old = event(db, id);
  const e: Event = { ...structuredClone(input), id, stamp: bump(db, 'event', old.stamp, rev) };
  db.events[db.events.indexOf(old)] = e;
  record(db, id, 'update', diff(old, input));
  return e;
}

export function deleteEvent(db: Db, id: string): null {
  const { id: _id, stamp: _s, ...input } = event(db, id);
  db.events = db.events.filter((e) => e.id !== id);
  record(db, id, 'delete', deleted(input));
  return null;
}

export function listEvents(db: Db, q: EventQuery): Page<EventRow> {
  const within = subtree(db, q.territory_id);
  const rows = db.events.filter(
    (e) =>
      (!q.kind || e.kind === q.kind) &&
      (!within || within.has(e.territory_id)) &&
      (!q.from || e.starts_at >= q.from) &&
      (!q.until || e.starts_at < q.until) &&
      (!q.initiative_id || e.initiative_ids.includes(q.initiative_id)) &&
      (!q.contact_id || e.attendees.some((a) => a.contact_id === q.contact_id)) &&
      matches(`${e.title} ${e.place}`, q.text),
  );
  const key = q.sort === 'title' ? (e: Event) => e.title.toLowerCase() : (e: Event) => e.starts_at;
  const p = page(rows, key, q.direction, q.after, q.limit);
  return {
    ...p,
    items: p.items.map((e) => ({
      id: e.id,
      kind: e.kind,
      title: e.title,
      starts_at: e.starts_at,
      place: e.place,
      territory_name: db.territories.find((t) => t.id === e.territory_id)?.name ?? '',
      headcount: e.headcount,
      named: e.attendees.length,
    })),
  };
}


/** Everything held about person `id`, as the rows an export would write. */
export function exportPerson(db: Db, id: string): number {
  const c = contact(db, id);
  const attended = db.events.filter((e) => e.attendees.some((a) => a.contact_id === id)).length;
  return 1 + c.phones.length + c.emails.length + c.consents.length + attended + (db.history.get(id)?.length ?? 0);
}

/** Erases person `id` on `request` as the core does: the record, attendance and history go; the
 * log keeps the act's number and the request, never the person. */
export function erasePerson(db: Db, id: string, request: ErasureRequest, act: string, today: string): Erased {
  const p = new Problems();
  p.blank('request_number', request.request_number, 'регистрационный номер запроса', "request's number");
  p.blank('reason', request.reason, 'причину уничтожения', 'reason for the erasure');
  if (request.requested_on > today) p.push('requested_on', 'дата запроса в будущем', 'the request is dated in the future');
  p.check(db.info.lang);
  const c = contact(db, id);
  let attendances = 0;
  for (const e of db.events) {
    const before = e.attendees.length;
    e.attendees = e.attendees.filter((a) => a.contact_id !== id);
    attendances += before - e.attendees.length;
  }
  db.contacts = db.contacts.filter((x) => x.id !== id);
  const history = db.history.get(id)?.length ?? 0;
  db.history.delete(id);
  const year = Number(today.slice(0, 4));
  const seq = db.erasures.filter((e) => e.act_number.endsWith(`/${year}`)).length + 1;
  const log: ErasureLogEntry = {
    id: newId(),
    act_number: `${seq}/${year}`,
    erased_at: db.clock,
    erased_on: today,
    actor: 'Петрова А. В.',
    device: 'mock',
    request_number: request.request_number.trim(),
    requested_on: request.requested_on,
    reason: request.reason.trim(),
    basis: request.basis,
    categories: ['фамилия, имя, отчество', ...(c.phones.length ? ['номера телефонов'] : [])],
    method: 'удаление из базы данных и поискового индекса',
    counts: {
      contacts: 1,
      roles: c.roles.length,
      phones: c.phones.length,
      emails: c.emails.length,
      tags: c.tags.length,
      consents: c.consents.length,
      attendances,
      attachments: 0,
      history_deleted: history,
      initiatives_changed: 0,
      events_changed: 0,
      appeals_changed: 0,
      contacts_changed: 0,
      other_rows_changed: 0,
      history_redacted: 0,
    },
  };
  db.erasures.unshift(log);
  return { log, act, files_removed: 0 };
}
