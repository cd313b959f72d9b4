// The checkpoint and recovery timeline as data: each checkpoint as a span from trigger to
// completion (or failure, or abort by a crash), attempts as bands, and each recovery with the
// checkpoint it restored, where the clock went back to and how many records were read again.
// Invariant: pure functions of the RunModel; nothing after the playhead is counted.

import type { CrashMark, RunModel } from '../run-model.ts';

export type CheckpointStatus = 'completed' | 'failed' | 'aborted' | 'inFlight';

export interface CheckpointBar {
  readonly id: number;
  readonly attempt: number;
  readonly startT: number;
  /** Completion, failure or abort; the playhead while in flight. */
  readonly endT: number;
  readonly status: CheckpointStatus;
  readonly size?: number;
  /** Written as deltas on earlier checkpoints; `fullSize` is what a restore of it reads. */
  readonly incremental?: boolean;
  readonly fullSize?: number;
  readonly failure?: string;
  /** Acknowledgement times (subtasks that reported their state) up to the playhead. */
  readonly acks: readonly number[];
  readonly subtasks: number;
}

/** Every checkpoint triggered by `playheadT`, as it stood then. */
export function checkpointBarsAt(model: RunModel, playheadT: number): CheckpointBar[] {
  const subtasks = model.operators.reduce((n, o) => n + o.parallelism, 0);
  const bars: CheckpointBar[] = [];
  for (const c of model.checkpoints) {
    if (c.triggeredT > playheadT) continue;
    const acks = c.acks.filter((a) => a.t <= playheadT).map((a) => a.t);
    const crash = model.crashes.find((x) => x.attempt === c.attempt && x.t >= c.triggeredT);
    let status: CheckpointStatus = 'inFlight';
    let endT = playheadT;
    if (c.completedT !== undefined && c.completedT <= playheadT) [status, endT] = ['completed', c.completedT];
    else if (c.failedT !== undefined && c.failedT <= playheadT) [status, endT] = ['failed', c.failedT];
    else if (crash && crash.t <= playheadT) [status, endT] = ['aborted', crash.t];
    bars.push({
      id: c.id,
      attempt: c.attempt,
      startT: c.triggeredT,
      endT,
      status,
      acks,
      subtasks,
      ...(status === 'completed' && c.size !== undefined ? { size: c.size } : {}),
      ...(status === 'completed' && c.incremental ? { incremental: true } : {}),
      ...(status === 'completed' && c.fullSize !== undefined ? { fullSize: c.fullSize } : {}),
      ...(status === 'failed' && c.failure !== undefined ? { failure: c.failure } : {}),
    });
  }
  return bars;
}

export interface AttemptBand {
  readonly attempt: number;
  readonly fromT: number;
  /** The next attempt's start, or the playhead for the running one. */
  readonly toT: number;
  readonly restoredFrom: number | null;
  readonly fromSavepoint: boolean;
}

/** The attempts begun by `playheadT`, each up to the next one's start. */
export function attemptBandsAt(model: RunModel, playheadT: number): AttemptBand[] {
  const begun = model.attempts.filter((a) => a.startT <= playheadT);
  return begun.map((a, i) => ({
    attempt: a.attempt,
    fromT: a.startT,
    toT: i + 1 < begun.length ? begun[i + 1]!.startT : Math.max(a.startT, playheadT),
    restoredFrom: a.restoredFrom,
    fromSavepoint: a.fromSavepoint === true,
  }));
}

export interface ReplayCount {
  readonly source: string;
  readonly partition: number;
  /** The highest offset any earlier attempt had read. */
  readonly reachedOffset: number;
  /** Records this attempt read again (offset at or below `reachedOffset`) by the playhead. */
  readonly replayed: number;
}

export interface Recovery {
  readonly attempt: number;
  readonly t: number;
  /** The crash that ended the attempt before, when the trace has it. */
  readonly crash?: CrashMark;
  readonly restoredFrom: number | null;
  /** When the restored checkpoint was triggered, on the timeline. */
  readonly checkpointT?: number;
  readonly checkpointSize?: number;
  /** The processing time the restored job's clock (and so its sources) went back to. */
  readonly rewoundToPt: number;
  readonly replays: readonly ReplayCount[];
  readonly replayedTotal: number;
}

/**
 * Records of `attempt` read again by `playheadT`, per source partition: those whose offset is at
 * or below the highest offset earlier attempts reached. Counts record dots, so a sampled trace
 * (`recordsSkipped > 0`) undercounts.
 */
export function replayCounts(model: RunModel, attempt: number, playheadT: number): ReplayCount[] {
  const r = model.records;
  const raw = r.raw();
  const [cT, cSource, cPartition, cOffset, cAttempt] = (['t', 'source', 'partition', 'offset', 'attempt'] as const).map((f) => r.column(f));
  const reached = new Map<string, number>();
  for (let i = 0; i < r.length; i++) {
    const row = i * r.stride;
    if (raw[row + cAttempt!]! >= attempt) continue;
    const id = `${raw[row + cSource!]}#${raw[row + cPartition!]}`;
    reached.set(id, Math.max(reached.get(id) ?? -1, raw[row + cOffset!]!));
  }
  const replayed = new Map<string, number>();
  for (let i = 0; i < r.length; i++) {
    const row = i * r.stride;
    if (raw[row + cAttempt!] !== attempt || raw[row + cT!]! > playheadT) continue;
    const id = `${raw[row + cSource!]}#${raw[row + cPartition!]}`;
    const max = reached.get(id);
    if (max !== undefined && raw[row + cOffset!]! <= max) replayed.set(id, (replayed.get(id) ?? 0) + 1);
  }
  return [...reached.entries()]
    .map(([id, reachedOffset]) => {
      const [s, p] = id.split('#').map(Number) as [number, number];
      return { source: model.sources[s] ?? `source ${s}`, partition: p, reachedOffset, replayed: replayed.get(id) ?? 0 };
    })
    .sort((a, b) => a.source.localeCompare(b.source) || a.partition - b.partition);
}

/** Every restart begun by `playheadT` (attempts after the first), with what it restored and replayed. */
export function recoveriesAt(model: RunModel, playheadT: number): Recovery[] {
  return model.attempts
    .filter((a) => a.attempt > model.attempts[0]!.attempt && a.startT <= playheadT)
    .map((a) => {
      const crash = [...model.crashes].reverse().find((c) => c.attempt < a.attempt && c.t <= a.startT);
      const checkpoint = a.restoredFrom === null ? undefined : [...model.checkpoints].reverse().find((c) => c.id === a.restoredFrom && c.attempt < a.attempt);
      const replays = replayCounts(model, a.attempt, playheadT);
      return {
        attempt: a.attempt,
        t: a.startT,
        restoredFrom: a.restoredFrom,
        rewoundToPt: a.startPt,
        replays,
        replayedTotal: replays.reduce((n, x) => n + x.replayed, 0),
        ...(crash ? { crash } : {}),
        ...(checkpoint ? { checkpointT: checkpoint.triggeredT } : {}),
        ...(checkpoint?.size !== undefined ? { checkpointSize: checkpoint.size } : {}),
      };
    });
}
