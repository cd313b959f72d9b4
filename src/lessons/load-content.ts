// Loads lessons, glossary entries and guides from a map of file paths to texts, so the command
// line (which reads the folder) and the browser (`import.meta.glob('/lessons/**', { query:
// '?raw' })`) share one loader. Invariant: every mistake is reported with its file and line,
// and one bad file never hides the problems of the others.

import { parseTestStream } from '../engine/connectors/test-stream-parse.ts';
import { ContentError, parseDocument, type FrontMatterValue, type ParsedDocument } from './front-matter.ts';
import {
  DATASETS,
  LESSON_LEVELS,
  LESSON_PANEL_IDS,
  type Content,
  type ContentFile,
  type ContentProblem,
  type DatasetName,
  type GlossaryEntry,
  type Guide,
  type Lesson,
  type LessonInput,
  type LessonLevel,
  type LessonPanelId,
  type LessonSettings,
  type SystemNames,
} from './lesson.ts';
import { topicsOf } from './lesson-topics.ts';
import { collectLinks } from './links.ts';
import type { CheckpointMode } from '../engine/checkpoint/checkpoint-coordinator.ts';
import type { RestartStrategy } from '../engine/checkpoint/restart-strategy.ts';
import type { DeliveryGuarantee } from '../engine/connectors/delivery-sink.ts';

const LESSON_FOLDER = /^lessons\/(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)\/(.+)$/;
const LESSON_FIELDS = ['id', 'title', 'summary', 'level', 'terms', 'panels', 'input', 'settings', 'exercise', 'starterFails', 'hints', 'topics'];
const GLOSSARY_FIELDS = ['term', 'short', 'aliases', 'related', 'names'];
const GUIDE_FIELDS = ['title', 'summary', 'terms', 'panels', 'pipeline', 'input', 'settings', 'topics'];
const SETTINGS_FIELDS = ['seed', 'checkpointInterval', 'checkpointMode', 'guarantee', 'restart', 'crashAt'];
const NAME_FIELDS: readonly (keyof SystemNames)[] = ['flink', 'beam', 'kafkaStreams', 'spark'];
const GUARANTEES: readonly DeliveryGuarantee[] = ['atMostOnce', 'atLeastOnce', 'exactlyOnce', 'upsert'];
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Loads everything under `lessons/` from `files` (path → text; a leading "/" is ignored).
 * @example
 * const { content, problems } = loadContent(import.meta.glob('/lessons/**', { query: '?raw', import: 'default', eager: true }));
 */
export function loadContent(files: Readonly<Record<string, string>>): { content: Content; problems: ContentProblem[] } {
  const byPath = new Map<string, string>();
  for (const [path, text] of Object.entries(files)) byPath.set(path.replace(/^\/+/, ''), text);
  const problems: ContentProblem[] = [];
  const lessons: Lesson[] = [];
  const glossary: GlossaryEntry[] = [];
  const guides: Guide[] = [];

  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      problems.push({ file: error.file, line: error.line, message: error.message.slice(`${error.file}:${error.line}: `.length), severity: 'error' });
      return undefined;
    }
  };

  const folders = new Set<string>();
  for (const path of [...byPath.keys()].sort()) {
    const match = LESSON_FOLDER.exec(path);
    if (match) folders.add(`${match[1]}-${match[2]}`);
    else if (/^lessons\/glossary\/[^/]+\.md$/.test(path)) {
      const entry = attempt(() => loadGlossaryEntry(path, byPath.get(path)!));
      if (entry) glossary.push(entry);
    } else if (/^lessons\/guides\/[^/]+\.md$/.test(path)) {
      const guide = attempt(() => loadGuide(path, byPath));
      if (guide) guides.push(guide);
    }
  }
  for (const folder of folders) {
    const lesson = attempt(() => loadLesson(folder, byPath));
    if (lesson) lessons.push(lesson);
  }

  lessons.sort((a, b) => a.order - b.order);
  const orders = new Map<number, string>();
  const ids = new Map<string, string>();
  for (const lesson of lessons) {
    const other = orders.get(lesson.order);
    if (other) problems.push({ file: lesson.file, line: 1, message: `lessons/${other} has the same number ${lesson.order}`, severity: 'error' });
    orders.set(lesson.order, lesson.folder);
    const sameId = ids.get(lesson.id);
    if (sameId) problems.push({ file: lesson.file, line: 2, message: `the id "${lesson.id}" is already used by lessons/${sameId}`, severity: 'error' });
    ids.set(lesson.id, lesson.folder);
  }
  glossary.sort((a, b) => a.id.localeCompare(b.id));
  guides.sort((a, b) => a.id.localeCompare(b.id));
  return { content: { lessons, glossary, guides }, problems };
}

