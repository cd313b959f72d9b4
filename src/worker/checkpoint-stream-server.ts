// The trusted side of a checkpoint written as a stream over the store RPC (store-rpc.ts): the
// sandbox sends `begin`, a message per chunk as soon as it is encoded, then `commit` with the
// manifest (or `abort`); this side checksums each chunk as it arrives (while the next is
// encoded) and hands it to the store's stream, then fills its own chunk descriptions into the
// manifest, seals it, and the store writes every chunk and the manifest in one transaction.
// Invariant: a stream is served only as its rules say (sizes and counts bounded, parts
// contiguous, the manifest listing exactly what was stored); one that breaks them, goes quiet or
// outlives its session is aborted, leaving nothing of its checkpoint.

import { isBinaryChunk } from '../engine/checkpoint/binary-rows-reader.ts';
import { chunkChecksum, describeChunkedPart, sealManifest } from '../engine/checkpoint/checksum.ts';
import { chunkSize, type ChunkData } from '../engine/checkpoint/part-data.ts';
import type { CheckpointManifest, CheckpointStream, DurableStore, ManifestPart, PartChunk } from '../engine/checkpoint/durable-store.ts';

/**
 * A checkpoint written chunk by chunk: `begin` (its id names the stream), chunks, then `commit`
 * with the manifest in which each part streamed is a placeholder (the store worker fills in its
 * own description and seals it; answered with the parts described, once committed), or `abort`.
 */
export type StreamMessage =
  | { readonly id: number; readonly stream: 'begin'; readonly jobId: string; readonly checkpointId: number }
  | { readonly stream: 'chunk'; readonly of: number; readonly part: string; readonly data: ChunkData }
  | { readonly id: number; readonly stream: 'commit'; readonly of: number; readonly manifest: CheckpointManifest }
  | { readonly stream: 'abort'; readonly of: number };

/**
 * What a part streamed is described as in the manifest sent with `commit`: its chunks are still
 * being checksummed by the store worker, which puts its own description in its place.
 */
const STREAMED = 'streamed';
/** The manifest entry the sandbox sends for a part it streamed. */
export const placeholder = (name: string): ManifestPart => ({ name, size: 0, checksum: STREAMED });

/** A stream message as it arrives from the sandbox: any field may be missing or of any type. */
type UncheckedStreamMessage = { readonly [F in 'id' | 'stream' | 'of' | 'part' | 'data' | 'jobId' | 'checkpointId' | 'manifest']?: unknown };

/** Bounds on checkpoint streams: the sandbox is untrusted, and a broken stream must not hold a transaction. */
export const STREAM_LIMITS = {
  /** Streams open at once on one port (a session writes one checkpoint at a time). */
  openStreams: 4,
  /** Characters (or bytes) of one chunk (a chunk is ~128 K; a value the encoder cannot split may be larger). */
  chunkChars: 64 * 1024 * 1024,
  /** Chunks of one part (chunk rows are numbered with six digits). */
  chunksPerPart: 999_999,
  /** Parts of one checkpoint. */
  parts: 65_536,
  /** Characters of one part name. */
  nameChars: 1024,
  /** Characters (and bytes) of one checkpoint, all parts. */
  streamChars: 512 * 1024 * 1024,
  /** A stream with no message for this long is abandoned (its writer vanished): ms. */
  idleMillis: 10_000,
} as const;

/** How the store RPC answers a call: with its id, and a value or an error's name and message. */
export type StoreReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly message: string };

