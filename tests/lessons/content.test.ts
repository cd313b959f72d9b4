// The repository's own lessons, glossary and guides pass `brook check`'s checks (the same
// function the command runs), and their pipeline files type-check against the real API.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContent, formatProblem, readContentFiles } from '../../src/cli/check-command.ts';
import { loadContent } from '../../src/lessons/load-content.ts';
import { brook, repoRoot } from '../cli/brook-cli.ts';
import { typeErrorsOf } from '../typecheck-pipelines.ts';

const { content } = loadContent(readContentFiles(repoRoot));

describe('the content in lessons/', () => {
  it('loads without a problem', () => {
    expect(loadContent(readContentFiles(repoRoot)).problems.map(formatProblem)).toEqual([]);
  });

  it('passes every check: solutions pass, starters fail, moments and links resolve, guides run', async () => {
    const report = await checkContent(repoRoot);
    expect(report.problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
    expect(report.lessons.map((o) => [o.lesson.folder, o.solutionPasses])).toEqual(content.lessons.map((l) => [l.folder, true]));
    for (const outcome of report.lessons) {
      if (outcome.lesson.starterFails) expect(outcome.starterMessages?.length, outcome.lesson.folder).toBeGreaterThan(0);
    }
  }, 120_000);

  it('type-checks every lesson and guide pipeline file and check against the API', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name));
        else if (entry.name.endsWith('.ts')) files.push(join(dir, entry.name));
      }
    };
    walk(join(repoRoot, 'lessons'));
    expect(files.length).toBeGreaterThan(0);
    expect(typeErrorsOf(files, repoRoot, '/lessons/', (f) => f.slice(repoRoot.length + 1))).toEqual([]);
  }, 60_000);

  it('`brook check` checks one lesson by id and exits 0', () => {
    const first = content.lessons[0]!;
    const run = brook(['check', first.id]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`ok   ${first.folder}  solution passes`);
    expect(run.status).toBe(0);
  }, 60_000);

  it('`brook check` names a lesson that does not exist and exits 1', () => {
    const run = brook(['check', 'no-such-lesson']);
    expect(run.stdout).toContain('lessons/:1: error: no lesson has the id or folder "no-such-lesson"');
    expect(run.status).toBe(1);
  }, 60_000);
});
