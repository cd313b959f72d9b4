// Checks lesson 6: every customer's 10-minute total of API calls in "api-calls" is corrected
// by late usage for 10 minutes after the window ends and final after that; later usage reaches
// "late-usage"; nothing is dropped. Together, the two sinks bill every call exactly once.
import { minutes, runPipeline, usageEvents } from 'brook';
import type { LessonRun } from '../../src/lessons/lesson-run.ts';

const SIZE = minutes(10);
const LATENESS = minutes(10);

interface Usage {
  eventId: string;
  customer: string;
  metric: string;
  units: number;
}

/** Every API-call event of the lesson's source: its customer, event time, arrival and units. */
function callsOf(seed: number) {
  const usage = usageEvents({ customers: 20, perSecond: 5, duration: minutes(40), lateFraction: 0.03 });
  const { records } = runPipeline((p) => p.generator(usage, { name: 'usage' }).sink('all'), { seed });
  return records
    .map((r) => ({ usage: r.value as Usage, t: r.timestamp, arrival: r.processingTime }))
    .filter((x) => x.usage.metric === 'api_calls');
}

const startOf = (t: number) => Math.floor(t / SIZE) * SIZE;

export default function check(run: LessonRun): string[] {
  const totals = run.sink('api-calls');
  if (totals.length === 0) return ['nothing reached the sink "api-calls"'];
  for (const r of totals) {
    if (r.window === undefined || r.window === 'global' || r.window.end - r.window.start !== SIZE) {
      return ['each result in "api-calls" should be one customer\'s total for 10 minutes: keep the 10-minute tumbling window'];
    }
  }
  const seed = run.trace[0]?.type === 'jobStarted' ? run.trace[0].seed : 6;
  const calls = callsOf(seed);
  const messages: string[] = [];

  const drops = run.drops();
  if (drops.length > 0) {
    const lost = calls.filter((c) => drops.some((d) => d.key === c.usage.customer && d.eventTime === c.t));
    const units = lost.reduce((n, c) => n + c.usage.units, 0);
    const first = drops.find((d) => d.eventTime >= 0) ?? drops[0]!;
    messages.push(
      `${drops.length} usage events (${units} API calls from ${new Set(lost.map((c) => c.usage.customer)).size} customers) were dropped as late, so nobody is billed for them: ` +
        `e.g. ${String(first.key)}'s usage from ${run.clock(first.eventTime)} arrived at ${run.clock(first.pt)}, when the watermark was already at ${run.clock(first.watermark)}. ` +
        'Keep each window open for late usage for 10 minutes after it ends, and send what comes later still to a side output instead of dropping it.',
    );
  }

  // Examples from windows after the job started read better: try those first.
  const byStart = <T extends { eventTime?: number; window?: { start: number } }>(xs: T[]) =>
    [...xs].sort((a, b) => Number((a.eventTime ?? a.window!.start) < 0) - Number((b.eventTime ?? b.window!.start) < 0));
  for (const late of byStart(run.late())) {
    const end = startOf(late.eventTime) + SIZE;
    if (late.watermark - (end - 1) < LATENESS) {
      messages.push(
        `${String(late.key)}'s usage from ${run.clock(late.eventTime)} went to the side output at ${run.clock(late.pt)}, only ${run.clock(late.watermark - end + 1)} after its window ` +
          `${run.window({ start: end - SIZE, end })} closed: the invoice run reads totals 10 minutes after a window ends, so this call should still correct the total (allowed lateness of 10 minutes)`,
      );
      break;
    }
  }
  for (const pane of byStart(run.panes())) {
    if (pane.pane.timing === 'LATE' && pane.watermark - (pane.window.end - 1) >= LATENESS) {
      messages.push(
        `${String(pane.key)}'s total for ${run.window(pane.window)} was corrected at ${run.clock(pane.pt)}, ${run.clock(pane.watermark - pane.window.end + 1)} after the window ended, ` +
          'but the invoice run has read it by then: allow 10 minutes of lateness, no more, and send later usage to the side output "late-usage"',
      );
      break;
    }
  }
  if (messages.length > 0) return messages.slice(0, 3);

  // Every call billed exactly once: in its window's final total, or in late-usage.
  const lateUsage = run.sink('late-usage');
  const expected = new Map<string, number>();
  for (const c of calls) {
    const at = `${c.usage.customer}@${startOf(c.t)}`;
    expected.set(at, (expected.get(at) ?? 0) + c.usage.units);
  }
  const billed = new Map<string, number>();
  for (const r of totals) billed.set(`${String(r.key)}@${(r.window as { start: number }).start}`, r.value as number);
  for (const r of lateUsage) {
    const u = r.value as Usage;
    const at = `${u.customer}@${startOf(r.timestamp)}`;
    billed.set(at, (billed.get(at) ?? 0) + u.units);
  }
  if (run.late().length > 0 && lateUsage.length === 0) {
    return [`${run.late().length} late usage events went to the side output, but no sink "late-usage" reads it: add calls.getSideOutput(tag).sink('late-usage')`];
  }
  for (const [at, units] of expected) {
    const got = billed.get(at) ?? 0;
    if (got !== units) {
      const [customer, start] = at.split('@') as [string, string];
      const sideOutput = run.late().filter((l) => l.key === customer && startOf(l.eventTime) === Number(start)).length;
      messages.push(
        `${customer} made ${units} API calls in ${run.window({ start: Number(start), end: Number(start) + SIZE })}, but the final total plus "late-usage" bill ${got}` +
          (sideOutput > 0 ? ` (${sideOutput} of its events went to the side output)` : ''),
      );
      if (messages.length === 3) break;
    }
  }
  return messages;
}
