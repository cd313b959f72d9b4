import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/lessons/front-matter.ts';

const doc = (lines: string[]) => lines.join('\n');

describe('front matter', () => {
  it('reads scalars, inline lists, block lists and block maps, in the order written', () => {
    const parsed = parseDocument(
      doc([
        '---',
        'id: late-data # stable forever',
        'title: "Late data: what dropping costs"',
        "summary: It's about lateness",
        'exercise: true',
        'terms: [watermark, "allowed-lateness", late-data]',
        'hints:',
        '  - Look at the time panel.',
        "  - 'Quote: a colon'",
        'settings:',
        '  seed: 7',
        '  checkpointInterval: 1_000',
        '  crashAt: [2500, 7000]',
        '---',
        '# Body',
      ]),
      'lesson.md',
    );
    expect(parsed.fields).toEqual({
      id: 'late-data',
      title: 'Late data: what dropping costs',
      summary: "It's about lateness",
      exercise: true,
      terms: ['watermark', 'allowed-lateness', 'late-data'],
      hints: ['Look at the time panel.', 'Quote: a colon'],
      settings: { seed: 7, checkpointInterval: 1000, crashAt: [2500, 7000] },
    });
    expect(parsed.lines).toEqual({ id: 2, title: 3, summary: 4, exercise: 5, terms: 6, hints: 7, settings: 10 });
    expect(parsed.body).toBe('# Body');
    expect(parsed.bodyLine).toBe(15);
  });

  it('refuses a file without front matter', () => {
    expect(() => parseDocument('# Title', 'lessons/x/lesson.md')).toThrow(
      'lessons/x/lesson.md:1: a content file starts with front matter: a line `---`, the fields, and another `---`',
    );
  });

  it('refuses front matter that is never closed', () => {
    expect(() => parseDocument('---\nid: a\n', 'f.md')).toThrow('f.md:1: the front matter is never closed: add a line `---` after the fields');
  });

  it('names the line of a field given twice', () => {
    expect(() => parseDocument(doc(['---', 'id: a', 'title: T', 'id: b', '---']), 'f.md')).toThrow('f.md:4: "id" is given twice (first on line 2)');
  });

  it('names the line of text that is not a field', () => {
    expect(() => parseDocument(doc(['---', 'id: a', 'just words', '---']), 'f.md')).toThrow('f.md:3: expected `key: value`, found "just words"');
  });

  it('refuses indentation that belongs to no field', () => {
    expect(() => parseDocument(doc(['---', 'id: a', '  - stray', '---']), 'f.md')).toThrow('f.md:3: unexpected indentation: "- stray" is not under a `key:`');
  });

  it('reads nested blocks, list items that are maps, and flow maps, with the line of every entry', () => {
    const parsed = parseDocument(
      doc([
        '---',
        'topics:',
        '  - name: customer-tiers',
        '    partitions: 2',
        '    records:',
        '      - { key: customer-0001, value: { customer: customer-0001, tier: gold }, timestamp: 0 }',
        "      - { key: 'customer-0002', value: null, timestamp: 1_000 }",
        '  - name: empty',
        '    records: []',
        '---',
      ]),
      'f.md',
    );
    expect(parsed.fields).toEqual({
      topics: [
        {
          name: 'customer-tiers',
          partitions: 2,
          records: [
            { key: 'customer-0001', value: { customer: 'customer-0001', tier: 'gold' }, timestamp: 0 },
            { key: 'customer-0002', value: null, timestamp: 1000 },
          ],
        },
        { name: 'empty', records: [] },
      ],
    });
    expect(parsed.lines).toEqual({ topics: 2 });
    expect(parsed.paths).toEqual({
      'topics[0]': 3,
      'topics[0].name': 3,
      'topics[0].partitions': 4,
      'topics[0].records': 5,
      'topics[0].records[0]': 6,
      'topics[0].records[1]': 7,
      'topics[1]': 8,
      'topics[1].name': 8,
      'topics[1].records': 9,
    });
  });

  it('names the line of a nested mistake', () => {
    expect(() => parseDocument(doc(['---', 'topics:', '  - name: a', '     partitions: 1', '---']), 'f.md')).toThrow(
      'f.md:4: unexpected indentation: "partitions: 1" is under "topics[0].name", which already has a value',
    );
    expect(() => parseDocument(doc(['---', 'topics:', '  - name: a', '    name: b', '---']), 'f.md')).toThrow('f.md:4: "topics[0].name" is given twice (first on line 3)');
    expect(() => parseDocument(doc(['---', 'settings:', '  restart:', '---']), 'f.md')).toThrow(
      'f.md:3: "settings.restart" has no value: write it after the colon, or as indented lines below',
    );
    expect(() => parseDocument(doc(['---', 'topics:', '  - name: a', '    records:', '      - { key: a, value: 1', '---']), 'f.md')).toThrow(
      'f.md:5: an inline map must end with "}" on the same line: { key: a, value: 1',
    );
    expect(() => parseDocument(doc(['---', 'records: [{ key a }]', '---']), 'f.md')).toThrow('f.md:2: expected `name: value` in the inline map [{ key a }]');
  });

  it('refuses YAML features outside the subset, suggesting quotes', () => {
    expect(() => parseDocument(doc(['---', 'summary: |', '---']), 'f.md')).toThrow('f.md:2: YAML\'s "|" is not supported here; quote the value: "|"');
    expect(() => parseDocument(doc(['---', 'names: [&anchor]', '---']), 'f.md')).toThrow('f.md:2: YAML\'s "&" is not supported here; quote the value: "&anchor"');
  });

  it('refuses an unclosed quote and an empty field', () => {
    expect(() => parseDocument(doc(['---', 'title: "open', '---']), 'f.md')).toThrow('f.md:2: a double quote is never closed: "open');
    expect(() => parseDocument(doc(['---', 'title:', '---']), 'f.md')).toThrow(
      'f.md:2: "title" has no value: write it after the colon, or as indented lines below',
    );
  });
});
