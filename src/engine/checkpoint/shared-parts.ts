// Which stored checkpoint parts are still needed, as Flink's SharedStateRegistry counts shared
// state handles: with incremental checkpoints a retained checkpoint can build on parts written
// by an older one, so retention drops old manifests but deletes a part only once no retained
// manifest lists it.
//
// Invariant: `prune` never names for deletion a part that a retained manifest lists; parts kept
// past their own manifest are deleted by a later prune, once nothing lists them any more.

import type { CheckpointManifest } from './durable-store.ts';

/** One deletion for the store: a checkpoint's manifest and its parts except `keepParts`. */
export interface PartDeletion {
  readonly checkpointId: number;
  readonly keepParts: readonly string[];
}

/**
 * The retained checkpoints of one job and the parts of dropped ones still referenced.
 * - **State**: retained manifests, newest first; per dropped checkpoint, the names of its parts
 *   that were kept because a retained manifest listed them.
 * - **Lifetime**: one attempt of a session; rebuilt from the store's list at the next attempt.
 */
export class SharedParts {
  private retained: CheckpointManifest[] = [];
  private readonly keptOfDropped = new Map<number, Set<string>>();

  /** Starts from what the store lists (newest first); parts listed under unlisted checkpoints are known kept. */
  reset(listed: readonly CheckpointManifest[]): void {
    this.retained = [...listed];
    this.keptOfDropped.clear();
    const ids = new Set(listed.map((m) => m.checkpointId));
    for (const m of listed) {
      for (const link of m.parts) {
        const owner = link.checkpointId;
        if (owner === undefined || ids.has(owner)) continue;
        let names = this.keptOfDropped.get(owner);
        if (names === undefined) this.keptOfDropped.set(owner, (names = new Set()));
        names.add(link.name);
      }
    }
  }

  /** A checkpoint completed: it is the newest retained one. */
  add(m: CheckpointManifest): void {
    this.retained.unshift(m);
  }

  /** The manifest of a retained checkpoint. */
  manifest(checkpointId: number): CheckpointManifest | undefined {
    return this.retained.find((m) => m.checkpointId === checkpointId);
  }

  get retainedIds(): number[] {
    return this.retained.map((m) => m.checkpointId);
  }

  /**
   * Keeps the newest `keep` checkpoints and returns what to delete: the dropped checkpoints
   * (keeping their parts that a retained manifest lists), and dropped ones kept earlier whose
   * parts nothing lists any more (or fewer of them).
   */
  prune(keep: number): PartDeletion[] {
    const dropped = this.retained.splice(keep);
    if (dropped.length === 0) return [];
    const listed = new Map<number, Set<string>>();
    for (const m of this.retained) {
      for (const link of m.parts) {
        const owner = link.checkpointId ?? m.checkpointId;
        let names = listed.get(owner);
        if (names === undefined) listed.set(owner, (names = new Set()));
        names.add(link.name);
      }
    }
    const out: PartDeletion[] = [];
    for (const m of dropped) {
      const keepParts = [...(listed.get(m.checkpointId) ?? [])];
      out.push({ checkpointId: m.checkpointId, keepParts });
      if (keepParts.length > 0) this.keptOfDropped.set(m.checkpointId, new Set(keepParts));
    }
    for (const [id, kept] of this.keptOfDropped) {
      if (dropped.some((m) => m.checkpointId === id)) continue;
      const still = [...kept].filter((name) => listed.get(id)?.has(name));
      if (still.length === kept.size) continue;
      out.push({ checkpointId: id, keepParts: still });
      if (still.length === 0) this.keptOfDropped.delete(id);
      else this.keptOfDropped.set(id, new Set(still));
    }
    return out;
  }
}
