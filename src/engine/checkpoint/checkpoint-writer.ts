// The durable session's checkpoint storage: lists the complete checkpoints at an attempt's start,
// writes each checkpoint (incremental chains included) in one atomic store call, keeps the last
// N and deletes what nothing references any more (shared-parts.ts), and turns an incremental
// checkpoint back into full parts when a savepoint is made of it.
//
// Invariant: a part is deleted only once no retained checkpoint lists it; a checkpoint is
// complete once `write` resolved, and nothing of it is stored if it rejected.

import type { CheckpointManifest, DurableStore } from './durable-store.ts';
import { manifestReadSize } from './incremental-chain.ts';
import type { JobSnapshot } from './job-snapshot.ts';
import { SharedParts } from './shared-parts.ts';
import { persistSnapshot, readSnapshot } from './store-io.ts';

export class CheckpointWriter {
  private readonly shared = new SharedParts();

  constructor(
    private readonly store: DurableStore,
    private readonly jobId: string,
    /** How many completed checkpoints to keep. */
    private readonly keep: number,
  ) {}

  /**
   * The complete checkpoints in the store, newest first. Listing verifies every one's checksums:
   * do it once per attempt; the writer keeps track of them from then on.
   */
  async list(): Promise<CheckpointManifest[]> {
    const listed = await this.store.listCheckpoints(this.jobId);
    this.shared.reset(listed);
    return listed;
  }

  /**
   * Writes checkpoint `s` (`beforeWrite` is where a crash mid-write strikes). Returns the snapshot
   * with the characters a restore reads (`fullSize`) and the manifest written. Rejects, having
   * stored nothing, when the store refuses (a full quota, an aborted transaction). With
   * `handOver` (a checkpoint nothing will read the bytes of: no savepoint is made of it), a store
   * that `takesChunks` takes the buffers of `s`'s binary chunks, and the snapshot returned lists
   * those parts as handed over (their sizes kept: the trace's, and reading their chunks throws).
   */
  async write(s: JobSnapshot, beforeWrite: () => void, handOver = false): Promise<{ snapshot: JobSnapshot; manifest: CheckpointManifest }> {
    const written = await persistSnapshot(this.store, this.jobId, s, { beforeWrite, manifestOf: (id) => this.shared.manifest(id), handOver });
    const manifest = written.manifest;
    this.shared.add(manifest);
    const snapshot = s.deltas === undefined ? written.snapshot : { ...written.snapshot, fullSize: manifestReadSize(manifest) };
    return { snapshot, manifest };
  }

  /** Ids of the retained checkpoints, newest first. */
  get retainedIds(): number[] {
    return this.shared.retainedIds;
  }

  /** Keeps the newest checkpoints and deletes the rest, but never a part a kept one lists. */
  async prune(): Promise<void> {
    for (const d of this.shared.prune(this.keep)) await this.store.deleteCheckpoint(this.jobId, d.checkpointId, d.keepParts);
  }

  /** Checkpoint `s` as full parts (savepoints are never incremental): read back and folded if it has deltas. */
  async fullSnapshot(s: JobSnapshot, manifest: CheckpointManifest): Promise<JobSnapshot> {
    if (s.deltas === undefined || s.deltas.length === 0) return s;
    return readSnapshot(this.store, manifest, s.seed);
  }
}
