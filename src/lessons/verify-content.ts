// The content checks `brook check` and the test suite run: every solution passes its check,
// every exercise's starter fails it (where the lesson says so), every moment lies within the
// solution's run, every glossary, lesson and guide link resolves, every guide's pipeline runs,
// and every glossary term is taught. Invariant: modules are loaded through the function it is
// handed, so the same checks run under Node (brook check) and anywhere else.

import type { PipelineBuilder } from '../engine/api/run-pipeline.ts';
import type { Content, ContentFile, ContentProblem, Guide, Lesson } from './lesson.ts';
import { verdictOf, type LessonCheck, type LessonRun } from './lesson-run.ts';
import { formatClock, type ContentLink } from './links.ts';
import { isRunFailure, runLesson } from './run-lesson.ts';

/** The number of lessons in the curriculum (issue 5): until they all exist, untaught terms are warnings. */
export const CURRICULUM_SIZE = 14;

/** Loads a content file's module and returns its default export; throws what loading threw. */
export type DefaultExportLoader = (file: ContentFile) => Promise<unknown> | unknown;

export interface VerifyOptions {
  /** Only these lesson ids (or folder names); glossary and guides are then skipped. */
  readonly only?: readonly string[];
  /** Turns a thrown error (a compile error, a user code error) into a message. */
  readonly describeError?: (error: unknown) => string;
}

export interface LessonOutcome {
  readonly lesson: Lesson;
  readonly solutionPasses: boolean;
  /** What the check told the learner about the starter (exercises only). */
  readonly starterMessages?: readonly string[];
  readonly timelineEnd?: number;
}

export interface VerifyReport {
  readonly problems: ContentProblem[];
  readonly lessons: LessonOutcome[];
  readonly guidesRun: number;
  readonly untaughtTerms: readonly string[];
}

