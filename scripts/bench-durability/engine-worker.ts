// The snapshot-write benchmark's engine worker (bundled by scripts/bench-durability.mjs): as the
// sandbox's engine worker, it holds the job and reaches its durable store only through the store
// RPC (RemoteDurableStore on a port served by the store worker). A timed run builds the bench's
// job (untimed), then takes its snapshot and persists it as the driver does (persistSnapshot:
// each chunk posted as it is encoded, the store worker putting and checksumming it meanwhile),
// from "snapshot requested" to "manifest committed" as the store worker reports it. With
// `whole`, the RPC as it was before checkpoint streams, for comparison: every part encoded whole
// and checksummed here, then sent in one call.

import type { DurableStore } from '../../src/engine/checkpoint/durable-store.ts';
import type { JobSnapshot } from '../../src/engine/checkpoint/job-snapshot.ts';
import { RemoteDurableStore } from '../../src/worker/store-rpc.ts';
import { CHECKPOINT_ID, jobWithKeyedState, settle, snapshotAndPersist } from '../../src/cli/bench/snapshot-job.ts';

/** Page → this worker. `snapshot` transfers the sandbox's end of a store session's port. */
export type EngineBenchRequest =
  | { readonly bench: 'reference'; readonly keys: number; readonly seed: number }
  | { readonly bench: 'snapshot'; readonly keys: number; readonly seed: number; readonly whole?: boolean };

/** Where a run across the two workers spent its time, ms (this worker's clock). `post`: posting each chunk (binary ones transferred, text ones cloned). */
export interface WorkerPhases {
  /** job.snapshotDeferred(). */
  readonly take: number;
  /** Encoding chunks, outside posting them. */
  readonly encode: number;
  /** Posting each chunk to the store worker (a binary chunk's buffer transferred, a text one cloned). */
  readonly post: number;
  /** Sealing the manifest's shape (placeholders for the parts streamed), and again with the store worker's descriptions. */
  readonly seal: number;
  /** From the manifest posted to the store worker's "committed": its last puts and checksums, its sealing, the commit (strict durability). */
  readonly commit: number;
}

/** This worker → page. */
export type EngineBenchReply =
  | { readonly bench: 'reference'; readonly parts: JobSnapshot['parts'] }
  | { readonly bench: 'snapshot'; readonly millis: number; readonly phases: WorkerPhases; readonly described: readonly { readonly name: string; readonly size: number; readonly checksum: string }[] }
  | { readonly bench: 'failed'; readonly error: string };

/** `store` as the RPC was before checkpoint streams: whole parts, checksummed on this thread. */
function wholeParts(store: DurableStore): DurableStore {
  return Object.assign(Object.create(store) as DurableStore, { writeCheckpointChunks: undefined, describesChunks: undefined });
}

async function answer(request: EngineBenchRequest, port: MessagePort | undefined): Promise<EngineBenchReply> {
  if (request.bench === 'reference') return { bench: 'reference', parts: jobWithKeyedState(request.keys, request.seed).snapshot(CHECKPOINT_ID).parts };
  if (port === undefined) throw new Error('a snapshot run needs the store session\'s port');
  const job = jobWithKeyedState(request.keys, request.seed);
  const remote = new RemoteDurableStore(port);
  await settle();
  const { manifest, phases, millis } = await snapshotAndPersist(job, request.whole === true ? wholeParts(remote) : remote);
  port.close();
  return {
    bench: 'snapshot',
    millis,
    phases: { take: phases.take, encode: phases.encode, post: phases.put, seal: phases.seal, commit: phases.commit },
    // The parts as the manifest describes them (the store worker checksummed what it received): binary chunks were handed over.
    described: manifest.parts.map((p) => ({ name: p.name, size: p.size, checksum: p.checksum })),
  };
}

self.addEventListener('message', (event: MessageEvent) => {
  const request = event.data as EngineBenchRequest;
  answer(request, event.ports[0]).then(
    (reply) => self.postMessage(reply),
    (error: unknown) => self.postMessage({ bench: 'failed', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies EngineBenchReply),
  );
});
