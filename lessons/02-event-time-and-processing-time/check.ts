// Checks lesson 2: every meter's hourly total in "kwh-per-hour" adds up the readings measured
// in that hour (event time), whenever they arrived.
import { boundedOutOfOrderness, hours, minutes, runPipeline, seconds, smartMeterReadings } from 'brook';
import type { LessonRun } from '../../src/lessons/lesson-run.ts';

interface Reading {
  meter: string;
  kwh: number;
}

const HOUR = hours(1);

/** The readings the lesson's source produces, with their event time and arrival. */
function readingsOf(seed: number) {
  const meters = smartMeterReadings({
    meters: 6,
    duration: hours(4),
    outages: [{ from: minutes(40), length: minutes(45) }],
    uploadDelay: { kind: 'uniform', min: seconds(1), max: minutes(2) },
  });
  const { records } = runPipeline((p) => p.generator(meters, { name: 'readings', watermarks: boundedOutOfOrderness(minutes(2)) }).sink('all'), { seed });
  return records.map((r) => ({ reading: r.value as Reading, timestamp: r.timestamp, arrival: r.processingTime }));
}

export default function check(run: LessonRun): string[] {
  const results = run.sink('kwh-per-hour');
  if (results.length === 0) return ['nothing reached the sink "kwh-per-hour"'];
  const seed = run.trace[0]?.type === 'jobStarted' ? run.trace[0].seed : 2;
  const readings = readingsOf(seed);

  const messages: string[] = [];
  for (const r of results) {
    if (r.window === undefined || r.window === 'global' || r.window.end - r.window.start !== HOUR) {
      return ['each result should be one meter\'s total for one hour: keep the hourly tumbling window'];
    }
    const { start, end } = r.window;
    const measured = readings.filter((x) => x.reading.meter === r.key && x.timestamp >= start && x.timestamp < end);
    const expected = measured.reduce((sum, x) => sum + x.reading.kwh, 0);
    if (Math.abs(expected - (r.value as number)) > 0.0005) {
      const arrivedHere = readings.filter((x) => x.reading.meter === r.key && x.arrival >= start && x.arrival < end && (x.timestamp < start || x.timestamp >= end));
      const movedOut = measured.filter((x) => x.arrival >= end);
      const tooHigh = (r.value as number) > expected;
      const why =
        tooHigh && arrivedHere.length > 0
          ? `${arrivedHere.length} reading${arrivedHere.length === 1 ? '' : 's'} measured earlier (e.g. at ${run.clock(arrivedHere[0]!.timestamp)}) arrived in this hour and ${arrivedHere.length === 1 ? 'was' : 'were'} counted here`
          : !tooHigh && movedOut.length > 0
            ? `${movedOut.length} reading${movedOut.length === 1 ? '' : 's'} measured in this hour arrived after it (e.g. measured at ${run.clock(movedOut[0]!.timestamp)}, arrived at ${run.clock(movedOut[0]!.arrival)}) and ${movedOut.length === 1 ? 'was' : 'were'} counted in a later hour`
            : 'the readings were grouped by something other than when they were measured';
      messages.push(
        `${r.key}'s hour ${run.window(r.window)} totals ${(r.value as number).toFixed(3)} kWh, but the readings measured in it add up to ${expected.toFixed(3)} kWh: ${why}` +
          (messages.length === 0 ? '. Group readings by event time (when the meter measured), not by when they arrived.' : '.'),
      );
      if (messages.length === 3) break;
    }
  }
  const hoursBilled = new Set(results.map((r) => `${r.key}@${JSON.stringify(r.window)}`)).size;
  const expectedHours = new Set(readings.map((x) => `${x.reading.meter}@${JSON.stringify({ start: Math.floor(x.timestamp / HOUR) * HOUR, end: Math.floor(x.timestamp / HOUR) * HOUR + HOUR })}`)).size;
  if (messages.length === 0 && hoursBilled !== expectedHours) {
    messages.push(`the sink holds ${hoursBilled} meter-hours, but readings were measured in ${expectedHours}: every meter needs a total for every hour it measured in`);
  }
  return messages;
}
