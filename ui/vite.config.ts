import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** Fails a production build that would ship the fake backend or Tauri's IPC mocks. */
function noMockInProduction(): Plugin {
  return {
    name: 'mestno-no-mock-in-production',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const leaked = Object.keys(chunk.modules).filter((id) => /[\\/]ipc[\\/]mock[\\/]|@tauri-apps[\\/]api[\\/]mocks/.test(id));
        if (leaked.length) this.error(`the production bundle includes the mock backend: ${leaked.join(', ')}`);
      }
    },
  };
}

// `--mode mock` swaps the Tauri backend for the in-memory fake in src/ipc/mock/ (browser
// tests, designing without the shell); every other mode talks to the real Rust commands.
export default defineConfig(({ mode }) => ({
  base: './',
  plugins: mode === 'mock' ? [svelte()] : [svelte(), noMockInProduction()],
  clearScreen: false,
  resolve: {
    alias: {
      '#backend-setup': fileURLToPath(
        new URL(mode === 'mock' ? './src/ipc/mock/install.ts' : './src/ipc/tauri-setup.ts', import.meta.url),
      ),
    },
  },
  server: { port: 1420, strictPort: true },
  preview: { port: 1421, strictPort: true },
  build: {
    outDir: mode === 'mock' ? 'dist-mock' : 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
}));
