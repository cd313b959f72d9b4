// What a durable driver reads from and writes to its DurableStore around a job: the log topics a
// job's sources read (loaded whole before the job is built), checkpoints written parts first and
// manifest last in one atomic call (chunk by chunk where the store can: encoding pipelined with
// the write, on another thread where the store is the store worker's RPC), and a complete
// checkpoint read back into a snapshot.
// Invariant: a checkpoint is stored whole (every part, then its manifest) or not at all.

import { InputError } from '../errors.ts';
import type { TopicContents } from '../connectors/topic-source.ts';
import { chunkChecksum, describeChunkedPart, sealManifest } from './checksum.ts';
import { chainLinks, chainsOf, foldChain } from './incremental-chain.ts';
import type { CheckpointManifest, ChunkedPart, DurableStore, LogRecord, ManifestPart, PartChunk } from './durable-store.ts';
import type { DeferredSnapshot, JobSnapshot } from './job-snapshot.ts';
import { chunkSize, encodePart, handedOverPart, partFromChunks, type ChunkData, type PartData } from './part-data.ts';
import { encodeSnapshotChunks, SNAPSHOT_CHUNK_CHARS } from './snapshot-codec.ts';

/** Loads every partition of the topics the job reads (a topic that does not exist is an error). */
export async function loadTopics(store: DurableStore, names: readonly (string | undefined)[]): Promise<Map<string, TopicContents>> {
  const out = new Map<string, TopicContents>();
  for (const name of names) {
    if (name === undefined || out.has(name)) continue;
    const config = await store.topicConfig(name);
    if (config === undefined) throw new InputError(`topic "${name}"`, 'the topic does not exist: produce to it first (a job\'s sinkToTopic, or produceToTopic)');
    const partitions: LogRecord[][] = [];
    for (let p = 0; p < config.partitions; p++) {
      const records: LogRecord[] = [];
      for (;;) {
        const from = records.length === 0 ? 0 : records[records.length - 1]!.offset + 1;
        const chunk = await store.read(name, p, from, 10_000);
        if (chunk.length === 0) break;
        records.push(...chunk);
      }
      partitions.push(records);
    }
    out.set(name, partitions);
  }
  return out;
}

/** Where the time of a chunked write went, ms, when `persistSnapshot` is given a clock. */
export interface WritePhases {
  /** Encoding parts into chunks (deferred snapshots; slicing, for encoded ones). */
  readonly encode: number;
  /** The store's put of each chunk (IndexedDB: its structured clone on this thread). */
  readonly put: number;
  /** Each chunk's checksum, computed after its put was issued. */
  readonly checksums: number;
  /** Sealing the manifest: the chain links and the manifest's own checksum (and any whole part's checksum). */
  readonly seal: number;
  /** From the manifest sealed to the store call resolved: the rest of the write and the commit. */
  readonly commit: number;
  /** The store call as a whole. */
  readonly total: number;
}

/** Options of persistSnapshot. */
export interface PersistOptions {
  /** Runs where a crash strikes mid-write (`midSnapshotWrite`): before anything is written. */
  readonly beforeWrite?: () => void;
  /** The manifests of retained checkpoints that deltas build on. */
  readonly manifestOf?: (checkpointId: number) => CheckpointManifest | undefined;
  /** A clock (ms) to measure the write's phases with; the engine itself reads none. */
  readonly now?: () => number;
  /**
   * The caller reads nothing of the parts' bytes after the write, only their sizes (a periodic
   * checkpoint: the trace's `size`): a store that `takesChunks` may then take binary chunks'
   * buffers instead of copying them (the store worker's RPC transfers them), and the snapshot
   * returned lists such parts as handed over (part-data.ts, `handedOver`: sizes kept, reading
   * their chunks throws). Not for a checkpoint a savepoint is made of.
   */
  readonly handOver?: boolean;
}

