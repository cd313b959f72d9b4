// A durable job whose checkpoints go to the store worker chunk by chunk (the sandbox's
// RemoteDurableStore, the trusted side's serveStore over IndexedDB on fake-indexeddb): a full
// disk in the middle of a checkpoint's chunks fails that checkpoint with the store's message, the
// job runs on, and a crash afterwards restores the last good checkpoint; the exactly-once output
// is still the failure-free run's.

import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { runPipeline, type TraceEvent } from '../../src/engine/api/index.ts';
import { runDurable } from '../../src/engine/checkpoint/job-driver.ts';
import { IdbDurableStore } from '../../src/storage/idb-store.ts';
import { RemoteDurableStore, serveStore } from '../../src/worker/store-rpc.ts';
import { runningTotals as totals } from './running-totals.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((undo) => undo()));

/** Makes the put of the second chunk row of checkpoint `checkpointId` abort its transaction as a full disk does, once. */
function fullDiskAtSecondChunkOf(checkpointId: number): { struck: () => boolean } {
  const proto = IDBObjectStore.prototype as unknown as { put: (...args: unknown[]) => IDBRequest };
  const put = proto.put;
  let struck = false;
  proto.put = function (this: IDBObjectStore, ...args: unknown[]) {
    const request = put.apply(this, args);
    const row = args[0] as { checkpointId?: number; name?: string };
    if (!struck && this.name === 'checkpointParts' && row.checkpointId === checkpointId && row.name?.endsWith('\u0000000001')) {
      struck = true;
      (this.transaction as unknown as { _abort(name: string): void })._abort('QuotaExceededError');
    }
    return request;
  };
  cleanups.push(() => (proto.put = put));
  return { struck: () => struck };
}

describe('checkpoints through the store worker, when its disk fills up', () => {
  it('a full disk mid-chunks fails that checkpoint with the clear message; the job runs on and a crash restores the last good checkpoint', async () => {
    const store = await IdbDurableStore.open('brook-job-totals', { indexedDB: new IDBFactory() });
    const channel = new MessageChannel();
    const stop = serveStore(channel.port1, store);
    cleanups.push(() => (stop(), channel.port1.close(), channel.port2.close(), store.close()));
    const fault = fullDiskAtSecondChunkOf(3);
    const trace: TraceEvent[] = [];
    const r = await runDurable(totals, {
      store: new RemoteDurableStore(channel.port2),
      jobId: 'totals',
      checkpointInterval: 1000,
      crashes: { atProcessingTimes: [3_500] },
      onTrace: (e) => trace.push(e),
    });
    expect(fault.struck()).toBe(true);
    expect(r.finished).toBe(true);
    const failed = trace.filter((e) => e.type === 'checkpointFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ checkpointId: 3 });
    expect((failed[0] as { reason: string }).reason).toContain('writeCheckpoint on checkpoint 3 of job "totals" failed: QuotaExceededError');
    // The crash at 3.5 s restores checkpoint 2: checkpoint 3 was never stored.
    expect(trace.filter((e) => e.type === 'jobRestored').map((e) => (e as { checkpointId: number | null }).checkpointId)).toEqual([2]);
    // Checkpoints after the failure complete again, and every one of them went in chunks.
    const listed = await store.listCheckpoints('totals');
    expect(listed.length).toBeGreaterThan(0);
    expect(listed[0]!.parts.some((p) => (p.chunks?.length ?? 0) >= 2)).toBe(true);
    const output = (records: readonly { sink: string; value: unknown }[]) => records.filter((x) => x.sink === 'totals').map((x) => JSON.stringify(x.value));
    expect(output(await store.sinkRead('totals').then((rows) => rows.map((row) => ({ sink: 'totals', value: row.value }))))).toEqual(output(runPipeline(totals).records));
  });
});
