// What travels on a channel between two subtasks: record batches, watermarks, idleness
// status, end of input and checkpoint barriers. A channel delivers in order; the receiving
// subtask keeps one watermark per channel and takes the minimum. A barrier splits a channel's
// stream into what belongs to a checkpoint (before it) and what comes after (Chandy–Lamport).
//
// In-flight elements persisted by an unaligned checkpoint (channel state) are stored as plain
// data, so a snapshot stays JSON: a batch becomes its columns.

import { RecordBatch, type Key, type WindowedMeta } from './record-batch.ts';

export type ChannelElement =
  | { readonly kind: 'records'; readonly channel: number; readonly batch: RecordBatch }
  | { readonly kind: 'watermark'; readonly channel: number; readonly watermark: number }
  | { readonly kind: 'idle'; readonly channel: number; readonly idle: boolean }
  | { readonly kind: 'end'; readonly channel: number }
  | { readonly kind: 'barrier'; readonly channel: number; readonly checkpointId: number };

/** The receiving end of channels. */
export interface Receiver {
  enqueue(element: ChannelElement): void;
}

/** One downstream input channel: a receiver and the channel number it knows us by. */
export interface ChannelTarget {
  readonly receiver: Receiver;
  readonly channel: number;
}

/** An in-flight element as stored in a snapshot's channel state (barriers are never stored). */
export type ChannelStateElement =
  | {
      readonly kind: 'records';
      readonly channel: number;
      readonly values: readonly unknown[];
      readonly timestamps: readonly number[];
      readonly keys: readonly (Key | null)[] | null;
      readonly meta: readonly (WindowedMeta | null)[] | null;
    }
  | { readonly kind: 'watermark'; readonly channel: number; readonly watermark: number }
  | { readonly kind: 'idle'; readonly channel: number; readonly idle: boolean }
  | { readonly kind: 'end'; readonly channel: number };

/** A channel element as plain data, for channel state. The values are not copied (encode to copy). */
export function toChannelState(el: Exclude<ChannelElement, { kind: 'barrier' }>): ChannelStateElement {
  if (el.kind !== 'records') return el;
  const b = el.batch;
  // Sparse columns (a key or meta on some records only) become explicit nulls: JSON has no holes.
  const keys = b.keys === null ? null : Array.from({ length: b.length }, (_, i) => b.keys?.[i] ?? null);
  const meta = b.meta === null ? null : Array.from({ length: b.length }, (_, i) => b.meta?.[i] ?? null);
  return { kind: 'records', channel: el.channel, values: b.values.slice(), timestamps: b.timestamps.slice(), keys, meta };
}

/** The channel element that channel state holds. */
export function fromChannelState(s: ChannelStateElement): ChannelElement {
  if (s.kind !== 'records') return s;
  const batch = new RecordBatch();
  s.values.forEach((v, i) => batch.push(v, s.timestamps[i]!, s.keys?.[i] ?? undefined, s.meta?.[i] ?? undefined));
  return { kind: 'records', channel: s.channel, batch };
}
