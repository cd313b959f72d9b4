// What users write against for low-level processing: process functions with keyed state,
// timers and side outputs (Flink's KeyedProcessFunction, CoProcessFunction, ProcessFunction).

import type { Key } from '../runtime/record-batch.ts';
import type {
  AggregateFunction,
  AggregatingState,
  ListState,
  MapState,
  ReducingState,
  StateOptions,
  ValueState,
} from '../state/keyed-state.ts';

/** Timers and clocks, as Flink's TimerService. Timers are per key; setting one twice is a no-op. */
export interface TimerServiceApi {
  currentWatermark(): number;
  currentProcessingTime(): number;
  /** Calls `onTimer` once the watermark reaches `time`. */
  registerEventTimeTimer(time: number): void;
  /**
   * Calls `onTimer(time)` once the processing clock has passed `time`, at `time + 1` (Flink's
   * 1 ms delay); a timer for the current time does not fire at once.
   */
  registerProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
}

/** Declares and opens keyed state for the current key. The same name always gives the same state. */
export interface StateAccess {
  value<T>(name: string, options?: StateOptions): ValueState<T>;
  list<T>(name: string, options?: StateOptions): ListState<T>;
  map<K, V>(name: string, options?: StateOptions): MapState<K, V>;
  reducing<T>(name: string, reduce: (a: T, b: T) => T, options?: StateOptions): ReducingState<T>;
  aggregating<IN, ACC, OUT>(name: string, fn: AggregateFunction<IN, ACC, OUT>, options?: StateOptions): AggregatingState<IN, OUT>;
}

/** What a process function can do while handling an element. */
export interface ProcessContext<OUT> {
  /** The element's event timestamp (the timer's time inside `onTimer`). */
  readonly timestamp: number;
  readonly timerService: TimerServiceApi;
  /** Emits a result; its timestamp defaults to the element's (or the timer's). */
  output(value: OUT, timestamp?: number): void;
  /** Emits to a side output, read with `getSideOutput(tag)`. */
  outputTo(tag: string, value: unknown, timestamp?: number): void;
}

/** The context of a keyed process function: the current key and its state. */
export interface KeyedProcessContext<K extends Key, OUT> extends ProcessContext<OUT> {
  readonly key: K;
  readonly state: StateAccess;
}

/** The context inside `onTimer`. */
export interface OnTimerContext<K extends Key, OUT> extends KeyedProcessContext<K, OUT> {
  readonly timeDomain: 'eventTime' | 'processingTime';
}

/**
 * Processes each element of a keyed stream with keyed state and timers (Flink's KeyedProcessFunction).
 * @example
 * // Alert when a tracker has been silent for 5 minutes.
 * pings.keyBy((p) => p.runner).process({
 *   processElement(ping, ctx) {
 *     const last = ctx.state.value<number>('timer');
 *     const old = last.value();
 *     if (old !== undefined) ctx.timerService.deleteEventTimeTimer(old);
 *     last.update(ctx.timestamp + minutes(5));
 *     ctx.timerService.registerEventTimeTimer(ctx.timestamp + minutes(5));
 *   },
 *   onTimer(time, ctx) {
 *     ctx.output({ runner: ctx.key, silentSince: time - minutes(5) });
 *   },
 * });
 */
export interface KeyedProcessFunction<K extends Key, IN, OUT> {
  processElement(value: IN, ctx: KeyedProcessContext<K, OUT>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext<K, OUT>): void;
}

/** Processes each element of a (non-keyed) stream; no keyed state or timers (Flink's ProcessFunction). */
export interface ProcessFunction<IN, OUT> {
  processElement(value: IN, ctx: ProcessContext<OUT>): void;
}

/** Processes two connected keyed streams with shared keyed state and timers (Flink's KeyedCoProcessFunction). */
export interface KeyedCoProcessFunction<K extends Key, IN1, IN2, OUT> {
  processElement1(value: IN1, ctx: KeyedProcessContext<K, OUT>): void;
  processElement2(value: IN2, ctx: KeyedProcessContext<K, OUT>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext<K, OUT>): void;
}

/** Processes two connected streams (Flink's CoProcessFunction); no keyed state or timers. */
export interface CoProcessFunction<IN1, IN2, OUT> {
  processElement1(value: IN1, ctx: ProcessContext<OUT>): void;
  processElement2(value: IN2, ctx: ProcessContext<OUT>): void;
}
