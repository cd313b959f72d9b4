// Checks lesson 13: after the backfill (six hours of history read at once at 6:00) and the
// live hours after it, "kwh-per-hour" holds every meter's kilowatt-hours for every hour it
// measured in, exactly what a batch job over the same readings would compute.
import { hours, minutes, runPipeline, seconds, smartMeterReadings } from 'brook';
import type { LessonRun } from '../../src/lessons/lesson-run.ts';

const HOUR = hours(1);

/** Kilowatt-hours per meter and hour of measurement (event time), and how many of the hour's readings were replayed. */
function batchTotals(seed: number): Map<string, { kwh: number; replayed: number }> {
  const meters = smartMeterReadings({
    meters: 6,
    duration: hours(8),
    outages: [{ from: 0, length: hours(6) }],
    uploadDelay: { kind: 'uniform', min: seconds(1), max: minutes(2) },
  });
  const { records } = runPipeline((p) => p.generator(meters, { name: 'readings' }).sink('all'), { seed });
  const totals = new Map<string, { kwh: number; replayed: number }>();
  for (const r of records) {
    const reading = r.value as { meter: string; kwh: number };
    const at = `${reading.meter}@${Math.floor(r.timestamp / HOUR) * HOUR}`;
    const t = totals.get(at) ?? { kwh: 0, replayed: 0 };
    totals.set(at, { kwh: t.kwh + reading.kwh, replayed: t.replayed + (r.processingTime >= hours(6) && r.timestamp < hours(6) - minutes(2) ? 1 : 0) });
  }
  return totals;
}

export default function check(run: LessonRun): string[] {
  const results = run.sink('kwh-per-hour');
  if (results.length === 0) return ['nothing reached the sink "kwh-per-hour"'];
  for (const r of results) {
    if (r.window === undefined || r.window === 'global' || r.window.end - r.window.start !== HOUR) {
      return ['each result should be one meter\'s total for one hour: keep hourly windows'];
    }
  }
  const seed = run.trace[0]?.type === 'jobStarted' ? run.trace[0].seed : 13;
  const expected = batchTotals(seed);
  const got = new Map<string, number>();
  for (const r of results) got.set(`${String(r.key)}@${(r.window as { start: number }).start}`, r.value as number);

  const messages: string[] = [];
  const missing = [...expected.keys()].filter((at) => !got.has(at));
  const replayedMissing = missing.filter((at) => expected.get(at)!.replayed > 0);
  if (replayedMissing.length > 0) {
    const hoursMissing = new Set(replayedMissing.map((at) => Number(at.split('@')[1])));
    const example = Math.min(...[...hoursMissing].filter((h) => h >= 0), Number.POSITIVE_INFINITY);
    const shown = Number.isFinite(example) ? example : Math.min(...hoursMissing);
    messages.push(
      `the sink has no totals for ${hoursMissing.size} of the hours the backfill replayed (e.g. ${run.window({ start: shown, end: shown + HOUR })}): ` +
        'a replay must produce the results of the past hours as a batch job over the same readings would',
    );
  }
  for (const [at, value] of got) {
    const [meter, start] = at.split('@') as [string, string];
    const want = expected.get(at);
    if (want === undefined || Math.abs(want.kwh - value) > 0.0005) {
      const extra = [...expected].filter(([k, v]) => k.startsWith(`${meter}@`) && v.replayed > 0 && Number(k.split('@')[1]) !== Number(start)).length;
      messages.push(
        `${meter}'s hour ${run.window({ start: Number(start), end: Number(start) + HOUR })} totals ${value.toFixed(3)} kWh, but the readings measured in it add up to ${(want?.kwh ?? 0).toFixed(3)} kWh` +
          (extra > 0 && value > (want?.kwh ?? 0)
            ? `: the readings of ${extra} earlier hours, replayed from the log at 6:00, were counted in the hour the job read them. Windows on the processing clock give a different answer every time the log is replayed; group by when the meter measured.`
            : ''),
      );
      break;
    }
  }
  return messages.slice(0, 3);
}
