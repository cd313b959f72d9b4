// Durable storage across the sandbox's boundary. The worker's origin is opaque, so it has no
// IndexedDB of Brook's: trusted code (the store worker, store-worker.ts) runs the store and
// answers the sandbox worker's calls on a MessagePort. Not comlink, on purpose: comlink's
// `expose` lets the other side read and set any property path of the exposed object
// (`__proto__` included), which untrusted code must not get.
// A checkpoint goes as a stream of messages (begin, a message per chunk, then commit, or abort):
// the sandbox encodes chunk i + 1 while the store worker checksums and puts chunk i, and the
// store worker fills its chunk descriptions into the manifest and seals it.
// Invariant: the trusted side answers only the DurableStore methods listed here, with plain data,
// and a checkpoint stream only as its rules say (sizes and counts bounded, parts contiguous, the
// manifest listing exactly what was stored); a stream that breaks them, goes quiet or outlives
// its session is aborted, leaving nothing of its checkpoint.

import { describeChunkedPart, partChecksum, sealManifest } from '../engine/checkpoint/checksum.ts';
import { manifestOf, type CheckpointManifest, type CheckpointStream, type DurableStore, type ManifestPart, type PartChunk } from '../engine/checkpoint/durable-store.ts';

/** The store methods the worker may call, and nothing else. */
export const STORE_METHODS = [
  'writeCheckpointPart',
  'writeCheckpointManifest',
  'writeCheckpoint',
  'listCheckpoints',
  'readCheckpointPart',
  'deleteCheckpoint',
  'deleteJob',
  'createTopic',
  'topicConfig',
  'append',
  'read',
  'endOffset',
  'compact',
  'sinkAppend',
  'sinkUpsert',
  'sinkStage',
  'sinkCommit',
  'sinkAbort',
  'sinkRead',
] as const satisfies readonly (keyof DurableStore)[];

type StoreMethod = (typeof STORE_METHODS)[number];

interface StoreCall {
  readonly id: number;
  readonly method: StoreMethod;
  readonly args: readonly unknown[];
}

/**
 * A checkpoint written chunk by chunk: `begin` (its id names the stream), chunks, then `commit`
 * with the manifest in which each part streamed is a placeholder (the store worker fills in its
 * own description and seals it; answered with the parts described, once committed), or `abort`.
 */
type StreamMessage =
  | { readonly id: number; readonly stream: 'begin'; readonly jobId: string; readonly checkpointId: number }
  | { readonly stream: 'chunk'; readonly of: number; readonly part: string; readonly data: string }
  | { readonly id: number; readonly stream: 'commit'; readonly of: number; readonly manifest: CheckpointManifest }
  | { readonly stream: 'abort'; readonly of: number };

/**
 * What a part streamed is described as in the manifest sent with `commit`: its chunks are still
 * being checksummed by the store worker, which puts its own description in its place.
 */
const STREAMED = 'streamed';
const placeholder = (name: string): ManifestPart => ({ name, size: 0, checksum: STREAMED });

/** A stream message as it arrives from the sandbox: any field may be missing or of any type. */
type UncheckedStreamMessage = { readonly [F in 'id' | 'stream' | 'of' | 'part' | 'data' | 'jobId' | 'checkpointId' | 'manifest']?: unknown };

/** Bounds on checkpoint streams: the sandbox is untrusted, and a broken stream must not hold a transaction. */
export const STREAM_LIMITS = {
  /** Streams open at once on one port (a session writes one checkpoint at a time). */
  openStreams: 4,
  /** Characters of one chunk (a chunk is ~128 K; a value the encoder cannot split may be larger). */
  chunkChars: 64 * 1024 * 1024,
  /** Chunks of one part (chunk rows are numbered with six digits). */
  chunksPerPart: 999_999,
  /** Parts of one checkpoint. */
  parts: 65_536,
  /** Characters of one part name. */
  nameChars: 1024,
  /** Characters of one checkpoint, all parts. */
  streamChars: 512 * 1024 * 1024,
  /** A stream with no message for this long is abandoned (its writer vanished): ms. */
  idleMillis: 10_000,
} as const;

type StoreReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly message: string };

/** What both ends need of a MessagePort (the DOM's, or Node's global MessagePort in tests). */
export interface PortLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  start?(): void;
}

const ALLOWED: ReadonlySet<string> = new Set(STORE_METHODS);

/** Stops answering calls; `idle()` resolves once every call already taken has settled. */
export type StopServing = (() => void) & { readonly idle: () => Promise<void> };

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

