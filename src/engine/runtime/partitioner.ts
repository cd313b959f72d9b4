// How records are spread over the subtasks of the next operator. Hash partitioning follows
// Flink: a key is hashed to one of `maxParallelism` key groups, and key groups are split into
// contiguous ranges per subtask, so a key's subtask depends only on its key group.

import type { Key } from './record-batch.ts';

/** How a stream is connected to the next operator's subtasks. */
export type Partitioning =
  | { readonly kind: 'forward' }
  | { readonly kind: 'rebalance' }
  | { readonly kind: 'broadcast' }
  /** `keyOf: null` keeps the keys the records already carry (for example a TestStream's `key`). */
  | { readonly kind: 'hash'; readonly keyOf: ((value: never) => Key) | null };

/** Flink's default number of key groups. */
export const MAX_PARALLELISM = 128;

/** Flink's MathUtils.murmurHash: murmur3 of one int, made non-negative as Flink does. */
function murmurHash(code: number): number {
  let h = Math.imul(code, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  if (h >= 0) return h;
  return h === -2147483648 ? 0 : -h;
}

/** A stable hash of a key (Java's String.hashCode for strings; integer bits for numbers). */
export function keyHash(key: Key): number {
  if (typeof key === 'number') {
    if (Number.isInteger(key) && Math.abs(key) < 2 ** 31) return key | 0;
    const s = String(key);
    let h = 0;
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    return h;
  }
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
  return h;
}

/** The key group of a key (Flink's KeyGroupRangeAssignment.assignToKeyGroup). */
export function keyGroupOf(key: Key, maxParallelism = MAX_PARALLELISM): number {
  return murmurHash(keyHash(key)) % maxParallelism;
}

/** The subtask that owns a key group (Flink's computeOperatorIndexForKeyGroup). */
export function subtaskForKeyGroup(keyGroup: number, parallelism: number, maxParallelism = MAX_PARALLELISM): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

export function describePartitioning(p: Partitioning): string {
  return p.kind === 'hash' ? 'HASH' : p.kind.toUpperCase();
}
