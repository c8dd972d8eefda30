// One server and one browser for a spec file.
import { after, before } from 'node:test';
import { launch, startServer } from './harness.mjs';

export function useBrowser() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