/**
 * Trusted side: answers store calls arriving on `port` from `store`. Calls whose method is not a
 * store method, or whose arguments are not an array, are refused; checkpoint streams are served
 * as `STREAM_LIMITS` and the module header say (`idleMillis` overrides the idle limit, for
 * tests). Returns a function that stops (aborting every stream not yet committing: a sandbox
 * killed mid-stream leaves nothing of that checkpoint).
 * @example
 * const stop = serveStore(port, store);
 * stop(); await stop.idle(); store.close();
 */
export function serveStore(port: PortLike, store: DurableStore, options: { readonly idleMillis?: number } = {}): StopServing {
  const idleMillis = options.idleMillis ?? STREAM_LIMITS.idleMillis;
  // Calls taken and not yet settled, so the store is closed only after their transactions.
  const inFlight = new Set<Promise<unknown>>();
  const streams = new Map<number, ServedStream>();
  const reply = (message: StoreReply): void => port.postMessage(message);
  const settle = (id: number, work: () => Promise<unknown>): void => {
    const settled: Promise<void> = Promise.resolve()
      .then(work)
      .then(
        (value) => reply({ id, ok: true, value }),
        (error: unknown) => reply({ id, ok: false, ...errorFields(error) }),
      )
      .finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };

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
    if (typeof data !== 'string') return refuse(of, 'TypeError', `refused a chunk of part "${part}": its data must be a string`);
    if (data.length > STREAM_LIMITS.chunkChars) return refuse(of, 'DataError', `refused a chunk of part "${part}": ${data.length} characters, more than ${STREAM_LIMITS.chunkChars}`);
    let chunks = s.parts.get(part);
    if (part !== s.current) {
      if (chunks !== undefined) return refuse(of, 'DataError', `refused a chunk of part "${part}": that part's chunks ended already (parts come one after another)`);
      if (s.parts.size >= STREAM_LIMITS.parts) return refuse(of, 'DataError', `refused part "${part}": more than ${STREAM_LIMITS.parts} parts`);
      s.parts.set(part, (chunks = []));
      s.current = part;
    }
    if (chunks!.length >= STREAM_LIMITS.chunksPerPart) return refuse(of, 'DataError', `refused a chunk of part "${part}": more than ${STREAM_LIMITS.chunksPerPart} chunks`);
    if (s.chars + data.length > STREAM_LIMITS.streamChars) return refuse(of, 'DataError', `refused a chunk of part "${part}": the checkpoint would exceed ${STREAM_LIMITS.streamChars} characters`);
    s.chars += data.length;
    // Put first, so IndexedDB's backend writes it while this thread checksums it.
    s.writer.put(part, data);
    chunks!.push({ size: data.length, checksum: partChecksum(data) });
  };

  const onMessage = (event: MessageEvent): void => {
    const call = event.data as Partial<StoreCall> | null;
    if (typeof call === 'object' && call !== null && 'stream' in call) return onStream(call as UncheckedStreamMessage);
    if (typeof call !== 'object' || call === null || typeof call.id !== 'number') return;
    const { id, method, args } = call;
    if (typeof method !== 'string' || !ALLOWED.has(method) || !Array.isArray(args)) {
      port.postMessage({ id, ok: false, name: 'TypeError', message: `not a store method: ${String(method)}` } satisfies StoreReply);
      return;
    }
    const invoke = store[method as StoreMethod] as (...a: unknown[]) => Promise<unknown>;
    settle(id, () => invoke.apply(store, args));
  };
  port.addEventListener('message', onMessage);
  port.start?.();
  const stop = () => {
    port.removeEventListener('message', onMessage);
    // A stream whose manifest came is committing (in flight); the others never will.
    for (const of of [...streams.keys()]) {
      refuse(of, 'AbortError', 'the store session closed before the checkpoint was complete');
      drop(of);
    }
  };
  return Object.assign(stop, { idle: async () => void (await Promise.allSettled([...inFlight])) });
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

