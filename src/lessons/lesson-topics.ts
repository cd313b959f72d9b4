// The `topics:` field of a lesson's or guide's front matter: the log topics its run finds in the
// durable store before the job starts (docs/lessons.md). Invariant: every mistake names the
// file, the line and the field path (`topics[0].records[2].timestamp`), never a silent default.

import type { PreloadRecord, TopicPreload } from '../engine/checkpoint/topic-preload.ts';
import type { TopicConfig } from '../engine/checkpoint/durable-store.ts';
import { ContentError, type FrontMatterValue, type ParsedDocument } from './front-matter.ts';
import { DATASETS, type DatasetName } from './lesson.ts';

const TOPIC_FIELDS = ['name', 'partitions', 'cleanup', 'retentionMs', 'retentionRecords', 'compacted', 'records', 'dataset', 'options', 'keyField', 'liveRecords'];
const RECORD_FIELDS = ['key', 'value', 'timestamp'];
const TOPIC_NAME = /^[A-Za-z0-9._-]+$/;

type FieldMap = { [key: string]: FrontMatterValue };
const isMap = (v: FrontMatterValue | undefined): v is FieldMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the `topics` field of `doc` (absent: no topics).
 * @example
 * topicsOf(parseDocument(text, 'lessons/12-joins/lesson.md'), 'lessons/12-joins/lesson.md')
 * // [{ name: 'customer-tiers', config: { partitions: 1, compacted: true }, records: [...], compactBeforeStart: true }]
 */
export function topicsOf(doc: ParsedDocument, file: string): TopicPreload[] {
  const value = doc.fields['topics'];
  if (value === undefined) return [];
  const topicsLine = doc.lines['topics'] ?? 1;
  // The line of a path, or of the nearest entry around it (a missing field: its topic's line).
  const lineOf = (path: string): number => {
    for (let p = path; p !== ''; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
      if (doc.paths[p] !== undefined) return doc.paths[p]!;
      if (!/(\.[^.[\]]+|\[\d+\])$/.test(p)) break;
    }
    return topicsLine;
  };
  if (!Array.isArray(value)) throw new ContentError(file, topicsLine, 'topics must be a list of topics, each an indented "- name: ..." with its fields below');
  const names = new Map<string, number>();
  return value.map((item, index) => {
    const path = `topics[${index}]`;
    const fail = (at: string, message: string): never => {
      throw new ContentError(file, lineOf(at), `${at}${message}`);
    };
    if (!isMap(item)) return fail(path, ': a topic is a map of fields ("- name: customer-tiers" and its fields below it)');
    for (const key of Object.keys(item)) {
      if (!TOPIC_FIELDS.includes(key)) fail(`${path}.${key}`, `: a topic has no field "${key}" (it has ${TOPIC_FIELDS.join(', ')})`);
    }
    const name = item['name'];
    if (typeof name !== 'string' || !TOPIC_NAME.test(name)) return fail(`${path}.name`, `: the topic's name, letters, digits, ".", "_" or "-" (got ${JSON.stringify(name ?? null)})`);
    const first = names.get(name);
    if (first !== undefined) fail(`${path}.name`, `: the topic "${name}" is declared twice (first as topics[${first}])`);
    names.set(name, index);

    const whole = (key: string, min: number): number | undefined => {
      const v = item[key];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min) return fail(`${path}.${key}`, ` must be a whole number ≥ ${min}, got ${JSON.stringify(v)}`);
      return v;
    };
    const partitions = whole('partitions', 1) ?? 1;
    const cleanup = item['cleanup'] ?? 'delete';
    if (cleanup !== 'compact' && cleanup !== 'delete') fail(`${path}.cleanup`, ` is compact (keep the latest record of every key) or delete (retention only), got ${JSON.stringify(cleanup)}`);
    const retentionMs = whole('retentionMs', 0);
    const retentionRecords = whole('retentionRecords', 0);
    const config: TopicConfig = {
      partitions,
      ...(retentionMs !== undefined && { retentionMs }),
      ...(retentionRecords !== undefined && { retentionRecords }),
      ...(cleanup === 'compact' && { compacted: true }),
    };
    const compacted = item['compacted'] ?? false;
    if (typeof compacted !== 'boolean') fail(`${path}.compacted`, ` must be true or false, got ${JSON.stringify(compacted)}`);
    if (compacted === true && cleanup !== 'compact' && retentionMs === undefined && retentionRecords === undefined) {
      fail(`${path}.compacted`, ': true needs cleanup: compact (or a retention): otherwise compaction keeps every record');
    }

    const generator = generatorOf(item, path, fail);
    const records = recordsOf(item, `${path}.records`, fail);
    const liveRecords = recordsOf(item, `${path}.liveRecords`, fail);
    return {
      name,
      config,
      ...(records !== undefined && { records }),
      ...(generator !== undefined && { generator }),
      ...(compacted === true && { compactBeforeStart: true }),
      ...(liveRecords !== undefined && { liveRecords }),
    };
  });
}

type Fail = (at: string, message: string) => never;

function generatorOf(item: FieldMap, path: string, fail: Fail): TopicPreload['generator'] {
  const dataset = item['dataset'];
  if (dataset === undefined) {
    for (const key of ['options', 'keyField']) if (item[key] !== undefined) fail(`${path}.${key}`, ' belongs to a dataset: add dataset: NAME, or remove it');
    return undefined;
  }
  if (typeof dataset !== 'string' || !(DATASETS as readonly string[]).includes(dataset)) {
    return fail(`${path}.dataset`, `: ${JSON.stringify(dataset)} is not a dataset (the datasets are ${DATASETS.join(', ')})`);
  }
  const options = item['options'];
  if (options !== undefined && !isMap(options)) fail(`${path}.options`, ` must be a map of the dataset's options, e.g. { customers: 12, duration: 600000 }`);
  const keyField = item['keyField'];
  if (keyField !== undefined && (typeof keyField !== 'string' || keyField === '')) fail(`${path}.keyField`, ` must name a field of the dataset's records, got ${JSON.stringify(keyField)}`);
  return {
    dataset: dataset as DatasetName,
    ...(options !== undefined && { options: options as FieldMap }),
    ...(keyField !== undefined && { keyField: keyField as string }),
  };
}

function recordsOf(item: FieldMap, path: string, fail: Fail): PreloadRecord[] | undefined {
  const field = path.slice(path.lastIndexOf('.') + 1);
  const list = item[field];
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) return fail(path, ' must be a list of records, one "- { key: K, value: V, timestamp: MS }" a line');
  return list.map((record, i) => {
    const at = `${path}[${i}]`;
    if (!isMap(record)) return fail(at, ` must be a record { key: K, value: V, timestamp: MS }, got ${JSON.stringify(record)}`);
    for (const key of Object.keys(record)) {
      if (!RECORD_FIELDS.includes(key)) fail(at, ` has no field "${key}" (a record has key, value and timestamp)`);
    }
    const key = record['key'] ?? null;
    if (key !== null && typeof key !== 'string' && typeof key !== 'number') fail(at, `.key must be text, a number or null, got ${JSON.stringify(key)}`);
    if (!('value' in record)) fail(at, '.value is missing (null with a key is a tombstone)');
    const timestamp = record['timestamp'];
    if (typeof timestamp !== 'number' || !Number.isInteger(timestamp) || timestamp < 0) {
      fail(at, `.timestamp must be a whole number of ms ≥ 0 (the job starts at 0), got ${JSON.stringify(timestamp ?? null)}`);
    }
    return { key: key as string | number | null, value: record['value'], timestamp: timestamp as number };
  });
}