function loadLesson(folder: string, files: ReadonlyMap<string, string>): Lesson {
  const dir = `lessons/${folder}`;
  const file = `${dir}/lesson.md`;
  const text = files.get(file);
  if (text === undefined) throw new ContentError(`${dir}/`, 1, 'a lesson folder needs a lesson.md');
  const doc = parseDocument(text, file);
  const f = new Fields(doc, file, LESSON_FIELDS);
  const need = (name: string): ContentFile => {
    const path = `${dir}/${name}`;
    const body = files.get(path);
    if (body === undefined) throw new ContentError(file, 1, `the lesson has no ${name} (every lesson folder has lesson.md, starter.ts, solution.ts and check.ts)`);
    return { path, text: body };
  };
  const id = f.id('id');
  const exercise = f.boolean('exercise');
  const starterFails = f.boolean('starterFails');
  if (starterFails && !exercise) throw new ContentError(file, f.line('starterFails'), 'starterFails: true needs exercise: true (only an exercise has a starter to fix)');
  const hints = f.stringList('hints', false);
  if (exercise && hints.length === 0) throw new ContentError(file, f.line('exercise'), 'an exercise needs at least one hint (hints: a list of strings)');
  const { links, problems } = collectLinks(doc.body, doc.bodyLine);
  if (problems[0]) throw new ContentError(file, problems[0].line, problems[0].message);
  return {
    id,
    folder,
    order: Number(folder.slice(0, 2)),
    title: f.string('title'),
    summary: f.string('summary'),
    level: f.oneOf('level', LESSON_LEVELS) as LessonLevel,
    terms: f.idList('terms'),
    panels: f.panels('panels'),
    input: inputOf(f, dir, files),
    settings: withTopics(settingsOf(f), topicsOf(doc, file)),
    exercise,
    starterFails,
    hints,
    body: doc.body,
    bodyLine: doc.bodyLine,
    links,
    starter: need('starter.ts'),
    solution: need('solution.ts'),
    check: need('check.ts'),
    file,
    fieldLines: doc.lines,
  };
}

function loadGlossaryEntry(file: string, text: string): GlossaryEntry {
  const doc = parseDocument(text, file);
  const f = new Fields(doc, file, GLOSSARY_FIELDS);
  const id = file.slice('lessons/glossary/'.length, -'.md'.length);
  if (!ID.test(id)) throw new ContentError(file, 1, `the file name "${id}" is not a glossary id: lower-case words joined by "-"`);
  const names = f.map('names');
  for (const key of Object.keys(names)) {
    if (!NAME_FIELDS.includes(key as keyof SystemNames)) {
      throw new ContentError(file, f.line('names'), `names has no field "${key}" (it has ${NAME_FIELDS.join(', ')})`);
    }
  }
  const system = (key: keyof SystemNames): string => {
    const value = names[key];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ContentError(file, f.line('names'), `names.${key} is missing: say what ${key} calls it (or "none" and what to use instead)`);
    }
    return value;
  };
  const { links, problems } = collectLinks(doc.body, doc.bodyLine);
  if (problems[0]) throw new ContentError(file, problems[0].line, problems[0].message);
  return {
    id,
    term: f.string('term'),
    short: f.string('short'),
    aliases: f.stringList('aliases', false),
    related: f.idList('related'),
    names: { flink: system('flink'), beam: system('beam'), kafkaStreams: system('kafkaStreams'), spark: system('spark') },
    body: doc.body,
    bodyLine: doc.bodyLine,
    links,
    file,
    relatedLine: f.line('related'),
  };
}

