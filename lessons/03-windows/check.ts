// Checks lesson 3: for every cell, a count of ride requests over the last 5 minutes, one for
// every minute (sliding windows of 5 minutes every minute), each count right.
import { minutes, rideEvents, runPipeline } from 'brook';
import type { LessonRun } from '../../src/lessons/lesson-run.ts';

interface RideEvent {
  geohash: string;
  type: string;
}

const SIZE = minutes(5);
const SLIDE = minutes(1);

/** The ride requests the lesson's source produces: cell and event time. */
function requestsOf(seed: number) {
  const rides = rideEvents({ cells: 8, perSecond: 3, duration: minutes(20), spike: { at: minutes(8), length: minutes(4), perSecond: 30 } });
  const { records } = runPipeline((p) => p.generator(rides, { name: 'rides' }).sink('all'), { seed });
  return records
    .filter((r) => (r.value as RideEvent).type === 'request')
    .map((r) => ({ cell: (r.value as RideEvent).geohash, t: r.timestamp, delay: r.processingTime - r.timestamp }));
}

export default function check(run: LessonRun): string[] {
  const results = run.sink('requests-last-5-min');
  if (results.length === 0) return ['nothing reached the sink "requests-last-5-min"'];
  const windows = results.map((r) => r.window).filter((w) => w !== undefined && w !== 'global');
  if (windows.length !== results.length) return ['each result should be the count of one window: put the requests into time windows per cell'];
  const sizes = new Set(windows.map((w) => w.end - w.start));
  if (sizes.size !== 1 || !sizes.has(SIZE)) {
    return [`the windows are ${[...sizes].map((s) => s / 60000).join(', ')} minutes long; each count must cover the last 5 minutes`];
  }
  const starts = [...new Set(windows.map((w) => w.start))].sort((a, b) => a - b);
  const step = Math.min(...starts.slice(1).map((s, i) => s - starts[i]!));
  if (step !== SLIDE) {
    return [
      `a cell gets a new count only every ${step / 60000} minutes (windows start at ${starts.slice(0, 3).map(run.clock).join(', ')}, ...): ` +
        'pricing needs one every minute, each still covering 5 minutes — windows that overlap, one starting every minute',
    ];
  }

  const seed = run.trace[0]?.type === 'jobStarted' ? run.trace[0].seed : 3;
  const requests = requestsOf(seed);
  const messages: string[] = [];
  for (const r of results) {
    const w = r.window as { start: number; end: number };
    const inWindow = requests.filter((q) => q.cell === r.key && q.t >= w.start && q.t < w.end);
    // A few requests straggle in minutes late (lesson 6): they may miss windows that already fired.
    const stragglers = inWindow.filter((q) => q.delay > minutes(1)).length;
    const got = r.value as number;
    if (got > inWindow.length || got < inWindow.length - stragglers) {
      const expected = inWindow.length;
      messages.push(
        `cell ${r.key} had ${expected} ride requests in ${run.window(w)}, but the sink got ${got}` +
          (got > expected ? ': count only the requests, not drivers becoming available' : ': some requests of the window are missing'),
      );
      if (messages.length === 3) break;
    }
  }
  return messages;
}
