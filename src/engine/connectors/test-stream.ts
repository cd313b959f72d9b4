// A TestStream is a scripted input, as in Apache Beam: elements, watermark moves and
// processing-time advances in a fixed order (the JSON contract is in DESIGN.md). Every spec
// this file hands out, parsed or built, obeys the same rules: the watermark never goes back.

import type { Key } from '../runtime/record-batch.ts';
import type { Duration } from '../time/time.ts';
import { freshRules, parseStep, type StepRules } from './test-stream-parse.ts';

export { parseTestStream, parseTestStreamText } from './test-stream-parse.ts';

/** One scripted record: its value, its event time in milliseconds and, optionally, its key. */
export interface TestStreamElement<T> {
  value: T;
  timestamp: number;
  key?: Key;
}

/**
 * One step of a TestStream, applied in order:
 * - `addElements`: the elements arrive, all at the current processing time;
 * - `advanceWatermarkTo`: the watermark moves to `time` (never backwards);
 * - `advanceProcessingTime`: the processing clock moves on by `duration` ms;
 * - `advanceWatermarkToInfinity`: the input is complete; every event-time timer fires.
 */
export type TestStreamStep<T> =
  | { kind: 'addElements'; elements: TestStreamElement<T>[] }
  | { kind: 'advanceWatermarkTo'; time: number }
  | { kind: 'advanceProcessingTime'; duration: Duration }
  | { kind: 'advanceWatermarkToInfinity' };

/** A scripted input: its steps in the order they happen. */
export interface TestStreamSpec<T> {
  steps: TestStreamStep<T>[];
}

/** One step in the JSON form of DESIGN.md: an object with exactly one of these fields. */
export type TestStreamJsonStep<T> =
  | { addElements: TestStreamElement<T>[] }
  | { advanceWatermarkTo: number }
  | { advanceProcessingTime: number }
  | { advanceWatermarkToInfinity: true };

/** The JSON form of a TestStream, `{"steps": [...]}`, as written in `--input` files. */
export interface TestStreamJson<T> {
  steps: TestStreamJsonStep<T>[];
}

/** Builds a TestStream step by step, as Beam's `TestStream.create(...)`; every call returns a new builder. */
export interface TestStreamBuilder<T> {
  /** The elements arrive together at the current processing time. */
  addElements(...elements: TestStreamElement<T>[]): TestStreamBuilder<T>;
  /** Moves the watermark to `time`; it must not be before the previous watermark step. */
  advanceWatermarkTo(time: number): TestStreamBuilder<T>;
  /** Moves the processing clock on by `duration` (>= 0) milliseconds. */
  advanceProcessingTime(duration: Duration): TestStreamBuilder<T>;
  /** Ends the input: the watermark goes to +infinity and the finished spec is returned. */
  advanceWatermarkToInfinity(): TestStreamSpec<T>;
  /** The spec so far, left open: the watermark stays where the last step put it. */
  build(): TestStreamSpec<T>;
}

class Builder<T> implements TestStreamBuilder<T> {
  constructor(
    private readonly steps: readonly TestStreamStep<T>[],
    private readonly rules: StepRules,
  ) {}

  private then(raw: unknown): Builder<T> {
    const rules = { ...this.rules };
    // parseStep hands values through untouched, so the step still holds T.
    const step = parseStep(raw, `steps[${this.steps.length}]`, rules) as TestStreamStep<T>;
    return new Builder([...this.steps, step], rules);
  }

  addElements(...elements: TestStreamElement<T>[]): TestStreamBuilder<T> {
    return this.then({ addElements: elements });
  }
  advanceWatermarkTo(time: number): TestStreamBuilder<T> {
    return this.then({ advanceWatermarkTo: time });
  }
  advanceProcessingTime(duration: Duration): TestStreamBuilder<T> {
    return this.then({ advanceProcessingTime: duration });
  }
  advanceWatermarkToInfinity(): TestStreamSpec<T> {
    return this.then({ advanceWatermarkToInfinity: true }).build();
  }
  build(): TestStreamSpec<T> {
    return { steps: [...this.steps] };
  }
}

/**
 * Starts a TestStream builder. It checks the same rules as the JSON parser and throws
 * `InputError` on the call that breaks one.
 * @example
 * const spec = testStream<string>()
 *   .advanceWatermarkTo(0)
 *   .addElements({ value: 'a', timestamp: 1000 }, { value: 'b', timestamp: 2000, key: 'k' })
 *   .advanceProcessingTime(seconds(5))
 *   .advanceWatermarkTo(10_000)
 *   .advanceWatermarkToInfinity();
 */
export function testStream<T>(): TestStreamBuilder<T> {
  return new Builder<T>([], freshRules());
}

/** The DESIGN.md JSON form of a spec; `parseTestStream` reads it back to an equal spec. */
export function testStreamToJson<T>(spec: TestStreamSpec<T>): TestStreamJson<T> {
  return {
    steps: spec.steps.map((s): TestStreamJsonStep<T> => {
      switch (s.kind) {
        case 'addElements':
          return {
            addElements: s.elements.map((e) =>
              e.key === undefined ? { value: e.value, timestamp: e.timestamp } : { value: e.value, timestamp: e.timestamp, key: e.key },
            ),
          };
        case 'advanceWatermarkTo':
          return { advanceWatermarkTo: s.time };
        case 'advanceProcessingTime':
          return { advanceProcessingTime: s.duration };
        case 'advanceWatermarkToInfinity':
          return { advanceWatermarkToInfinity: true };
      }
    }),
  };
}

/**
 * Where the processing clock and the watermark start (DESIGN.md: "at the first
 * advanceWatermarkTo, or 0"): the first `advanceWatermarkTo` value if it comes before any
 * `advanceProcessingTime` step, else 0. Elements added before it arrive at that start time.
 * Once the processing clock has moved, a later watermark step cannot move its origin back.
 */
export function testStreamStartTime(spec: TestStreamSpec<unknown>): number {
  for (const s of spec.steps) {
    if (s.kind === 'advanceProcessingTime') return 0;
    if (s.kind === 'advanceWatermarkTo') return s.time;
  }
  return 0;
}
