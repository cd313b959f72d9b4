import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { brookDts } from './build/brook-dts-plugin.ts';
import { compileHints } from './build/compile-hints-plugin.ts';
import { sandboxWorker } from './build/sandbox-worker-plugin.ts';

export default defineConfig({
  plugins: [svelte(), brookDts(), sandboxWorker(), compileHints(), VitePWA(pwaOptions())],
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
        'bench-ui': fileURLToPath(new URL('./bench-ui.html', import.meta.url)),
      },
    },
  },
  publicDir: 'static',
  // Module workers: with the default format every lazy import() inside a worker is inlined.
  worker: { format: 'es' },
  // Playwright's webServer waits on this exact port.
  preview: { strictPort: true },
});

/**
 * Offline (the app's part): a generated service worker precaching the app shell and every lazy
 * chunk (Monaco, its workers, the sandbox worker bundle, lessons); registered after load by
 * src/app/shell/pwa-register.ts. The test pages are left out.
 */
function pwaOptions(): Parameters<typeof VitePWA>[0] {
  return {
    strategies: 'generateSW',
    injectRegister: false,
    registerType: 'autoUpdate',
    manifest: {
      name: 'Brook — stream processing, in your browser',
      short_name: 'Brook',
      description: 'A stream-processing sandbox: a real streaming engine running in your browser.',
      theme_color: '#0b6e8a',
      background_color: '#f6f9fb',
      display: 'standalone',
      icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
    },
    workbox: {
      // The app's page only: lab.html and the test pages are development tools.
      globPatterns: ['index.html', 'assets/**/*.{js,css,wasm,woff2}', '*.{svg,png,ico,webmanifest}'],
      // Monaco's chunks are several megabytes; offline needs them all.
      maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
      navigateFallback: 'index.html',
      navigateFallbackDenylist: [/^\/(?!index\.html)[^/]+\.html/],
    },
  };
}
