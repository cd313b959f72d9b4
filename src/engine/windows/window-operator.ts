// The window operator (Flink's WindowOperator with Beam's ReduceFnRunner semantics): assigns
// each element to windows, merges session windows, drops or side-outputs late elements, runs
// the trigger after every element and timer, emits panes with pane info, and deletes a
// window's state and timers once it expires (max timestamp + allowed lateness).
//
// Strategy for one element:
//   1. Assign windows; skip windows that have already expired (and count the element late
//      when all of them have).
//   2. Merge the new window with the key's overlapping windows (merging assigners).
//   3. Add the element to each pane, run the trigger, and fire if it says so.

import type { StateDescriptors } from '../checkpoint/state-descriptors.ts';
import { WINDOW_PANES } from '../checkpoint/state-migrations.ts';
import { WindowStateKinds } from './window-state-kinds.ts';
import { UserCodeError } from '../errors.ts';
import type { Operator, OperatorContext } from '../runtime/operator.ts';
import type { Key, RecordBatch } from '../runtime/record-batch.ts';
import type { StateTable } from '../state/state-backend.ts';
import type { Timer } from '../time/timer-service.ts';
import { describePane, type PaneInfo } from './pane-info.ts';
import { NONE_YET, PANE_CODEC, type Pane } from './pane.ts';
import { WindowFunctionState } from './window-function-state.ts';
import { PaneTriggerContext } from './pane-trigger-context.ts';
import { copyTriggerState, emptyTriggerState, numberTriggerTree, type Trigger, type TriggerState } from './triggers/trigger.ts';
import { cover, intersects, maxTimestamp, sameWindow, type Window } from './window.ts';
import type { WindowAssigner } from './window-assigner.ts';
import type { WindowFunction } from './window-function.ts';
import { emitPaneOutput, inheritRetractions, paneResults } from './pane-output.ts';

/** How fired panes relate to each other. */
export type AccumulationMode = 'discarding' | 'accumulating' | 'accumulatingAndRetracting';

export interface WindowOperatorConfig {
  readonly assigner: WindowAssigner;
  readonly trigger: Trigger;
  readonly allowedLateness: number;
  /** Undefined: accumulating (Flink's behaviour; Beam's default is discarding). */
  readonly accumulation: AccumulationMode | undefined;
  readonly lateDataTag: string | undefined;
  readonly fn: WindowFunction;
  /** Beam's OnTimeBehavior: emit the ON_TIME pane even when it is empty. */
  readonly fireEmptyOnTimePane: boolean;
  /** The API call that made the window function (sum, count, reduce, aggregate, process): names the panes' kind in savepoints. */
  readonly functionName?: string;
}

export class WindowOperator implements Operator {
  private ctx!: OperatorContext;
  private panes!: StateTable<Pane>;
  private readonly triggerSize: number;
  private readonly tc: PaneTriggerContext;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly probe = { start: 0, end: 0 };
  private readonly listMode: boolean;
  private readonly beamModel: boolean;
  private readonly watermarkOnly: boolean;

  constructor(private readonly cfg: WindowOperatorConfig) {
    this.triggerSize = numberTriggerTree(cfg.trigger);
    const agg = cfg.fn.kind === 'aggregate' ? cfg.fn.fn : undefined;
    this.listMode = agg === undefined || cfg.assigner.evictToLast !== undefined || (cfg.assigner.isMerging && agg.merge === undefined);
    this.beamModel = !cfg.trigger.isFlinkModel;
    this.watermarkOnly = cfg.trigger.waitsForWatermarkOnly;
    const keepsElements = this.listMode && cfg.fn.kind === 'aggregate' ? ' over elements' : '';
    // What the panes hold and the trigger keeps, as a savepoint records it, e.g. "window sum".
    this.kinds = new WindowStateKinds(`window ${cfg.functionName ?? cfg.fn.kind}${keepsElements}`, cfg.trigger, cfg.assigner.windowKind ?? 'time windows');
    this.tc = new PaneTriggerContext(cfg.assigner.isMerging, this.kinds);
  }

  private readonly kinds: WindowStateKinds;

  stateDescriptors(): StateDescriptors {
    return { ...this.kinds.declared(), ...this.functionState.declared() };
  }

  restoreStateDescriptors(restored: StateDescriptors, uid: string, ttlRecorded: boolean): void {
    this.kinds.expect(restored, uid);
    this.functionState.expect(restored, uid, ttlRecorded);
  }

  open(ctx: OperatorContext): void {
    this.ctx = ctx;
    this.panes = ctx.state.table<Pane>(WINDOW_PANES, PANE_CODEC);
    this.tc.bind(ctx);
    this.functionState.open(ctx);
  }

  /** Window and global state of a process window function. */
  private readonly functionState = new WindowFunctionState();

