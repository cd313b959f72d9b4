import { describe, expect, test } from 'vitest';
import { COMPILE_HINT, compileHints } from '../../build/compile-hints-plugin.ts';

// The plugin's output hook over a bundle as Rollup hands it over: chunks (code and the modules
// they hold) and assets. What V8 needs is the hint as the chunk's very first line.

type Entry = { type: 'chunk'; fileName: string; code: string; moduleIds: string[] } | { type: 'asset'; fileName: string; source: string };

function run(bundle: Record<string, Entry>): Record<string, Entry> {
  const hook = compileHints().generateBundle as { order: string; handler: (options: unknown, bundle: Record<string, Entry>) => void };
  expect(hook.order).toBe('post');
  hook.handler({}, bundle);
  return bundle;
}

describe('compile hints', () => {
  test('a chunk holding a panel module starts with the hint, its code unchanged after it', () => {
    const code = 'const __vite__mapDeps=(i)=>i;import"./theme.js";export function draw(){}';
    const out = run({ 'assets/panels.js': { type: 'chunk', fileName: 'assets/panels.js', code, moduleIds: ['/repo/node_modules/d3-axis/index.js', '/repo/src/viz/time-domain/draw-chart.ts'] } });
    expect((out['assets/panels.js'] as { code: string }).code).toBe(`${COMPILE_HINT}\n${code}`);
  });

  test('chunks without panel code, and assets, are left alone', () => {
    const out = run({
      'assets/editor.js': { type: 'chunk', fileName: 'assets/editor.js', code: 'export const e=1;', moduleIds: ['/repo/src/app/editor/editor.ts', '/repo/src/vizard/x.ts'] },
      'assets/app.css': { type: 'asset', fileName: 'assets/app.css', source: '.viz{}' },
    });
    expect((out['assets/editor.js'] as { code: string }).code).toBe('export const e=1;');
    expect((out['assets/app.css'] as { source: string }).source).toBe('.viz{}');
  });

  test('Windows paths count too', () => {
    const out = run({ 'a.js': { type: 'chunk', fileName: 'a.js', code: 'x()', moduleIds: ['C:\\repo\\src\\viz\\panel.ts'] } });
    expect((out['a.js'] as { code: string }).code.startsWith(`${COMPILE_HINT}\n`)).toBe(true);
  });
});
