import { describe, expect, it } from 'vitest';
import { minutes, type Pipeline } from '../../src/engine/api/index.ts';
import { loadContent } from '../../src/lessons/load-content.ts';
import type { LessonSettings } from '../../src/lessons/lesson.ts';
import { isRunFailure, runLesson } from '../../src/lessons/run-lesson.ts';
import { files, LESSON_MD } from './fixture.ts';

// A lesson's `topics:` front matter: what it loads to, the mistakes it names (file, line and
// field), and a headless run that reads the pre-loaded, compacted topic.

/** The fixture lesson with `topics` lines added to its front matter. */
const withTopics = (lines: string[]) => LESSON_MD.replace('hints: [Use a window.]\n---', ['hints: [Use a window.]', 'topics:', ...lines, '---'].join('\n'));
const TOPICS_LINE = 12; // the line of `topics:` in the fixture lesson.md

const load = (lines: string[]) => loadContent(files({ '/lessons/01-counting/lesson.md': withTopics(lines) }));
const problemsOf = (lines: string[]) => load(lines).problems.map((p) => `${p.file}:${p.line}: ${p.message}`);

const TIERS = [
  '  - name: customer-tiers',
  '    partitions: 2',
  '    cleanup: compact',
  '    compacted: true',
  '    records:',
  '      - { key: c1, value: { customer: c1, tier: standard }, timestamp: 0 }',
  '      - { key: c2, value: { customer: c2, tier: silver }, timestamp: 0 }',
  '      - { key: c1, value: { customer: c1, tier: gold }, timestamp: 0 }',
  '      - { key: c2, value: { customer: c2, tier: null }, timestamp: 0 }',
  '    liveRecords:',
  '      - { key: c1, value: { customer: c1, tier: silver }, timestamp: 60_000 }',
];

describe('topics in a lesson\'s front matter', () => {
  it('loads a compacted topic with its records and the records appended while the job runs', () => {
    const { content, problems } = load(TIERS);
    expect(problems).toEqual([]);
    expect(content.lessons[0]!.settings.topics).toEqual([
      {
        name: 'customer-tiers',
        config: { partitions: 2, compacted: true },
        records: [
          { key: 'c1', value: { customer: 'c1', tier: 'standard' }, timestamp: 0 },
          { key: 'c2', value: { customer: 'c2', tier: 'silver' }, timestamp: 0 },
          { key: 'c1', value: { customer: 'c1', tier: 'gold' }, timestamp: 0 },
          { key: 'c2', value: { customer: 'c2', tier: null }, timestamp: 0 },
        ],
        compactBeforeStart: true,
        liveRecords: [{ key: 'c1', value: { customer: 'c1', tier: 'silver' }, timestamp: 60_000 }],
      },
    ]);
  });

  it('loads a topic filled from a dataset, keyed by a field, with retention instead of compaction', () => {
    const { content, problems } = load([
      '  - name: orders',
      '    partitions: 3',
      '    retentionMs: 600_000',
      '    dataset: shopOrders',
      '    options: { customers: 4, duration: 60_000 }',
      '    keyField: customer',
    ]);
    expect(problems).toEqual([]);
    expect(content.lessons[0]!.settings.topics).toEqual([
      { name: 'orders', config: { partitions: 3, retentionMs: 600_000 }, generator: { dataset: 'shopOrders', options: { customers: 4, duration: 60_000 }, keyField: 'customer' } },
    ]);
  });

  it('names the file, line and field of every mistake', () => {
    const file = 'lessons/01-counting/lesson.md';
    expect(problemsOf(['  - name: t', '    partition: 2'])).toEqual([
      `${file}:${TOPICS_LINE + 2}: topics[0].partition: a topic has no field "partition" (it has name, partitions, cleanup, retentionMs, retentionRecords, compacted, records, dataset, options, keyField, liveRecords)`,
    ]);
    expect(problemsOf(['  - name: t', '    cleanup: compacted'])).toEqual([
      `${file}:${TOPICS_LINE + 2}: topics[0].cleanup is compact (keep the latest record of every key) or delete (retention only), got "compacted"`,
    ]);
    expect(problemsOf(['  - name: t', '    partitions: 0'])).toEqual([`${file}:${TOPICS_LINE + 2}: topics[0].partitions must be a whole number ≥ 1, got 0`]);
    expect(problemsOf(['  - name: t', '    compacted: true'])).toEqual([
      `${file}:${TOPICS_LINE + 2}: topics[0].compacted: true needs cleanup: compact (or a retention): otherwise compaction keeps every record`,
    ]);
    expect(problemsOf(['  - name: t', '    records:', '      - { key: a, value: 1 }', '      - { key: b, value: 2, timestamp: -5 }'])).toEqual([
      `${file}:${TOPICS_LINE + 3}: topics[0].records[0].timestamp must be a whole number of ms ≥ 0 (the job starts at 0), got null`,
    ]);
    expect(problemsOf(['  - name: t', '    records:', '      - { key: a, timestamp: 0 }'])).toEqual([
      `${file}:${TOPICS_LINE + 3}: topics[0].records[0].value is missing (null with a key is a tombstone)`,
    ]);
    expect(problemsOf(['  - name: t', '    records:', '      - { key: a, value: 1, timestamp: 0, partition: 1 }'])).toEqual([
      `${file}:${TOPICS_LINE + 3}: topics[0].records[0] has no field "partition" (a record has key, value and timestamp)`,
    ]);
    expect(problemsOf(['  - name: t', '  - name: t'])).toEqual([`${file}:${TOPICS_LINE + 2}: topics[1].name: the topic "t" is declared twice (first as topics[0])`]);
    expect(problemsOf(['  - name: t', '    dataset: orders'])).toEqual([
      `${file}:${TOPICS_LINE + 2}: topics[0].dataset: "orders" is not a dataset (the datasets are smartMeterReadings, rideEvents, usageEvents, shopOrders, runnerPings)`,
    ]);
    expect(problemsOf(['  - name: t', '    keyField: customer'])).toEqual([`${file}:${TOPICS_LINE + 2}: topics[0].keyField belongs to a dataset: add dataset: NAME, or remove it`]);
    expect(problemsOf(['  - partitions: 1'])).toEqual([`${file}:${TOPICS_LINE + 1}: topics[0].name: the topic's name, letters, digits, ".", "_" or "-" (got null)`]);
    expect(loadContent(files({ '/lessons/01-counting/lesson.md': LESSON_MD.replace('hints: [Use a window.]', 'hints: [Use a window.]\ntopics: customer-tiers') })).problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      `${TOPICS_LINE}: topics must be a list of topics, each an indented "- name: ..." with its fields below`,
    ]);
  });
});