  processBatch(batch: RecordBatch): void {
    const keys = batch.keys;
    if (keys === null) throw new Error(`window operator "${this.ctx.operatorName}" got records without keys`);
    const values = batch.values;
    const timestamps = batch.timestamps;
    for (let i = 0; i < values.length; i++) this.processElement(values[i], timestamps[i]!, keys[i]!);
  }

  private processElement(value: unknown, ts: number, key: Key): void {
    const cfg = this.cfg;
    const ctx = this.ctx;
    const now = ctx.processingTime();
    const wm = ctx.watermark();
    const n = cfg.assigner.assign(ts, now, this.starts, this.ends);
    let skipped = 0;
    for (let j = 0; j < n; j++) {
      let start = this.starts[j]!;
      let end = this.ends[j]!;
      // Merging windows are judged late after merging (Flink: isWindowLate(actualWindow)), so an
      // element whose own window has expired still joins a live session it touches.
      if (!cfg.assigner.isMerging && this.isLate(end)) {
        skipped++;
        continue;
      }
      let pane: Pane | undefined;
      if (cfg.assigner.isMerging) {
        pane = this.mergeInto(key, start, end);
        if (pane === undefined) {
          skipped++;
          continue;
        }
        start = pane.window.start;
        end = pane.window.end;
      } else {
        this.probe.start = start;
        this.probe.end = end;
        pane = this.panes.get(key, this.probe);
        if (pane === undefined) pane = this.createPane(key, { start, end });
      }
      if (this.beamModel && this.isClosed(pane)) {
        this.dropped('windowClosed', key, ts, wm, [pane.window]);
        continue;
      }
      this.addToPane(pane, value);
      // Per pane, not per element: a watermark-only trigger already saw an element of this
      // pane since it last fired, the watermark is still before the window's end, so another
      // element cannot change its state or make it fire.
      if (this.watermarkOnly && pane.added > 1 && wm < end - 1) continue;
      const tc = this.tc.at(key, pane, value, ts);
      try {
        cfg.trigger.onElement(tc);
      } catch (e) {
        throw new UserCodeError(ctx.operatorName, 'the trigger', e);
      }
      this.afterTrigger(key, pane);
    }
    if (n > 0 && skipped === n) {
      // Every window of the element has expired: Flink's isSkippedElement && isElementLate.
      if (cfg.lateDataTag !== undefined) {
        ctx.output.emitSide(cfg.lateDataTag, value, ts, key);
        if (ctx.tracing) {
          ctx.trace({ type: 'recordLate', pt: now, operator: ctx.operatorName, subtask: ctx.subtask, key, eventTime: ts, watermark: wm, sideOutput: cfg.lateDataTag });
        }
      } else {
        this.dropped('windowExpired', key, ts, wm, this.windowsOf(n));
      }
    }
  }

  private windowsOf(n: number): Window[] {
    const out: Window[] = [];
    for (let j = 0; j < n; j++) out.push({ start: this.starts[j]!, end: this.ends[j]! });
    return out;
  }

  private dropped(reason: 'windowExpired' | 'windowClosed', key: Key, ts: number, wm: number, windows: readonly Window[]): void {
    const ctx = this.ctx;
    ctx.countDropped();
    if (!ctx.tracing) return;
    ctx.trace({ type: 'recordDropped', pt: ctx.processingTime(), operator: ctx.operatorName, subtask: ctx.subtask, reason, key, eventTime: ts, watermark: wm, windows });
  }

  /** A window is late once its cleanup time has passed (Flink's isWindowLate). */
  private isLate(end: number): boolean {
    if (!this.cfg.assigner.isEventTime) return false;
    const maxTs = end === Number.POSITIVE_INFINITY ? end : end - 1;
    return maxTs + this.cfg.allowedLateness <= this.ctx.watermark();
  }

  private cleanupTime(w: Window): number {
    return maxTimestamp(w) + (this.cfg.assigner.isEventTime ? this.cfg.allowedLateness : 0);
  }

  private isClosed(pane: Pane): boolean {
    return pane.closed;
  }

  /** Copies the root trigger's finished bit to the pane after the trigger ran. */
  private syncClosed(pane: Pane): void {
    pane.closed = pane.trigger.finished[0] === true;
  }

  private createPane(key: Key, window: Window): Pane {
    const pane: Pane = {
      window,
      acc: this.listMode ? null : (this.cfg.fn as { fn: { createAccumulator(): unknown } }).fn.createAccumulator(),
      elements: this.listMode ? [] : null,
      size: 0,
      added: 0,
      trigger: emptyTriggerState(this.triggerSize),
      closed: false,
      previous: null,
      lastEmitted: NONE_YET as never[],
      mergedEmitted: NONE_YET as never[],
      eventTimers: NONE_YET as never[],
      processingTimers: NONE_YET as never[],
    };
    this.panes.set(key, window, pane);
    this.tc.at(key, pane, undefined, undefined).setTimer(this.cleanupTime(window), this.cfg.assigner.isEventTime ? 'eventTime' : 'processingTime');
    return pane;
  }

