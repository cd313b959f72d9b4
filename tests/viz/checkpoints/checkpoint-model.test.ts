import { describe, expect, it } from 'vitest';
import { attemptBandsAt, checkpointBarsAt, recoveriesAt, replayCounts } from '../../../src/viz/checkpoints/checkpoint-model.ts';
import { humanSize } from '../../../src/viz/checkpoints/human-size.ts';
import { placeLabels } from '../../../src/viz/checkpoints/label-rows.ts';
import { recoveryText } from '../../../src/viz/checkpoints/checkpoint-view.ts';
import { durableModel } from './meter-run.ts';
import { RunModel } from '../../../src/viz/run-model.ts';
import { traceToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';

describe('checkpoint timeline', () => {
  it('shows each checkpoint of a crashed run with its attempt, status and acks', async () => {
    // Checkpoints every second; the crash at 5500 strikes after the step at 5450, so attempt 1
    // completed checkpoints 1–5 and attempt 2 (restored from 5, its clock back at 5000, shifted
    // by 450 ms on the timeline) goes on from 6.
    const model = await durableModel([5500]);
    const bars = checkpointBarsAt(model, model.endT);
    expect(bars.map((b) => [b.id, b.attempt, b.startT, b.status])).toEqual([
      [1, 1, 1000, 'completed'],
      [2, 1, 2000, 'completed'],
      [3, 1, 3000, 'completed'],
      [4, 1, 4000, 'completed'],
      [5, 1, 5000, 'completed'],
      [6, 2, 6450, 'completed'],
      [7, 2, 7450, 'completed'],
      [8, 2, 8450, 'completed'],
      [9, 2, 9450, 'completed'],
      [10, 2, 10450, 'completed'],
      [11, 2, 11450, 'completed'],
      [12, 2, 12400, 'completed'],
    ]);
    // Four subtasks (source, window, two sinks) acknowledge each.
    expect(bars.every((b) => b.acks.length === 4 && b.subtasks === 4)).toBe(true);
    expect(checkpointBarsAt(model, 5449).map((b) => b.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('marks an incremental checkpoint and what a restore of it reads', () => {
    const model = new RunModel();
    for (const d of traceToDeltas([
      { type: 'checkpointTriggered', pt: 1000, checkpointId: 1 },
      { type: 'checkpointCompleted', pt: 1000, checkpointId: 1, size: 1_500_000, subtasks: 3, kind: 'full', fullSize: 1_500_000 },
      { type: 'checkpointTriggered', pt: 2000, checkpointId: 2 },
      { type: 'checkpointCompleted', pt: 2000, checkpointId: 2, size: 900, subtasks: 3, kind: 'incremental', fullSize: 1_500_400 },
    ])) model.apply(d);
    expect(checkpointBarsAt(model, 2000).map((b) => [b.id, b.size, b.incremental ?? false, b.fullSize])).toEqual([
      [1, 1_500_000, false, 1_500_000],
      [2, 900, true, 1_500_400],
    ]);
  });

  it('says when the first attempt started from a savepoint', () => {
    const model = new RunModel();
    model.beginAttempt(1, 7_000, 4, 0, true);
    expect(attemptBandsAt(model, 7_000)).toEqual([{ attempt: 1, fromT: 7_000, toT: 7_000, restoredFrom: 4, fromSavepoint: true }]);
  });

  it('bands the attempts and counts the records replayed after the restore', async () => {
    const model = await durableModel([5500]);
    expect(attemptBandsAt(model, model.endT)).toEqual([
      { attempt: 1, fromT: 0, toT: 5450, restoredFrom: null, fromSavepoint: false },
      { attempt: 2, fromT: 5450, toT: 12400, restoredFrom: 5, fromSavepoint: false },
    ]);
    // Attempt 1 read offsets 0–109 (one reading per 50 ms up to 5450); checkpoint 5 at 5000
    // holds the position after offset 100, so attempt 2 reads 101–109 again: 9 records.
    const [recovery] = recoveriesAt(model, model.endT);
    expect(recovery).toMatchObject({ attempt: 2, t: 5450, restoredFrom: 5, checkpointT: 5000, rewoundToPt: 5000, replayedTotal: 9 });
    expect(recovery!.crash?.reason).toBe('Crash: crash injected at processing time 5500');
    expect(replayCounts(model, 2, model.endT)).toEqual([{ source: 'array', partition: 0, reachedOffset: 109, replayed: 9 }]);
    // 200 ms into attempt 2 (processing time 5200) it has re-read offsets 101–104.
    expect(replayCounts(model, 2, 5650)[0]!.replayed).toBe(4);
    expect(recoveryText(recovery!, 0)).toBe(
      'Attempt 2 began at 0:05.45 after “Crash: crash injected at processing time 5500” at 0:05.45; restored checkpoint 5 (taken at 0:05, 2.8 KB); the sources rewound to processing time 0:05; 9 records read again so far (array/0: 9 up to offset 109).',
    );
  });

  it('marks a checkpoint cut short by a crash as aborted', async () => {
    const model = await durableModel([5500]);
    // Pretend the crash came before checkpoint 5 completed by looking at a model whose
    // checkpoint lacks its completion: the status comes from the crash that ended its attempt.
    const c5 = model.checkpoints.find((c) => c.id === 5)!;
    delete c5.completedT;
    const bar = checkpointBarsAt(model, model.endT).find((b) => b.id === 5)!;
    expect([bar.status, bar.endT]).toEqual(['aborted', 5450]);
  });
});

describe('labels and sizes', () => {
  it('writes sizes in binary units with one decimal', () => {
    expect([humanSize(512), humanSize(2044), humanSize(12595), humanSize(5 * 1024 * 1024), humanSize(150 * 1024)]).toEqual(['512 B', '2.0 KB', '12.3 KB', '5.0 MB', '150 KB']);
  });

  it('puts overlapping labels in the next row and leaves out what fits nowhere', () => {
    const labels = [0, 30, 60, 200].map((x) => ({ x, width: 50 }));
    expect(placeLabels(labels, 2)).toEqual([0, 1, 0, 0]);
    expect(placeLabels(labels, 1)).toEqual([0, -1, 0, 0]);
  });
});
