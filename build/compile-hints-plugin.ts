// Marks the chunks that hold the panels' code for eager compilation (V8's explicit compile
// hints, Chromium 136 and later). A run starting flat out calls hundreds of the panels'
// functions in its first frames; compiled lazily, each first call compiled on the main thread
// inside those frames (tens of milliseconds in the first second's long tasks). With the hint V8
// compiles the whole chunk while it streams in, off the main thread, before any run starts.
// Invariant: only the comment is added, as the chunk's first line; other browsers ignore it.

import type { Plugin } from 'vite';

/** V8's magic comment: compile every function in this file eagerly. */
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad';

/** The code that runs hot as soon as a run is shown: the panels and the page's copy of a run. */
const HOT = /[\\/]src[\\/]viz[\\/]/;

/**
 * Prefixes {@link COMPILE_HINT} to every output chunk holding a module under `src/viz/`.
 * @example plugins: [compileHints()]
 */
export function compileHints(): Plugin {
  return {
    name: 'brook-compile-hints',
    apply: 'build',
    // After Vite's own chunk rewriting (its preload helper is put at the top of a chunk late).
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const chunk of Object.values(bundle)) {
          if (chunk.type === 'chunk' && chunk.moduleIds.some((id) => HOT.test(id))) chunk.code = `${COMPILE_HINT}\n${chunk.code}`;
        }
      },
    },
  };
}