  private addToPane(pane: Pane, value: unknown): void {
    pane.size++;
    pane.added++;
    if (pane.elements !== null) {
      pane.elements.push(value);
      return;
    }
    const fn = this.cfg.fn;
    if (fn.kind !== 'aggregate') return;
    try {
      pane.acc = fn.fn.add(value, pane.acc);
    } catch (e) {
      throw new UserCodeError(this.ctx.operatorName, fn.what, e);
    }
  }

  /**
   * Merges [start, end) with the key's windows it overlaps or touches and returns the pane to
   * add to, or undefined if the merged window has already expired. A closed window (its trigger
   * finished) no longer merges: Beam removes it from the active windows, so a new element next
   * to it starts a window of its own; only an element whose window is exactly the closed one
   * lands there (and is dropped).
   */
  private mergeInto(key: Key, start: number, end: number): Pane | undefined {
    let merged: Window = { start, end };
    const overlapping: Pane[] = [];
    for (const e of this.panes.entriesOf(key)) {
      if (!this.isClosed(e.value) && intersects(e.value.window, merged)) overlapping.push(e.value);
    }
    for (const p of overlapping) merged = cover(merged, p.window);
    if (this.isLate(merged.end)) return undefined;
    const existing = this.panes.get(key, merged);
    if (existing !== undefined && this.isClosed(existing)) return existing;
    if (overlapping.length === 0) return this.createPane(key, merged);
    if (overlapping.length === 1 && sameWindow(overlapping[0]!.window, merged)) return overlapping[0];
    // A real merge: the result is a new window, or one of the existing ones grown by others.
    const target = overlapping.find((p) => sameWindow(p.window, merged));
    const states: TriggerState[] = overlapping.map((p) => p.trigger);
    if (target === undefined) states.push(emptyTriggerState(this.triggerSize));
    // A new merged window starts with empty trigger state: each trigger's onMerge rebuilds its own
    // from the merged windows' (Beam's state merging, Flink's mergePartitionedState).
    const into = target ?? this.createPane(key, merged);
    for (const p of overlapping) {
      if (p === into) continue;
      this.absorb(into, p);
      if (this.cfg.accumulation === 'accumulatingAndRetracting') inheritRetractions(into, p);
      this.deletePane(key, p);
    }
    const mc = this.tc.at(key, into, undefined, undefined);
    mc.merging = states;
    // As in Beam's TriggerStateMachineRunner.onMerge: the merged window starts from its own finished
    // bits (none, if it is new), and each trigger's onMerge sets its bit from the merged windows'.
    into.trigger = copyTriggerState(into.trigger);
    mc.state = into.trigger;
    try {
      this.cfg.trigger.onMerge(mc);
    } catch (e) {
      throw new UserCodeError(this.ctx.operatorName, 'the trigger', e);
    }
    mc.merging = [];
    this.syncClosed(into);
    const ctx = this.ctx;
    if (ctx.tracing) {
      ctx.trace({
        type: 'windowMerged',
        pt: ctx.processingTime(),
        operator: ctx.operatorName,
        subtask: ctx.subtask,
        key,
        merged: overlapping.map((p) => p.window).concat(target === undefined ? [{ start, end }] : []),
        into: merged,
      });
    }
    return into;
  }

  private absorb(into: Pane, from: Pane): void {
    into.size += from.size;
    into.added += from.added;
    if (into.elements !== null && from.elements !== null) {
      into.elements = from.window.start < into.window.start ? from.elements.concat(into.elements) : into.elements.concat(from.elements);
      return;
    }
    const fn = this.cfg.fn;
    if (fn.kind === 'aggregate' && fn.fn.merge) into.acc = fn.fn.merge(into.acc, from.acc);
  }

  private deletePane(key: Key, pane: Pane): void {
    // The pane's timers stay queued: when they fire, onTimer finds no pane listing them and ignores them.
    this.panes.delete(key, pane.window);
  }

  /** A pane's timer is live while the pane exists and still lists it (see deletePane). */
  isTimerLive(timer: Timer): boolean {
    const pane = this.panes.get(timer.key!, timer.window);
    if (pane === undefined) return false;
    return (timer.domain === 'eventTime' ? pane.eventTimers : pane.processingTimers).includes(timer.time);
  }

