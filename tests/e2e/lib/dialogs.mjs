// The save and open dialogs of the real app, answered by the test: lib/portal.py stands in for
// the desktop's file chooser portal on the test's session bus, and the app, started with
// GTK_USE_PORTAL=1 (`DIALOGS_ENV`), asks it instead of drawing GTK's own dialog, which
// WebKitWebDriver cannot reach. Everything else — the UI's call, tauri-plugin-dialog, GTK's
// native chooser, the command the chosen path goes to — is the app's own.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = process.env.MESTNO_E2E_PYTHON ?? '/usr/bin/python3';

/** What the app's environment needs for its dialogs to come here. */
export const DIALOGS_ENV = { GTK_USE_PORTAL: '1' };

/**
 * Starts the stand-in portal (it must own its name before an app asks). `answer(path)` queues
 * what the next dialog chooses (a file; for a save, a folder means the name the app proposed;
 * null cancels); `requests` lists every dialog asked for, `{method, title, current_name,
 * filters, answer}`.
 */
export async function startDialogs() {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error('no session bus: run the tests through scripts/e2e.sh');
  const child = spawn(PYTHON, [join(here, 'portal.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const requests = [];
  let queued = null;
  let ready;
  const started = new Promise((done, fail) => {
    ready = done;
    child.once('exit', (code) => fail(new Error(`the stand-in file chooser portal stopped (exit ${code})`)));
    child.once('error', fail);
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line);
    if (message.ready) ready();
    else if (message.queued) queued?.();
    else requests.push(message);
  });
  await started;
  return {
    requests,
    /** Queues the next dialog's answer, once the portal has it. */
    async answer(path) {
      const taken = new Promise((done) => (queued = done));
      child.stdin.write(`${JSON.stringify({ answer: path })}\n`);
      await taken;
    },
    async close() {
      child.stdin.end();
      if (child.exitCode === null) await new Promise((done) => child.once('exit', done));
    },
  };
}
