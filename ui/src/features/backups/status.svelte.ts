// The office's backups as last read: the settings' tab and the warning at the top of the window
// share it, so a copy made in the one clears the other.
import * as backend from '../../ipc/backend';
import type { BackupStatus } from '../../ipc/types';

let current = $state<BackupStatus | null>(null);

export const backups = {
  get status(): BackupStatus | null {
    return current;
  },
  set status(s: BackupStatus | null) {
    current = s;
  },
};

/** Reads the status again (it waits for the automatic copy started with the office). */
export async function loadBackupStatus(): Promise<BackupStatus> {
  current = await backend.backupStatus();
  return current;
}