  onTimer(timer: Timer): void {
    const key = timer.key!;
    const w = timer.window!;
    const pane = this.panes.get(key, w);
    if (pane === undefined) return;
    const list = timer.domain === 'eventTime' ? pane.eventTimers : pane.processingTimers;
    const at = list.indexOf(timer.time);
    // A timer of an earlier pane of this window (merged away or expired): not this pane's.
    if (at < 0) return;
    list.splice(at, 1);
    const isCleanup = timer.time === this.cleanupTime(w) && timer.domain === (this.cfg.assigner.isEventTime ? 'eventTime' : 'processingTime');
    const tc = this.tc.at(key, pane, undefined, undefined);
    if (!isCleanup || !this.beamModel) {
      try {
        this.cfg.trigger.onTimer(tc, timer.time, timer.domain);
      } catch (e) {
        throw new UserCodeError(this.ctx.operatorName, 'the trigger', e);
      }
      this.afterTrigger(key, pane, isCleanup);
    }
    if (isCleanup) {
      // Beam fires a final pane for data that no trigger has emitted yet; Flink just cleans up.
      if (this.beamModel && !this.isClosed(pane) && (pane.added > 0 || this.onTimePaneOwed(pane))) this.emitPane(key, pane, true);
      this.cfg.trigger.clear(tc);
      this.functionState.clear(this.cfg.fn, key, w);
      this.deletePane(key, pane);
      const ctx = this.ctx;
      if (ctx.tracing) ctx.trace({ type: 'windowExpired', pt: ctx.processingTime(), operator: ctx.operatorName, subtask: ctx.subtask, key, window: w });
    }
  }

  /** Beam's FIRE_ALWAYS: the ON_TIME pane is emitted even when no element arrived since the last pane. */
  private onTimePaneOwed(pane: Pane): boolean {
    if (!this.cfg.fireEmptyOnTimePane) return false;
    const prev = pane.previous;
    return (prev === null ? false : prev.timing === 'EARLY') && this.windowClock() >= maxTimestamp(pane.window);
  }

  /**
   * The clock a window's end is measured against: the input watermark, or for processing-time
   * windows the processing clock minus 1 ms. A processing-time timer for t fires at t + 1 (as
   * in Flink), so at clock `end - 1` the window is still open and its panes are EARLY; the
   * firing at `end` is its ON_TIME pane.
   */
  private windowClock(): number {
    return this.cfg.assigner.isEventTime ? this.ctx.watermark() : this.ctx.processingTime() - 1;
  }

  private describe(pane: Pane, isFinal: boolean): PaneInfo {
    const ctx = this.ctx;
    const maxTs = maxTimestamp(pane.window);
    const prev = pane.previous ?? undefined;
    if (!this.cfg.assigner.isEventTime) return describePane(prev, maxTs, this.windowClock(), Number.NEGATIVE_INFINITY, isFinal);
    return describePane(prev, maxTs, ctx.watermark(), ctx.outputWatermark(), isFinal);
  }

  /** After the trigger saw an element or timer: fire, purge, or do nothing. */
  private afterTrigger(key: Key, pane: Pane, isCleanup = false): void {
    const trigger = this.cfg.trigger;
    const tc = this.tc.at(key, pane, undefined, undefined);
    if (trigger.shouldFire(tc)) {
      const purge = trigger.purgesOnFire(tc);
      trigger.onFire(tc);
      this.syncClosed(pane);
      const final = this.isClosed(pane) || isCleanup;
      this.emitPane(key, pane, final, purge);
    } else if (trigger.shouldPurge(tc)) {
      trigger.onFire(tc);
      this.clearContents(pane);
    }
  }

  private needsToEmit(pane: Pane, timing: string, isFinal: boolean): boolean {
    if (!this.beamModel) return pane.size > 0;
    if (pane.added > 0) return true;
    if (timing === 'ON_TIME' && this.cfg.fireEmptyOnTimePane) return true;
    return false;
  }

  private emitPane(key: Key, pane: Pane, isFinal: boolean, purge = false): void {
    const cfg = this.cfg;
    const info = this.describe(pane, isFinal);
    if (this.needsToEmit(pane, info.timing, isFinal)) {
      const results = paneResults(cfg.fn, cfg.assigner.evictToLast, this.ctx, key, pane, info, this.functionState.at(key, pane.window).access);
      emitPaneOutput(this.ctx, key, pane, info, results, cfg.accumulation === 'accumulatingAndRetracting');
      pane.previous = info;
    }
    pane.added = 0;
    if (cfg.accumulation === 'discarding' || purge) this.clearContents(pane);
  }

  private clearContents(pane: Pane): void {
    pane.size = 0;
    if (pane.elements !== null) pane.elements = [];
    else if (this.cfg.fn.kind === 'aggregate') pane.acc = this.cfg.fn.fn.createAccumulator();
  }
}
