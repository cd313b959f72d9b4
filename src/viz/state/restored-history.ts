// What state history a playhead sees across crashes: a restored attempt starts from its
// checkpoint's state, not from where the crashed attempt stopped. So the changes that count at
// a playhead are those of the running attempt up to the playhead, preceded by those of the
// attempt that took the restored checkpoint up to that checkpoint, and so on back to the start.

import type { RunModel } from '../run-model.ts';
import { attemptAt } from '../metrics/sample-at.ts';

interface Change {
  readonly t: number;
  readonly attempt?: number;
}

/**
 * The changes in effect at `playheadT`, oldest first. Changes at the very time a checkpoint was
 * triggered count as before it (the trace orders a barrier within its millisecond only by
 * sequence, which RunModel does not keep per change).
 */
export function changesInEffect<C extends Change>(model: RunModel, changes: readonly C[], playheadT: number): C[] {
  const attemptOf = (c: C) => c.attempt ?? attemptAt(model.attempts, c.t)?.attempt ?? 1;
  const segments: { attempt: number; upTo: number }[] = [];
  let current = attemptAt(model.attempts, playheadT);
  let upTo = playheadT;
  const seen = new Set<number>();
  while (current && !seen.has(current.attempt)) {
    seen.add(current.attempt);
    segments.unshift({ attempt: current.attempt, upTo });
    if (current.restoredFrom === null) break;
    const restoredFrom = current.restoredFrom;
    const before = current.attempt;
    const checkpoint = [...model.checkpoints].reverse().find((c) => c.id === restoredFrom && c.attempt < before);
    if (!checkpoint) break;
    upTo = checkpoint.triggeredT;
    current = model.attempts.find((a) => a.attempt === checkpoint.attempt);
  }
  // A first attempt restored from nothing (no checkpoint) starts empty: only its own changes count.
  const out: C[] = [];
  for (const seg of segments) for (const c of changes) if (attemptOf(c) === seg.attempt && c.t <= seg.upTo) out.push(c);
  return out;
}
