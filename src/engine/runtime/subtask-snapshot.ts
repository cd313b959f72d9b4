// What an operator subtask's checkpoint holds: its channels' and valves' watermarks, its state,
// timers and counters, the operator's own state, and for an unaligned checkpoint the records in
// flight. Invariant: restoring it into a fresh subtask of the same job continues exactly there.

import type { StateDescriptors } from '../checkpoint/state-descriptors.ts';
import type { JsonValue } from '../connectors/partition-reader.ts';
import type { StateSnapshot, TakenStateSnapshot } from '../state/state-backend.ts';
import type { TimerSnapshot } from '../time/timer-service.ts';
import type { ChannelStateElement } from './channel.ts';
import type { CombinedInputs } from './watermark-valve.ts';

/**
 * Everything one operator subtask must remember to continue exactly where it was: as read back
 * (`S` a decoded StateSnapshot), or as taken (TakenSubtaskSnapshot), to be encoded at once.
 */
export interface OperatorSubtaskSnapshot<S = StateSnapshot> {
  readonly channels: { watermark: number; idle: boolean; aligned: boolean; ended: boolean }[];
  readonly valves: { last: number; idle: boolean }[];
  readonly inputs: ReturnType<CombinedInputs['snapshot']>;
  readonly watermark: number;
  readonly forwarded: number;
  readonly finished: boolean;
  readonly counters: { recordsIn: number; recordsOut: number; recordsDropped: number };
  readonly state: S;
  readonly timers: TimerSnapshot[];
  readonly operator: JsonValue;
  /** Per keyed state name, the kind of function that keeps it (checkpoint/state-descriptors.ts); absent in older snapshots. */
  readonly descriptors?: StateDescriptors;
  /**
   * Set when `descriptors` say of every keyed state whether it has a TTL ("value state with
   * ttl"); snapshots before that, and those still carrying such a snapshot's kinds, said "value
   * state" either way, so a TTL switched on or off is not converted for them.
   */
  readonly ttlRecorded?: true;
  /**
   * Unaligned checkpoints only, when records were in flight: the elements that arrived on each
   * channel before its barrier, after the state was taken. Restoring delivers them first.
   */
  readonly channelState?: readonly ChannelStateElement[];
  /**
   * With a processing cost: until when the subtask was working on the first batch of its channel
   * state (unaligned checkpoints; present only if after the snapshot's time).
   */
  readonly busyUntil?: number;
}

/** A subtask's snapshot as taken: its keyed state as the backend took it (entry columns). */
export type TakenSubtaskSnapshot = OperatorSubtaskSnapshot<TakenStateSnapshot>;

/** The kinds a subtask was restored with, and whether they tell TTLs apart. */
export interface RestoredKinds {
  readonly kinds: StateDescriptors;
  readonly ttlRecorded: boolean;
}

/**
 * A snapshot's descriptors: the kinds declared `now` over those `restored` (kept while not
 * declared again, so a savepoint of a savepoint still knows them), marked `ttlRecorded` unless an
 * older snapshot's kind is carried on unchanged. Left out when there are none, so snapshots of
 * stateless operators stay as they were.
 */
export function descriptorsField(restored: RestoredKinds, now: StateDescriptors): Pick<OperatorSubtaskSnapshot, 'descriptors' | 'ttlRecorded'> {
  const descriptors = { ...restored.kinds, ...now };
  if (Object.keys(descriptors).length === 0) return {};
  const exact = restored.ttlRecorded || Object.keys(restored.kinds).every((name) => name in now);
  return { descriptors, ...(exact && { ttlRecorded: true as const }) };
}
