// `npm test`: one bridge and one Chromium for the whole run. The bridge starts making its demo
// offices (each once; the large one goes on while the first spec files run) while the UI is built
// for it (ui/dist-bridge); then node:test runs specs/ (or the files given), one file at a time,
// each test in a browser context and an office of its own.
import { spawn } from 'node:child_process';
import { startBridge, uiBuilt } from './bridge.mjs';
import { launchServer } from './harness.mjs';

/** Runs `command` with `args`, its output shown; resolves to its exit code. */
const run = (command, args, options = {}) =>
  new Promise((done) => spawn(command, args, { stdio: 'inherit', ...options }).once('exit', (c, signal) => done(c ?? (signal ? 1 : 0))));

const [bridge, browser] = await Promise.all([startBridge({ prepare: ['small', 'large'], uiLater: true }), launchServer()]);
const built = await run('npm', ['--prefix', '../../ui', 'run', 'build:bridge']);
if (built !== 0 || !uiBuilt()) {
  await Promise.all([bridge.close(), browser.close()]);
  throw new Error('the UI was not built for the bridge');
}
const files = process.argv.slice(2);
const code = await run(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-timeout=120000', ...(files.length ? files : ['specs/'])],
  {
    env: {
      ...process.env,
      MESTNO_BRIDGE: JSON.stringify({ url: bridge.url, token: bridge.token }),
      MESTNO_BROWSER: browser.wsEndpoint(),
    },
  },
);
await Promise.all([bridge.close(), browser.close()]);
process.exitCode = code;
