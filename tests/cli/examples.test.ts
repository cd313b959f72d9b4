import { typeErrorsOf } from '../typecheck-pipelines.ts';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brook, repoRoot } from './brook-cli.ts';

/** The lines a run should print, one sink record each. */
function lines(...records: object[]): string {
  return records.map((r) => JSON.stringify(r) + '\n').join('');
}

const onTime = (isLast: boolean) => ({ timing: 'ON_TIME', index: 0, onTimeIndex: 0, isFirst: true, isLast });

describe('the examples run as the README says', () => {
  it('word-count.ts counts words per 10-second window', () => {
    const run = brook(['run', 'examples/word-count.ts']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const first = { start: 0, end: 10_000 };
    const second = { start: 10_000, end: 20_000 };
    const count = (key: string, value: number, window: typeof first) => ({
      sink: 'word-counts',
      key,
      value,
      timestamp: window.end - 1,
      window,
      pane: onTime(true),
      processingTime: window.end,
    });
    expect(run.stdout).toBe(
      lines(
        count('quick', 1, first),
        count('brown', 1, first),
        count('fox', 2, first),
        count('lazy', 1, first),
        count('dog', 2, first),
        count('sleeps', 1, first),
        count('jumps', 1, first),
        count('dog', 2, second),
        count('wakes', 1, second),
        count('up', 1, second),
        count('chases', 1, second),
        count('fox', 1, second),
      ),
    );
  });

  it('sessions.ts gives early, on-time and late panes, and drops what is too late', () => {
    const run = brook(['run', 'examples/sessions.ts', '--input', 'examples/sessions-input.json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const alice = { start: 30_000, end: 480_000 };
    const bob = { start: 60_000, end: 360_000 };
    const pane = (timing: string, index: number, onTimeIndex: number) => ({
      timing,
      index,
      onTimeIndex,
      isFirst: index === 0,
      isLast: false,
    });
    const score = (key: string, value: number, window: typeof bob, p: object, processingTime: number) => ({
      sink: 'session-scores',
      key,
      value,
      timestamp: window.end - 1,
      window,
      pane: p,
      processingTime,
    });
    expect(run.stdout).toBe(
      lines(
        // The early delay (1 minute after the first score, pt 0) fires once the clock is past pt 60000,
        // at 60001 (Beam's isAfter): the script's step to pt 60000 is not enough. By then alice's
        // second score, added at pt 60000, has merged her sessions into one window, whose early
        // delay is the earliest of the merged ones; bob's timer was set first, so he comes first.
        score('bob', 3, bob, pane('EARLY', 0, -1), 60_001),
        score('alice', 7, alice, pane('EARLY', 0, -1), 60_001),
        score('bob', 3, bob, pane('ON_TIME', 1, 0), 120_000),
        score('alice', 7, alice, pane('ON_TIME', 1, 0), 120_000),
        score('alice', 11, alice, pane('LATE', 2, 1), 120_000),
      ),
    );
  });

  it('late-data.ts updates a window with late views, then sends later ones to a side output', () => {
    const run = brook(['run', 'examples/late-data.ts', '--input', 'examples/late-data-input.json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const first = { start: 0, end: 60_000 };
    expect(run.stdout).toBe(
      lines(
        { sink: 'view-counts', key: '/home', value: 2, timestamp: 59_999, window: first, pane: onTime(false), processingTime: 60_000 },
        { sink: 'view-counts', key: '/pricing', value: 1, timestamp: 59_999, window: first, pane: onTime(false), processingTime: 60_000 },
        {
          sink: 'view-counts',
          key: '/home',
          value: 3,
          timestamp: 59_999,
          window: first,
          pane: { timing: 'LATE', index: 1, onTimeIndex: 1, isFirst: false, isLast: false },
          processingTime: 60_000,
        },
        { sink: 'late-views', key: '/pricing', value: { page: '/pricing', user: 'eve' }, timestamp: 40_000, processingTime: 90_000 },
        {
          sink: 'view-counts',
          key: '/home',
          value: 1,
          timestamp: 119_999,
          window: { start: 60_000, end: 120_000 },
          pane: onTime(false),
          processingTime: 120_000,
        },
      ),
    );
  });

  it('alerts.ts alerts when a tracker has been silent for 30 seconds', () => {
    const run = brook(['run', 'examples/alerts.ts']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      lines(
        { sink: 'alerts', key: 'bob', value: { runner: 'bob', lastSeenAt: 20_000, lastKm: 0.8 }, timestamp: 50_000, processingTime: 60_000 },
        // The end of the input takes the watermark to +infinity: alice's last deadline passes too.
        { sink: 'alerts', key: 'alice', value: { runner: 'alice', lastSeenAt: 80_000, lastKm: 4 }, timestamp: 110_000, processingTime: 90_000 },
      ),
    );
  });

  it('every example type-checks against the real API', () => {
    const examples = readdirSync(join(repoRoot, 'examples'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(repoRoot, 'examples', f));
    expect(examples.length).toBeGreaterThanOrEqual(4);
    const problems = typeErrorsOf(examples, repoRoot, '/examples/');
    expect(problems).toEqual([]);
  });
});
