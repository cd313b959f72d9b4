import { describe, expect, it } from 'vitest';
import { collectLinks, formatClock, parseMoment } from '../../src/lessons/links.ts';

describe('moments and links', () => {
  it('reads clock moments and timeline milliseconds', () => {
    expect(parseMoment('0:12:07')?.t).toBe(727_000);
    expect(parseMoment('1:00:00.5')?.t).toBe(3_600_500);
    expect(parseMoment('t=420000')?.t).toBe(420_000);
    expect(parseMoment('12:07')).toBeUndefined();
    expect(parseMoment('0:61:00')).toBeUndefined();
  });

  it('formats milliseconds as a clock, the inverse of a clock moment', () => {
    expect(formatClock(727_000)).toBe('0:12:07');
    expect(formatClock(3_600_500)).toBe('1:00:00.500');
    expect(formatClock(-1)).toBe('-0:00:00.001');
    expect(formatClock(Number.POSITIVE_INFINITY)).toBe('+inf');
  });

  it('finds every Brook link with its line, but none inside code blocks', () => {
    const body = [
      'Scrub to [12:07](moment:0:12:07) and read about [watermarks](glossary:watermark).',
      '```md',
      '[not a link](glossary:nope)',
      '```',
      'See [late data](lesson:late-data@0:05:00), [the guide](guide:handle-late-data) and [web](https://flink.apache.org).',
    ].join('\n');
    const { links, problems } = collectLinks(body, 10);
    expect(problems).toEqual([]);
    expect(links).toEqual([
      { kind: 'moment', moment: { t: 727_000, text: '0:12:07' }, label: '12:07', line: 10 },
      { kind: 'glossary', term: 'watermark', label: 'watermarks', line: 10 },
      { kind: 'lesson', lesson: 'late-data', moment: { t: 300_000, text: '0:05:00' }, label: 'late data', line: 14 },
      { kind: 'guide', guide: 'handle-late-data', label: 'the guide', line: 14 },
    ]);
  });

  it('says how to write a moment that is not one', () => {
    const { problems } = collectLinks('[x](moment:12:07) [y](lesson:late-data@soon) [z](glossary:Watermark)', 3);
    expect(problems).toEqual([
      { line: 3, message: '"moment:12:07" is not a moment: write moment:H:MM:SS (e.g. moment:0:12:07) or moment:t=MS' },
      { line: 3, message: '"lesson:late-data@soon": "soon" is not a moment: write H:MM:SS or t=MS after the @' },
      { line: 3, message: '"glossary:Watermark" is not a glossary id (lower-case words joined by "-", e.g. glossary:allowed-lateness)' },
    ]);
  });
});