/**
 * Writes a checkpoint as the driver does: its parts and the sealed manifest (with every link's
 * size and checksum, incremental chains included: incremental-chain.ts) in one atomic store
 * call, so "data first, manifest last" holds inside one transaction. A store with
 * `writeCheckpointChunks` gets every part chunk by chunk: a deferred snapshot's parts are
 * encoded a chunk at a time (encodeSnapshotChunks) and an encoded part longer than a chunk is
 * cut into chunks, each put as soon as it exists and checksummed right after, so the store's
 * backend writes chunk i while chunk i + 1 is encoded; the manifest lists such a part's chunks.
 * A store that `describesChunks` (the store worker's RPC, whose thread puts and checksums chunk
 * i while this one encodes chunk i + 1) checksums them itself and hands the descriptions to the
 * sealing function. With `handOver`, a store that `takesChunks` takes binary chunks' buffers
 * (no copy). Stores without the method get whole parts. A crash in `beforeWrite`
 * leaves nothing of the checkpoint; readers see the previous one. Returns the manifest, the
 * snapshot as encoded parts, and the phases when a clock was given.
 */
export async function persistSnapshot(
  store: DurableStore,
  jobId: string,
  s: JobSnapshot | DeferredSnapshot,
  options: PersistOptions = {},
): Promise<{ manifest: CheckpointManifest; snapshot: JobSnapshot; phases?: WritePhases }> {
  const now = options.now;
  const start = now?.() ?? 0;
  let put = 0;
  let checksums = 0;
  let seal = 0;
  let encodeWhole = 0;
  let sealedAt = start;
  const written = new Map<string, ChunkData[]>();
  const described = new Map<string, ManifestPart>();
  // Binary chunks go to a store that takes their buffers (and checksums them itself): gone from here once put.
  const handOver = options.handOver === true && store.takesChunks === true && store.describesChunks === true && store.writeCheckpointChunks !== undefined;
  /** Handing over: each part's size, counted before its chunks' puts detach them. */
  const sizes = new Map<string, number>();
  // A deferred snapshot's parts: the chunks written (text ones concatenated into a rope); a binary part handed over, its size only.
  const encoded = (): JobSnapshot => {
    const e: JobSnapshot = isEncoded(s) ? s : { version: 1, checkpointId: s.checkpointId, time: s.time, seed: s.seed, parts: s.parts.map((p) => ({ name: p.name, data: partFromChunks(written.get(p.name)!) })) };
    if (!handOver) return e;
    return { ...e, parts: e.parts.map((p) => ({ name: p.name, data: typeof p.data === 'string' ? p.data : handedOverPart(sizes.get(p.name)!) })) };
  };
  let snapshot: JobSnapshot | undefined;
  let manifest: CheckpointManifest | undefined;
  // Sealed by the store once it has the parts: checksums overlap the write where the store allows.
  // A store that describes chunks itself (the store worker's RPC) passes its descriptions here.
  // It may call this twice (the RPC: first with placeholders, to send the manifest's shape along
  // with the chunks, then with its descriptions): the last manifest sealed is the one stored.
  const sealed = (byStore?: ReadonlyMap<string, ManifestPart>): CheckpointManifest => {
    if (manifest !== undefined && byStore === undefined) return manifest;
    const t = now?.() ?? 0;
    // Every part written chunk by chunk is described already; whole parts are described from their text.
    const links = chainLinks(isEncoded(s) ? s : { checkpointId: s.checkpointId, parts: s.parts.map((p) => ({ name: p.name, data: snapshot?.parts.find((q) => q.name === p.name)?.data })) }, options.manifestOf ?? (() => undefined), byStore ?? described);
    const first = manifest === undefined;
    manifest = sealManifest({ jobId, checkpointId: s.checkpointId, kind: 'checkpoint', triggeredAt: s.time, completedAt: s.time, parts: links });
    const sealEnd = now?.() ?? 0;
    seal += sealEnd - t;
    // The commit phase runs from the first sealing (a later one happens once the store committed).
    if (first) sealedAt = sealEnd;
    return manifest;
  };
  options.beforeWrite?.();
  const writeChunks = store.writeCheckpointChunks?.bind(store);
  if (writeChunks === undefined) {
    const t = now?.() ?? 0;
    snapshot = isEncoded(s) ? s : encodeDeferred(s);
    encodeWhole = (now?.() ?? 0) - t;
    await store.writeCheckpoint(jobId, s.checkpointId, sealed, snapshot.parts);
  } else {
    // The store checksums the chunks on its own thread; this one only encodes and hands them over.
    const storeDescribes = store.describesChunks === true;
    const parts: ChunkedPart[] = s.parts.map((p) => ({
      name: p.name,
      ...(handOver && { handOver: true as const }),
      write: (putChunk: (chunk: ChunkData) => void) => {
        const chunks: ChunkData[] = [];
        const listed: PartChunk[] = [];
        written.set(p.name, chunks);
        const take = (chunk: ChunkData): void => {
          const t0 = now?.() ?? 0;
          // Sized before the put: a chunk handed over is detached by it.
          const size = chunkSize(chunk);
          if (handOver) sizes.set(p.name, (sizes.get(p.name) ?? 0) + size);
          putChunk(chunk);
          const t1 = now?.() ?? 0;
          chunks.push(chunk);
          if (!storeDescribes) listed.push({ size, checksum: chunkChecksum(chunk) });
          put += t1 - t0;
          checksums += (now?.() ?? 0) - t1;
        };
        if (!('data' in p)) encodeSnapshotChunks(p.value, take);
        else if (typeof p.data === 'string') sliceText(p.data, take);
        else for (const chunk of p.data.chunks) take(chunk);
        if (!storeDescribes) described.set(p.name, describeChunkedPart(p.name, listed));
      },
    }));
    await writeChunks(jobId, s.checkpointId, sealed, parts);
  }
  const m = sealed();
  const end = now?.() ?? 0;
  // Chunk by chunk, encoding is what the parts' writes spent outside puts and checksums.
  const encode = writeChunks === undefined ? encodeWhole : sealedAt - start - seal - put - checksums;
  const phases = now === undefined ? undefined : { encode, put, checksums, seal, commit: end - sealedAt, total: end - start };
  return { manifest: m, snapshot: snapshot ?? encoded(), ...(phases !== undefined && { phases }) };
}

