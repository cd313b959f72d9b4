// Checks lesson 10 from a run with two crashes: what the billing database ("invoice-lines")
// holds afterwards must be exactly what it holds after the same run without crashes — no line
// billed twice, none missing.
import type { LessonRun } from '../../src/lessons/lesson-run.ts';

interface Line {
  key: string | number | null;
  value: unknown;
  window?: { start: number; end: number } | 'global';
}

export default function check(run: LessonRun): string[] {
  const durable = run.durable;
  if (durable === undefined) return ['this lesson runs with checkpoints and crashes: run it with its own settings'];
  const stored = durable.stored['invoice-lines'];
  if (stored === undefined || stored.length === 0) return ['nothing reached the billing database: write the totals with .sinkTo(\'invoice-lines\', { guarantee: ... })'];
  const report = durable.delivery.find((d) => d.sink === 'invoice-lines');
  if (report === undefined) return ['the run had no crash to compare against: keep the lesson\'s planned crashes'];
  if (report.exact) return [];

  const crashes = run.trace.filter((e) => e.type === 'jobCrashed').map((e) => run.clock(e.pt));
  const minute = (l: Line) => (l.window && l.window !== 'global' ? run.window(l.window) : 'the global window');
  const messages: string[] = [];

  // The same line written more often than without crashes: billed twice.
  const twice = report.duplicated.filter((d) => d.expected > 0);
  if (twice.length > 0) {
    const extra = twice.reduce((n, d) => n + (d.actual - d.expected) * Number(d.record.value), 0);
    const first = twice[0]!.record as Line;
    messages.push(
      `after the crashes (at ${crashes.join(' and ')}) the billing database holds ${report.duplicates} invoice lines twice, ${extra} API calls billed a second time: ` +
        `e.g. ${String(first.key)}'s ${String(first.value)} calls in ${minute(first)}. ` +
        'The job replays everything since its last checkpoint, and this sink writes again what it had already written. ' +
        'Make the writes part of the checkpoint (a transaction committed when it completes), or make a repeated write overwrite the same row.',
    );
  }
  // Lines missing, or written with a different total (state lost in the crash): billed wrongly.
  const missing = report.lost;
  if (missing.length > 0) {
    const first = missing[0]!.record as Line;
    const instead = report.duplicated.find((d) => d.expected === 0 && d.record.key === first.key && JSON.stringify(d.record.window) === JSON.stringify(first.window));
    messages.push(
      `after the crashes (at ${crashes.join(' and ')}) ${report.losses} invoice lines are missing or wrong: ${String(first.key)} made ${String(first.value)} API calls in ${minute(first)}, ` +
        `but the billing database ${instead ? `bills ${String(instead.record.value)}` : 'has no line for it'}. ` +
        'A sink that never repeats anything loses what was in flight, and the job restarted without its state. Billing needs every call exactly once.',
    );
  }
  return messages.length > 0 ? messages : [`the billing database differs from the run without crashes (${report.duplicates} extra, ${report.losses} missing lines)`];
}