function errorFields(error: unknown): { name: string; message: string } {
  if (typeof error === 'object' && error !== null && typeof (error as Error).name === 'string' && typeof (error as Error).message === 'string') {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  return { name: 'Error', message: String(error) };
}

/** An error the trusted store raised, with its name kept (QuotaExceededError, StorageError, ...). */
export class RemoteStoreError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Sandbox side: a DurableStore whose every call is answered by the trusted store (serveStore). */
export class RemoteDurableStore implements DurableStore {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly port: PortLike) {
    port.addEventListener('message', (event: MessageEvent) => {
      const reply = event.data as StoreReply;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new RemoteStoreError(reply.name, reply.message));
    });
    port.start?.();
  }

  private call<T>(method: StoreMethod, ...args: unknown[]): Promise<T> {
    const id = this.nextId++;
    return this.request<T>(id, { id, method, args } satisfies StoreCall);
  }

  private request<T>(id: number, message: StoreCall | StreamMessage): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.port.postMessage(message);
    });
  }

  /** The store worker checksums each chunk as it stores it (persistSnapshot then skips its own). */
  readonly describesChunks = true;

  /**
   * Writes a checkpoint as a stream: each chunk is posted as soon as a part's `write` hands it
   * over (the store worker puts and checksums it meanwhile), then the manifest follows at once
   * with placeholders for the parts streamed (the store worker fills in its descriptions, seals
   * it and commits it last), with no round trip in between. The sealing function is then called
   * again with the descriptions the store worker answered, so the caller holds the very manifest
   * stored. Rejects, nothing stored, when the store refuses (a full disk, a broken rule) or a
   * `write` or the sealing throws.
   */
  writeCheckpointChunks: NonNullable<DurableStore['writeCheckpointChunks']> = async (jobId, checkpointId, manifest, parts) => {
    const of = this.nextId++;
    const begun = this.request<void>(of, { id: of, stream: 'begin', jobId, checkpointId });
    let shape: CheckpointManifest;
    try {
      for (const part of parts) {
        const name = part.name;
        part.write((data) => this.port.postMessage({ stream: 'chunk', of, part: name, data } satisfies StreamMessage));
      }
      shape = typeof manifest === 'function' ? manifest(new Map(parts.map((p) => [p.name, placeholder(p.name)]))) : manifest;
    } catch (error) {
      this.port.postMessage({ stream: 'abort', of } satisfies StreamMessage);
      await begun.catch(() => {});
      throw error;
    }
    const id = this.nextId++;
    const committed = this.request<ManifestPart[]>(id, { id, stream: 'commit', of, manifest: shape });
    try {
      await begun;
    } finally {
      // A refused begin leaves the commit refused too (no such stream): observed, not reported twice.
      committed.catch(() => {});
    }
    const described = await committed;
    if (typeof manifest === 'function') manifest(new Map(described.map((p) => [p.name, p])));
  };

  writeCheckpointPart: DurableStore['writeCheckpointPart'] = (...a) => this.call('writeCheckpointPart', ...a);
  writeCheckpointManifest: DurableStore['writeCheckpointManifest'] = (...a) => this.call('writeCheckpointManifest', ...a);
  writeCheckpoint: DurableStore['writeCheckpoint'] = (jobId, id, manifest, parts) => this.call('writeCheckpoint', jobId, id, manifestOf(manifest), parts);
  listCheckpoints: DurableStore['listCheckpoints'] = (...a) => this.call('listCheckpoints', ...a);
  readCheckpointPart: DurableStore['readCheckpointPart'] = (...a) => this.call('readCheckpointPart', ...a);
  deleteCheckpoint: DurableStore['deleteCheckpoint'] = (...a) => this.call('deleteCheckpoint', ...a);
  deleteJob: DurableStore['deleteJob'] = (...a) => this.call('deleteJob', ...a);
  createTopic: DurableStore['createTopic'] = (...a) => this.call('createTopic', ...a);
  topicConfig: DurableStore['topicConfig'] = (...a) => this.call('topicConfig', ...a);
  append: DurableStore['append'] = (...a) => this.call('append', ...a);
  read: DurableStore['read'] = (...a) => this.call('read', ...a);
  endOffset: DurableStore['endOffset'] = (...a) => this.call('endOffset', ...a);
  compact: DurableStore['compact'] = (...a) => this.call('compact', ...a);
  sinkAppend: DurableStore['sinkAppend'] = (...a) => this.call('sinkAppend', ...a);
  sinkUpsert: DurableStore['sinkUpsert'] = (...a) => this.call('sinkUpsert', ...a);
  sinkStage: DurableStore['sinkStage'] = (...a) => this.call('sinkStage', ...a);
  sinkCommit: DurableStore['sinkCommit'] = (...a) => this.call('sinkCommit', ...a);
  sinkAbort: DurableStore['sinkAbort'] = (...a) => this.call('sinkAbort', ...a);
  sinkRead: DurableStore['sinkRead'] = (...a) => this.call('sinkRead', ...a);
}
