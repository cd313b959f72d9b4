// Topics a run finds in its durable store before the job starts (a lesson's, or a share link's):
// each is created, its records produced as a real producer partitions them (by key hash, round
// robin without a key), compacted if asked, and then the records produced "while the job runs"
// are appended after compaction. Invariant: the same specs and seed give the same log, offsets
// and all, in every store; a topic that already exists is left alone (it outlives a crashed attempt).

import { InputError } from '../errors.ts';
import { generatorPartitions, rideEvents, runnerPings, shopOrders, smartMeterReadings, usageEvents } from '../connectors/generator-source.ts';
import type { GeneratorSpec } from '../connectors/generator/spec.ts';
import type { TimedRecords } from '../connectors/partition-reader.ts';
import { seededRandom } from '../random/random.ts';
import { keyHash } from '../runtime/partitioner.ts';
import type { DurableStore, LogRecord, TopicConfig } from './durable-store.ts';
import { isStorableKey, topicConfigProblem } from './store-rules.ts';

/** One record as a producer sends it. A `value` of null with a key is a tombstone. */
export interface PreloadRecord {
  readonly key: string | number | null;
  readonly value: unknown;
  /** Event time; the topic source delivers the record once its time has come. */
  readonly timestamp: number;
}

/** The seeded generator datasets a topic can be filled from, by name. */
export const TOPIC_DATASETS = { smartMeterReadings, rideEvents, usageEvents, shopOrders, runnerPings } as const;
export type TopicDatasetName = keyof typeof TOPIC_DATASETS;

/** Records from a seeded dataset generator, keyed by one field of each value. */
export interface PreloadGenerator {
  readonly dataset: TopicDatasetName;
  /** The dataset's options (plain data: `{ customers: 12, duration: 600000 }`). */
  readonly options?: Readonly<Record<string, unknown>>;
  /** The value field that becomes the record key (so the partition); none means no key. */
  readonly keyField?: string;
}

/** A topic to create before the job starts, and what it holds. Plain data, so it crosses to a worker. */
export interface TopicPreload {
  readonly name: string;
  readonly config: TopicConfig;
  /** Records in the log before the job starts, in production order. */
  readonly records?: readonly PreloadRecord[];
  /** Generated records, produced after `records`. */
  readonly generator?: PreloadGenerator;
  /** Run compaction (and retention) once the records above are in: the job sees the compacted log. */
  readonly compactBeforeStart?: boolean;
  /** Records a producer appends while the job runs: after compaction, so none of them is compacted away. */
  readonly liveRecords?: readonly PreloadRecord[];
}

/**
 * Creates and fills every topic of `topics` that `store` does not hold yet. `seed` seeds the
 * generators (each topic forks its own stream, so adding a topic changes no other).
 * @example
 * await preloadTopics(store, [{ name: 'tiers', config: { partitions: 1, compacted: true }, records: [{ key: 'c1', value: 'gold', timestamp: 0 }], compactBeforeStart: true }], 12);
 */
export async function preloadTopics(store: DurableStore, topics: readonly TopicPreload[], seed: number): Promise<void> {
  for (const [index, topic] of topics.entries()) {
    const problem = topicPreloadProblem(topic);
    if (problem) throw new InputError(`topics[${index}]`, problem);
    if ((await store.topicConfig(topic.name)) !== undefined) continue;
    await store.createTopic(topic.name, topic.config);
    const producer = new Producer(store, topic.name, topic.config.partitions);
    await producer.send(topic.records ?? []);
    if (topic.generator) await producer.send(generatedRecords(topic.generator, seed, topic.name));
    if (topic.compactBeforeStart) await store.compact(topic.name);
    await producer.send(topic.liveRecords ?? []);
  }
}

/** Why a preload spec cannot be produced (plain data from a lesson or a link), or undefined. */
export function topicPreloadProblem(topic: TopicPreload): string | undefined {
  if (typeof topic.name !== 'string' || topic.name.trim() === '') return 'a topic needs a name';
  const configProblem = topicConfigProblem(topic.config);
  if (configProblem) return `topic "${topic.name}": ${configProblem}`;
  for (const [field, list] of [['records', topic.records], ['liveRecords', topic.liveRecords]] as const) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) return `topic "${topic.name}": ${field} must be a list`;
    for (const [i, r] of list.entries()) {
      if (r.key !== null && !isStorableKey(r.key)) return `topic "${topic.name}": ${field}[${i}].key must be text, a number or null`;
      if (typeof r.timestamp !== 'number' || !Number.isFinite(r.timestamp)) return `topic "${topic.name}": ${field}[${i}].timestamp must be a number (ms)`;
    }
  }
  if (topic.generator !== undefined && !Object.hasOwn(TOPIC_DATASETS, topic.generator.dataset)) {
    return `topic "${topic.name}": "${topic.generator.dataset}" is not a dataset (the datasets are ${Object.keys(TOPIC_DATASETS).join(', ')})`;
  }
  return undefined;
}

/** A producer's partitioner: the key's hash modulo the partitions, round robin without a key (as TopicSink). */
class Producer {
  private next = 0;
  constructor(
    private readonly store: DurableStore,
    private readonly topic: string,
    private readonly partitions: number,
  ) {}

  async send(records: readonly PreloadRecord[]): Promise<void> {
    const parts: Omit<LogRecord, 'offset'>[][] = Array.from({ length: this.partitions }, () => []);
    for (const r of records) {
      const p = r.key === null ? this.next++ % this.partitions : ((keyHash(r.key) % this.partitions) + this.partitions) % this.partitions;
      parts[p]!.push({ key: r.key, value: r.value, timestamp: r.timestamp });
    }
    for (const [partition, batch] of parts.entries()) if (batch.length > 0) await this.store.append(this.topic, partition, batch);
  }
}

/** Everything the generator produces, in arrival order (ties: by generator partition), keyed by `keyField`. */
function generatedRecords(generator: PreloadGenerator, seed: number, topic: string): PreloadRecord[] {
  const make = TOPIC_DATASETS[generator.dataset] as (options: unknown) => GeneratorSpec<unknown>;
  const readers = generatorPartitions(make(generator.options ?? {}), seededRandom(seed).fork(`topic:${topic}`));
  const rows: { record: PreloadRecord; arrival: number; partition: number; index: number }[] = [];
  for (const reader of readers) {
    const buf: TimedRecords<unknown> = { values: [], timestamps: [], arrivals: [] };
    while (reader.read(Number.POSITIVE_INFINITY, 10_000, buf) > 0);
    buf.values.forEach((value, i) => {
      const key = generator.keyField === undefined ? null : (value as Record<string, unknown>)[generator.keyField];
      if (key !== null && !isStorableKey(key)) throw new InputError(`generator.keyField`, `"${generator.keyField}" of a ${generator.dataset} record is not text or a number`);
      rows.push({ record: { key, value, timestamp: buf.timestamps[i]! }, arrival: buf.arrivals[i]!, partition: reader.partition, index: i });
    });
  }
  rows.sort((a, b) => a.arrival - b.arrival || a.partition - b.partition || a.index - b.index);
  return rows.map((row) => row.record);
}
