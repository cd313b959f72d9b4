import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/lessons/load-content.ts';
import { verifyContent } from '../../src/lessons/verify-content.ts';
import { files, LESSON_MD, MODULES, starter } from './fixture.ts';

async function verify(overrides: Record<string, string | undefined> = {}, modules: Record<string, unknown> = MODULES) {
  const { content, problems } = loadContent(files(overrides));
  expect(problems).toEqual([]);
  return verifyContent(content, (file) => modules[file.text]);
}

const lines = (report: Awaited<ReturnType<typeof verify>>) => report.problems.map((p) => `${p.file}:${p.line}: ${p.severity}: ${p.message}`);

describe('verifying content headless', () => {
  it('passes a lesson whose solution passes and whose starter fails, and reports untaught terms as a warning', async () => {
    const report = await verify();
    expect(lines(report)).toEqual([
      'lessons/glossary/:1: warning: 1 glossary term is taught by no lesson (list it in a lesson\'s terms) — a warning until all 14 lessons exist (1 do): pane',
    ]);
    expect(report.lessons.map((o) => [o.lesson.id, o.solutionPasses, o.starterMessages, o.timelineEnd])).toEqual([
      ['counting', true, ['no window fired: group the clicks into 10-second windows'], 10_000],
    ]);
    expect(report.guidesRun).toBe(1);
  });

  it('says when the starter passes although the lesson says it fails', async () => {
    const report = await verify({}, { ...MODULES, starter: MODULES['solution'] });
    expect(lines(report)[0]).toBe(
      'lessons/01-counting/starter.ts:1: error: the starter passes the check, but the lesson says it fails (starterFails: true): the exercise has nothing to fix',
    );
  });

  it('says when the solution fails its own check, with the check\'s messages', async () => {
    const report = await verify({}, { ...MODULES, solution: starter });
    expect(lines(report)[0]).toBe(
      'lessons/01-counting/solution.ts:1: error: the solution fails its own check:\n    - no window fired: group the clicks into 10-second windows',
    );
  });

  it('reports a moment after the end of the solution\'s run, and links that resolve to nothing', async () => {
    const md = LESSON_MD.replace('moment:0:00:10', 'moment:0:01:00').replace('glossary:window', 'glossary:windows') + '\nAlso [a guide](guide:nope) and [a lesson](lesson:nope).';
    const report = await verify({ '/lessons/01-counting/lesson.md': md });
    expect(lines(report).slice(0, 4)).toEqual([
      'lessons/01-counting/lesson.md:13: error: the moment 0:01:00 lies after the end of the run (0:00:10): it would open an empty timeline',
      'lessons/01-counting/lesson.md:13: error: [window](glossary:windows): there is no glossary entry lessons/glossary/windows.md',
      'lessons/01-counting/lesson.md:14: error: [a guide](guide:nope): there is no guide lessons/guides/nope.md',
      'lessons/01-counting/lesson.md:14: error: [a lesson](lesson:nope): no lesson has the id "nope"',
    ]);
  });

  it('reports a glossary link to a lesson moment outside that lesson\'s run', async () => {
    const entry = files()['/lessons/glossary/pane.md']!.replace('lesson:counting@0:00:05', 'lesson:counting@0:05:00');
    const report = await verify({ '/lessons/glossary/pane.md': entry });
    expect(lines(report)[0]).toBe(
      "lessons/glossary/pane.md:11: error: the moment 0:05:00 lies after the end of lesson counting's solution (0:00:10): it would open an empty timeline",
    );
  });

  it('reports a starter that throws, and a check that fails without a message', async () => {
    const throwing = () => {
      throw new Error('boom');
    };
    expect(lines(await verify({}, { ...MODULES, starter: throwing }))[0]).toBe(
      'lessons/01-counting/starter.ts:1: error: the starter does not run, so the check cannot tell the learner what to fix: boom',
    );
    const silent = () => ({ pass: false, messages: [] });
    expect(lines(await verify({}, { ...MODULES, check: silent }))[0]).toBe(
      'lessons/01-counting/check.ts:1: error: the check failed without a message: a learner needs to be told what is wrong',
    );
  });
});
