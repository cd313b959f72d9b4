// A session whose sinks collected more records than a JavaScript call can take as arguments:
// ending the attempt must keep them all (spreading them into push overflowed the stack, which
// the session then reported as a failure of the job itself).

import { describe, expect, it } from 'vitest';
import { runDurable } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';

describe('a durable session with a large output', () => {
  it('keeps all 300,000 records of a finished attempt and reports no failure', async () => {
    const numbers = Array.from({ length: 300_000 }, (_, i) => i);
    const result = await runDurable((p) => p.fromArray(numbers, { timestampOf: (n) => n }).sink('out'), {
      store: new MemoryDurableStore(),
      jobId: 'large',
      checkpointInterval: 1e15, // none but the final checkpoint
    });
    expect(result.failures).toEqual([]);
    expect(result.finished).toBe(true);
    expect(result.records).toHaveLength(300_000);
    expect(result.records.at(-1)!.value).toBe(299_999);
  });
});

describe('a memory store with a large sink write', () => {
  it('appends and commits 300,000 rows in one call', async () => {
    const store = new MemoryDurableStore();
    const rows = Array.from({ length: 300_000 }, (_, i) => ({ key: null, value: i, timestamp: i }));
    await store.sinkAppend('plain', rows);
    await store.sinkStage('tx', 't1', rows);
    await store.sinkCommit('tx', 't1');
    expect(await store.sinkRead('plain')).toHaveLength(300_000);
    expect(await store.sinkRead('tx')).toHaveLength(300_000);
  });
});
