// The shared server as last read, and the window's own sync every N minutes while it is open:
// the settings' «Сервер» tab and the side bar's status line share it. A sync that fails (the
// server unreachable) is recorded by the core as the last sync; work goes on offline.
import * as backend from '../../ipc/backend';
import type { ServerStatus, ServerSyncReport } from '../../ipc/types';
import { loadCatalog } from '../office/office.svelte';
import { loadSyncStatus } from './status.svelte';

let current = $state<ServerStatus | null>(null);
let syncing = $state(false);
let timer: ReturnType<typeof setTimeout> | null = null;

export const server = {
  get status(): ServerStatus | null {
    return current;
  },
  get syncing(): boolean {
    return syncing;
  },
};

/** Reads the status again, and sets the next automatic sync by it. */
export async function loadServerStatus(): Promise<ServerStatus> {
  current = await backend.serverStatus();
  schedule();
  return current;
}

/** Keeps the status a command returned, and sets the next automatic sync by it. */
export function setServerStatus(status: ServerStatus) {
  current = status;
  schedule();
}

/** Syncs now; what arrived is shown at once (the lists, the conflicts count). */
export async function syncServerNow(): Promise<ServerSyncReport> {
  syncing = true;
  try {
    const report = await backend.serverSyncNow();
    if (report.applied.new_changes > 0) await Promise.all([loadCatalog(), loadSyncStatus()]).catch(() => {});
    return report;
  } finally {
    syncing = false;
    await loadServerStatus().catch(() => {});
  }
}

function schedule() {
  if (timer) clearTimeout(timer);
  timer = null;
  const minutes = current?.server ? current.auto_minutes : null;
  if (!minutes) return;
  timer = setTimeout(() => {
    timer = null;
    if (syncing) return schedule();
    syncServerNow().catch(() => {});
  }, minutes * 60_000);
}

/** At the window's start: reads the status and, with the automatic sync on, syncs shortly. */
export async function startServerSync(): Promise<void> {
  await loadServerStatus();
  if (current?.server && current.auto_minutes) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      syncServerNow().catch(() => {});
    }, 5_000);
  }
}

/** Stops the automatic sync (the window closing the office). */
export function stopServerSync() {
  if (timer) clearTimeout(timer);
  timer = null;
}
