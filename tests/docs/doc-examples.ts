// The checked examples of docs/pipeline-api.md: where they live, how one runs (exactly as
// `brook run` would, but in-process), and where the doc includes each file.
//
// In the doc, a file is included as a marker line followed by a fenced block holding the
// file's text verbatim:
//
//   <!-- include docs/examples/tumbling-windows.ts -->
//   ```ts
//   ...the file...
//   ```
//
// `npx tsx tests/docs/sync-pipeline-api.ts` rewrites every included block from its file.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipelineLoader } from '../../src/cli/load-pipeline.ts';
import { sinkRecordLine } from '../../src/cli/output.ts';
import * as brook from '../../src/engine/api/index.ts';
import { parseTestStreamText } from '../../src/engine/connectors/test-stream.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const docFile = join(repoRoot, 'docs/pipeline-api.md');
export const examplesDir = join(repoRoot, 'docs/examples');
/** Programs that run pipelines from code (`runPipeline`); each returns the lines it prints. */
export const programsDir = join(examplesDir, 'from-code');

/** A path relative to the repository root, with forward slashes, as the doc's markers write it. */
export function repoPath(file: string): string {
  return relative(repoRoot, file).split('\\').join('/');
}

/** The pipeline files: docs/examples/*.ts. */
export function pipelineExamples(): string[] {
  return readdirSync(examplesDir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => join(examplesDir, f));
}

/** The programs: docs/examples/from-code/*.ts. */
export function programExamples(): string[] {
  return readdirSync(programsDir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => join(programsDir, f));
}

/** `x.ts` → `x.input.json` (read by `p.input()`), if there is one. */
export function inputFileOf(example: string): string | undefined {
  const file = example.replace(/\.ts$/, '.input.json');
  return existsSync(file) ? file : undefined;
}

/** `x.ts` → `x.expected.jsonl` (a pipeline's sink records) or `x.expected.txt` (a program's lines). */
export function expectedFileOf(example: string): string {
  return example.replace(/\.ts$/, dirname(example) === programsDir ? '.expected.txt' : '.expected.jsonl');
}

function loader(): PipelineLoader {
  return new PipelineLoader({ brook });
}

/** What `npx brook run EXAMPLE [--input EXAMPLE.input.json]` prints: one JSON line per sink record. */
export function runPipelineExample(example: string): string {
  const build = loader().loadPipeline(example);
  const inputFile = inputFileOf(example);
  const input = inputFile === undefined ? undefined : parseTestStreamText(readFileSync(inputFile, 'utf8'), repoPath(inputFile));
  const { records } = brook.runPipeline(build, input === undefined ? {} : { input });
  return records.map((r) => sinkRecordLine(r) + '\n').join('');
}

/** The lines a program returns, one per line. */
export function runProgramExample(program: string): string {
  const main = loader().loadPipeline(program) as unknown as () => string[];
  return main().map((line) => line + '\n').join('');
}

/** One `<!-- include PATH -->` marker of the doc and the fenced block after it. */
export interface Inclusion {
  readonly path: string;
  /** The block's text, each line ending in a newline (as the file should). */
  readonly text: string;
  /** Where the block's text starts and ends in the doc, for rewriting it. */
  readonly start: number;
  readonly end: number;
}

const MARKER = /<!-- include (\S+) -->\n```[a-z]*\n/g;

/** Every included block of the doc, in order. A marker not followed by a fenced block is skipped. */
export function inclusions(doc: string): Inclusion[] {
  const out: Inclusion[] = [];
  for (const m of doc.matchAll(MARKER)) {
    const start = m.index + m[0].length;
    const close = doc.indexOf('```\n', start);
    const end = close === -1 ? doc.indexOf('```', start) : close;
    if (end === -1 || (end > start && doc[end - 1] !== '\n')) continue;
    out.push({ path: m[1]!, text: doc.slice(start, end), start, end });
  }
  return out;
}

/** Every fenced ```ts block of the doc, included or not. */
export function typescriptBlocks(doc: string): string[] {
  return [...doc.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}
