// Turns a firing pane into output records: runs the window function over the pane's contents,
// and emits the results with their window and pane info, timestamped with the window's max
// timestamp. In accumulating-and-retracting mode it first retracts every result emitted before
// for this window, and for the windows merged into it (the Dataflow paper's session example:
// when sessions merge, the old sessions' results are withdrawn along with the merged result).

import { UserCodeError } from '../errors.ts';
import type { StateAccess } from '../api/process-function.ts';
import type { OperatorContext } from '../runtime/operator.ts';
import type { Key } from '../runtime/record-batch.ts';
import type { PaneInfo } from './pane-info.ts';
import { appended, NONE_YET, type Pane } from './pane.ts';
import { maxTimestamp, type Window } from './window.ts';
import { isEmptyReduce, type WindowFunction } from './window-function.ts';

/** The results of the window function over the pane's contents (count windows evict first). */
export function paneResults(
  fn: WindowFunction,
  evictToLast: number | undefined,
  ctx: OperatorContext,
  key: Key,
  pane: Pane,
  info: PaneInfo,
  state: { readonly windowState: StateAccess; readonly globalState: StateAccess },
): unknown[] {
  let elements = pane.elements;
  if (elements !== null && evictToLast !== undefined && elements.length > evictToLast) {
    elements = elements.slice(elements.length - evictToLast);
    pane.elements = elements;
    pane.size = elements.length;
  }
  try {
    if (fn.kind === 'aggregate') {
      let acc = pane.acc;
      if (elements !== null) {
        acc = fn.fn.createAccumulator();
        for (const e of elements) acc = fn.fn.add(e, acc);
      }
      if (isEmptyReduce(acc)) return [];
      return [fn.fn.getResult(acc)];
    }
    const out: unknown[] = [];
    fn.fn(key, elements ?? [], {
      window: pane.window,
      pane: info,
      currentWatermark: ctx.watermark(),
      currentProcessingTime: ctx.processingTime(),
      output: (v) => out.push(v),
      outputTo: (tag, v) => ctx.output.emitSide(tag, v, maxTimestamp(pane.window), key),
      windowState: state.windowState,
      globalState: state.globalState,
    });
    return out;
  } catch (e) {
    throw new UserCodeError(ctx.operatorName, fn.what, e);
  }
}

/** Emits one pane: retractions first when `retracting`, then `results`; remembers what to retract next. */
export function emitPaneOutput(ctx: OperatorContext, key: Key, pane: Pane, info: PaneInfo, results: readonly unknown[], retracting: boolean): void {
  if (retracting) {
    for (const m of pane.mergedEmitted) for (const v of m.values) emitOne(ctx, key, m.window, pane, info, v, true);
    for (const v of pane.lastEmitted) emitOne(ctx, key, pane.window, pane, info, v, true);
    pane.mergedEmitted = NONE_YET as never[];
    pane.lastEmitted = results.slice();
  }
  for (const v of results) emitOne(ctx, key, pane.window, pane, info, v, false);
}

/** Retracting mode: `into` takes over the duty to retract what the merged-away `from` emitted. */
export function inheritRetractions(into: Pane, from: Pane): void {
  for (const m of from.mergedEmitted) into.mergedEmitted = appended(into.mergedEmitted, m);
  if (from.lastEmitted.length > 0) into.mergedEmitted = appended(into.mergedEmitted, { window: from.window, values: from.lastEmitted });
}

function emitOne(ctx: OperatorContext, key: Key, window: Window, pane: Pane, info: PaneInfo, value: unknown, retraction: boolean): void {
  const ts = maxTimestamp(window);
  ctx.output.emit(value, ts, key, retraction ? { window, pane: info, retraction: true } : { window, pane: info });
  if (!ctx.tracing) return;
  ctx.trace({
    type: 'paneFired',
    pt: ctx.processingTime(),
    operator: ctx.operatorName,
    subtask: ctx.subtask,
    key,
    window,
    pane: info,
    value,
    timestamp: ts,
    watermark: ctx.watermark(),
    retraction,
    elements: pane.size,
  });
}
