// Log topics: a topic outlives any job, so a job can replay it from any offset (reprocessing
// and backfill), recover from a crash by rewinding to checkpointed offsets, and write a topic
// that another job replays.

import { describe, expect, it } from 'vitest';
import { boundedOutOfOrderness, hours, minutes, runPipeline, tumblingWindows, type PipelineBuilder } from '../../../src/engine/api/index.ts';
import { compareToReference, sinkWritesAsRecords } from '../../../src/engine/checkpoint/delivery-report.ts';
import { runDurable } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';
import { produceToTopic } from '../../../src/engine/checkpoint/topic-producer.ts';

interface Reading {
  meter: string;
  wh: number;
}

/** 3 meters, a reading every 15 minutes for a day, in 3 partitions (one per meter). */
async function meterTopic(store: MemoryDurableStore): Promise<void> {
  const records = [];
  for (let i = 0; i < 96; i++) for (let m = 0; m < 3; m++) records.push({ key: `m${m}`, value: { meter: `m${m}`, wh: (i % 10) * 100 + m }, timestamp: i * minutes(15), partition: m });
  await produceToTopic(store, 'readings', { partitions: 3 }, records);
}

const hourly = (scale: number): PipelineBuilder => (p) => {
  p.fromTopic<Reading>('readings', { watermarks: boundedOutOfOrderness(minutes(5)), uid: 'readings' })
    .keyBy((r) => r.meter)
    .window(tumblingWindows(hours(1)))
    .sum((r) => r.wh * scale)
    .uid('hourly')
    .sinkTo('hourly', { guarantee: 'exactlyOnce' });
};

describe('log topics', () => {
  it('a job replays a topic, and after crashes its exactly-once output equals the failure-free one', async () => {
    const store = new MemoryDurableStore();
    await meterTopic(store);
    await runDurable(hourly(1), { store, jobId: 'ref', checkpointInterval: minutes(30) });
    const reference = sinkWritesAsRecords('hourly', await store.sinkRead('hourly'));
    // 3 meters × 24 hours.
    expect(reference).toHaveLength(72);
    const crashed = new MemoryDurableStore();
    await meterTopic(crashed);
    const r = await runDurable(hourly(1), { store: crashed, jobId: 'run', checkpointInterval: minutes(30), crashes: { atProcessingTimes: [hours(3) + 1, hours(11) + minutes(7), hours(20)] } });
    expect(r.attempts).toBe(4);
    const [report] = compareToReference(reference, sinkWritesAsRecords('hourly', await crashed.sinkRead('hourly')));
    expect(report!.exact).toBe(true);
  });

  it('a new version of the code reprocesses the same log from offset 0 (Kappa, not Lambda)', async () => {
    const store = new MemoryDurableStore();
    await meterTopic(store);
    await runDurable(hourly(1), { store, jobId: 'v1', checkpointInterval: minutes(30) });
    // The log is still there: version 2 (kWh instead of Wh) replays it into another sink.
    const v2: PipelineBuilder = (p) => {
      p.fromTopic<Reading>('readings', { watermarks: boundedOutOfOrderness(minutes(5)) })
        .keyBy((r) => r.meter)
        .window(tumblingWindows(hours(1)))
        .sum((r) => r.wh / 1000)
        .sinkTo('hourly-kwh', { guarantee: 'exactlyOnce' });
    };
    await runDurable(v2, { store, jobId: 'v2', checkpointInterval: minutes(30) });
    const v1Rows = await store.sinkRead('hourly');
    const v2Rows = await store.sinkRead('hourly-kwh');
    expect(v2Rows).toHaveLength(v1Rows.length);
    v2Rows.forEach((r, i) => expect(r.value as number).toBeCloseTo((v1Rows[i]!.value as number) / 1000, 9));
  });

  it('a job writes a topic that another job reads; reading a missing topic is a clear error', async () => {
    const store = new MemoryDurableStore();
    await meterTopic(store);
    const clean: PipelineBuilder = (p) => {
      p.fromTopic<Reading>('readings', { uid: 'in' })
        .filter((r) => r.wh >= 500)
        .sinkToTopic('high-readings', { partitions: 2, keyOf: (r) => r.meter });
    };
    await runDurable(clean, { store, jobId: 'clean', checkpointInterval: hours(1) });
    expect(await store.topicConfig('high-readings')).toEqual({ partitions: 2 });
    const count: PipelineBuilder = (p) => {
      p.fromTopic<Reading>('high-readings').map(() => 1).sinkTo('n', { guarantee: 'atLeastOnce' });
    };
    await runDurable(count, { store, jobId: 'count', checkpointInterval: hours(1) });
    // Readings with wh >= 500 have i % 10 >= 5: 45 for i < 90 and one (i = 95) after, per meter.
    expect(await store.sinkRead('n')).toHaveLength(3 * 46);
    await expect(runDurable(count, { store: new MemoryDurableStore(), jobId: 'x', checkpointInterval: 1000 })).rejects.toThrow('topic "high-readings": the topic does not exist');
    expect(() => runPipeline(count)).toThrow(/fromTopic\("high-readings"\) needs a durable store/);
  });
});
