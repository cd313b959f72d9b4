// Cuts the engine's trace into TraceDeltas for the page: record arrivals as numbers in a
// Float64Array, every other event as UTF-8 JSON, both in buffers the worker transfers.
// Invariant: nothing is dropped silently. Record dots past a cap are sampled and counted in
// `recordsSkipped`; high-rate events are coalesced (the latest per subtask and key kept) and
// counted in `eventsCoalesced`; panes and sink records past a very large cap are counted in
// `eventsSkipped`. Late and dropped records, checkpoints, crashes and restores always go through.

import type { TraceEvent } from '../engine/trace/trace-event.ts';
import { toJson } from '../engine/trace/json.ts';
import { RECORD_STRIDE, type TraceDelta } from './protocol.ts';

export interface SummarizerOptions {
  /** Record arrivals kept as dots before sampling starts. Default 50 000. */
  readonly recordCap?: number;
  /** Past the cap, every `recordEvery`-th arrival is kept. Default 10. */
  readonly recordEvery?: number;
  /** High-rate events in one delta above which they are coalesced. Default 2 000. */
  readonly coalesceAbove?: number;
  /** Pane firings plus sink records sent in one run before they are only counted. Default 200 000. */
  readonly resultCap?: number;
  /**
   * JSON text (UTF-16 units) per delta message at most, unless one event alone is longer. The
   * page decodes and applies a message in one task: a thousand pane firings are ~200 KB, several
   * milliseconds there. Default 64 KiB.
   */
  readonly partChars?: number;
}

/** A delta and the buffers to transfer with it (`Comlink.transfer(delta, transfer)`). */
export interface SummarizedDelta {
  readonly delta: TraceDelta;
  readonly transfer: ArrayBuffer[];
}

type HighRateEvent = Extract<
  TraceEvent,
  { type: 'watermarkAdvanced' | 'channelWatermark' | 'sourceWatermark' | 'stateUpdated' | 'timerSet' | 'timerFired' | 'metrics' }
>;

/**
 * What a high-rate event is coalesced by: a later event with the same identity supersedes it
 * (the subtask's newest watermark, a key's newest state size, ...). Undefined for other kinds.
 */
function identityOf(e: TraceEvent): string | undefined {
  switch (e.type) {
    case 'watermarkAdvanced':
      return `w|${e.operator}|${e.subtask}`;
    case 'channelWatermark':
      return `c|${e.operator}|${e.subtask}|${e.channel}`;
    case 'sourceWatermark':
      return `s|${e.source}|${e.partition}`;
    case 'stateUpdated':
      return `st|${e.operator}|${e.subtask}|${e.state}|${keyId(e.key)}`;
    case 'timerSet':
    case 'timerFired':
      return `${e.type}|${e.operator}|${e.subtask}|${e.domain}|${keyId(e.key)}`;
    case 'metrics':
      return 'm';
    default:
      return undefined;
  }
}

function isHighRate(e: TraceEvent): e is HighRateEvent {
  return identityOf(e) !== undefined;
}

function keyId(key: string | number | undefined): string {
  return key === undefined ? 'u' : `${typeof key}:${key}`;
}

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/** Collects trace events between flushes and turns them into deltas. One per attempt. */
export class TraceSummarizer {
  private readonly recordCap: number;
  private readonly recordEvery: number;
  private readonly coalesceAbove: number;
  private readonly resultCap: number;
  private readonly partChars: number;

  /** Source names by index, first seen first; sent whole with every delta. */
  private readonly sources: string[] = [];
  private readonly sourceIndex = new Map<string, number>();
  /** Sampled arrivals since the last flush, RECORD_STRIDE numbers each. */
  private records = new Float64Array(1024 * RECORD_STRIDE);
  private recordLength = 0;
  /** Every arrival of the run so far, sampled or not (decides the sampling). */
  private arrivals = 0;
  private recordsSkipped = 0;
  private events: TraceEvent[] = [];
  private highRate = 0;
  /** Panes and sink records sent so far in this run. */
  private results = 0;
  private resultsSkipped = 0;
  private seq = 0;

  constructor(
    private readonly attempt: number,
    options: SummarizerOptions = {},
  ) {
    this.recordCap = options.recordCap ?? 50_000;
    this.recordEvery = options.recordEvery ?? 10;
    this.coalesceAbove = options.coalesceAbove ?? 2_000;
    this.resultCap = options.resultCap ?? 200_000;
    this.partChars = options.partChars ?? 65_536;
  }

  /** Whether anything arrived since the last flush. */
  get isEmpty(): boolean {
    return this.recordLength === 0 && this.events.length === 0 && this.recordsSkipped === 0 && this.resultsSkipped === 0;
  }

