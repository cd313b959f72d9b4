// The shape of a whole job's checkpoint: one encoded part per subtask (named by the operator's
// stable uid and the subtask index, so savepoints can be matched to a changed pipeline), one
// per alignment group, and the job's own clock. Parts are JSON text, or binary chunks standing
// for it where state holds long lists of plain rows (checkpoint/part-data.ts).
// With incremental checkpoints some subtask parts are deltas on an earlier checkpoint's
// (`deltas`); the driver stores them as links of a chain (incremental-chain.ts).

import { partSize, type PartData } from './part-data.ts';

/** A checkpoint of a job, as encoded parts. */
export interface JobSnapshot {
  readonly version: 1;
  readonly checkpointId: number;
  /** Processing time at which it was taken (a restored job's clock starts here). */
  readonly time: number;
  readonly seed: number;
  /** In a fixed order: subtasks in plan order, then alignment groups, then "job". */
  readonly parts: readonly { readonly name: string; readonly data: PartData }[];
  /** Parts written as deltas, each with the checkpoint whose state it changes (absent: every part is full). */
  readonly deltas?: readonly { readonly part: string; readonly base: number }[];
  /** Characters a restore reads, when that is more than the parts: the earlier parts the deltas build on too (set by the driver). */
  readonly fullSize?: number;
}

/**
 * A snapshot whose parts are not encoded yet: each part's live value, to be encoded (in chunks,
 * snapshot-codec.ts) as the store writes it (store-io.ts, `persistSnapshot`). Valid only until
 * the job steps again: encoding it later would not be a copy of that instant.
 */
export interface DeferredSnapshot {
  readonly version: 1;
  readonly checkpointId: number;
  readonly time: number;
  readonly seed: number;
  /** In the order of JobSnapshot's parts. */
  readonly parts: readonly { readonly name: string; readonly value: unknown }[];
}

/** The part name of a subtask: `uid#index`. */
export function subtaskPart(uid: string, index: number): string {
  return `${uid}#${index}`;
}

/** What the trace says of a checkpoint's kind: nothing for a plain one, `kind` and `fullSize` for an incremental one. */
export function checkpointKind(s: JobSnapshot): { kind?: 'full' | 'incremental'; fullSize?: number } {
  if (s.deltas === undefined) return {};
  return { kind: s.deltas.length > 0 ? 'incremental' : 'full', fullSize: s.fullSize ?? snapshotSize(s) };
}

/** Total size of a snapshot's parts (its size in the trace): characters of text, bytes of binary chunks. */
export function snapshotSize(s: JobSnapshot): number {
  let n = 0;
  for (const p of s.parts) n += partSize(p.data);
  return n;
}
