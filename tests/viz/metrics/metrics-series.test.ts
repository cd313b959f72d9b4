import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src/engine/trace/trace-event.ts';
import { traceToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel } from '../../../src/viz/run-model.ts';
import { aheadOfWatermarkSeries, clipAt, eventTimeLagSeries, latencySeries, throughputSeries } from '../../../src/viz/metrics/metrics-series.ts';
import { normalBand } from '../../../src/viz/metrics/normal-band.ts';
import { alertText, thresholdCrossings } from '../../../src/viz/metrics/threshold-alerts.ts';
import { clockTicks, compactCount, compactDuration, formatClock, formatDuration } from '../../../src/viz/metrics/time-format.ts';
import { plainModel } from '../checkpoints/meter-run.ts';

describe('metrics series', () => {
  it('gives each operator’s throughput per second between samples', () => {
    const series = throughputSeries(plainModel());
    const byId = Object.fromEntries(series.map((s) => [s.id, s.points.slice(0, 3)]));
    // 20 readings a second; three totals a second out of the window and into each sink.
    expect(byId.readings).toEqual([{ t: 2000, v: 20 }, { t: 3000, v: 20 }, { t: 4000, v: 20 }]);
    expect(byId['meter-totals']).toEqual([{ t: 2000, v: 3 }, { t: 3000, v: 3 }, { t: 4000, v: 3 }]);
    expect(byId['sink-dashboard']).toEqual([{ t: 2000, v: 3 }, { t: 3000, v: 3 }, { t: 4000, v: 3 }]);
  });

  it('measures end-to-end latency as arrival processing time minus event timestamp', () => {
    const dashboard = latencySeries(plainModel()).find((s) => s.id === 'dashboard')!;
    // The totals of [0, 1000) carry timestamp 999 and reach the sink at 1400.
    expect(dashboard.points.slice(0, 3)).toEqual([{ t: 1400, v: 401 }, { t: 1400, v: 401 }, { t: 1400, v: 401 }]);
  });

  it('measures event-time lag as processing time minus the watermark', () => {
    const lag = eventTimeLagSeries(plainModel());
    // At the sample at 1000 the watermark was 1000 - 300 - 1 everywhere.
    expect(lag.map((s) => [s.id, s.points[0]])).toEqual([
      ['readings', { t: 1000, v: 301 }],
      ['meter-totals', { t: 1000, v: 301 }],
      ['billing', { t: 1000, v: 301 }],
      ['sink-dashboard', { t: 1000, v: 301 }],
    ]);
  });

  it('counts records read ahead of their partition’s watermark', () => {
    const events: TraceEvent[] = [
      { type: 'jobStarted', pt: 0, seed: 1, operators: [{ id: 'src', name: 'src', kind: 'source', parallelism: 1, inputs: [] }] },
      { type: 'recordArrived', pt: 0, source: 'src', partition: 0, offset: 0, eventTime: 0, arrival: 0 },
      { type: 'recordArrived', pt: 10, source: 'src', partition: 0, offset: 1, eventTime: 50, arrival: 10 },
      { type: 'recordArrived', pt: 20, source: 'src', partition: 0, offset: 2, eventTime: 5, arrival: 20 },
      { type: 'sourceWatermark', pt: 30, source: 'src', partition: 0, watermark: 10 },
      { type: 'sourceWatermark', pt: 40, source: 'src', partition: 0, watermark: 60 },
    ];
    const model = new RunModel();
    for (const d of traceToDeltas(events)) model.apply(d);
    const [ahead] = aheadOfWatermarkSeries(model);
    expect(ahead!.label).toBe('src/0');
    expect(ahead!.points).toEqual([{ t: 0, v: 1 }, { t: 10, v: 2 }, { t: 20, v: 3 }, { t: 30, v: 1 }, { t: 40, v: 0 }]);
    expect(clipAt(ahead!.points, 25)).toEqual([{ t: 0, v: 1 }, { t: 10, v: 2 }, { t: 20, v: 3 }]);
  });
});

describe('normal band and alerts', () => {
  it('bands each point with the median ± 3 MAD of the points before it', () => {
    const points = [1, 2, 3, 4, 5, 100, 3].map((v, t) => ({ t, v }));
    // Before t=5: 1..5, median 3, MAD 1. Before t=6: 1..5 and 100, median 3.5, MAD 1.5.
    expect(normalBand(points, { minPoints: 5 })).toEqual([
      { t: 5, lo: 0, hi: 6 },
      { t: 6, lo: -1, hi: 8 },
    ]);
  });

  it('finds the spans above a threshold, the last one still open', () => {
    const series = [{ label: 'billing', points: [1, 6, 7, 2, 8].map((v, i) => ({ t: i * 1000, v })) }];
    const threshold = { value: 5, direction: 'above' as const };
    expect(thresholdCrossings(series, threshold, 10_000)).toEqual([
      { series: 'billing', from: 1000, to: 3000, peak: 7 },
      { series: 'billing', from: 4000, peak: 8 },
    ]);
    expect(thresholdCrossings(series, threshold, 2500)).toEqual([{ series: 'billing', from: 1000, peak: 7 }]);
    expect(thresholdCrossings(series, { value: 2, direction: 'below' }, 10_000)).toEqual([{ series: 'billing', from: 0, to: 1000, peak: 1 }]);
  });

  it('says an alert in words', () => {
    const span = { series: 'billing', from: 723_000, to: 725_000, peak: 6100 };
    expect(alertText('latency', span, { value: 5000, direction: 'above' }, formatDuration)).toBe('latency above 5 s from 12:03 to 12:05 (billing, peak 6.1 s)');
    expect(alertText('latency', { series: 'billing', from: 723_000, peak: 6100 }, { value: 5000, direction: 'above' }, formatDuration)).toBe('latency above 5 s since 12:03 (ongoing) (billing, peak 6.1 s)');
  });

  it('formats times as clocks and durations', () => {
    expect([formatClock(65_250), formatClock(3_725_000), formatClock(-1500), formatClock(Number.NEGATIVE_INFINITY)]).toEqual(['1:05.25', '1:02:05', '−0:01.5', '−∞']);
    expect([formatDuration(450), formatDuration(1234), formatDuration(125_000), compactDuration(-80_000)]).toEqual(['450 ms', '1.2 s', '2 min 5 s', '−80 s']);
    expect(clockTicks(0, 180_000, 4)).toEqual([0, 60_000, 120_000, 180_000]);
  });

  it('writes counts on an axis in at most six characters', () => {
    expect([0, 950, 2.5, 1000, 1500, 20_000, 999_999, 1_500_000, 25_000_000, -30_000, Number.NaN].map(compactCount)).toEqual(['0', '950', '2.5', '1k', '1.5k', '20k', '1M', '1.5M', '25M', '−30k', '–']);
  });
});