function loadGuide(file: string, files: ReadonlyMap<string, string>): Guide {
  const doc = parseDocument(files.get(file)!, file);
  const f = new Fields(doc, file, GUIDE_FIELDS);
  const id = file.slice('lessons/guides/'.length, -'.md'.length);
  if (!ID.test(id)) throw new ContentError(file, 1, `the file name "${id}" is not a guide id: lower-case words joined by "-"`);
  const pipelineName = f.string('pipeline');
  const path = `lessons/guides/${pipelineName}`;
  const text = files.get(path);
  if (!pipelineName.endsWith('.ts') || text === undefined) {
    throw new ContentError(file, f.line('pipeline'), `pipeline: "${pipelineName}" is not a .ts file beside the guide (lessons/guides/)`);
  }
  const { links, problems } = collectLinks(doc.body, doc.bodyLine);
  if (problems[0]) throw new ContentError(file, problems[0].line, problems[0].message);
  return {
    id,
    title: f.string('title'),
    summary: f.string('summary'),
    terms: f.idList('terms'),
    panels: f.panels('panels'),
    pipeline: { path, text },
    input: inputOf(f, 'lessons/guides', files),
    settings: withTopics(settingsOf(f), topicsOf(doc, file)),
    body: doc.body,
    bodyLine: doc.bodyLine,
    links,
    file,
    fieldLines: doc.lines,
  };
}

function inputOf(f: Fields, dir: string, files: ReadonlyMap<string, string>): LessonInput {
  if (!f.has('input')) return { kind: 'pipeline' };
  const value = f.string('input');
  const line = f.line('input');
  if (value.startsWith('dataset:')) {
    const name = value.slice('dataset:'.length);
    if (!(DATASETS as readonly string[]).includes(name)) {
      throw new ContentError(f.file, line, `input: "${name}" is not a dataset (the datasets are ${DATASETS.join(', ')})`);
    }
    return { kind: 'dataset', name: name as DatasetName };
  }
  if (!value.endsWith('.json')) {
    throw new ContentError(f.file, line, `input: write a TestStream JSON file in the folder (input: readings.json) or a dataset (input: dataset:smartMeterReadings), not "${value}"`);
  }
  const path = `${dir}/${value}`;
  const text = files.get(path);
  if (text === undefined) throw new ContentError(f.file, line, `input: ${path} does not exist`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ContentError(path, 1, `not valid JSON: ${(error as Error).message}`);
  }
  try {
    return { kind: 'testStream', file: value, spec: parseTestStream(json) };
  } catch (error) {
    throw new ContentError(path, 1, `not a valid TestStream: ${(error as Error).message}`);
  }
}

