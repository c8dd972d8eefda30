// One bridge and one browser for a spec file: the run's (lib/run.mjs runs every spec file in its
// own process and lends them its bridge and Chromium), or, for a spec file run on its own with
// `node --test`, a bridge and a Chromium of its own.
import { after, before } from 'node:test';
import { startBridge } from './bridge.mjs';
import { closeLeftPages, launch } from './harness.mjs';

/** What the run lends every spec file: `{ bridge, browser }`, or null. */
let lent = null;

/** Lends the run's bridge and browser to the spec files imported after this call. */
export function lend(shared) {
  lent = shared;
}

export function useBrowser() {
  const env = { bridge: null, browser: null };
  let own = false;
  before(async () => {
    if (lent) return Object.assign(env, lent);
    own = true;
    env.bridge = await startBridge();
    env.browser = await launch();
  });
  after(async () => {
    // A test that failed half-way leaves its page open: it goes with its spec file.
    await closeLeftPages();
    if (!own) return;
    await env.browser?.close();
    await env.bridge?.close();
  });
  return env;
}
