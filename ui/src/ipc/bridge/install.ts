// The bridge build's backend (`vite build --mode bridge` → dist-bridge, for the browser tests and
// for trying the UI in a browser): every command goes to `mestno-bridge` (crates/bridge), the
// office's real command table over loopback HTTP, and its `progress` events come back from it.
// The page's address names its session and the bridge's token: `?session=ID&token=TOKEN`;
// `&open=PATH` starts it as if the app was given that file on its command line.
//
// Only what the window around the page answers in the app is answered here: the open and save
// dialogs, showing a folder, the file the app was started with. No rule of the core is here.
// Never part of the production bundle (vite.config.ts refuses it).
import { emit } from '@tauri-apps/api/event';
import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import { EventReader } from './events';

type Args = Record<string, unknown>;

/** What a test can read and set: the page's stand-in for the desktop around the window. */
export interface Desktop {
  /** Every command the UI called, in order, with its arguments. */
  calls: { cmd: string; args: Args }[];
  /** The file the open dialog picks; null: the person cancels it. */
  openPath: string | null;
  /** The folder the save dialog saves into: the session's own (asked of the bridge once). */
  documents: () => Promise<string>;
  /** The file the app was started with, handed to the window once. */
  launchFile: string | null;
}

declare global {
  interface Window {
    __mestnoDesktop?: Desktop;
  }
}

/**
 * Commands that send `progress`: their reply waits at least this long, so their progress bar is
 * seen (the core finishes a small office's in milliseconds).
 */
const SHOWN_BUSY_MS = 100;
const SENDS_PROGRESS = new Set(['load_demo', 'export_report', 'import_commit']);

const params = new URLSearchParams(location.search);
const session = params.get('session') ?? '';
const headers = { Authorization: `Bearer ${params.get('token') ?? ''}` };
const api = `/api/sessions/${encodeURIComponent(session)}`;

let documents: Promise<string> | null = null;
const desktop: Desktop = {
  calls: [],
  openPath: null,
  documents: () =>
    (documents ??= fetch(api, { headers })
      .then((r) => (r.ok ? (r.json() as Promise<{ documents: string }>) : Promise.reject(new Error(`session ${session}: HTTP ${r.status}`))))
      .then((info) => info.documents)),
  launchFile: params.get('open'),
};
window.__mestnoDesktop = desktop;

/** Runs `cmd` on the bridge; rejects with the core's AppError, or a string as Tauri would. */
async function invokeBridge(cmd: string, args: Args): Promise<unknown> {
  const response = await fetch(`${api}/invoke/${encodeURIComponent(cmd)}`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(args ?? {}),
  });
  if (!response.ok) throw `${cmd}: HTTP ${response.status}: ${await response.text()}`;
  const reply = (await response.json()) as { ok: unknown } | { error: unknown };
  if ('error' in reply) throw reply.error;
  return reply.ok;
}

async function handle(cmd: string, args: Args): Promise<unknown> {
  desktop.calls.push({ cmd, args });
  switch (cmd) {
    case 'plugin:dialog|open':
      return desktop.openPath;
    case 'plugin:dialog|save': {
      const name = ((args.options ?? {}) as { defaultPath?: string }).defaultPath ?? 'report.xlsx';
      return `${await desktop.documents()}/${name}`;
    }
    case 'reveal':
      return null;
    case 'take_open_file': {
      const file = desktop.launchFile;
      desktop.launchFile = null;
      return file;
    }
    default: {
      if (!SENDS_PROGRESS.has(cmd)) return invokeBridge(cmd, args);
      const [reply] = await Promise.all([invokeBridge(cmd, args), new Promise((done) => setTimeout(done, SHOWN_BUSY_MS))]);
      return reply;
    }
  }
}

/** Passes the session's events to the UI's listeners for as long as the page lives. */
async function forwardEvents(): Promise<void> {
  const response = await fetch(`${api}/events`, { headers });
  if (!response.ok || !response.body) throw new Error(`the event stream: HTTP ${response.status}`);
  const reader = new EventReader();
  const text = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await text.read();
    if (done) return;
    for (const e of reader.push(value)) await emit(e.event, e.payload);
  }
}

// A page being left drops its stream: that is no failure.
let leaving = false;
addEventListener('pagehide', () => (leaving = true));

mockWindows('main');
mockIPC((cmd, args) => handle(cmd, (args ?? {}) as Args), { shouldMockEvents: true });
forwardEvents().catch((e: unknown) => {
  if (!leaving) console.error('mestno-bridge: the event stream broke:', e);
});
