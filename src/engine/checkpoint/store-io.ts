// What a durable driver reads from and writes to its DurableStore around a job: the log topics a
// job's sources read (loaded whole before the job is built), checkpoints written parts first and
// manifest last, and a complete checkpoint read back into a snapshot.
// Invariant: a checkpoint's manifest is written only after every part's write resolved.

import { InputError } from '../errors.ts';
import type { TopicContents } from '../connectors/topic-source.ts';
import { describePart, sealManifest } from './checksum.ts';
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
 * Writes a checkpoint as the driver does: every part, then the sealed manifest (with the parts'
 * sizes and checksums). `betweenPartsAndManifest` runs in the gap where a crash leaves a torn
 * checkpoint, which readers never see.
 */
export async function persistCheckpoint(store: DurableStore, jobId: string, s: JobSnapshot, betweenPartsAndManifest: () => void = () => {}): Promise<void> {
  for (const part of s.parts) await store.writeCheckpointPart(jobId, s.checkpointId, part.name, part.data);
  betweenPartsAndManifest();
  await store.writeCheckpointManifest(
    sealManifest({
      jobId,
      checkpointId: s.checkpointId,
      kind: 'checkpoint',
      triggeredAt: s.time,
      completedAt: s.time,
      parts: s.parts.map((part) => describePart(part.name, part.data)),
    }),
  );
}

/** Reads a complete checkpoint's parts back into a snapshot (its manifest was verified when listed). */
export async function readSnapshot(store: DurableStore, manifest: CheckpointManifest, seed: number): Promise<JobSnapshot> {
  const parts: { name: string; data: string }[] = [];
  for (const part of manifest.parts) parts.push({ name: part.name, data: await store.readCheckpointPart(manifest.jobId, manifest.checkpointId, part.name) });
  return { version: 1, checkpointId: manifest.checkpointId, time: manifest.completedAt, seed, parts };
}