  /** Takes one trace event (the engine's `onTrace`). */
  push(e: TraceEvent): void {
    if (e.type === 'recordArrived') {
      const n = this.arrivals++;
      if (n >= this.recordCap && (n - this.recordCap) % this.recordEvery !== 0) {
        this.recordsSkipped++;
        return;
      }
      let source = this.sourceIndex.get(e.source);
      if (source === undefined) {
        source = this.sources.push(e.source) - 1;
        this.sourceIndex.set(e.source, source);
      }
      if (this.recordLength + RECORD_STRIDE > this.records.length) {
        const grown = new Float64Array(this.records.length * 2);
        grown.set(this.records);
        this.records = grown;
      }
      const r = this.records;
      const i = this.recordLength;
      r[i] = e.eventTime;
      r[i + 1] = e.pt;
      r[i + 2] = source;
      r[i + 3] = e.partition;
      r[i + 4] = e.offset;
      this.recordLength += RECORD_STRIDE;
      return;
    }
    if (e.type === 'paneFired' || e.type === 'sinkRecord') {
      if (this.results >= this.resultCap) {
        this.resultsSkipped++;
        return;
      }
      this.results++;
    }
    if (isHighRate(e)) this.highRate++;
    this.events.push(e);
  }

  /** Everything since the last flush as one delta, with the clock at `pt`. */
  flush(pt: number, finished: boolean): SummarizedDelta {
    return this.flushParts(pt, finished, Number.POSITIVE_INFINITY)[0]!;
  }

  /**
   * Everything since the last flush as deltas of at most `maxEvents` events and about
   * `partChars` of JSON each, in order: the page decodes and applies each message as its own
   * task, so a moment that fires a thousand panes at once never becomes one long task there.
   * The record dots and the counts travel in the first part; only the last part says
   * `finished`. Every part has the clock at `pt`.
   */
  flushParts(pt: number, finished: boolean, maxEvents: number): SummarizedDelta[] {
    const records = this.records.slice(0, this.recordLength);
    const { events, coalesced } = this.highRate > this.coalesceAbove ? coalesce(this.events) : { events: this.events, coalesced: 0 };
    const texts = this.eventParts(events, Math.max(1, maxEvents));
    const parts = texts.map((text, k): SummarizedDelta => {
      const first = k === 0;
      const bytes = text === '' ? EMPTY.slice() : encoder.encode(text);
      const delta: TraceDelta = {
        seq: this.seq++,
        attempt: this.attempt,
        pt,
        finished: finished && k === texts.length - 1,
        records: first ? records : new Float64Array(0),
        sources: [...this.sources],
        recordsSkipped: first ? this.recordsSkipped : 0,
        events: bytes,
        eventsCoalesced: first ? coalesced : 0,
        ...(first && this.resultsSkipped > 0 ? { eventsSkipped: this.resultsSkipped } : {}),
      };
      return { delta, transfer: first ? [records.buffer, bytes.buffer as ArrayBuffer] : [bytes.buffer as ArrayBuffer] };
    });
    this.recordLength = 0;
    this.recordsSkipped = 0;
    this.events = [];
    this.highRate = 0;
    this.resultsSkipped = 0;
    return parts;
  }

  /**
   * The JSON arrays of the parts (at least one; '' for none): runs of at most `size` events,
   * cut again where a run's text is longer than `partChars`. Events are encoded one by one only
   * then, joined as JSON.stringify joins an array's elements (the encoding ignores keys).
   */
  private eventParts(events: readonly TraceEvent[], size: number): string[] {
    if (events.length === 0) return [''];
    const texts: string[] = [];
    for (let from = 0; from < events.length; from += size) {
      const chunk = events.length <= size ? events : events.slice(from, from + size);
      const text = toJson(chunk);
      if (text.length <= this.partChars) {
        texts.push(text);
        continue;
      }
      let run: string[] = [];
      let chars = 2;
      for (const e of chunk) {
        const one = toJson(e);
        if (run.length > 0 && chars + 1 + one.length > this.partChars) {
          texts.push(`[${run.join(',')}]`);
          run = [];
          chars = 2;
        }
        run.push(one);
        chars += one.length + (run.length > 1 ? 1 : 0);
      }
      texts.push(`[${run.join(',')}]`);
    }
    return texts;
  }
}

/**
 * Keeps, of each high-rate identity, only its last event, where that event was; every other
 * event keeps its place. Returns the events and how many were folded away.
 */
export function coalesce(events: readonly TraceEvent[]): { events: TraceEvent[]; coalesced: number } {
  const seen = new Set<string>();
  const keep = new Array<boolean>(events.length);
  let coalesced = 0;
  for (let i = events.length - 1; i >= 0; i--) {
    const id = identityOf(events[i]!);
    if (id === undefined || !seen.has(id)) {
      keep[i] = true;
      if (id !== undefined) seen.add(id);
    } else {
      keep[i] = false;
      coalesced++;
    }
  }
  return { events: events.filter((_, i) => keep[i]), coalesced };
}
