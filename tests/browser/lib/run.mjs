// `npm test`: one bridge and one Chromium for the whole run, and one process. The bridge starts
// making its demo offices (each once; the large one goes on while the other spec files run: the
// ones that open it run last) and Chromium starts while the UI is built for the bridge
// (ui/dist-bridge); then every spec file of specs/ (or the files given) runs here, one after the
// other, as a suite of node:test — each test in a browser context and an office of its own. One
// process, not one per file: playwright-core alone takes half a second to load, and the browser
// is driven directly rather than through a server each file connects to.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { after, describe } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startBridge, uiBuilt } from './bridge.mjs';
import { launch } from './harness.mjs';
import { lend } from './suite.mjs';

/** How long one spec file may take, all its tests together. */
const FILE_TIMEOUT_MS = 120_000;

/** Runs `command` with `args`, its output shown; resolves to its exit code. */
const run = (command, args, options = {}) =>
  new Promise((done) => spawn(command, args, { stdio: 'inherit', ...options }).once('exit', (c, signal) => done(c ?? (signal ? 1 : 0))));

const here = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const specs = resolve(here, 'specs');
/**
 * Whether spec file `file` opens the large demo office: those run last, so that the bridge has
 * the rest of the run to make it (seconds of work at idle priority) before a page waits for it.
 */
const opensLarge = (file) => /office:\s*['"]large['"]/.test(readFileSync(file, 'utf8'));
const given = process.argv.slice(2);
const files = given.length
  ? given.map((f) => resolve(f))
  : readdirSync(specs)
      .filter((f) => f.endsWith('.test.mjs'))
      .sort()
      .map((f) => resolve(specs, f))
      .map((f) => [opensLarge(f), f])
      .sort(([a], [b]) => a - b)
      .map(([, f]) => f);

const [bridge, browser] = await Promise.all([startBridge({ prepare: ['small', 'large'], uiLater: true }), launch()]);
const built = await run('npm', ['--prefix', '../../ui', 'run', 'build:bridge']);
if (built !== 0 || !uiBuilt()) {
  await Promise.all([bridge.close(), browser.close()]);
  throw new Error('the UI was not built for the bridge');
}
lend({ bridge, browser });
for (const file of files) {
  describe(relative(here, file), { timeout: FILE_TIMEOUT_MS }, async () => {
    await import(pathToFileURL(file).href);
  });
}
after(() => Promise.all([bridge.close(), browser.close()]));
