// What content exists in lessons/ (lessons, glossary entries, how-to guides), loaded by the
// lessons layer's loader from files Vite bundles at build time, and matched to the curriculum.
// Invariant: a lesson not written yet is still listed (its curriculum title, no content), and
// content with mistakes is skipped, never a broken page (`brook check` reports the mistakes).
import { loadContent } from '../../lessons/load-content.ts';
import type { GlossaryEntry, Guide, Lesson, LessonInput, LessonSettings } from '../../lessons/lesson.ts';
import { DEFAULT_SETTINGS, type RunSettings } from '../../worker/protocol.ts';
import { curriculum } from '../curriculum.ts';

const files = import.meta.glob<string>(['/lessons/**/*.md', '/lessons/**/*.ts', '/lessons/**/*.json'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

const { content, problems } = loadContent(files);
if (import.meta.env.DEV && problems.length > 0) {
  console.warn(`lessons/: ${problems.length} problem(s); run \`npx brook check\`\n` + problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'));
}

export interface LessonEntry {
  /** 1-based place in the curriculum. */
  readonly number: number;
  readonly title: string;
  /** The route id: the lesson's own id, or a slug of its curriculum title while unwritten. */
  readonly id: string;
  readonly summary?: string;
  /** The written lesson; undefined while it is still being written. */
  readonly lesson?: Lesson;
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The curriculum's lessons in order, each with its content when written. */
export const lessons: readonly LessonEntry[] = curriculum.map((title, i) => {
  const lesson = content.lessons.find((l) => l.order === i + 1);
  if (!lesson) return { number: i + 1, title, id: slug(title) };
  return { number: i + 1, title: lesson.title, id: lesson.id, summary: lesson.summary, lesson };
});

/** The lesson a route names: by id, folder name (`03-windows`) or number (`3`). */
export function findLesson(id: string): LessonEntry | undefined {
  const n = /^\d+$/.test(id) ? Number(id) : Number.NaN;
  return lessons.find((l) => l.id === id || l.number === n || l.lesson?.folder === id || slug(curriculum[l.number - 1]!) === id);
}

export const glossary: readonly GlossaryEntry[] = content.glossary;
export const guides: readonly Guide[] = content.guides;

/** A glossary entry or guide as the reference pages list and show it. */
export interface ContentDoc {
  readonly id: string;
  readonly title: string;
  readonly summary?: string;
  readonly body: string;
}

export const glossaryDocs: readonly ContentDoc[] = glossary
  .map((g) => ({ id: g.id, title: g.term, summary: g.short, body: g.body }))
  .sort((a, b) => a.title.localeCompare(b.title, 'en', { sensitivity: 'base' }));
export const guideDocs: readonly ContentDoc[] = guides.map((g) => ({ id: g.id, title: g.title, summary: g.summary, body: g.body }));

/** The run settings a lesson or guide asks for, on top of the sandbox's defaults. */
export function runSettingsOf(settings: LessonSettings, input: LessonInput): RunSettings {
  let spec: unknown;
  if (input.kind === 'testStream') {
    const text = files[`/${input.file}`] ?? files[input.file];
    spec = text === undefined ? undefined : JSON.parse(text);
  }
  return {
    ...DEFAULT_SETTINGS,
    seed: settings.seed,
    checkpointInterval: settings.checkpointInterval,
    ...(settings.checkpointMode ? { checkpointMode: settings.checkpointMode } : {}),
    ...(settings.guarantee ? { guarantee: settings.guarantee } : {}),
    ...(settings.restart ? { restart: settings.restart } : {}),
    ...(spec !== undefined ? { input: spec } : {}),
    crashAt: [...settings.crashAt],
    ...(settings.topics && settings.topics.length > 0 ? { topics: settings.topics } : {}),
  };
}
