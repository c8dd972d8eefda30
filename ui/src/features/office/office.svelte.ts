// What every screen needs to know about the office: its info, territory tree and programs.
// Loaded once, reloaded after settings change them.

import * as backend from '../../ipc/backend';
import type { AppInfo, Program, TerritoryNode } from '../../ipc/types';

let info = $state<AppInfo | null>(null);
let territories = $state<TerritoryNode[]>([]);
let programs = $state<Program[]>([]);

export const office = {
  get info() {
    return info;
  },
  set info(v: AppInfo | null) {
    info = v;
  },
  get territories() {
    return territories;
  },
  get programs() {
    return programs;
  },
};

export async function loadCatalog(): Promise<void> {
  const [t, p] = await Promise.all([backend.territories(), backend.programs()]);
  territories = t;
  programs = p;
}

export function territoryName(id: string | null | undefined): string {
  return territories.find((t) => t.id === id)?.name ?? '';
}
