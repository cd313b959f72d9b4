// The sandbox's engine worker as one self-contained script, served as the virtual module
// `virtual:brook-sandbox-worker` (its default export is the bundle's source text). The page
// starts the worker from a Blob URL inside an opaque-origin iframe, which cannot import Vite's
// unbundled dev modules (CORS), so the worker is always bundled: engine, sucrase and comlink.
// Invariant: the bundle is rebuilt after any file it was built from changes (dev).

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Plugin } from 'vite';

export const SANDBOX_WORKER_ID = 'virtual:brook-sandbox-worker';
const RESOLVED_ID = `\0${SANDBOX_WORKER_ID}`;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What was bundled: the script and the absolute paths of its inputs. */
export interface SandboxWorkerBundle {
  readonly code: string;
  readonly inputs: ReadonlySet<string>;
}

/**
 * Bundles `src/worker/engine-worker.ts` into one classic script (an IIFE), `'brook'` resolved to
 * the engine's API (as user code and examples import it). Classic, not a module: Chromium
 * refuses a module worker from a Blob URL in an opaque origin ("error" with no message).
 * @example
 * const { code } = await bundleSandboxWorker({ minify: true });
 */
export async function bundleSandboxWorker(options: { root?: string; minify: boolean }): Promise<SandboxWorkerBundle> {
  const root = options.root ?? repoRoot;
  const result = await build({
    entryPoints: [join(root, 'src/worker/engine-worker.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify,
    write: false,
    metafile: true,
    logLevel: 'silent',
    alias: { brook: join(root, 'src/engine/api/index.ts') },
    // sucrase reads process.env in a few places; the worker has no process.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const code = result.outputFiles[0]!.text;
  const inputs = new Set(Object.keys(result.metafile.inputs).map((input) => resolve(root, input)));
  return { code, inputs };
}

/**
 * Vite plugin: `import source from 'virtual:brook-sandbox-worker'`. Built once and cached
 * (minified in a production build); in dev a change to one of its inputs drops the cache and
 * reloads the importers.
 */
export function sandboxWorker(root: string = repoRoot): Plugin {
  let pending: Promise<SandboxWorkerBundle> | null = null;
  let minify = false;
  return {
    name: 'brook-sandbox-worker',
    configResolved(config) {
      minify = config.command === 'build';
    },
    resolveId(id) {
      return id === SANDBOX_WORKER_ID ? RESOLVED_ID : undefined;
    },
    async load(id) {
      if (id !== RESOLVED_ID) return undefined;
      pending ??= bundleSandboxWorker({ root, minify });
      let bundle: SandboxWorkerBundle;
      try {
        bundle = await pending;
      } catch (error) {
        pending = null;
        throw error;
      }
      for (const input of bundle.inputs) this.addWatchFile(input);
      return `export default ${JSON.stringify(bundle.code)};\n`;
    },
    async hotUpdate({ file, modules }) {
      if (!pending) return undefined;
      const inputs = await pending.then((b) => b.inputs, () => new Set<string>());
      if (!inputs.has(file)) return undefined;
      pending = null;
      const virtual = this.environment.moduleGraph.getModuleById(RESOLVED_ID);
      if (!virtual) return undefined;
      this.environment.moduleGraph.invalidateModule(virtual);
      return [...modules, virtual];
    },
  };
}
