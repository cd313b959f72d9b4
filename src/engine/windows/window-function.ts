// What a window computes from its pane: an incremental aggregate (Flink's AggregateFunction,
// Beam's CombineFn; reduce, sum and count are aggregates), or a process function that sees
// every element (Flink's ProcessWindowFunction). Aggregates keep one accumulator per pane.

import type { Key } from '../runtime/record-batch.ts';
import type { StateAccess } from '../api/process-function.ts';
import type { AggregateFunction } from '../state/keyed-state.ts';
import type { PaneInfo } from './pane-info.ts';
import type { Window } from './window.ts';

/** What a process window function can do besides reading its elements. */
export interface ProcessWindowContext<OUT> {
  readonly window: Window;
  readonly pane: PaneInfo;
  readonly currentWatermark: number;
  readonly currentProcessingTime: number;
  /** Emits a result for this window (timestamped with the window's max timestamp). */
  output(value: OUT): void;
  /** Emits to a side output. */
  outputTo(tag: string, value: unknown): void;
  /**
   * Keyed state of this key and window (Flink's ProcessWindowFunction.Context.windowState). It is
   * not cleared when the window expires: clear it in the function's `clear` hook, as in Flink,
   * or it stays forever.
   */
  readonly windowState: StateAccess;
  /** Keyed state of this key across all its windows (Flink's globalState). */
  readonly globalState: StateAccess;
}

/** What a process window function's `clear` hook gets when its window expires. */
export interface WindowClearContext {
  readonly window: Window;
  readonly windowState: StateAccess;
  readonly globalState: StateAccess;
}

/**
 * Called when a window fires, with every element in the pane.
 * @example
 * .process((key, elements, ctx) => ctx.output({ key, n: elements.length, end: ctx.window.end }))
 */
export type ProcessWindowFunction<IN, OUT, K extends Key> = (key: K, elements: readonly IN[], ctx: ProcessWindowContext<OUT>) => void;

/** How a window operator turns a pane into output. */
export type WindowFunction =
  | { readonly kind: 'aggregate'; readonly fn: AggregateFunction<unknown, unknown, unknown>; readonly what: string; readonly hasIdentity: boolean }
  | {
      readonly kind: 'process';
      readonly fn: ProcessWindowFunction<unknown, unknown, Key>;
      readonly what: string;
      /** Flink's ProcessWindowFunction.clear: called when the window expires, to clear window state. */
      readonly clear?: (key: Key, ctx: WindowClearContext) => void;
    };

/** The empty accumulator of a reduce: plain data, so it survives a checkpoint's JSON. */
interface NoValue {
  readonly $brook: 'empty-reduce';
}
const NO_VALUE: NoValue = Object.freeze({ $brook: 'empty-reduce' });

function isNoValue(acc: unknown): acc is NoValue {
  return acc === NO_VALUE || (typeof acc === 'object' && acc !== null && (acc as { $brook?: unknown }).$brook === 'empty-reduce');
}

/** Flink's ReduceFunction as an aggregate whose empty accumulator has no result. */
export function reduceAggregate<T>(reduce: (a: T, b: T) => T): AggregateFunction<T, T | NoValue, T> {
  return {
    createAccumulator: () => NO_VALUE,
    add: (v, acc) => (isNoValue(acc) ? v : reduce(acc, v)),
    getResult: (acc) => acc as T,
    merge: (a, b) => (isNoValue(a) ? b : isNoValue(b) ? a : reduce(a, b)),
  };
}

/** True when a reduce accumulator holds nothing yet. */
export function isEmptyReduce(acc: unknown): boolean {
  return isNoValue(acc);
}

/** Sums a numeric field. */
export function sumAggregate<T>(of: (v: T) => number): AggregateFunction<T, number, number> {
  return {
    createAccumulator: () => 0,
    add: (v, acc) => acc + of(v),
    getResult: (acc) => acc,
    merge: (a, b) => a + b,
  };
}

/** Counts elements. */
export function countAggregate<T>(): AggregateFunction<T, number, number> {
  return {
    createAccumulator: () => 0,
    add: (_v, acc) => acc + 1,
    getResult: (acc) => acc,
    merge: (a, b) => a + b,
  };
}
