// The records the conflicts journal names: the page of each kind that has one, and the names of
// the territories and programs its values refer to.
import type { Entity } from '../../ipc/types';
import { office, territoryName } from '../office/office.svelte';
import { recordHref } from '../shell/route';

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
