// What the backups' screens work out: the name the save dialog proposes, a copy's size, the file
// a path names, and the note a restore leaves for the window it reloads.
import type { Lang, RestoreReport } from '../../ipc/types';

/** «Местно резервная копия 2025-10-28.sqlite»: `prefix` and the day, as ISO so names sort by date. */
export function backupFileName(prefix: string, day: string): string {
  return `${prefix} ${day}.sqlite`;
}

/** Bytes as megabytes with one decimal (at least 0.1: a copy is never nothing). */
export function megabytes(bytes: number, lang: Lang): string {
  const mb = Math.max(bytes / (1024 * 1024), 0.1);
  return new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(mb);
}

/** The file a path names, whichever the separator. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

const RESTORED = 'mestno:restored';

/** Keeps what a restore did for the window reloaded after it. */
export function leaveRestoredNote(report: RestoreReport, storage: Pick<Storage, 'setItem'> = sessionStorage): void {
  storage.setItem(RESTORED, JSON.stringify(report));
}

/** What the restore before the reload did, once; then nothing. */
export function takeRestoredNote(storage: Pick<Storage, 'getItem' | 'removeItem'> = sessionStorage): RestoreReport | null {
  const note = storage.getItem(RESTORED);
  storage.removeItem(RESTORED);
  if (!note) return null;
  try {
    return JSON.parse(note) as RestoreReport;
  } catch {
    return null;
  }
}
