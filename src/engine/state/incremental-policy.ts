// When an incremental checkpoint writes a delta and when it writes a full part again (compaction,
// docs/durability.md). Flink's changelog backend materialises the full state periodically and
// RocksDB's incremental checkpoints lean on compaction; Brook's rule bounds the same two costs,
// per subtask: how many parts a restore reads (the chain), and how little a delta saves.

/** The compaction rule of incremental checkpoints. */
export interface IncrementalPolicy {
  /** At most this many deltas on a full part: the next checkpoint after them is full. */
  readonly maxDeltas: number;
  /**
   * A delta that would hold at least this fraction of the state's entries is written full
   * instead: it would save little, and it would lengthen the chain a restore reads.
   */
  readonly maxChangedFraction: number;
}

/**
 * Up to 7 deltas per full part (a restore reads at most 8 parts per subtask), and a full part
 * as soon as half the entries changed, or when the state is empty.
 */
export const DEFAULT_INCREMENTAL_POLICY: IncrementalPolicy = { maxDeltas: 7, maxChangedFraction: 0.5 };

/**
 * Whether the next snapshot is `full` or a `delta`, given the deltas since the last full part
 * in the base's chain, the entries changed since the base, and the entries the state holds.
 * @example
 * chooseSnapshot(DEFAULT_INCREMENTAL_POLICY, 0, 10, 100_000); // 'delta'
 */
export function chooseSnapshot(policy: IncrementalPolicy, deltasInChain: number, changed: number, entries: number): 'full' | 'delta' {
  // An empty state's full snapshot is as small as any delta, and starts no chain.
  if (entries === 0 || deltasInChain >= policy.maxDeltas) return 'full';
  return changed >= policy.maxChangedFraction * entries ? 'full' : 'delta';
}
