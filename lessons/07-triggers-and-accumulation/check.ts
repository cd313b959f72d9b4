// Checks lesson 7: the pricing dashboard adds up every value it reads from "demand" per cell
// and window (subtracting retractions). Its sums must equal each window's ride requests, and
// it must get early estimates before windows close.
import { minutes, rideEvents, runPipeline } from 'brook';
import type { LessonRun } from '../../src/lessons/lesson-run.ts';

const SIZE = minutes(5);

/** Ride requests per cell and 5-minute window, from the lesson's source and seed. */
function requestsOf(seed: number): Map<string, number> {
  const rides = rideEvents({ cells: 8, perSecond: 3, duration: minutes(20), spike: { at: minutes(8), length: minutes(4), perSecond: 30 } });
  const { records } = runPipeline((p) => p.generator(rides, { name: 'rides' }).sink('all'), { seed });
  const counts = new Map<string, number>();
  for (const r of records) {
    const event = r.value as { geohash: string; type: string };
    if (event.type !== 'request') continue;
    const at = `${event.geohash}@${Math.floor(r.timestamp / SIZE) * SIZE}`;
    counts.set(at, (counts.get(at) ?? 0) + 1);
  }
  return counts;
}

export default function check(run: LessonRun): string[] {
  const results = run.sink('demand');
  if (results.length === 0) return ['nothing reached the sink "demand"'];
  for (const r of results) {
    if (r.window === undefined || r.window === 'global' || r.window.end - r.window.start !== SIZE) {
      return ['each result should be a count for one cell and one 5-minute window: keep the tumbling windows of 5 minutes'];
    }
  }
  const early = results.filter((r) => r.pane?.timing === 'EARLY');
  if (early.length === 0) {
    return ['the dashboard got no early estimates: every count came out only when its window closed. Keep the early firings, a pane 30 s after new requests arrive'];
  }

  // What the dashboard shows: the sum of everything it read, retractions subtracted.
  const shown = new Map<string, { total: number; panes: number; values: number[] }>();
  for (const r of results) {
    const at = `${String(r.key)}@${(r.window as { start: number }).start}`;
    const entry = shown.get(at) ?? { total: 0, panes: 0, values: [] };
    entry.total += r.retraction ? -(r.value as number) : (r.value as number);
    if (!r.retraction) {
      entry.panes++;
      entry.values.push(r.value as number);
    }
    shown.set(at, entry);
  }

  const seed = run.trace[0]?.type === 'jobStarted' ? run.trace[0].seed : 7;
  const messages: string[] = [];
  const dropped = run.drops();
  for (const [at, requests] of requestsOf(seed)) {
    const [cell, start] = at.split('@') as [string, string];
    const window = run.window({ start: Number(start), end: Number(start) + SIZE });
    const got = shown.get(at);
    if (got === undefined || got.total === requests) continue;
    if (got.total > requests) {
      messages.push(
        `cell ${cell} had ${requests} requests in ${window}, but the dashboard, adding up the ${got.panes} panes it received (${got.values.slice(0, 5).join(' + ')}${got.values.length > 5 ? ' + ...' : ''}), shows ${got.total}: ` +
          (messages.length === 0
            ? 'each pane repeats everything counted before it. Either send only what is new since the previous pane, or withdraw the previous result before sending the new one.'
            : 'the same mistake.'),
      );
    } else {
      const lost = dropped.filter((d) => d.key === cell && d.windows.some((w) => w.start === Number(start))).length;
      messages.push(
        `cell ${cell} had ${requests} requests in ${window}, but the dashboard shows ${got.total}` +
          (lost > 0 ? `: ${lost} late request${lost === 1 ? ' was' : 's were'} dropped after the window closed (keep 5 minutes of allowed lateness and the late firings)` : ''),
      );
    }
    if (messages.length === 3) break;
  }
  return messages;
}
