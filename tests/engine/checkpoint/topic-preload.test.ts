import { describe, expect, it } from 'vitest';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';
import { preloadTopics, type TopicPreload } from '../../../src/engine/checkpoint/topic-preload.ts';
import { keyHash } from '../../../src/engine/runtime/partitioner.ts';

const readAll = async (store: MemoryDurableStore, topic: string, partitions: number) => {
  const out = [];
  for (let p = 0; p < partitions; p++) out.push(await store.read(topic, p, 0, Number.POSITIVE_INFINITY));
  return out;
};

describe('preloading topics into a durable store', () => {
  it('partitions records by key hash (round robin without a key), compacts, then appends the live records', async () => {
    const store = new MemoryDurableStore();
    const topic: TopicPreload = {
      name: 't',
      config: { partitions: 2, compacted: true },
      records: [
        { key: 'a', value: 1, timestamp: 0 },
        { key: null, value: 'x', timestamp: 0 },
        { key: 'a', value: 2, timestamp: 0 },
        { key: null, value: 'y', timestamp: 0 },
      ],
      compactBeforeStart: true,
      liveRecords: [{ key: 'a', value: 3, timestamp: 10 }],
    };
    await preloadTopics(store, [topic], 1);
    // "a" hashes to 97: partition 1; the records without a key go round robin from partition 0.
    expect(keyHash('a') % 2).toBe(1);
    const [p0, p1] = await readAll(store, 't', 2);
    expect(p0!.map((r) => [r.offset, r.key, r.value])).toEqual([[0, null, 'x']]);
    expect(p1!.map((r) => [r.offset, r.key, r.value])).toEqual([
      [1, 'a', 2],
      [2, null, 'y'],
      [3, 'a', 3],
    ]);
  });

  it('leaves a topic that already exists alone (it outlives a crashed attempt)', async () => {
    const store = new MemoryDurableStore();
    const topic: TopicPreload = { name: 't', config: { partitions: 1 }, records: [{ key: 'k', value: 1, timestamp: 0 }] };
    await preloadTopics(store, [topic], 1);
    await preloadTopics(store, [topic], 1);
    expect(await store.endOffset('t', 0)).toBe(1);
  });

  it('fills a topic from a seeded dataset, keyed by a field, the same for the same seed', async () => {
    const topic: TopicPreload = {
      name: 'orders',
      config: { partitions: 3 },
      generator: { dataset: 'shopOrders', options: { customers: 5, duration: 120_000, partitions: 2 }, keyField: 'customer' },
    };
    const first = new MemoryDurableStore();
    const second = new MemoryDurableStore();
    await preloadTopics(first, [topic], 7);
    await preloadTopics(second, [topic], 7);
    const log = await readAll(first, 'orders', 3);
    expect(log).toEqual(await readAll(second, 'orders', 3));
    expect(log.flat().length).toBeGreaterThan(10);
    log.forEach((records, partition) => {
      for (const r of records) {
        expect(r.key).toBe((r.value as { customer: string }).customer);
        expect(keyHash(r.key as string) % 3).toBe(partition);
      }
    });
  });

  it('refuses a spec a lesson or a link got wrong, naming the topic', async () => {
    const bad = { name: 't', config: { partitions: 0 } } as TopicPreload;
    await expect(preloadTopics(new MemoryDurableStore(), [bad], 1)).rejects.toThrow('topics[0]: topic "t": partitions must be a positive integer');
  });
});
