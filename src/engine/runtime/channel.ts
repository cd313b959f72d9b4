// What travels on a channel between two subtasks: record batches, watermarks, idleness
// status and end of input. A channel delivers in order; the receiving subtask keeps one
// watermark per channel and takes the minimum.

import type { RecordBatch } from './record-batch.ts';

export type ChannelElement =
  | { readonly kind: 'records'; readonly channel: number; readonly batch: RecordBatch }
  | { readonly kind: 'watermark'; readonly channel: number; readonly watermark: number }
  | { readonly kind: 'idle'; readonly channel: number; readonly idle: boolean }
  | { readonly kind: 'end'; readonly channel: number };

/** The receiving end of channels. */
export interface Receiver {
  enqueue(element: ChannelElement): void;
}

/** One downstream input channel: a receiver and the channel number it knows us by. */
export interface ChannelTarget {
  readonly receiver: Receiver;
  readonly channel: number;
}
