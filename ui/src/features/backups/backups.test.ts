import { describe, expect, it } from 'vitest';
import type { RestoreReport } from '../../ipc/types';
import { backupFileName, fileName, leaveRestoredNote, megabytes, takeRestoredNote } from './backups';

describe('backups', () => {
  it('propose a file name that sorts by date', () => {
    expect(backupFileName('Местно резервная копия', '2025-10-28')).toBe('Местно резервная копия 2025-10-28.sqlite');
  });

  it('show sizes in megabytes, never as nothing', () => {
    expect(megabytes(5 * 1024 * 1024 + 300 * 1024, 'ru')).toBe('5,3');
    expect(megabytes(5 * 1024 * 1024 + 300 * 1024, 'en')).toBe('5.3');
    expect(megabytes(40 * 1024, 'ru')).toBe('0,1');
  });

  it('name the file a path ends in, on any system', () => {
    expect(fileName('/media/usb/mestno-backup-2025-10-28.sqlite')).toBe('mestno-backup-2025-10-28.sqlite');
    expect(fileName('E:\\Копии\\mestno-backup-2025-10-28.sqlite')).toBe('mestno-backup-2025-10-28.sqlite');
  });

  it('pass what a restore did to the reloaded window once', () => {
    const kept = new Map<string, string>();
    const storage = {
      setItem: (k: string, v: string) => void kept.set(k, v),
      getItem: (k: string) => kept.get(k) ?? null,
      removeItem: (k: string) => void kept.delete(k),
    };
    const report: RestoreReport = { path: '/data/mestno.sqlite', previous: '/data/mestno.sqlite.before-restore', rows: 42, erasures_redone: [] };
    leaveRestoredNote(report, storage);
    expect(takeRestoredNote(storage)).toEqual(report);
    expect(takeRestoredNote(storage), 'once').toBeNull();
  });
});
