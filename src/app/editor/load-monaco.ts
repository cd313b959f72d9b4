// Loads Monaco once per page, after the first paint, through a dynamic import so it is never
// part of the initial JavaScript. Every editor on the page shares the one promise.

/** The lazily loaded module: Monaco's API with Brook's TypeScript setup applied. */
export type MonacoModule = typeof import('./monaco-setup.ts');
/** Monaco's API namespace (`monaco.editor`, `monaco.Uri`, ...). */
export type Monaco = MonacoModule['monaco'];

let loading: Promise<MonacoModule> | null = null;

/** Resolves after the browser has painted at least one frame. */
function afterFirstPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/**
 * Monaco, configured for Brook pipelines. The first call waits for a painted frame and starts
 * the download; later calls get the same promise.
 */
export function loadMonaco(): Promise<MonacoModule> {
  loading ??= afterFirstPaint()
    .then(() => import('./monaco-setup.ts'))
    .catch((error: unknown) => {
      // A failed download (offline before the chunk was cached) may succeed on the next try.
      loading = null;
      throw error;
    });
  return loading;
}
