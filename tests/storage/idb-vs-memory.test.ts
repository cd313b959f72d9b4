// Differential test: random topic configs and random sequences of appends and compactions, run on
// the IndexedDB store and on the in-memory reference; after every step both must read the same.
// This checks idb-compaction.ts's incremental, index-based compaction and chunked retention
// against `retainedRecords` far beyond the hand-written contract cases (large batches, keys
// reappearing after a compaction, retention crossing read chunks).

import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { DurableStore, TopicConfig } from '../../src/engine/checkpoint/durable-store.ts';
import { MemoryDurableStore } from '../../src/engine/checkpoint/memory-store.ts';
import { IdbDurableStore } from '../../src/storage/idb-store.ts';

const config = fc.record(
  {
    partitions: fc.integer({ min: 1, max: 2 }),
    compacted: fc.boolean(),
    retentionMs: fc.integer({ min: 0, max: 400 }),
    retentionRecords: fc.integer({ min: 0, max: 300 }),
  },
  { requiredKeys: ['partitions'] },
);

const record = fc.record({
  key: fc.oneof(fc.constant(null), fc.constantFrom('a', 'b', 'c', 'd', 1, 2, '1')),
  value: fc.integer(),
  timestamp: fc.integer({ min: 0, max: 1000 }),
});

/** A batch of records, in timestamp order or not (long expired prefixes need ordered ones). */
const batch = fc
  .tuple(fc.array(record, { maxLength: 700, size: 'max' }), fc.boolean())
  .map(([records, ordered]) => (ordered ? [...records].sort((a, b) => a.timestamp - b.timestamp) : records));

const step = fc.oneof(
  { weight: 3, arbitrary: fc.record({ partition: fc.integer({ min: 0, max: 1 }), records: batch }) },
  { weight: 1, arbitrary: fc.constant('compact' as const) },
);

async function snapshot(store: DurableStore, partitions: number) {
  const parts = [];
  for (let p = 0; p < partitions; p++) parts.push({ end: await store.endOffset('t', p), records: await store.read('t', p, 0, 10_000) });
  return parts;
}

describe('IdbDurableStore against MemoryDurableStore', () => {
  it('reads the same after any sequence of appends and compactions', async () => {
    await fc.assert(
      fc.asyncProperty(config, fc.array(step, { minLength: 1, maxLength: 8 }), async (topic: TopicConfig, steps) => {
        const memory = new MemoryDurableStore();
        const idb = await IdbDurableStore.open('diff', { indexedDB: new IDBFactory() });
        try {
          for (const store of [memory, idb]) await store.createTopic('t', topic);
          for (const s of [...steps, 'compact' as const]) {
            for (const store of [memory, idb]) {
              if (s === 'compact') await store.compact('t');
              else await store.append('t', s.partition % topic.partitions, s.records);
            }
            expect(await snapshot(idb, topic.partitions)).toEqual(await snapshot(memory, topic.partitions));
          }
        } finally {
          idb.close();
        }
      }),
      { numRuns: 40, seed: 20240611 },
    );
  });
});
