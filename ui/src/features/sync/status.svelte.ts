// The exchange as last read: the screen and the navigation's count of open conflicts share it,
// so a conflict resolved or a package loaded on the screen updates the count at once.
import * as backend from '../../ipc/backend';
import type { SyncStatus } from '../../ipc/types';

let current = $state<SyncStatus | null>(null);

export const exchange = {
  get status(): SyncStatus | null {
    return current;
  },
  /** Open entries of the conflicts journal (0 until the status is read). */
  get openConflicts(): number {
    return current?.open_conflicts ?? 0;
  },
};

/** Reads the status again. */
export async function loadSyncStatus(): Promise<SyncStatus> {
  current = await backend.syncStatus();
  return current;
}
