// Builds a RunModel from a real run of one of the examples, as the panel lab does.
import { readFileSync } from 'node:fs';
import sessions from '../../../examples/sessions.ts';
import lateData from '../../../examples/late-data.ts';
import wordCount from '../../../examples/word-count.ts';
import { parseTestStream } from '../../../src/engine/connectors/test-stream-parse.ts';
import type { PipelineBuilder } from '../../../src/engine/api/run-pipeline.ts';
import { runToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel } from '../../../src/viz/run-model.ts';

const builds: Record<string, PipelineBuilder> = { sessions, 'late-data': lateData, 'word-count': wordCount };

/** The example's input, when it has one. */
export function exampleInput(name: string) {
  try {
    return parseTestStream(JSON.parse(readFileSync(new URL(`../../../examples/${name}-input.json`, import.meta.url), 'utf8')));
  } catch {
    return undefined;
  }
}

export function exampleBuild(name: string): PipelineBuilder {
  return builds[name]!;
}

/** A RunModel of the example run with seed 1. */
export function exampleModel(name: 'sessions' | 'late-data' | 'word-count'): RunModel {
  const model = new RunModel();
  for (const d of runToDeltas(builds[name]!, exampleInput(name))) model.apply(d);
  return model;
}
