// Incremental checkpoints as stored (docs/durability.md): a subtask's part is a chain, a full
// part followed by deltas, each delta written by a later checkpoint on the state of the one
// before it. A manifest lists every link of every chain it needs, naming the checkpoint a link
// is stored under when it is not its own; restoring reads the links in order and folds them
// into the full part a full snapshot would have written at that moment.
//
// Invariant: a delta is only ever written on a checkpoint that completed (its manifest is in the
// store), so every link a manifest lists was complete before it; a torn or failed checkpoint is
// never a link of anything.

import { applyStateDelta } from '../state/state-delta.ts';
import type { StateSnapshot } from '../state/state-backend.ts';
import { describePart } from './checksum.ts';
import type { CheckpointManifest, ManifestPart } from './durable-store.ts';
import type { JobSnapshot } from './job-snapshot.ts';
import { decodePart, encodePart, type PartData } from './part-data.ts';

/**
 * The manifest parts of checkpoint `s`: a full part as itself; a delta part after the links of
 * its base's chain (from `manifestOf(base)`), each naming the checkpoint it is stored under.
 * Throws when a base is not known (it was pruned before this checkpoint could be written).
 * `described` gives the entries of parts already checksummed (chunk by chunk, as they were
 * written); the others are described from their text.
 */
export function chainLinks(
  s: Pick<JobSnapshot, 'checkpointId' | 'deltas'> & { readonly parts: readonly { readonly name: string; readonly data?: PartData }[] },
  manifestOf: (checkpointId: number) => CheckpointManifest | undefined,
  described?: ReadonlyMap<string, ManifestPart>,
): ManifestPart[] {
  const bases = new Map((s.deltas ?? []).map((d) => [d.part, d.base]));
  const out: ManifestPart[] = [];
  for (const part of s.parts) {
    // Parts written in chunks come described already (each chunk checksummed as it was put).
    const own = described?.get(part.name) ?? describePart(part.name, textOf(part));
    const base = bases.get(part.name);
    if (base === undefined) {
      out.push(own);
      continue;
    }
    const m = manifestOf(base);
    if (m === undefined) throw new Error(`checkpoint ${s.checkpointId}: part "${part.name}" is a delta on checkpoint ${base}, which is no longer kept`);
    for (const link of m.parts) if (link.name === part.name) out.push({ ...link, checkpointId: link.checkpointId ?? m.checkpointId });
    out.push({ ...own, delta: true });
  }
  return out;
}

function textOf(part: { readonly name: string; readonly data?: PartData }): PartData {
  if (part.data === undefined) throw new Error(`part "${part.name}" has neither its text nor its description`);
  return part.data;
}

/** Characters a restore of this manifest reads: every link of every chain. */
export function manifestReadSize(m: CheckpointManifest): number {
  return m.parts.reduce((n, p) => n + p.size, 0);
}

/** The links of a manifest grouped by part name, in the manifest's order; each with the checkpoint it is stored under. */
export function chainsOf(m: CheckpointManifest): Map<string, { checkpointId: number; delta: boolean }[]> {
  const chains = new Map<string, { checkpointId: number; delta: boolean }[]>();
  for (const link of m.parts) {
    let chain = chains.get(link.name);
    if (chain === undefined) chains.set(link.name, (chain = []));
    chain.push({ checkpointId: link.checkpointId ?? m.checkpointId, delta: link.delta === true });
  }
  return chains;
}

/**
 * Folds a chain's texts (a full subtask part, then deltas) into the full part's text: the keyed
 * state folded link by link (state/state-delta.ts), everything else as the newest link has it.
 * A chain of one full part is returned as it is.
 */
export function foldChain(texts: readonly PartData[]): PartData {
  if (texts.length === 1) return texts[0]!;
  let state: StateSnapshot | undefined;
  let newest: Record<string, unknown> = {};
  for (const text of texts) {
    newest = decodePart<Record<string, unknown>>(text);
    const s = newest.state as StateSnapshot;
    state = state === undefined ? s : applyStateDelta(state, s);
  }
  // Replacing `state` keeps its place among the fields, so the text is the full part's, byte for byte.
  newest.state = state;
  return encodePart(newest);
}
