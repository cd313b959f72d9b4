// Pipelines for the sandbox harness: each map function tries one way out of the sandbox (or
// misbehaves), and the harness reports what the engine host said. The Playwright spec
// tests/e2e/sandbox-escapes.spec.ts asserts on these reports.

/** One pipeline run in the sandbox and what it is meant to show. */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly code: string;
}

/** A pipeline of three numbers whose map function runs `body` (indented for line numbers). */
export function pipelineWith(body: string): string {
  return `import { testStream, type Pipeline } from 'brook';

export default (p: Pipeline) => {
  p.input<number>({
    default: testStream<number>().addElements({ value: 1, timestamp: 0 }, { value: 2, timestamp: 1000 }, { value: 3, timestamp: 2000 }).advanceWatermarkToInfinity(),
  })
    .map((x: number) => {
${body
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n')}
      return x * 10;
    })
    .sink('out');
};
`;
}

/** Line of the first line of `body` in pipelineWith's output. */
export const BODY_LINE = 8;

export const SCENARIOS: readonly Scenario[] = [
  { id: 'fetch-external', title: "fetch('https://example.com/')", code: pipelineWith("fetch('https://example.com/');") },
  { id: 'fetch-same-origin', title: "fetch('/')", code: pipelineWith("fetch('/');") },
  {
    id: 'xhr',
    title: 'synchronous XMLHttpRequest to the page origin',
    code: pipelineWith("const xhr = new XMLHttpRequest();\nxhr.open('GET', 'http://127.0.0.1/', false);\nxhr.send();"),
  },
  { id: 'indexeddb', title: "indexedDB.open('brook-app')", code: pipelineWith("indexedDB.open('brook-app');") },
  { id: 'indexeddb-delete', title: "indexedDB.deleteDatabase('brook-app')", code: pipelineWith("indexedDB.deleteDatabase('brook-app');") },
  { id: 'parent', title: "parent.postMessage(…, '*')", code: pipelineWith("(globalThis as any).parent.postMessage({ type: 'escape' }, '*');") },
  { id: 'top', title: 'top.location', code: pipelineWith('const href = (globalThis as any).top.location.href;') },
  {
    id: 'post-message',
    title: 'postMessage to the worker owner and a BroadcastChannel',
    code: pipelineWith(
      "(self as any).postMessage({ type: 'brook-start', source: 'x' });\nnew BroadcastChannel('brook').postMessage({ type: 'escape' });",
    ),
  },
  { id: 'import-scripts', title: "importScripts('https://example.com/x.js')", code: pipelineWith("(self as any).importScripts('https://example.com/x.js');") },
  { id: 'dynamic-import', title: "import('https://example.com/x.js')", code: pipelineWith("import('https://example.com/x.js');") },
  { id: 'endless-loop', title: 'while (true) {} in a map function', code: pipelineWith('while (true) {}') },
  {
    // for…of carries no loop guard (its iterable decides when it ends): only the watchdog stops it.
    id: 'endless-iterator',
    title: 'for…of over an iterator that never ends, in a map function',
    code: pipelineWith('const forever = { [Symbol.iterator]: () => ({ next: () => ({ done: false, value: x }) }) };\nfor (const _ of forever) {}'),
  },
  { id: 'user-throw', title: 'a map function that throws', code: pipelineWith("if (x === 2) throw new Error('no twos');") },
  { id: 'compile-error', title: 'a syntax error', code: pipelineWith('const = 3;') },
];
