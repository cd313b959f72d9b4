// A small, complete content tree in memory (one lesson, two glossary entries, one guide) for
// the loader's and checker's tests, and the modules its .ts files stand for.

import { type Pipeline, seconds, testStream, tumblingWindows } from '../../src/engine/api/index.ts';
import type { LessonRun } from '../../src/lessons/lesson-run.ts';

export const LESSON_MD = [
  '---',
  'id: counting',
  'title: Counting',
  'summary: Count clicks per 10 s.',
  'level: beginner',
  'terms: [window]',
  'panels: [time, output]',
  'input: clicks.json',
  'exercise: true',
  'starterFails: true',
  'hints: [Use a window.]',
  '---',
  'Scrub to [the firing](moment:0:00:10) of the [window](glossary:window).',
].join('\n');

export const CLICKS = JSON.stringify({
  steps: [
    { advanceWatermarkTo: 0 },
    { addElements: [{ value: 'a', timestamp: 1000 }, { value: 'a', timestamp: 2000 }] },
    { advanceProcessingTime: 10000 },
    { advanceWatermarkTo: 10000 },
    { advanceWatermarkToInfinity: true },
  ],
});

const glossary = (term: string, related: string) =>
  [
    '---',
    `term: ${term}`,
    `short: What a ${term} is.`,
    `related: [${related}]`,
    'names:',
    '  flink: a',
    '  beam: b',
    '  kafkaStreams: c',
    '  spark: d',
    '---',
    `A ${term}. See [it](lesson:counting@0:00:05).`,
  ].join('\n');

export function files(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    '/lessons/01-counting/lesson.md': LESSON_MD,
    '/lessons/01-counting/clicks.json': CLICKS,
    '/lessons/01-counting/starter.ts': 'starter',
    '/lessons/01-counting/solution.ts': 'solution',
    '/lessons/01-counting/check.ts': 'check',
    '/lessons/glossary/window.md': glossary('window', 'pane'),
    '/lessons/glossary/pane.md': glossary('pane', 'window'),
    '/lessons/guides/count-clicks.md': ['---', 'title: Count clicks', 'summary: S.', 'panels: [output]', 'pipeline: count-clicks.ts', '---', 'Text.'].join('\n'),
    '/lessons/guides/count-clicks.ts': 'guide',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

/** The solution: a count per 10-second window. */
export const solution = (p: Pipeline) => {
  p.input<string>({ name: 'clicks' }).keyBy((c) => c).window(tumblingWindows(seconds(10))).count().sink('counts');
};

/** The starter: a rolling count, no window. */
export const starter = (p: Pipeline) => {
  p.input<string>({ name: 'clicks' }).keyBy((c) => c).sum(() => 1).sink('counts');
};

export const check = (run: LessonRun): string[] => (run.panes().length === 0 ? ['no window fired: group the clicks into 10-second windows'] : []);

/** The guide's pipeline carries its own input. */
export const guide = (p: Pipeline) => {
  p.input<number>({ default: testStream<number>().addElements({ value: 1, timestamp: 0 }).advanceWatermarkToInfinity() }).sink('out');
};

/** Module default exports by the fixture's file texts. */
export const MODULES: Record<string, unknown> = { starter, solution, check, guide };
