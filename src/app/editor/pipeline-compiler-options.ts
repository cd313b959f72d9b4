// How the editor's TypeScript worker sees a pipeline file: compiler options, the one global a
// pipeline has besides ES2022, and where the `brook` package lives. Kept free of Monaco so
// tests/build can check the generated declarations under exactly these settings.

/**
 * Compiler options in TypeScript's own numeric form (Monaco's enum copies stop before ES2022
 * and Bundler). As tests/typecheck-pipelines.ts and `brook run` see pipelines: ES2022, strict.
 */
export const PIPELINE_COMPILER_OPTIONS = {
  target: 9, // ES2022
  module: 99, // ESNext
  moduleResolution: 100, // Bundler
  lib: ['lib.es2022.d.ts'],
  strict: true,
  noEmit: true,
  isolatedModules: true,
} as const;

/** The `brook` package's folder for the TypeScript worker; 'brook' resolves to its index.d.ts. */
export const BROOK_PACKAGE_ROOT = 'file:///node_modules/brook/';

/**
 * The globals a pipeline has besides ES2022: the worker it runs in gives it `console`. Kept
 * this small on purpose, so the editor does not offer DOM APIs a pipeline cannot use.
 */
export const PIPELINE_GLOBALS_DTS = `interface Console {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
}
declare var console: Console;
`;
