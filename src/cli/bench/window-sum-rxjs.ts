// The windowed-sum benchmark written with RxJS 7, as an RxJS user would: a watermark generator
// as a custom operator (RxJS has no event time), then `scan` holding the open windows,
// `filter` + `mergeMap` flattening the panes each watermark fires.

import { endWith, filter, from, mergeMap, Observable, type OperatorFunction, scan } from 'rxjs';
import { emptyResult, type SumRecord, type WindowSumJob, type WindowSumResult } from './window-sum-dataset.ts';

/** A watermark: no record with a timestamp at or below `time` is still to come. */
interface Watermark {
  readonly watermark: number;
}

type StreamElement = SumRecord | Watermark;

interface Pane {
  readonly key: number;
  readonly windowStart: number;
  readonly sum: number;
}

const NO_PANES: Pane[] = [];

/** What `scan` carries from element to element (one object, updated in place). */
interface WindowState {
  /** Open windows by end: key -> running sum. */
  readonly windows: Map<number, Map<number, number>>;
  watermark: number;
  dropped: number;
  /** Panes fired by the latest watermark (empty after a record). */
  fired: Pane[];
}

const isWatermark = (element: StreamElement): element is Watermark => 'watermark' in element;

/**
 * Flink's BoundedOutOfOrdernessWatermarks with periodic emission: processing time is the largest
 * timestamp seen; each time it crosses a multiple of `interval`, emits max - bound - 1 if higher.
 * The watermark goes out before the record that moved the clock (which is never late itself).
 */
function boundedOutOfOrderness(bound: number, interval: number): OperatorFunction<SumRecord, StreamElement> {
  return (source) =>
    new Observable<StreamElement>((subscriber) => {
      let maxTimestamp = Number.NEGATIVE_INFINITY;
      let nextWatermarkAt = Number.NEGATIVE_INFINITY;
      let watermark = Number.NEGATIVE_INFINITY;
      return source.subscribe({
        next(record) {
          if (record.timestamp > maxTimestamp) {
            maxTimestamp = record.timestamp;
            if (maxTimestamp >= nextWatermarkAt) {
              nextWatermarkAt = (Math.floor(maxTimestamp / interval) + 1) * interval;
              if (maxTimestamp - bound - 1 > watermark) {
                watermark = maxTimestamp - bound - 1;
                subscriber.next({ watermark });
              }
            }
          }
          subscriber.next(record);
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

/** Adds a record to its window, or counts it as dropped if that window has fired. */
function addRecord(state: WindowState, record: SumRecord, windowSize: number): WindowState {
  state.fired = NO_PANES;
  const end = record.timestamp - (record.timestamp % windowSize) + windowSize;
  if (end - 1 <= state.watermark) {
    state.dropped++;
    return state;
  }
  let sums = state.windows.get(end);
  if (sums === undefined) {
    sums = new Map();
    state.windows.set(end, sums);
  }
  sums.set(record.key, (sums.get(record.key) ?? 0) + record.value);
  return state;
}

/** Advances the watermark and fires (and forgets) every window it has passed. */
function advanceWatermark(state: WindowState, watermark: number, windowSize: number): WindowState {
  const fired: Pane[] = [];
  state.watermark = watermark;
  for (const [end, sums] of state.windows) {
    if (end - 1 > watermark) continue;
    const windowStart = end - windowSize;
    for (const [key, sum] of sums) fired.push({ key, windowStart, sum });
    state.windows.delete(end);
  }
  state.fired = fired;
  return state;
}

/** Runs the job; the Observable is synchronous, so the result is complete on return. */
export function windowSumRxjs(records: readonly SumRecord[], job: WindowSumJob): WindowSumResult {
  const result = emptyResult();
  const state: WindowState = { windows: new Map(), watermark: Number.NEGATIVE_INFINITY, dropped: 0, fired: [] };

  from(records)
    .pipe(
      boundedOutOfOrderness(job.outOfOrderness, job.watermarkInterval),
      endWith<StreamElement>({ watermark: Number.POSITIVE_INFINITY }),
      scan(
        (current, element) =>
          isWatermark(element)
            ? advanceWatermark(current, element.watermark, job.windowSize)
            : addRecord(current, element, job.windowSize),
        state,
      ),
      filter((current) => current.fired.length > 0),
      mergeMap((current) => current.fired),
    )
    .subscribe((pane) => {
      result.keys.push(pane.key);
      result.windowStarts.push(pane.windowStart);
      result.sums.push(pane.sum);
    });

  result.dropped = state.dropped;
  return result;
}