describe('a headless lesson run over a pre-loaded topic', () => {
  const settings = (): LessonSettings => {
    const { content } = load(TIERS);
    return content.lessons[0]!.settings;
  };

  /** Prints each record of the topic as it is read: what the job found in the log. */
  const readTopic = (p: Pipeline) => {
    p.fromTopic<{ customer: string; tier: string | null }>('customer-tiers').map((r) => `${r.customer}:${r.tier}`).sink('read');
  };

  it('reads the compacted log first (the latest record of every key), then the records appended while it runs', async () => {
    const run = await runLesson(readTopic, { kind: 'pipeline' }, settings());
    if (isRunFailure(run)) throw run.error;
    expect(run.sink('read').map((r) => [r.value, r.timestamp, r.processingTime])).toEqual([
      ['c1:gold', 0, 0],
      ['c2:null', 0, 0],
      ['c1:silver', minutes(1), minutes(1)],
    ]);
    // Compaction left gaps in the offsets; c1 and c2 hash to different partitions.
    expect(run.topic('customer-tiers').map((r) => [r.partition, r.offset, r.key])).toEqual([
      [0, 1, 'c1'],
      [0, 2, 'c1'],
      [1, 1, 'c2'],
    ]);
    expect(run.durable).toBeUndefined();
  });

  it('produces the same topic into the failure-free reference of a run with crashes', async () => {
    const crashing: LessonSettings = { ...settings(), checkpointInterval: 10_000, crashAt: [30_000] };
    const run = await runLesson(readTopic, { kind: 'pipeline' }, crashing);
    if (isRunFailure(run)) throw run.error;
    expect(run.durable?.attempts).toBe(2);
    expect(run.durable?.delivery.map((d) => [d.sink, d.expected, d.exact])).toEqual([['read', 3, true]]);
    expect(run.sink('read').map((r) => r.value)).toEqual(['c1:gold', 'c2:null', 'c1:silver']);
  });

  it('fails the run with a clear message when the pipeline reads a topic the lesson does not declare', async () => {
    const run = await runLesson((p) => p.fromTopic('prices').sink('out'), { kind: 'pipeline' }, settings());
    expect(isRunFailure(run) && String(run.error)).toContain('topic "prices": the topic does not exist');
  });
});
