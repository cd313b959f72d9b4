// The Check button's work, done in the sandbox where the learner's code runs: compile the
// learner's pipeline and the lesson's check.ts with the same sucrase path, run the pipeline
// headless as `brook check` does (checkPipeline) and return the verdict as plain data.
// Invariant: never throws for the learner's or the check's mistakes; they come back as results.

import { checkPipeline } from '../lessons/verify-content.ts';
import type { LessonCheck } from '../lessons/lesson-run.ts';
import type { Lesson } from '../lessons/lesson.ts';
import { loadError } from './code-errors.ts';
import type { CodeError, LessonCheckRequest, LessonCheckResult } from './protocol.ts';
import { describeThrown, loadUserModule, UserCodeFailure, type UserModule } from './user-code.ts';

/**
 * Judges the learner's pipeline with the lesson's check; `brook` is the engine's API that both
 * modules import.
 * @example
 * const result = await checkLesson({ source, checkSource, input: lesson.input, settings: lesson.settings }, brookApi);
 * if (result.kind === 'verdict' && result.pass) celebrate();
 */
export async function checkLesson(request: LessonCheckRequest, brook: object): Promise<LessonCheckResult> {
  let check: LessonCheck;
  try {
    check = loadUserModule(request.checkSource, brook).build as unknown as LessonCheck;
  } catch (error) {
    return checkError(`the lesson's check could not be loaded: ${error instanceof UserCodeFailure ? error.error.message : describeThrown(error)}`);
  }
  let pipeline: UserModule;
  try {
    pipeline = loadUserModule(request.source, brook);
  } catch (error) {
    return { kind: 'error', where: 'pipeline', error: loadError(error, undefined) };
  }
  // checkPipeline reads only the lesson's input and settings.
  const lesson = { input: request.input, settings: request.settings } as Lesson;
  try {
    const { pass, messages } = await checkPipeline(lesson, pipeline.build, check);
    if (!pass && messages.length === 0) return checkError("the lesson's check failed without saying why");
    return { kind: 'verdict', pass, messages: messages.map(String) };
  } catch (error) {
    return checkError(`the lesson's check threw ${describeThrown(error)}`);
  }
}

function checkError(message: string): LessonCheckResult {
  const error: CodeError = { kind: 'internal', message };
  return { kind: 'error', where: 'check', error };
}
