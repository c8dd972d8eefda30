// What the desktop around the window offers: the open and save dialogs and the `progress` events
// long commands emit. (Showing a written file in its folder is the shell's own `reveal` command.)

import { listen } from '@tauri-apps/api/event';
import { open, save } from '@tauri-apps/plugin-dialog';
import type { Progress } from './types';

/** Asks where to save an Excel file; null when the person cancels. */
export async function chooseXlsxPath(defaultName: string, filterName: string): Promise<string | null> {
  return save({ defaultPath: defaultName, filters: [{ name: filterName, extensions: ['xlsx'] }] });
}

/** Asks for a spreadsheet to import (Excel, OpenDocument or CSV); null when the person cancels. */
export async function chooseImportFile(filterName: string): Promise<string | null> {
  return open({
    multiple: false,
    directory: false,
    filters: [{ name: filterName, extensions: ['xlsx', 'xls', 'ods', 'csv'] }],
  });
}

/** Asks where to save a backup of the office; null when the person cancels. */
export async function chooseBackupPath(defaultName: string, filterName: string): Promise<string | null> {
  return save({ defaultPath: defaultName, filters: [{ name: filterName, extensions: ['sqlite'] }] });
}

/** Asks for a backup to restore (its key file lies beside it); null when the person cancels. */
export async function chooseBackupFile(filterName: string, allName: string): Promise<string | null> {
  return open({
    multiple: false,
    directory: false,
    filters: [
      { name: filterName, extensions: ['sqlite', 'db'] },
      { name: allName, extensions: ['*'] },
    ],
  });
}

/** An exchange file: an office's card or a package of changes. */
export type ExchangeFile = 'mestno-pair' | 'mestno-sync' | 'mestno-server';

/** Asks where to save an office's card or a package; null when the person cancels. */
export async function chooseExchangePath(defaultName: string, filterName: string, kind: ExchangeFile): Promise<string | null> {
  return save({ defaultPath: defaultName, filters: [{ name: filterName, extensions: [kind] }] });
}

/** Asks for another office's card or a package it sent; null when the person cancels. */
export async function chooseExchangeFile(filterName: string, kind: ExchangeFile, allName: string): Promise<string | null> {
  return open({
    multiple: false,
    directory: false,
    filters: [
      { name: filterName, extensions: [kind] },
      { name: allName, extensions: ['*'] },
    ],
  });
}

/** Asks for any file (one to attach to a record); null when the person cancels. */
export async function chooseAnyFile(allName: string): Promise<string | null> {
  return open({ multiple: false, directory: false, filters: [{ name: allName, extensions: ['*'] }] });
}

/** Asks for a folder (the automatic backups'); null when the person cancels. */
export async function chooseFolder(): Promise<string | null> {
  return open({ multiple: false, directory: true });
}

/** Calls `onProgress` for every `progress` event until the returned function is called. */
export async function watchProgress(onProgress: (p: Progress) => void): Promise<() => void> {
  return listen<Progress>('progress', (e) => onProgress(e.payload));
}
