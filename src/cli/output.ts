// Writes what a run produces: sink records as JSON lines in DESIGN.md's field order, and trace
// events as JSON lines. Lines are gathered into large chunks, so output costs few writes.

import { writeSync } from 'node:fs';
import type { SinkRecord } from '../engine/api/run-pipeline.ts';
import type { SinkWrite } from '../engine/checkpoint/durable-store.ts';
import { toJson } from '../engine/trace/json.ts';

/**
 * A sink record as one JSON line, fields in the order
 * sink, key, value, timestamp, window, pane, (retraction,) processingTime; absent fields left out.
 */
export function sinkRecordLine(record: SinkRecord): string {
  return toJson(lineFields(record));
}

/**
 * A record as a sink's external store holds it (what a reader of the sink sees after a
 * checkpointed run), in sinkRecordLine's format: the same fields in the same order, without
 * processingTime, which the store does not keep; a null key (a record without one) is left out.
 */
export function sinkWriteLine(sink: string, write: SinkWrite): string {
  return toJson(lineFields({ sink, ...write, key: write.key ?? undefined }));
}

type LineRecord = Omit<SinkRecord, 'processingTime' | 'key'> & { readonly key?: SinkRecord['key'] | undefined; readonly processingTime?: number };

function lineFields(record: LineRecord): Record<string, unknown> {
  const line: Record<string, unknown> = { sink: record.sink };
  if (record.key !== undefined) line['key'] = record.key;
  line['value'] = record.value;
  line['timestamp'] = record.timestamp;
  if (record.window !== undefined) {
    line['window'] = record.window === 'global' ? 'global' : { start: record.window.start, end: record.window.end };
  }
  if (record.pane !== undefined) {
    const { timing, index, onTimeIndex, isFirst, isLast } = record.pane;
    line['pane'] = { timing, index, onTimeIndex, isFirst, isLast };
  }
  // Accumulating-and-retracting panes: the record takes back an earlier pane's value.
  if (record.retraction === true) line['retraction'] = true;
  if (record.processingTime !== undefined) line['processingTime'] = record.processingTime;
  return line;
}

/** Collects lines and writes them to a file descriptor in chunks of about `chunkSize` characters. */
export class LineWriter {
  private readonly fd: number;
  private readonly chunkSize: number;
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(fd: number, chunkSize = 1 << 20) {
    this.fd = fd;
    this.chunkSize = chunkSize;
  }

  write(line: string): void {
    this.pending.push(line);
    this.pendingLength += line.length + 1;
    if (this.pendingLength >= this.chunkSize) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    writeFully(this.fd, this.pending.join('\n') + '\n');
    this.pending = [];
    this.pendingLength = 0;
  }
}

/** writeSync may write less than asked (and a non-blocking pipe may say EAGAIN): keep going. */
function writeFully(fd: number, text: string): void {
  let buffer = Buffer.from(text, 'utf8');
  while (buffer.length > 0) {
    try {
      const written = writeSync(fd, buffer);
      buffer = buffer.subarray(written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}
