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

/** Calls `onProgress` for every `progress` event until the returned function is called. */
export async function watchProgress(onProgress: (p: Progress) => void): Promise<() => void> {
  return listen<Progress>('progress', (e) => onProgress(e.payload));
}
