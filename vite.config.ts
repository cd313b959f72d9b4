import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [svelte()],
  publicDir: 'static',
  // Module workers: with the default format every lazy import() inside a worker is inlined.
  worker: { format: 'es' },
  // Playwright's webServer waits on this exact port.
  preview: { strictPort: true },
});