function settingsOf(f: Fields): LessonSettings {
  if (!f.has('settings')) return { seed: 0, checkpointInterval: null, crashAt: [] };
  const map = f.map('settings');
  const line = f.line('settings');
  const fail = (message: string): never => {
    throw new ContentError(f.file, line, message);
  };
  for (const key of Object.keys(map)) {
    if (!SETTINGS_FIELDS.includes(key)) fail(`settings has no field "${key}" (it has ${SETTINGS_FIELDS.join(', ')})`);
  }
  const number = (key: string): number | undefined => {
    const v = map[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return fail(`settings.${key} must be a whole number of milliseconds (or a seed) ≥ 0, got ${JSON.stringify(v)}`);
    return v;
  };
  const mode = map['checkpointMode'];
  if (mode !== undefined && mode !== 'aligned' && mode !== 'unaligned') fail(`settings.checkpointMode is aligned or unaligned, got ${JSON.stringify(mode)}`);
  const guarantee = map['guarantee'];
  if (guarantee !== undefined && !GUARANTEES.includes(guarantee as DeliveryGuarantee)) {
    fail(`settings.guarantee is one of ${GUARANTEES.join(', ')}, got ${JSON.stringify(guarantee)}`);
  }
  const crash = map['crashAt'] ?? [];
  const crashAt = Array.isArray(crash) && crash.every((t) => typeof t === 'number' && t >= 0) ? (crash as number[]) : fail('settings.crashAt is a list of processing times, e.g. [2500, 7000]');
  const interval = number('checkpointInterval') ?? null;
  if (crashAt.length > 0 && interval === null) fail('settings.crashAt needs settings.checkpointInterval: a job recovers from its checkpoints');
  const restart = map['restart'] === undefined ? undefined : restartOf(String(map['restart']), fail);
  return {
    seed: number('seed') ?? 0,
    checkpointInterval: interval,
    ...(mode !== undefined && { checkpointMode: mode as CheckpointMode }),
    ...(guarantee !== undefined && { guarantee: guarantee as DeliveryGuarantee }),
    ...(restart !== undefined && { restart }),
    crashAt: [...crashAt].sort((a, b) => a - b),
  };
}

/** The settings with the topics the run pre-loads, if any. */
function withTopics(settings: LessonSettings, topics: LessonSettings['topics'] & object): LessonSettings {
  return topics.length === 0 ? settings : { ...settings, topics };
}

/** `none` or `fixed:ATTEMPTS:DELAY`, as `brook run --restart` writes them. */
function restartOf(spec: string, fail: (message: string) => never): RestartStrategy {
  if (spec === 'none') return { kind: 'none' };
  const fixed = /^fixed:(\d+):(\d+)$/.exec(spec);
  if (fixed) return { kind: 'fixedDelay', attempts: Number(fixed[1]), delay: Number(fixed[2]) };
  return fail(`settings.restart is none or fixed:ATTEMPTS:DELAY, got "${spec}"`);
}

/** Typed access to front matter fields, with file:line errors; refuses unknown fields. */
class Fields {
  constructor(
    private readonly doc: ParsedDocument,
    readonly file: string,
    allowed: readonly string[],
  ) {
    for (const key of Object.keys(doc.fields)) {
      if (!allowed.includes(key)) throw new ContentError(file, doc.lines[key]!, `unknown field "${key}" (the fields are ${allowed.join(', ')})`);
    }
  }

  has(key: string): boolean {
    return key in this.doc.fields;
  }

  line(key: string): number {
    return this.doc.lines[key] ?? 1;
  }

  private get(key: string): FrontMatterValue {
    if (!(key in this.doc.fields)) throw new ContentError(this.file, 1, `the front matter has no "${key}"`);
    return this.doc.fields[key]!;
  }

  string(key: string): string {
    const v = this.get(key);
    if (typeof v !== 'string' || v.trim() === '') throw new ContentError(this.file, this.line(key), `"${key}" must be text, got ${JSON.stringify(v)}`);
    return v;
  }

  id(key: string): string {
    const v = this.string(key);
    if (!ID.test(v)) throw new ContentError(this.file, this.line(key), `"${key}" must be lower-case words joined by "-" (it never changes once published), got "${v}"`);
    return v;
  }

  boolean(key: string): boolean {
    const v = this.get(key);
    if (typeof v !== 'boolean') throw new ContentError(this.file, this.line(key), `"${key}" must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  oneOf(key: string, values: readonly string[]): string {
    const v = this.string(key);
    if (!values.includes(v)) throw new ContentError(this.file, this.line(key), `"${key}" is one of ${values.join(', ')}, got "${v}"`);
    return v;
  }

  stringList(key: string, required = true): string[] {
    if (!required && !this.has(key)) return [];
    const v = this.get(key);
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === '')) {
      throw new ContentError(this.file, this.line(key), `"${key}" must be a list of text, e.g. [a, b] or indented "- a" lines`);
    }
    return v as string[];
  }

  idList(key: string): string[] {
    const list = this.stringList(key, false);
    for (const item of list) {
      if (!ID.test(item)) throw new ContentError(this.file, this.line(key), `"${item}" in ${key} is not an id (lower-case words joined by "-")`);
    }
    return list;
  }

  panels(key: string): LessonPanelId[] {
    const list = this.stringList(key);
    for (const item of list) {
      if (!(LESSON_PANEL_IDS as readonly string[]).includes(item)) {
        throw new ContentError(this.file, this.line(key), `"${item}" is not a panel (the panels are ${LESSON_PANEL_IDS.join(', ')})`);
      }
    }
    return list as LessonPanelId[];
  }

  map(key: string): Record<string, FrontMatterValue> {
    const v = this.get(key);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      throw new ContentError(this.file, this.line(key), `"${key}" must be indented "name: value" lines`);
    }
    return v;
  }
}
