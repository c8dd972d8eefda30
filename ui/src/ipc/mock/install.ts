// The mock build's backend: Tauri's IPC answered by the in-memory fake. `?office=small|medium|large`
// in the page's address starts with the demo data already loaded (the browser tests use it);
// `?open=PATH`, as if the app was started with that file.
import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import type { DemoScale } from '../types';
import { loadDemo } from './demo';
import { FakeBackend } from './fake';

declare global {
  interface Window {
    __mestnoMock?: FakeBackend;
  }
}

const fake = new FakeBackend();
window.__mestnoMock = fake;
mockWindows('main');
mockIPC((cmd, args) => fake.handle(cmd, args as Record<string, unknown>), { shouldMockEvents: true });

const params = new URLSearchParams(location.search);
fake.launchFile = params.get('open');
const preset = params.get('office');
if (preset === 'small' || preset === 'medium' || preset === 'large') {
  fake.ready = loadDemo(fake.db, preset as DemoScale, async () => {});
}
