// The spreadsheet the app was started with (`mestno-app реестр.xlsx`, what «Открыть в Mestno» in a
// file manager runs): the shell hands it over once the office is open, and the import wizard
// takes it when it starts, as if chosen in the open dialog.

let waiting: string | null = null;

/** Keeps `path` for the import wizard to open. */
export function offerFile(path: string): void {
  waiting = path;
}

/** The file waiting for the wizard, once; then null. */
export function takeOfferedFile(): string | null {
  const path = waiting;
  waiting = null;
  return path;
}

/** The file's name without its folder («/home/office/реестр.xlsx» → «реестр.xlsx»). */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
