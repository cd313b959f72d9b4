import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { brookDts } from './build/brook-dts-plugin.ts';
import { sandboxWorker } from './build/sandbox-worker-plugin.ts';

export default defineConfig({
  plugins: [svelte(), brookDts(), sandboxWorker()],
  resolve: {
    // Pipeline files import the API as 'brook' (examples, lessons, the editor's code).
    alias: { brook: fileURLToPath(new URL('./src/engine/api/index.ts', import.meta.url)) },
  },
  build: {
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        lab: fileURLToPath(new URL('./lab.html', import.meta.url)),
        'editor-test': fileURLToPath(new URL('./editor-test.html', import.meta.url)),
        'sandbox-test': fileURLToPath(new URL('./sandbox-test.html', import.meta.url)),
      },
    },
  },
  publicDir: 'static',
  // Module workers: with the default format every lazy import() inside a worker is inlined.
  worker: { format: 'es' },
  // Playwright's webServer waits on this exact port.
  preview: { strictPort: true },
});
