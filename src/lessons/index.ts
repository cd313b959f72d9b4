// The lessons layer's public surface, for the app shell (lesson player, glossary, guides) and
// the command line: load content from a file map, run and check a learner's pipeline.

export { loadContent } from './load-content.ts';
export { verifyContent, checkPipeline, CURRICULUM_SIZE } from './verify-content.ts';
export type { DefaultExportLoader, LessonOutcome, VerifyOptions, VerifyReport } from './verify-content.ts';
export { runLesson, isRunFailure } from './run-lesson.ts';
export type { RunFailure } from './run-lesson.ts';
export { lessonRunOf, verdictOf, timelineLength } from './lesson-run.ts';
export type { CheckResult, DurableFacts, LessonCheck, LessonRun } from './lesson-run.ts';
export { collectLinks, formatClock, parseMoment } from './links.ts';
export type { ContentLink, Moment } from './links.ts';
export { ContentError, parseDocument } from './front-matter.ts';
export { DATASETS, LESSON_LEVELS, LESSON_PANEL_IDS } from './lesson.ts';
export type { Content, ContentFile, ContentProblem, GlossaryEntry, Guide, Lesson, LessonInput, LessonSettings, SystemNames } from './lesson.ts';
