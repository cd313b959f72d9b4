// The snapshot-write comparison in Chromium, from `npm run bench`: runs
// scripts/bench-durability.mjs (the same workload against Chromium's real IndexedDB, where a
// bulk write costs what a disk write costs, unlike fake-indexeddb) as a child process on a free
// port, prints its lines and closes with `ratio snapshot/bulk-write X` from it. Without a
// Chromium (Debian's /usr/bin/chromium or Playwright's) it says why the comparison was skipped.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ChromiumSnapshotWriteOptions {
  readonly keys: number;
  readonly repetitions: number;
  readonly seed: number;
  readonly verbose: boolean;
}

/** What the Chromium run gave: its ratio, or why there is none. */
export interface ChromiumSnapshotWriteReport {
  readonly ratio?: number;
  readonly skipped?: string;
  /** The run failed or its writes disagreed. */
  readonly failed: boolean;
}

/** The script is run as a child process, not imported: src/cli imports nothing outside src/. */
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'scripts', 'bench-durability.mjs');
const RATIO_LINE = /^ratio snapshot\/bulk-write \(chromium indexeddb\) (\d+\.\d+)$/;

/** The Chromium the script would launch, or undefined. */
async function findChromium(): Promise<string | undefined> {
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  try {
    const { chromium } = await import('@playwright/test');
    const path = chromium.executablePath();
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the Chromium comparison, printing its lines and the closing ratio line. */
export async function runChromiumSnapshotWrite(options: ChromiumSnapshotWriteOptions, print: (line: string) => void): Promise<ChromiumSnapshotWriteReport> {
  const browser = await findChromium();
  if (browser === undefined) {
    const skipped = 'no Chromium found (neither /usr/bin/chromium nor Playwright\'s: npx playwright install chromium)';
    print(`ratio snapshot/bulk-write: skipped in Chromium, ${skipped}`);
    return { skipped, failed: false };
  }
  const args = [SCRIPT, '--port', '0', '--keys', String(options.keys), '--repetitions', String(options.repetitions), '--seed', String(options.seed)];
  if (options.verbose) args.push('--verbose');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  let ratio: number | undefined;
  for (const line of out.split('\n').filter((l) => l.length > 0)) {
    const m = RATIO_LINE.exec(line);
    if (m) ratio = Number(m[1]);
    else print(line);
  }
  if (code !== 0 || ratio === undefined) {
    const why = (err.trim().split('\n').pop() ?? '') || `exit status ${code}`;
    print(`ratio snapshot/bulk-write: none from Chromium (${why})`);
    return { failed: true };
  }
  // The closing line the issue asks for, from the real IndexedDB (the fake-indexeddb one is labelled).
  print(`ratio snapshot/bulk-write ${ratio.toFixed(2)}`);
  return { ratio, failed: false };
}
