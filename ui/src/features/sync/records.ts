// The records the conflicts journal names, by kind and id: their titles, and the page of each
// kind that has one.
import * as backend from '../../ipc/backend';
import type { Entity } from '../../ipc/types';
import { office, territoryName } from '../office/office.svelte';
import { recordHref } from '../shell/route';

/** The record's title, or '' when it is gone (deleted, or erased) or of a kind with none. */
export async function recordTitle(entity: Entity, id: string): Promise<string> {
  try {
    switch (entity) {
      case 'territory':
        return territoryName(id);
      case 'program':
        return office.programs.find((p) => p.id === id)?.name ?? '';
      case 'initiative':
        return (await backend.initiative(id)).title;
      case 'contact':
        return (await backend.contact(id)).display_name;
      case 'event':
        return (await backend.event(id)).title;
      default:
        return '';
    }
  } catch {
    return '';
  }
}

/** The record's page, for kinds that have one. */
export function recordPage(entity: Entity, id: string): string | null {
  switch (entity) {
    case 'initiative':
      return recordHref('initiatives', id);
    case 'contact':
      return recordHref('contacts', id);
    case 'event':
      return recordHref('events', id);
    default:
      return null;
  }
}

/** The name of a territory or program a value refers to by id, if this office has it. */
export function referenceName(id: string): string {
  return territoryName(id) || office.programs.find((p) => p.id === id)?.name || '';
}
