// Runs the real `brook` command line in a child process, as a user would, for the CLI tests.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface BrookRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `node bin/brook.mjs ...args` in `cwd` (the repository root unless given). */
export function brook(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): BrookRun {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin/brook.mjs'), ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    env: { ...process.env, BROOK_DEBUG: '', ...options.env },
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary folder and a function that writes files into it. */
export function scratchFolder(prefix: string): { dir: string; write: (name: string, lines: string[] | string) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(name, lines) {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, typeof lines === 'string' ? lines : lines.join('\n') + '\n');
      return path;
    },
  };
}
