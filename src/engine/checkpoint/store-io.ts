// What a durable driver reads from and writes to its DurableStore around a job: the log topics a
// job's sources read (loaded whole before the job is built), checkpoints written parts first and
// manifest last in one atomic call, and a complete checkpoint read back into a snapshot.
// Invariant: a checkpoint is stored whole (every part, then its manifest) or not at all.

import { InputError } from '../errors.ts';
import type { TopicContents } from '../connectors/topic-source.ts';
import { sealManifest } from './checksum.ts';
import { chainLinks, chainsOf, foldChain } from './incremental-chain.ts';
import type { CheckpointManifest, DurableStore, LogRecord } from './durable-store.ts';
import type { JobSnapshot } from './job-snapshot.ts';

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

/**
 * Writes a checkpoint as the driver does: its parts and the sealed manifest (with every link's
 * size and checksum, incremental chains included: incremental-chain.ts) in one atomic store
 * call, so "data first, manifest last" holds inside one transaction. `beforeWrite` runs where a
 * crash strikes mid-write (`midSnapshotWrite`): the transaction never commits, nothing of the
 * checkpoint is stored, and readers see the previous one. `manifestOf` gives the manifests of
 * retained checkpoints that deltas build on. Returns the manifest written.
 */
export async function persistCheckpoint(
  store: DurableStore,
  jobId: string,
  s: JobSnapshot,
  beforeWrite: () => void = () => {},
  manifestOf: (checkpointId: number) => CheckpointManifest | undefined = () => undefined,
): Promise<CheckpointManifest> {
  let manifest: CheckpointManifest | undefined;
  // Sealed by the store once it has the parts: checksums overlap the write where the store allows.
  const seal = (): CheckpointManifest =>
    (manifest ??= sealManifest({ jobId, checkpointId: s.checkpointId, kind: 'checkpoint', triggeredAt: s.time, completedAt: s.time, parts: chainLinks(s, manifestOf) }));
  beforeWrite();
  await store.writeCheckpoint(jobId, s.checkpointId, seal, s.parts);
  return seal();
}

/**
 * Reads a complete checkpoint back into a snapshot of full parts (its manifest was verified when
 * listed): a part stored as a chain is read link by link and folded (incremental-chain.ts).
 */
export async function readSnapshot(store: DurableStore, manifest: CheckpointManifest, seed: number): Promise<JobSnapshot> {
  const parts: { name: string; data: string }[] = [];
  for (const [name, chain] of chainsOf(manifest)) {
    const texts: string[] = [];
    for (const link of chain) texts.push(await store.readCheckpointPart(manifest.jobId, link.checkpointId, name));
    parts.push({ name, data: foldChain(texts) });
  }
  return { version: 1, checkpointId: manifest.checkpointId, time: manifest.completedAt, seed, parts };
}