/** Runs every check over `content`; problems are returned, never thrown. */
export async function verifyContent(content: Content, load: DefaultExportLoader, options: VerifyOptions = {}): Promise<VerifyReport> {
  const describe = options.describeError ?? ((e: unknown) => (e instanceof Error ? e.message : String(e)).trim());
  const problems: ContentProblem[] = [];
  const error = (file: string, line: number, message: string) => problems.push({ file, line, message, severity: 'error' });
  const only = options.only;
  const selected = only ? content.lessons.filter((l) => only.includes(l.id) || only.includes(l.folder)) : content.lessons;
  for (const id of only ?? []) {
    if (!content.lessons.some((l) => l.id === id || l.folder === id)) error('lessons/', 1, `no lesson has the id or folder "${id}"`);
  }

  const loadAs = async <T>(file: ContentFile, what: string): Promise<T | undefined> => {
    try {
      const value = await load(file);
      if (typeof value !== 'function') {
        error(file.path, 1, `must \`export default\` ${what}`);
        return undefined;
      }
      return value as T;
    } catch (e) {
      error(file.path, 1, describe(e));
      return undefined;
    }
  };

  const outcomes: LessonOutcome[] = [];
  const timelines = new Map<string, number>();
  for (const lesson of selected) {
    const outcome = await verifyLesson(lesson, loadAs, describe, error);
    outcomes.push(outcome);
    if (outcome.timelineEnd !== undefined) timelines.set(lesson.id, outcome.timelineEnd);
  }

  const glossaryIds = new Set(content.glossary.map((g) => g.id));
  const lessonIds = new Set(content.lessons.map((l) => l.id));
  const guideIds = new Set(content.guides.map((g) => g.id));
  const checkLinks = (file: string, links: readonly ContentLink[], ownEnd: number | undefined) => {
    for (const link of links) {
      if (link.kind === 'glossary' && !glossaryIds.has(link.term)) {
        error(file, link.line, `[${link.label}](glossary:${link.term}): there is no glossary entry lessons/glossary/${link.term}.md`);
      } else if (link.kind === 'guide' && !guideIds.has(link.guide)) {
        error(file, link.line, `[${link.label}](guide:${link.guide}): there is no guide lessons/guides/${link.guide}.md`);
      } else if (link.kind === 'lesson') {
        if (!lessonIds.has(link.lesson)) error(file, link.line, `[${link.label}](lesson:${link.lesson}): no lesson has the id "${link.lesson}"`);
        else if (link.moment) checkMoment(file, link.line, link.moment.text, link.moment.t, timelines.get(link.lesson), `lesson ${link.lesson}'s solution`);
      } else if (link.kind === 'moment') {
        checkMoment(file, link.line, link.moment.text, link.moment.t, ownEnd, 'the run');
      }
    }
  };
  const checkMoment = (file: string, line: number, text: string, t: number, end: number | undefined, whose: string) => {
    if (end === undefined) return; // that run failed (reported) or was not selected
    if (t > end) error(file, line, `the moment ${text} lies after the end of ${whose} (${formatClock(end)}): it would open an empty timeline`);
  };
  const checkTerms = (file: string, terms: readonly string[], line: number) => {
    for (const term of terms) {
      if (!glossaryIds.has(term)) error(file, line, `terms: "${term}" has no glossary entry lessons/glossary/${term}.md`);
    }
  };

  for (const outcome of outcomes) {
    checkLinks(outcome.lesson.file, outcome.lesson.links, outcome.timelineEnd);
    checkTerms(outcome.lesson.file, outcome.lesson.terms, outcome.lesson.fieldLines['terms'] ?? 1);
  }

  let guidesRun = 0;
  let untaughtTerms: string[] = [];
  if (!only) {
    for (const entry of content.glossary) {
      for (const related of entry.related) {
        if (!glossaryIds.has(related)) error(entry.file, entry.relatedLine, `related: "${related}" has no glossary entry`);
        if (related === entry.id) error(entry.file, entry.relatedLine, 'related: an entry is not related to itself');
      }
      checkLinks(entry.file, entry.links, undefined);
    }
    for (const guide of content.guides) {
      const end = await verifyGuide(guide, loadAs, describe, error);
      if (end !== undefined) guidesRun++;
      checkLinks(guide.file, guide.links, end);
      checkTerms(guide.file, guide.terms, guide.fieldLines['terms'] ?? 1);
    }
    const taught = new Set(content.lessons.flatMap((l) => l.terms));
    untaughtTerms = content.glossary.filter((g) => !taught.has(g.id)).map((g) => g.id);
    if (untaughtTerms.length > 0) {
      const complete = content.lessons.length >= CURRICULUM_SIZE;
      problems.push({
        file: 'lessons/glossary/',
        line: 1,
        severity: complete ? 'error' : 'warning',
        message:
          `${untaughtTerms.length} glossary term${untaughtTerms.length === 1 ? ' is' : 's are'} taught by no lesson (list ${untaughtTerms.length === 1 ? 'it' : 'them'} in a lesson's terms)` +
          `${complete ? '' : ` — a warning until all ${CURRICULUM_SIZE} lessons exist (${content.lessons.length} do)`}: ${untaughtTerms.join(', ')}`,
      });
    }
  }
  return { problems, lessons: outcomes, guidesRun, untaughtTerms };
}

type LoadAs = <T>(file: ContentFile, what: string) => Promise<T | undefined>;
type ReportError = (file: string, line: number, message: string) => void;

