import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/lessons/load-content.ts';
import { LESSON_PANEL_IDS } from '../../src/lessons/lesson.ts';
import { PANEL_IDS } from '../../src/viz/panel.ts';
import { files, LESSON_MD } from './fixture.ts';

const problemsOf = (overrides: Record<string, string | undefined>) =>
  loadContent(files(overrides)).problems.map((p) => `${p.file}:${p.line}: ${p.message}`);

describe('loading lessons, glossary and guides from a file map', () => {
  it('loads a lesson with its fields, files, input and links', () => {
    const { content, problems } = loadContent(files());
    expect(problems).toEqual([]);
    const [lesson] = content.lessons;
    expect(lesson).toMatchObject({
      id: 'counting',
      folder: '01-counting',
      order: 1,
      level: 'beginner',
      terms: ['window'],
      panels: ['time', 'output'],
      exercise: true,
      starterFails: true,
      hints: ['Use a window.'],
      settings: { seed: 0, checkpointInterval: null, crashAt: [] },
      starter: { path: 'lessons/01-counting/starter.ts', text: 'starter' },
      file: 'lessons/01-counting/lesson.md',
    });
    expect(lesson!.input.kind).toBe('testStream');
    expect(lesson!.links.map((l) => l.kind)).toEqual(['moment', 'glossary']);
    expect(content.glossary.map((g) => [g.id, g.related, g.names.kafkaStreams])).toEqual([
      ['pane', ['window'], 'c'],
      ['window', ['pane'], 'c'],
    ]);
    expect(content.guides.map((g) => [g.id, g.pipeline.path])).toEqual([['count-clicks', 'lessons/guides/count-clicks.ts']]);
  });

  it('accepts the panel ids of the sandbox, and only those', () => {
    expect([...LESSON_PANEL_IDS]).toEqual([...PANEL_IDS]);
    expect(problemsOf({ '/lessons/01-counting/lesson.md': LESSON_MD.replace('panels: [time, output]', 'panels: [time, timeline]') })).toEqual([
      'lessons/01-counting/lesson.md:7: "timeline" is not a panel (the panels are time, graph, state, checkpoints, output, metrics)',
    ]);
  });

  it('names an unknown field, a missing file and a missing input with file and line', () => {
    expect(problemsOf({ '/lessons/01-counting/lesson.md': LESSON_MD.replace('level: beginner', 'levle: beginner') })).toEqual([
      'lessons/01-counting/lesson.md:5: unknown field "levle" (the fields are id, title, summary, level, terms, panels, input, settings, exercise, starterFails, hints, topics)',
    ]);
    expect(problemsOf({ '/lessons/01-counting/check.ts': undefined })).toEqual([
      'lessons/01-counting/lesson.md:1: the lesson has no check.ts (every lesson folder has lesson.md, starter.ts, solution.ts and check.ts)',
    ]);
    expect(problemsOf({ '/lessons/01-counting/clicks.json': undefined })).toEqual(['lessons/01-counting/lesson.md:8: input: lessons/01-counting/clicks.json does not exist']);
  });

  it('reports a TestStream file that is not valid', () => {
    expect(problemsOf({ '/lessons/01-counting/clicks.json': '{"steps": [{"advanceWatermarkTo": -1}, {"advanceWatermarkTo": -5}]}' })).toEqual([
      'lessons/01-counting/clicks.json:1: not a valid TestStream: steps[1].advanceWatermarkTo: the watermark cannot go backwards, from -1 (steps[0]) to -5',
    ]);
  });

  it('refuses an exercise without hints, and starterFails without an exercise', () => {
    expect(problemsOf({ '/lessons/01-counting/lesson.md': LESSON_MD.replace('hints: [Use a window.]\n', '') })).toEqual([
      'lessons/01-counting/lesson.md:9: an exercise needs at least one hint (hints: a list of strings)',
    ]);
    expect(problemsOf({ '/lessons/01-counting/lesson.md': LESSON_MD.replace('exercise: true', 'exercise: false') })).toEqual([
      'lessons/01-counting/lesson.md:10: starterFails: true needs exercise: true (only an exercise has a starter to fix)',
    ]);
  });

  it('refuses a glossary entry that does not say what every system calls the term', () => {
    const entry = files()['/lessons/glossary/pane.md']!.replace('  spark: d\n', '');
    expect(problemsOf({ '/lessons/glossary/pane.md': entry })).toEqual([
      'lessons/glossary/pane.md:5: names.spark is missing: say what spark calls it (or "none" and what to use instead)',
    ]);
  });

  it('reports two lessons with the same id', () => {
    const second = { '/lessons/02-again/lesson.md': LESSON_MD, '/lessons/02-again/starter.ts': 's', '/lessons/02-again/solution.ts': 's', '/lessons/02-again/check.ts': 'c', '/lessons/02-again/clicks.json': files()['/lessons/01-counting/clicks.json'] };
    expect(problemsOf(second)).toEqual(['lessons/02-again/lesson.md:2: the id "counting" is already used by lessons/01-counting']);
  });
});