/** A checkpoint stream being served: what was stored so far and how it was cut. */
interface ServedStream {
  readonly jobId: string;
  readonly checkpointId: number;
  readonly writer: CheckpointStream;
  /** Each part's chunks (size and checksum), in the order the parts came. */
  readonly parts: Map<string, PartChunk[]>;
  current: string | undefined;
  chars: number;
  /** Why the stream was refused; its `commit` is answered with it. */
  failure: { readonly name: string; readonly message: string } | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** The checkpoint streams of one store session: what serveStore hands stream messages to. */
export interface ServedStreams {
  /** Takes a message with a `stream` field, whatever else it holds. */
  onMessage(message: object): void;
  /** Aborts every stream not yet committing (the session closes: its sandbox is gone). */
  abortOpen(): void;
}

/**
 * Serves checkpoint streams into `store`: replies through `reply`, runs each answered step
 * through `settle` (which replies with its outcome and tracks it until settled), and abandons a
 * stream silent for `idleMillis` (default STREAM_LIMITS.idleMillis).
 */
export function serveCheckpointStreams(
  store: DurableStore,
  reply: (message: StoreReply) => void,
  settle: (id: number, work: () => Promise<unknown>) => void,
  idleMillis: number = STREAM_LIMITS.idleMillis,
): ServedStreams {
  const streams = new Map<number, ServedStream>();

  /** Refuses stream `of` (aborting its write); its `commit` gets the error. */
  const refuse = (of: number, name: string, message: string): void => {
    const s = streams.get(of);
    if (s === undefined || s.failure !== undefined) return;
    s.failure = { name, message: `checkpoint ${s.checkpointId} of job "${s.jobId}": ${message}` };
    s.writer.abort(s.failure.message);
  };
  const drop = (of: number): void => {
    const s = streams.get(of);
    if (s?.timer !== undefined) clearTimeout(s.timer);
    streams.delete(of);
  };
  const touch = (of: number, s: ServedStream): void => {
    if (s.timer !== undefined) clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      refuse(of, 'TimeoutError', `the write was abandoned: no message for ${idleMillis} ms`);
      drop(of);
    }, idleMillis);
  };

  const onStream = (m: UncheckedStreamMessage): void => {
    const id = typeof m.id === 'number' ? m.id : undefined;
    if (m.stream === 'begin') {
      if (id === undefined) return;
      const problem =
        typeof m.jobId !== 'string' || m.jobId.length === 0 ? 'needs a job id'
        : !Number.isSafeInteger(m.checkpointId) || (m.checkpointId as number) < 0 ? 'needs a checkpoint id (an integer >= 0)'
        : streams.has(id) ? `stream ${id} is open already`
        : streams.size >= STREAM_LIMITS.openStreams ? `at most ${STREAM_LIMITS.openStreams} checkpoint writes may be open at once`
        : store.openCheckpointStream === undefined ? 'this store cannot write a checkpoint chunk by chunk'
        : undefined;
      if (problem !== undefined) return reply({ id, ok: false, name: 'TypeError', message: `refused a checkpoint write: ${problem}` });
      const jobId = m.jobId as string;
      const checkpointId = m.checkpointId as number;
      settle(id, async () => {
        const writer = store.openCheckpointStream!(jobId, checkpointId);
        const s: ServedStream = { jobId, checkpointId, writer, parts: new Map(), current: undefined, chars: 0, failure: undefined, timer: undefined };
        streams.set(id, s);
        touch(id, s);
      });
      return;
    }
    const of = typeof m.of === 'number' ? m.of : undefined;
    const s = of === undefined ? undefined : streams.get(of);
    if (of === undefined || s === undefined) {
      if (id !== undefined) reply({ id, ok: false, name: 'TypeError', message: `refused a checkpoint ${String(m.stream)}: no open checkpoint write ${String(m.of)}` });
      return;
    }
    touch(of, s);
    if (m.stream === 'chunk') {
      if (s.failure === undefined) take(of, s, m.part, m.data);
    } else if (m.stream === 'commit') {
      if (id === undefined) return refuse(of, 'TypeError', 'a commit without an id');
      const described = [...s.parts].map(([name, chunks]) => describeChunkedPart(name, chunks));
      const sealed = s.failure === undefined ? sealStreamed(m.manifest, s, described) : undefined;
      if (typeof sealed === 'string') refuse(of, 'DataError', `refused its manifest: ${sealed}`);
      // Committing now: in flight, no longer open (closing the session lets it finish).
      drop(of);
      const failure = s.failure;
      settle(id, async () => {
        if (failure !== undefined) throw failure;
        await s.writer.commit(sealed as CheckpointManifest);
        return described;
      });
    } else if (m.stream === 'abort') {
      refuse(of, 'AbortError', 'the writer aborted it');
      drop(of);
    } else refuse(of, 'TypeError', `not a checkpoint stream message: ${String(m.stream)}`);
  };

  /** Checks and stores one chunk: refuses the stream if it breaks a rule. */
  const take = (of: number, s: ServedStream, part: unknown, data: unknown): void => {
    if (typeof part !== 'string' || part.length === 0 || part.length > STREAM_LIMITS.nameChars || part.includes('\u0000')) {
      return refuse(of, 'TypeError', `refused a chunk: its part name must be a string of 1 to ${STREAM_LIMITS.nameChars} characters without NUL`);
    }
    if (typeof data !== 'string' && !(data instanceof Uint8Array && isBinaryChunk(data))) {
      return refuse(of, 'TypeError', `refused a chunk of part "${part}": its data must be a string or a binary checkpoint chunk`);
    }
    const size = chunkSize(data);
    if (size > STREAM_LIMITS.chunkChars) return refuse(of, 'DataError', `refused a chunk of part "${part}": ${size} characters or bytes, more than ${STREAM_LIMITS.chunkChars}`);
    let chunks = s.parts.get(part);
    if (part !== s.current) {
      if (chunks !== undefined) return refuse(of, 'DataError', `refused a chunk of part "${part}": that part's chunks ended already (parts come one after another)`);
      if (s.parts.size >= STREAM_LIMITS.parts) return refuse(of, 'DataError', `refused part "${part}": more than ${STREAM_LIMITS.parts} parts`);
      s.parts.set(part, (chunks = []));
      s.current = part;
    }
    if (chunks!.length >= STREAM_LIMITS.chunksPerPart) return refuse(of, 'DataError', `refused a chunk of part "${part}": more than ${STREAM_LIMITS.chunksPerPart} chunks`);
    if (s.chars + size > STREAM_LIMITS.streamChars) return refuse(of, 'DataError', `refused a chunk of part "${part}": the checkpoint would exceed ${STREAM_LIMITS.streamChars} characters and bytes`);
    s.chars += size;
    // Put first, so IndexedDB's backend writes it while this thread checksums it.
    s.writer.put(part, data);
    chunks!.push({ size, checksum: chunkChecksum(data) });
  };

  return {
    onMessage: (message) => onStream(message as UncheckedStreamMessage),
    abortOpen: () => {
      // A stream whose manifest came is committing (in flight); the others never will.
      for (const of of [...streams.keys()]) {
        refuse(of, 'AbortError', 'the store session closed before the checkpoint was complete');
        drop(of);
      }
    },
  };
}

