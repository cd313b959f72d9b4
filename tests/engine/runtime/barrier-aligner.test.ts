// Checkpoint barriers at one operator subtask, fed by hand so that every interleaving can be
// set up: what an aligned subtask blocks and when it snapshots, what an unaligned one stores as
// channel state and how a restored subtask replays it, and how finished subtasks acknowledge.

import { describe, expect, it } from 'vitest';
import { CheckpointCoordinator, type CheckpointMode } from '../../../src/engine/checkpoint/checkpoint-coordinator.ts';
import type { JobSnapshot } from '../../../src/engine/checkpoint/job-snapshot.ts';
import { decodePart } from '../../../src/engine/checkpoint/part-data.ts';
import { seededRandom } from '../../../src/engine/random/random.ts';
import type { ChannelElement } from '../../../src/engine/runtime/channel.ts';
import { OperatorSubtask } from '../../../src/engine/runtime/operator-subtask.ts';
import type { OperatorSubtaskSnapshot } from '../../../src/engine/runtime/subtask-snapshot.ts';
import { RecordBatch } from '../../../src/engine/runtime/record-batch.ts';
import { Scheduler } from '../../../src/engine/runtime/scheduler.ts';
import { MapOperator } from '../../../src/engine/runtime/stateless-operators.ts';
import { TaskOutput } from '../../../src/engine/runtime/task-output.ts';
import { HeapKeyedStateBackend } from '../../../src/engine/state/state-backend.ts';
import type { TraceEvent } from '../../../src/engine/trace/trace-event.ts';

/** One map subtask (x → x * 10) with two input channels, its output captured as text. */
function rig(mode: CheckpointMode) {
  const scheduler = new Scheduler(0);
  const trace: TraceEvent[] = [];
  const out: string[] = [];
  const output = new TaskOutput([], (e) => {
    throw e;
  });
  output.routes.push({
    sideOutput: undefined,
    partitioning: { kind: 'forward' },
    senderIndex: 0,
    targets: [{ channel: 0, receiver: { enqueue: (el: ChannelElement) => void out.push(show(el)) } }],
  });
  const subtask = new OperatorSubtask('m', 0, 1, new MapOperator((x) => (x as number) * 10), output, {
    scheduler,
    trace: (e) => trace.push(e),
    random: seededRandom(0),
    state: new HeapKeyedStateBackend(),
    entity: 0,
    io: { request: () => {} },
  });
  subtask.addChannel(0);
  subtask.addChannel(0);
  subtask.open();
  const persisted: JobSnapshot[] = [];
  const coordinator = new CheckpointCoordinator({ seed: 0, trace: (e) => trace.push(e), now: () => scheduler.now, persist: (s) => persisted.push(s) });
  coordinator.mode = mode;
  subtask.attachCheckpoints(coordinator, coordinator.register('m#0', 'm', 0, (id) => subtask.checkpointTriggered(id)));
  const drain = (): void => {
    while (scheduler.step()) {
      /* one element per step */
    }
  };
  const part = (): OperatorSubtaskSnapshot => decodePart<OperatorSubtaskSnapshot>(persisted[0]!.parts[0]!.data);
  return { scheduler, trace, out, subtask, coordinator, persisted, drain, part };
}

const records = (channel: number, ...values: number[]): ChannelElement => {
  const batch = new RecordBatch();
  for (const v of values) batch.push(v, v);
  return { kind: 'records', channel, batch };
};
const barrier = (channel: number, checkpointId = 1): ChannelElement => ({ kind: 'barrier', channel, checkpointId });

function show(el: ChannelElement): string {
  switch (el.kind) {
    case 'records':
      return el.batch.values.join(',');
    case 'barrier':
      return `barrier ${el.checkpointId}`;
    case 'watermark':
      return `wm ${el.watermark}`;
    default:
      return el.kind;
  }
}

const barrierEvents = (trace: readonly TraceEvent[]) =>
  trace
    .filter((e) => e.type === 'barrierReceived' || e.type === 'barrierAligned' || e.type === 'checkpointAcknowledged')
    .map((e) => (e.type === 'barrierReceived' ? `received ch${e.channel}` : e.type === 'barrierAligned' ? `aligned, ${e.blockedRecords} blocked` : 'acknowledged'));

describe('an aligned subtask', () => {
  it('blocks a channel behind its barrier until every channel delivered one, then snapshots and replays what waited', () => {
    const r = rig('aligned');
    r.coordinator.trigger(1, []);
    for (const el of [records(0, 1, 2), barrier(0), records(0, 3, 4), records(1, 5), { kind: 'watermark', channel: 0, watermark: 7 } as const, barrier(1), records(1, 6)]) {
      r.subtask.enqueue(el);
    }
    r.drain();
    // 3 and 4 came behind the barrier on channel 0: they wait while 5 (channel 1, before its
    // barrier) is processed; the barrier goes out before anything computed from them.
    expect(r.out).toEqual(['10,20', '50', 'barrier 1', '30,40', '60']);
    expect(barrierEvents(r.trace)).toEqual(['received ch0', 'received ch1', 'aligned, 2 blocked', 'acknowledged']);
    // The snapshot reflects exactly the records before the barriers: 1, 2 and 5.
    expect(r.persisted).toHaveLength(1);
    expect(r.part().counters.recordsIn).toBe(3);
    expect(r.part().channelState).toBeUndefined();
    expect(r.part().channels.map((c) => c.watermark)).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    // The blocked watermark was applied after the alignment.
    expect(r.subtask.recordsIn).toBe(6);
  });

  it('treats a channel that ended as aligned', () => {
    const r = rig('aligned');
    r.subtask.enqueue({ kind: 'end', channel: 1 });
    r.drain();
    r.coordinator.trigger(1, []);
    r.subtask.enqueue(records(0, 1));
    r.subtask.enqueue(barrier(0));
    r.drain();
    expect(r.persisted).toHaveLength(1);
    expect(r.part().counters.recordsIn).toBe(1);
    expect(r.out).toEqual(['10', 'barrier 1']);
  });

  it('queues a newer barrier behind the alignment of the older one', () => {
    const r = rig('aligned');
    r.coordinator.trigger(1, []);
    r.coordinator.trigger(2, []);
    for (const el of [barrier(0, 1), records(0, 1), barrier(0, 2), records(1, 2), barrier(1, 1), records(1, 3), barrier(1, 2)]) r.subtask.enqueue(el);
    r.drain();
    expect(r.out).toEqual(['20', 'barrier 1', '10', '30', 'barrier 2']);
    expect(r.persisted.map((s) => [s.checkpointId, decodePart<OperatorSubtaskSnapshot>(s.parts[0]!.data).counters.recordsIn])).toEqual([
      [1, 1],
      [2, 3],
    ]);
  });
});

