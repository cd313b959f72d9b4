// The examples of docs/pipeline-api.md are real: every docs/examples/*.ts runs (as `brook run`
// would) to exactly its .expected.jsonl, every program in docs/examples/from-code/ prints
// exactly its .expected.txt, all of them type-check against the real API, and the doc shows
// each file, input and expected output verbatim. So the doc cannot rot.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { typeErrorsOf } from '../typecheck-pipelines.ts';
import { describe, expect, it } from 'vitest';
import {
  docFile,
  examplesDir,
  expectedFileOf,
  inclusions,
  inputFileOf,
  pipelineExamples,
  programExamples,
  programsDir,
  repoPath,
  repoRoot,
  runPipelineExample,
  runProgramExample,
  typescriptBlocks,
} from './doc-examples.ts';

const doc = readFileSync(docFile, 'utf8');
const included = new Map(inclusions(doc).map((inc) => [inc.path, inc.text]));
const pipelines = pipelineExamples();
const programs = programExamples();

describe('every pipeline example prints exactly its expected output', () => {
  it.each(pipelines.map((f) => [basename(f), f]))('%s', (_name, example) => {
    const expected = readFileSync(expectedFileOf(example), 'utf8');
    expect(runPipelineExample(example)).toBe(expected);
  });
});

describe('every program example prints exactly its expected lines', () => {
  it.each(programs.map((f) => [basename(f), f]))('%s', (_name, program) => {
    const expected = readFileSync(expectedFileOf(program), 'utf8');
    expect(runProgramExample(program)).toBe(expected);
  });
});

describe('docs/pipeline-api.md shows every example verbatim', () => {
  const files = [...pipelines, ...programs].flatMap((f) => [f, inputFileOf(f), expectedFileOf(f)].filter((x) => x !== undefined));

  it.each(files.map((f) => [repoPath(f), f]))('%s', (path, file) => {
    expect(included.has(path), `docs/pipeline-api.md has no "<!-- include ${path} -->" block`).toBe(true);
    expect(included.get(path), `the block of ${path} differs from the file: run npx tsx tests/docs/sync-pipeline-api.ts`).toBe(
      readFileSync(file, 'utf8'),
    );
  });

  it('includes only files that exist', () => {
    const missing = [...included.keys()].filter((path) => !existsSync(join(repoRoot, path)));
    expect(missing).toEqual([]);
  });

  it('has no TypeScript block that is not a checked example', () => {
    const checked = new Set([...pipelines, ...programs].map((f) => readFileSync(f, 'utf8')));
    const unchecked = typescriptBlocks(doc).filter((block) => !checked.has(block));
    expect(unchecked.map((block) => block.split('\n')[0])).toEqual([]);
  });
});

describe('the examples folder holds only complete examples', () => {
  it('every input and expected output belongs to an example', () => {
    const stray = (dir: string) =>
      readdirSync(dir)
        .filter((f) => /\.(input\.json|expected\.jsonl|expected\.txt)$/.test(f))
        .filter((f) => !existsSync(join(dir, f.replace(/\.(input\.json|expected\.jsonl|expected\.txt)$/, '.ts'))));
    expect([...stray(examplesDir), ...stray(programsDir)]).toEqual([]);
  });

  it('every example has an expected output', () => {
    expect([...pipelines, ...programs].filter((f) => !existsSync(expectedFileOf(f))).map(repoPath)).toEqual([]);
  });
});

describe('the examples type-check against the real API', () => {
  it('has no type errors', () => {
    const problems = typeErrorsOf([...pipelines, ...programs], repoRoot, '/docs/examples/', repoPath);
    expect(problems).toEqual([]);
  });
});