const isEncoded = (s: JobSnapshot | DeferredSnapshot): s is JobSnapshot => s.parts.length === 0 || 'data' in s.parts[0]!;

/** Cuts `text` into chunks of SNAPSHOT_CHUNK_CHARS (at least one chunk, however short). */
function sliceText(text: string, take: (chunk: string) => void): void {
  if (text.length <= SNAPSHOT_CHUNK_CHARS) {
    take(text);
    return;
  }
  for (let at = 0; at < text.length; at += SNAPSHOT_CHUNK_CHARS) take(text.slice(at, at + SNAPSHOT_CHUNK_CHARS));
}

/** A deferred snapshot encoded whole (for stores that take whole parts). */
function encodeDeferred(s: DeferredSnapshot): JobSnapshot {
  return { version: 1, checkpointId: s.checkpointId, time: s.time, seed: s.seed, parts: s.parts.map((p) => ({ name: p.name, data: encodePart(p.value) })) };
}

/**
 * Writes checkpoint `s` as the driver does (persistSnapshot) and returns the manifest written.
 * `beforeWrite` runs where a crash strikes mid-write; `manifestOf` gives the manifests of
 * retained checkpoints that deltas build on.
 */
export async function persistCheckpoint(
  store: DurableStore,
  jobId: string,
  s: JobSnapshot,
  beforeWrite: () => void = () => {},
  manifestOf: (checkpointId: number) => CheckpointManifest | undefined = () => undefined,
): Promise<CheckpointManifest> {
  return (await persistSnapshot(store, jobId, s, { beforeWrite, manifestOf })).manifest;
}

/**
 * Reads a complete checkpoint back into a snapshot of full parts (its manifest was verified when
 * listed): a part stored as a chain is read link by link and folded (incremental-chain.ts).
 */
export async function readSnapshot(store: DurableStore, manifest: CheckpointManifest, seed: number): Promise<JobSnapshot> {
  const parts: { name: string; data: PartData }[] = [];
  for (const [name, chain] of chainsOf(manifest)) {
    const texts: PartData[] = [];
    for (const link of chain) texts.push(await store.readCheckpointPart(manifest.jobId, link.checkpointId, name));
    parts.push({ name, data: foldChain(texts) });
  }
  return { version: 1, checkpointId: manifest.checkpointId, time: manifest.completedAt, seed, parts };
}