describe('an unaligned subtask', () => {
  it('forwards the first barrier at once and stores what it overtook as channel state', () => {
    const r = rig('unaligned');
    r.coordinator.trigger(1, []);
    // 1, 2 are queued (channel 0) when channel 0's barrier arrives; 5 arrives on channel 1 before
    // channel 1's barrier, 6 after it.
    for (const el of [records(0, 1, 2), barrier(0), records(0, 3), records(1, 5), barrier(1), records(1, 6)]) r.subtask.enqueue(el);
    expect(r.out).toEqual(['barrier 1']);
    expect(r.persisted).toHaveLength(1);
    r.drain();
    expect(r.out).toEqual(['barrier 1', '10,20', '30', '50', '60']);
    expect(barrierEvents(r.trace)).toEqual(['received ch0', 'received ch1', 'aligned, 0 blocked', 'acknowledged']);
    expect(r.trace.find((e) => e.type === 'barrierAligned')).toMatchObject({ channelStateRecords: 3 });
    const part = r.part();
    expect(part.counters.recordsIn).toBe(0);
    expect(part.channelState?.map((e) => (e.kind === 'records' ? [e.channel, e.values] : e.kind))).toEqual([
      [0, [1, 2]],
      [1, [5]],
    ]);
  });

  it('keeps separate channel state for two checkpoints in progress', () => {
    const r = rig('unaligned');
    r.coordinator.trigger(1, []);
    r.coordinator.trigger(2, []);
    for (const el of [records(0, 1), barrier(0, 1), records(0, 2), records(1, 3), barrier(0, 2), barrier(1, 1), records(1, 4), barrier(1, 2), records(1, 5)]) {
      r.subtask.enqueue(el);
    }
    r.drain();
    const stored = r.persisted.map((s) => [
      s.checkpointId,
      (decodePart<OperatorSubtaskSnapshot>(s.parts[0]!.data).channelState ?? []).map((e) => (e.kind === 'records' ? e.values[0] : e.kind)),
    ]);
    // Nothing was processed before the barriers arrived. Checkpoint 1 overtakes 1 (queued ahead
    // of it) and 3 (before channel 1's barrier 1). Checkpoint 2's state is taken when its barrier
    // arrives on channel 0 with 1, 2 and 3 still queued; 4 comes before channel 1's barrier 2.
    expect(stored).toEqual([
      [1, [1, 3]],
      [2, [1, 2, 3, 4]],
    ]);
    expect(r.out).toEqual(['barrier 1', 'barrier 2', '10', '20', '30', '40', '50']);
  });

  it('delivers the channel state first when restored', () => {
    const r = rig('unaligned');
    r.coordinator.trigger(1, []);
    for (const el of [records(0, 1, 2), records(1, 5), barrier(0), { kind: 'end', channel: 1 } as const]) r.subtask.enqueue(el);
    r.drain();
    // Channel 1 ended before its barrier could come: its end is channel state too.
    const part = r.part();
    expect(part.channelState?.map((e) => e.kind)).toEqual(['records', 'records', 'end']);

    const fresh = rig('unaligned');
    fresh.subtask.restore(part, 1);
    expect(fresh.subtask.queuedRecords).toBe(3);
    fresh.subtask.enqueue(records(0, 7));
    fresh.drain();
    expect(fresh.out).toEqual(['10,20', '50', '70']);
    expect(fresh.subtask.recordsIn).toBe(4);
  });
});

describe('finished subtasks', () => {
  it('acknowledge at the trigger, or when they finish during the checkpoint', () => {
    const done = rig('aligned');
    done.subtask.enqueue({ kind: 'end', channel: 0 });
    done.subtask.enqueue({ kind: 'end', channel: 1 });
    done.drain();
    done.coordinator.trigger(1, []);
    expect(done.persisted).toHaveLength(1);
    expect(done.part().finished).toBe(true);

    const finishing = rig('aligned');
    finishing.subtask.enqueue(records(0, 1));
    finishing.subtask.enqueue({ kind: 'end', channel: 0 });
    finishing.subtask.enqueue({ kind: 'end', channel: 1 });
    finishing.coordinator.trigger(1, []);
    expect(finishing.persisted).toHaveLength(0);
    finishing.drain();
    expect(finishing.persisted).toHaveLength(1);
    expect(finishing.part()).toMatchObject({ finished: true, counters: { recordsIn: 1 } });
    expect(finishing.out).toEqual(['10', 'wm Infinity', 'end']);
  });
});
