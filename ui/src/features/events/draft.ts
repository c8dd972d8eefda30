// The event form's state: the core's EventInput with times as the datetime inputs hold them.
import type { Event, EventInput } from '../../ipc/types';
import { fromLocalInput, toLocalInput } from '../../lib/dates';

export type EventDraft = Omit<EventInput, 'starts_at' | 'ends_at' | 'territory_id' | 'headcount'> & {
  starts_at: string;
  ends_at: string;
  territory_id: string | null;
  headcount: number | null;
};

export function emptyEvent(now: string, territoryId: string | null): EventDraft {
  return {
    kind: 'citizens_gathering',
    title: '',
    starts_at: now,
    ends_at: '',
    place: '',
    territory_id: territoryId,
    headcount: 0,
    attendees: [],
    initiative_ids: [],
    outcome: '',
    minutes: '',
  };
}

export function draftFromEvent(e: Event): EventDraft {
  return {
    kind: e.kind,
    title: e.title,
    starts_at: toLocalInput(e.starts_at),
    ends_at: toLocalInput(e.ends_at),
    place: e.place,
    territory_id: e.territory_id,
    headcount: e.headcount,
    attendees: e.attendees.map((a) => ({ ...a })),
    initiative_ids: [...e.initiative_ids],
    outcome: e.outcome,
    minutes: e.minutes,
  };
}

/** The input, or the field that still needs a value. */
export function inputFromEvent(d: EventDraft): { input: EventInput } | { missing: 'territory_id' | 'starts_at' } {
  const starts = fromLocalInput(d.starts_at);
  if (!starts) return { missing: 'starts_at' };
  if (!d.territory_id) return { missing: 'territory_id' };
  return {
    input: {
      ...d,
      starts_at: starts,
      ends_at: fromLocalInput(d.ends_at),
      territory_id: d.territory_id,
      headcount: d.headcount ?? 0,
      attendees: d.attendees.map((a) => ({ ...a })),
      initiative_ids: [...d.initiative_ids],
    },
  };
}
