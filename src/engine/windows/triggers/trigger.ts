// The trigger model, after Beam's TriggerStateMachine: a trigger is an immutable tree that
// keeps no state of its own. Its state lives per pane in a TriggerState (one slot and one
// "finished" bit per node), so it can be snapshotted, merged and cleared with the pane.

import type { Window } from '../window.ts';

/** Which clock a timer is set on. */
export type TimeDomain = 'eventTime' | 'processingTime';

/** Per-pane trigger state: one data slot and one finished bit per node of the trigger tree. */
export interface TriggerState {
  data: (number | null)[];
  finished: boolean[];
  /** Named state of Flink-style custom triggers, one record per node (JSON-compatible values). */
  user?: (Record<string, unknown> | null)[];
}

/** What a trigger sees when it is asked about one window of one key. */
export interface TriggerContext {
  readonly window: Window;
  /** The operator's input watermark (Flink convention: nothing at or before it is still to come). */
  readonly watermark: number;
  readonly processingTime: number;
  readonly state: TriggerState;
  /** True when the window assigner merges windows (sessions). */
  readonly isMerging: boolean;
  /** The element being added, during onElement. */
  readonly element?: unknown;
  /** The event timestamp of the element being added, during onElement. */
  readonly elementTimestamp?: number;
  /** Asks for a callback when the watermark reaches `time`, or when the processing clock has passed it (at `time + 1`). */
  setTimer(time: number, domain: TimeDomain): void;
  /**
   * Registers the named value `name` that node `node` keeps (Flink-style triggers, as Flink's
   * TriggerContext.getPartitionedState registers a state descriptor), kept by a trigger of kind
   * `kind`: after a savepoint restore, a name a trigger of another kind kept is refused.
   */
  declareState?(node: number, name: string, kind: string): void;
}

/** Merging: the states of the windows being merged, the result's state in `state`. */
export interface MergeContext extends TriggerContext {
  readonly merging: readonly TriggerState[];
}

/**
 * A node of a trigger tree. Lifecycle (as in Beam): a trigger starts executing with the first
 * element of a pane, may fire any number of times, and may finish; a finished trigger closes
 * its window, and later elements for that window are dropped.
 */
export abstract class Trigger {
  /** Position of this node in its tree (pre-order); indexes the TriggerState arrays. */
  id = -1;
  readonly children: readonly Trigger[];
  /** Flink's model: the trigger decides purging itself and a window never fires on expiry. */
  readonly isFlinkModel: boolean = false;
  /**
   * True when the trigger reacts to elements only by waiting for the watermark to reach the
   * end of the window (the default trigger, a plain afterWatermark, Flink's EventTimeTrigger).
   * The window operator then consults it once per pane and firing, not once per element.
   */
  readonly waitsForWatermarkOnly: boolean = false;
  /**
   * What this node keeps in its data slot, as savepoints record it (e.g. "count trigger
   * (AfterPane.elementCountAtLeast)"): a restore refuses a slot another kind of trigger filled
   * (a count read as a time to fire at fires at once). Undefined: the node keeps nothing there.
   */
  readonly stateKind: string | undefined = undefined;

  constructor(children: readonly Trigger[] = []) {
    this.children = children;
  }

  /** Called for every element added to the pane. */
  abstract onElement(c: TriggerContext): void;
  /** True if the pane should fire now. */
  abstract shouldFire(c: TriggerContext): boolean;
  /** Called once the pane has fired because `shouldFire` said so. */
  abstract onFire(c: TriggerContext): void;
  /** Human-readable form, as Beam and Flink print triggers. */
  abstract toString(): string;

  /** A timer of this pane has fired. Beam-model triggers read the clocks in shouldFire instead. */
  onTimer(c: TriggerContext, time: number, domain: TimeDomain): void {
    for (const child of this.children) child.onTimer(c, time, domain);
  }

  /** Combines the states of merged windows. The default merges every child. */
  onMerge(c: MergeContext): void {
    for (const child of this.children) child.onMerge(c);
  }

  /** Resets this subtree to its initial state (finished bits are left to the caller). */
  clear(c: TriggerContext): void {
    c.state.data[this.id] = null;
    for (const child of this.children) child.clear(c);
  }

  /** Whether the pane's contents should be purged after a firing (Flink's FIRE_AND_PURGE). */
  purgesOnFire(_c: TriggerContext): boolean {
    return false;
  }

  /** Whether the pane's contents should be purged without firing (Flink's PURGE). */
  shouldPurge(_c: TriggerContext): boolean {
    return false;
  }

  isFinished(c: TriggerContext): boolean {
    return c.state.finished[this.id] === true;
  }

  setFinished(c: TriggerContext, finished: boolean): void {
    c.state.finished[this.id] = finished;
  }

  finishedInAllMerging(c: MergeContext): boolean {
    return c.merging.every((s) => s.finished[this.id] === true);
  }

  finishedInAnyMerging(c: MergeContext): boolean {
    return c.merging.some((s) => s.finished[this.id] === true);
  }

  /**
   * Ends this trigger when `until` fires (Beam's `orFinally`): the pane fires one last time
   * and the window closes.
   */
  orFinally(until: Trigger): Trigger {
    return new OrFinallyTrigger(this, until);
  }
}

/** Fires when either the main trigger fires or `until` fires; finishes when `until` does. */
export class OrFinallyTrigger extends Trigger {
  constructor(main: Trigger, until: Trigger) {
    super([main, until]);
  }
  get main(): Trigger {
    return this.children[0]!;
  }
  get until(): Trigger {
    return this.children[1]!;
  }
  onElement(c: TriggerContext): void {
    this.main.onElement(c);
    this.until.onElement(c);
  }
  shouldFire(c: TriggerContext): boolean {
    return this.main.shouldFire(c) || this.until.shouldFire(c);
  }
  onFire(c: TriggerContext): void {
    if (this.until.shouldFire(c)) {
      this.until.onFire(c);
      this.setFinished(c, true);
      return;
    }
    this.main.onFire(c);
    if (this.main.isFinished(c)) this.setFinished(c, true);
  }
  override onMerge(c: MergeContext): void {
    super.onMerge(c);
    if (this.main.isFinished(c) || this.until.isFinished(c)) this.setFinished(c, true);
  }
  toString(): string {
    return `${this.main}.orFinally(${this.until})`;
  }
}

/** Numbers every node of a trigger tree and returns how many there are. */
export function numberTriggerTree(root: Trigger): number {
  let next = 0;
  const visit = (t: Trigger): void => {
    t.id = next++;
    for (const c of t.children) visit(c);
  };
  visit(root);
  return next;
}

export function emptyTriggerState(size: number): TriggerState {
  return { data: new Array<number | null>(size).fill(null), finished: new Array<boolean>(size).fill(false) };
}

export function copyTriggerState(s: TriggerState): TriggerState {
  const copy: TriggerState = { data: s.data.slice(), finished: s.finished.slice() };
  if (s.user !== undefined) copy.user = s.user.map((u) => (u === null ? null : { ...u }));
  return copy;
}
