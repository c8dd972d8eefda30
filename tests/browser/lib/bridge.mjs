// The bridge the pages talk to: `mestno-bridge` (crates/bridge), the real core's command table
// on 127.0.0.1 with a random token, serving ui/dist-bridge. `npm test` starts one for the whole
// run (lib/run.mjs) and lends it to every spec file (lib/suite.mjs); a spec file run on its own
// starts its own.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const DIST = resolve(root, 'ui/dist-bridge');
/** The bridge `npm run build-bridge` builds (the dev profile: the tests' own builds share it). */
export const BRIDGE_BIN =
  process.env.MESTNO_BRIDGE_BIN ?? resolve(process.env.CARGO_TARGET_DIR ?? resolve(root, 'target'), 'debug/mestno-bridge');

/** Whether the UI is built for the bridge (`npm run build-ui`). */
export const uiBuilt = () => existsSync(resolve(DIST, 'index.html'));

/**
 * Starts a bridge; `prepare` names the demo offices it makes at once (each is made when first
 * asked for anyway). Resolves to `{ url, token, close }` once it listens. The UI may be built
 * after it starts (`lib/run.mjs` does, while the bridge makes its demo offices).
 */
export async function startBridge({ prepare = ['small'], uiLater = false } = {}) {
  if (!existsSync(BRIDGE_BIN)) throw new Error(`no bridge at ${BRIDGE_BIN}: run npm run build-bridge`);
  if (!uiLater && !uiBuilt()) throw new Error(`no bridge build of the UI at ${DIST}: run npm run build-ui`);
  // Its standard input is its lifeline: when this process ends, the bridge ends and cleans up.
  const child = spawn(BRIDGE_BIN, ['--ui', DIST, '--prepare', prepare.join(',')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((done) => child.once('exit', done));
  const line = await new Promise((done, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', done);
    child.once('exit', (code) => fail(new Error(`the bridge stopped before it listened (exit ${code})`)));
  });
  const { url, token } = JSON.parse(line);
  return {
    url,
    token,
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}

/** Calls the bridge's API at `path`: the parsed JSON reply; throws on any status but 2xx. */
export async function api(bridge, method, path, body) {
  const response = await fetch(`${bridge.url}/api/${path}`, {
    method,
    headers: { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} /api/${path}: HTTP ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Runs command `cmd` in session `id`: its reply; throws the core's AppError (code, message, fields). */
export async function invoke(bridge, id, cmd, args = {}) {
  const reply = await api(bridge, 'POST', `sessions/${id}/invoke/${cmd}`, args);
  if ('error' in reply) throw Object.assign(new Error(reply.error.message), reply.error);
  return reply.ok;
}
