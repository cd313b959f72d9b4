// A CheckpointStream that holds the chunks it is given until `commit`, then hands every part's
// chunks (parts in the order they came) and the manifest to one write: the memory store's and
// IndexedDB's streams, whose writes are atomic, so nothing is stored before the commit.
// Invariant: an aborted stream (or one committed already) stores nothing more; its `commit`
// rejects with the reason, as a StorageError naming `writeCheckpoint` and the checkpoint.

import type { CheckpointManifest, CheckpointStream } from './durable-store.ts';
import type { ChunkData } from './part-data.ts';
import { checkpointSubject, storageFailure } from './store-rules.ts';

/** A part as the stream received it: its chunks, in order. */
export interface HeldPart {
  readonly name: string;
  readonly chunks: ChunkData[];
}

/** A stream of checkpoint `checkpointId` of `jobId` whose commit calls `write` once with everything held. */
export function holdCheckpointStream(
  jobId: string,
  checkpointId: number,
  write: (manifest: CheckpointManifest, parts: readonly HeldPart[]) => Promise<void>,
): CheckpointStream {
  const parts = new Map<string, ChunkData[]>();
  /** Why the stream ended without committing (its first reason), once it did. */
  let ended: string | undefined;
  return {
    put(name, chunk) {
      if (ended !== undefined) return;
      const chunks = parts.get(name);
      if (chunks === undefined) parts.set(name, [chunk]);
      else chunks.push(chunk);
    },
    async commit(manifest) {
      if (ended !== undefined) throw storageFailure('writeCheckpoint', checkpointSubject(jobId, checkpointId), { name: 'AbortError', message: ended });
      ended = 'the checkpoint was committed already';
      const held = [...parts].map(([name, chunks]) => ({ name, chunks }));
      parts.clear();
      await write(manifest, held);
    },
    abort(reason) {
      ended ??= reason;
      parts.clear();
    },
  };
}
