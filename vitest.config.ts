import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  // Pipeline files (examples, lessons) import the API as 'brook', as in vite.config.ts.
  resolve: { alias: { brook: fileURLToPath(new URL('./src/engine/api/index.ts', import.meta.url)) } },
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    include: ['tests/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'tests/e2e/**'],
    environment: 'node',
    watch: false,
    testTimeout: 30_000,
    passWithNoTests: true,
  },
});
