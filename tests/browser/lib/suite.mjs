// One bridge and one browser for a spec file.
import { after, before } from 'node:test';
import { connectBridge } from './bridge.mjs';
import { launch } from './harness.mjs';

export function useBrowser() {
  const env = { bridge: null, browser: null };
  before(async () => {
    env.bridge = await connectBridge();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.bridge?.close();
  });
  return env;
}
