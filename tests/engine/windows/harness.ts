// Shared helpers for the window conformance tests: run a pipeline over a TestStream through the
// public API and turn what reached the sinks into compact objects that read like the
// Beam/Flink documentation, so each test can assert the exact output with toEqual.
//
//   window: "[start, end)" or "global"
//   pane:   "TIMING index/onTimeIndex" plus " first" and " last" when those flags are set,
//           e.g. "EARLY 0/-1 first", "ON_TIME 2/0 last", "LATE 0/0 first"

import {
  runPipeline,
  testStream,
  type DataStream,
  type KeyedStream,
  type PaneInfo,
  type SinkRecord,
  type TestStreamElement,
  type TestStreamSpec,
  type TraceEvent,
} from '../../../src/engine/api/index.ts';

export { testStream };

/** One sink record, compacted. `retraction` and `sink` appear only when they say something. */
export interface Out {
  key?: string | number;
  value: unknown;
  window?: string;
  pane?: string;
  ts: number;
  pt: number;
  retraction?: true;
  sink?: string;
}

export function paneString(p: PaneInfo): string {
  return `${p.timing} ${p.index}/${p.onTimeIndex}${p.isFirst ? ' first' : ''}${p.isLast ? ' last' : ''}`;
}

function windowString(w: SinkRecord['window']): string | undefined {
  if (w === undefined) return undefined;
  return w === 'global' ? 'global' : `[${w.start}, ${w.end})`;
}

export function compact(r: SinkRecord, showSink: boolean): Out {
  const o: Out = { value: r.value, ts: r.timestamp, pt: r.processingTime };
  if (r.key !== undefined) o.key = r.key;
  const w = windowString(r.window);
  if (w !== undefined) o.window = w;
  if (r.pane !== undefined) o.pane = paneString(r.pane);
  if (r.retraction) o.retraction = true;
  if (showSink) o.sink = r.sink;
  return o;
}

export interface Run {
  /** Records of the sink named "out", compacted (no `sink` field). */
  readonly out: Out[];
  /** Records of every sink, compacted, with their sink name. */
  readonly all: Out[];
  readonly records: SinkRecord[];
  readonly trace: TraceEvent[];
  /** The trace events of one type. */
  events<T extends TraceEvent['type']>(type: T): Extract<TraceEvent, { type: T }>[];
}

/**
 * Runs `build` over the TestStream `spec` with tracing on. `build` gets the input keyed by the
 * elements' own keys and must end in `.sink('out')` (and any other sinks it wants).
 */
export function run<T>(spec: TestStreamSpec<T>, build: (keyed: KeyedStream<T, string>, input: DataStream<T>) => void): Run {
  const r = runPipeline(
    (p) => {
      const input = p.input<T>({ default: spec });
      build(input.keyBy<string>(), input);
    },
    { collectTrace: true },
  );
  return {
    out: r.records.filter((x) => x.sink === 'out').map((x) => compact(x, false)),
    all: r.records.map((x) => compact(x, true)),
    records: r.records,
    trace: r.trace,
    events: <T extends TraceEvent['type']>(type: T) => r.trace.filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type),
  };
}

/** A TestStream element with value `value` (default 1) at `timestamp`, key "a" unless given. */
export function at(timestamp: number, value = 1, key = 'a'): TestStreamElement<number> {
  return { value, timestamp, key };
}

/** Shorthand for the numeric TestStream most tests use. */
export function numbers(): ReturnType<typeof testStream<number>> {
  return testStream<number>();
}

/** An Out for a windowed result; fields in the order tests read them. */
export function rec(key: string, value: unknown, window: string, pane: string, ts: number, pt: number): Out {
  return { key, value, window, pane, ts, pt };
}

/** The same, marked as a retraction. */
export function retraction(key: string, value: unknown, window: string, pane: string, ts: number, pt: number): Out {
  return { key, value, window, pane, ts, pt, retraction: true };
}

/** The identity used for sums in most tests. */
export const id = (v: number): number => v;
