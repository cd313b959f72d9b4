// Producing into log topics from outside a job: records given in code, or a seeded generator's
// output (the "producers" of a workshop, whose topic many later jobs replay).

import { generatorPartitions } from '../connectors/generator-source.ts';
import type { GeneratorSpec } from '../connectors/generator/spec.ts';
import type { TimedRecords } from '../connectors/partition-reader.ts';
import { seededRandom } from '../random/random.ts';
import type { Key } from '../runtime/record-batch.ts';
import type { DurableStore, TopicConfig } from './durable-store.ts';

/** Creates the topic if it does not exist (with `config`), then appends records to their partitions. */
export async function produceToTopic(
  store: DurableStore,
  topic: string,
  config: TopicConfig,
  records: readonly { readonly key?: Key | null; readonly value: unknown; readonly timestamp: number; readonly partition?: number }[],
): Promise<void> {
  if ((await store.topicConfig(topic)) === undefined) await store.createTopic(topic, config);
  const parts: { key: Key | null; value: unknown; timestamp: number }[][] = Array.from({ length: config.partitions }, () => []);
  records.forEach((r, i) => parts[(r.partition ?? i) % config.partitions]!.push({ key: r.key ?? null, value: r.value, timestamp: r.timestamp }));
  for (let p = 0; p < parts.length; p++) if (parts[p]!.length > 0) await store.append(topic, p, parts[p]!);
}

/**
 * Writes everything a generator produces into a topic, one generator partition per topic
 * partition, in arrival order.
 */
export async function produceGenerated<T>(
  store: DurableStore,
  topic: string,
  spec: GeneratorSpec<T>,
  options: { readonly seed?: number; readonly keyOf?: (value: T) => Key; readonly retentionMs?: number; readonly compacted?: boolean } = {},
): Promise<number> {
  const readers = generatorPartitions(spec, seededRandom(options.seed ?? 0).fork(`topic:${topic}`));
  const config: TopicConfig = {
    partitions: readers.length,
    ...(options.retentionMs !== undefined ? { retentionMs: options.retentionMs } : {}),
    ...(options.compacted ? { compacted: true } : {}),
  };
  if ((await store.topicConfig(topic)) === undefined) await store.createTopic(topic, config);
  let total = 0;
  for (const r of readers) {
    for (;;) {
      const buf: TimedRecords<T> = { values: [], timestamps: [], arrivals: [] };
      const n = r.read(Number.POSITIVE_INFINITY, 10_000, buf);
      if (n === 0) break;
      const keyOf = options.keyOf;
      await store.append(topic, r.partition, buf.values.map((value, i) => ({ key: keyOf ? keyOf(value) : null, value, timestamp: buf.timestamps[i]! })));
      total += n;
    }
  }
  return total;
}
