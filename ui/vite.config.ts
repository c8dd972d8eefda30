import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** Fails a production build that would ship the bridge's shim or Tauri's IPC mocks. */
function noBridgeInProduction(): Plugin {
  return {
    name: 'mestno-no-bridge-in-production',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const leaked = Object.keys(chunk.modules).filter((id) => /[\\/]ipc[\\/]bridge[\\/]|@tauri-apps[\\/]api[\\/]mocks/.test(id));
        if (leaked.length) this.error(`the production bundle includes the bridge's shim or IPC mocks: ${leaked.join(', ')}`);
      }
    },
  };
}

// `--mode bridge` sends every command to `mestno-bridge` (crates/bridge: the real core over
// loopback HTTP) through src/ipc/bridge/, for the browser tests and trying the UI in a browser;
// every other mode talks to the real Rust commands through Tauri.
export default defineConfig(({ mode }) => ({
  base: './',
  plugins: mode === 'bridge' ? [svelte()] : [svelte(), noBridgeInProduction()],
  clearScreen: false,
  resolve: {
    alias: {
      '#backend-setup': fileURLToPath(
        new URL(mode === 'bridge' ? './src/ipc/bridge/install.ts' : './src/ipc/tauri-setup.ts', import.meta.url),
      ),
    },
  },
  server: { port: 1420, strictPort: true },
  preview: { port: 1421, strictPort: true },
  build: {
    outDir: mode === 'bridge' ? 'dist-bridge' : 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
}));
