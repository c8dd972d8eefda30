// The file the app was started with (`mestno-app реестр.xlsx`, what «Открыть в Mestno» in a file
// manager runs): the shell hands it over once the office is open. A spreadsheet goes to the import
// wizard, an exchange package (`.mestno-sync`) to «Обмен данными»; each takes it when it starts, as
// if chosen in the open dialog.

let waiting: string | null = null;
let waitingPackage: string | null = null;

/** Whether `path` is an exchange package rather than a spreadsheet. */
export function isPackage(path: string): boolean {
  return /\.mestno-sync$/i.test(path);
}

/** Keeps `path` for the screen that opens it; returns that screen's route. */
export function offerFile(path: string): string {
  if (isPackage(path)) {
    waitingPackage = path;
    return '#/sync';
  }
  waiting = path;
  return '#/import';
}

/** The spreadsheet waiting for the wizard, once; then null. */
export function takeOfferedFile(): string | null {
  const path = waiting;
  waiting = null;
  return path;
}

/** The exchange package waiting for «Обмен данными», once; then null. */
export function takeOfferedPackage(): string | null {
  const path = waitingPackage;
  waitingPackage = null;
  return path;
}

/** The file's name without its folder («/home/office/реестр.xlsx» → «реестр.xlsx»). */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