async function verifyLesson(lesson: Lesson, loadAs: LoadAs, describe: (e: unknown) => string, error: ReportError): Promise<LessonOutcome> {
  const check = await loadAs<LessonCheck>(lesson.check, 'the check function: `export default (run: LessonRun) => [...messages]`');
  const solution = await loadAs<PipelineBuilder>(lesson.solution, 'a function that builds the pipeline');
  if (!check || !solution) return { lesson, solutionPasses: false };

  const run = await runLesson(solution, lesson.input, lesson.settings);
  if (isRunFailure(run)) {
    error(lesson.solution.path, 1, `the solution does not run: ${describe(run.error)}`);
    return { lesson, solutionPasses: false };
  }
  const verdict = applyCheck(check, run, lesson.check.path, describe, error);
  if (verdict && !verdict.pass) {
    error(lesson.solution.path, 1, `the solution fails its own check:\n${verdict.messages.map((m) => `    - ${m}`).join('\n')}`);
  }
  const solutionPasses = verdict?.pass === true;

  if (!lesson.exercise) return { lesson, solutionPasses, timelineEnd: run.timelineEnd };
  const starter = await loadAs<PipelineBuilder>(lesson.starter, 'a function that builds the pipeline');
  if (!starter) return { lesson, solutionPasses, timelineEnd: run.timelineEnd };
  const starterRun = await runLesson(starter, lesson.input, lesson.settings);
  if (isRunFailure(starterRun)) {
    error(lesson.starter.path, 1, `the starter does not run, so the check cannot tell the learner what to fix: ${describe(starterRun.error)}`);
    return { lesson, solutionPasses, timelineEnd: run.timelineEnd };
  }
  const starterVerdict = applyCheck(check, starterRun, lesson.check.path, describe, error);
  if (starterVerdict?.pass === true && lesson.starterFails) {
    error(lesson.starter.path, 1, 'the starter passes the check, but the lesson says it fails (starterFails: true): the exercise has nothing to fix');
  } else if (starterVerdict?.pass === false && !lesson.starterFails) {
    error(lesson.starter.path, 1, `the starter fails the check, but the lesson does not say so (set starterFails: true): ${starterVerdict.messages.join(' / ')}`);
  }
  return {
    lesson,
    solutionPasses,
    timelineEnd: run.timelineEnd,
    ...(starterVerdict?.pass === false && { starterMessages: starterVerdict.messages }),
  };
}

function applyCheck(check: LessonCheck, run: LessonRun, file: string, describe: (e: unknown) => string, error: ReportError) {
  try {
    const verdict = verdictOf(check(run));
    if (!verdict.pass && verdict.messages.length === 0) {
      error(file, 1, 'the check failed without a message: a learner needs to be told what is wrong');
    }
    return verdict;
  } catch (e) {
    error(file, 1, `the check threw: ${describe(e)}`);
    return undefined;
  }
}

async function verifyGuide(guide: Guide, loadAs: LoadAs, describe: (e: unknown) => string, error: ReportError): Promise<number | undefined> {
  const build = await loadAs<PipelineBuilder>(guide.pipeline, 'a function that builds the pipeline');
  if (!build) return undefined;
  const run = await runLesson(build, guide.input, guide.settings);
  if (isRunFailure(run)) {
    error(guide.pipeline.path, 1, `the guide's pipeline does not run: ${describe(run.error)}`);
    return undefined;
  }
  const stored = Object.values(run.durable?.stored ?? {}).reduce((n, writes) => n + writes.length, 0);
  if (run.records.length === 0 && stored === 0) error(guide.pipeline.path, 1, "the guide's pipeline runs but no record reaches a sink: there is nothing to look at");
  return run.timelineEnd;
}

/** Runs one lesson's check on a pipeline (the learner's code, in the browser): what the Check button does. */
export async function checkPipeline(lesson: Lesson, build: PipelineBuilder, check: LessonCheck): Promise<{ run?: LessonRun; pass: boolean; messages: readonly string[] }> {
  const run = await runLesson(build, lesson.input, lesson.settings);
  if (isRunFailure(run)) {
    const message = run.error instanceof Error ? run.error.message : String(run.error);
    return { pass: false, messages: [`your pipeline did not run to the end: ${message}`] };
  }
  const verdict = verdictOf(check(run));
  return { run, pass: verdict.pass, messages: verdict.pass ? [] : verdict.messages };
}
