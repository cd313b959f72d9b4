// A checkpoint written into IndexedDB as its chunks arrive (DurableStore.openCheckpointStream):
// the store worker's side of the chunked store RPC. The chunks are held until the manifest comes
// and then written in one strict-durability transaction with it, a row per chunk (the rows of
// writeCheckpointChunks, idb-checkpoints.ts), as writeCheckpoint writes whole parts.
//
// Invariant: the checkpoint is stored whole or not at all; nothing is written before `commit`,
// so an aborted stream (the writer vanished, a broken rule) leaves no trace and no transaction.
//
// Why not put each chunk as it arrives: that needs one transaction kept alive across messages
// (a cheap read always pending, whose callback issues what arrived), and measured in Chromium
// with binary parts (encoded in ~3 ms, so there is little to overlap) it made the write slower
// and much more variable: 18.1 ms median (9.7–50) against 12.1 (9.9–21.7) for one write at the
// end (docs/durability.md, "What it costs").

import type { CheckpointStream } from '../engine/checkpoint/durable-store.ts';
import { holdCheckpointStream } from '../engine/checkpoint/held-checkpoint-stream.ts';
import { writeCheckpoint } from './idb-checkpoints.ts';
import type { BrookDb } from './idb-schema.ts';

/** Starts writing checkpoint `checkpointId` of `jobId` as a stream; see the module header. */
export function openCheckpointStream(db: BrookDb, jobId: string, checkpointId: number): CheckpointStream {
  // A row per chunk, as they came (a text part's chunks are joined again when it is read).
  return holdCheckpointStream(jobId, checkpointId, (manifest, parts) =>
    writeCheckpoint(db, jobId, checkpointId, manifest, parts.map((p) => ({ name: p.name, data: { chunks: p.chunks } }))),
  );
}