/**
 * The manifest sent to commit stream `s`, with every part streamed described as the store
 * worker stored it (`described`, in stream order) and sealed here; or why it cannot be written.
 * It must be of the stream's job and checkpoint and list, of this checkpoint, exactly the parts
 * streamed, each once: as a placeholder, or described exactly as stored. Earlier checkpoints'
 * links (incremental chains) are the sandbox's to list.
 */
function sealStreamed(manifest: unknown, s: ServedStream, described: readonly ManifestPart[]): CheckpointManifest | string {
  if (typeof manifest !== 'object' || manifest === null) return 'it is not an object';
  const m = manifest as Partial<CheckpointManifest>;
  if (m.jobId !== s.jobId || m.checkpointId !== s.checkpointId) return `it is of checkpoint ${String(m.checkpointId)} of job "${String(m.jobId)}"`;
  if (!Array.isArray(m.parts)) return 'it has no part list';
  const stored = new Map(described.map((d) => [d.name, d]));
  const listed = new Set<string>();
  const parts: ManifestPart[] = [];
  for (const part of m.parts as unknown[]) {
    const p = part as Partial<ManifestPart> | null;
    if (typeof p !== 'object' || p === null || typeof p.name !== 'string') return 'a part entry is not a part';
    if (p.checkpointId !== undefined && p.checkpointId !== s.checkpointId) {
      parts.push(p as ManifestPart);
      continue;
    }
    const own = stored.get(p.name);
    if (own === undefined) return `it lists part "${p.name}", which this write did not store`;
    if (listed.has(p.name)) return `it lists part "${p.name}" twice`;
    listed.add(p.name);
    if (p.checksum !== STREAMED && (p.size !== own.size || p.checksum !== own.checksum || JSON.stringify(p.chunks) !== JSON.stringify(own.chunks))) {
      return `its entry for part "${p.name}" differs from what was stored (${own.size} characters, checksum ${own.checksum})`;
    }
    const { chunks: _placeholderHasNone, ...rest } = p;
    parts.push({ ...rest, ...own } as ManifestPart);
  }
  for (const name of stored.keys()) if (!listed.has(name)) return `it does not list part "${name}", which was stored`;
  try {
    return sealManifest({ ...(m as CheckpointManifest), parts });
  } catch {
    return 'its fields cannot be checksummed';
  }
}
