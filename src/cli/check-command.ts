// `brook check [LESSON_ID...]`: reads lessons/ from the repository, loads every lesson, glossary
// entry and guide (src/lessons/load-content.ts), and runs the content checks headless
// (src/lessons/verify-content.ts): solutions pass, starters fail where they should, moments and
// links resolve, guides run, terms are taught. Prints one line per lesson and every problem as
// file:line; the exit status is 1 when there is an error (warnings do not count).

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { ContentProblem } from '../lessons/lesson.ts';
import type { CheckArgs } from './args.ts';
import { loadContent } from '../lessons/load-content.ts';
import { verifyContent, type VerifyReport } from '../lessons/verify-content.ts';
import { formatError } from './errors.ts';
import type { PipelineLoader } from './load-pipeline.ts';
import { createPipelineLoader } from './run-command.ts';

/** Reads every text file under `root/lessons` as the loader's file map (paths from `root`). */
export function readContentFiles(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(md|ts|json)$/.test(entry.name)) files[relative(root, path).split(sep).join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(join(root, 'lessons'));
  return files;
}

/** Loads and verifies the content under `root`; what `brook check` and the tests run. */
export async function checkContent(root: string, only: readonly string[] = [], loader: PipelineLoader = createPipelineLoader()): Promise<VerifyReport> {
  const { content, problems } = loadContent(readContentFiles(root));
  const report = await verifyContent(content, (file) => loader.loadPipeline(resolve(root, file.path)), {
    ...(only.length > 0 && { only }),
    describeError: (error) => formatError(error, { cwd: root, debug: false, loader }).trim(),
  });
  return { ...report, problems: [...problems, ...report.problems] };
}

/** Formats a problem as the command prints it. */
export function formatProblem(problem: ContentProblem): string {
  return `${problem.file}:${problem.line}: ${problem.severity}: ${problem.message}`;
}

/** Runs the command; returns the exit status. */
export async function checkCommand(args: CheckArgs, context: { readonly cwd: string; readonly out: (text: string) => void }): Promise<number> {
  const report = await checkContent(context.cwd, args.lessons);
  const errors = report.problems.filter((p) => p.severity === 'error');
  const failedFiles = new Set(errors.map((p) => p.file));
  for (const outcome of report.lessons) {
    const { lesson } = outcome;
    const own = [lesson.file, lesson.starter.path, lesson.solution.path, lesson.check.path].some((f) => failedFiles.has(f));
    const starter = lesson.exercise
      ? outcome.starterMessages
        ? `; starter fails as intended (${outcome.starterMessages.length} message${outcome.starterMessages.length === 1 ? '' : 's'})`
        : '; starter passes'
      : '';
    context.out(`${own ? 'FAIL' : 'ok  '} ${lesson.folder}  ${outcome.solutionPasses ? 'solution passes' : 'solution does not pass'}${starter}\n`);
  }
  if (args.lessons.length === 0) context.out(`guides run: ${report.guidesRun}\n`);
  for (const problem of report.problems) context.out(formatProblem(problem) + '\n');
  const warnings = report.problems.length - errors.length;
  context.out(
    `\n${report.lessons.length} lesson${report.lessons.length === 1 ? '' : 's'} checked: ` +
      `${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`,
  );
  return errors.length > 0 ? 1 : 0;
}
