import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../../src/engine/errors.ts';
import {
  parseTestStream,
  parseTestStreamText,
  testStream,
  testStreamStartTime,
  testStreamToJson,
  type TestStreamSpec,
} from '../../../src/engine/connectors/test-stream.ts';

/** The InputError a call throws (fails the test if it throws something else or nothing). */
function errorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

const parseError = (json: unknown): InputError => errorOf(() => parseTestStream(json));

describe('parseTestStream', () => {
  it('accepts the DESIGN.md shape and types every step', () => {
    const spec = parseTestStream({
      steps: [
        { advanceWatermarkTo: 1000 },
        { addElements: [{ value: { n: 1 }, timestamp: 1500, key: 'a' }, { value: null, timestamp: 900 }] },
        { advanceProcessingTime: 5000 },
        { advanceWatermarkTo: 1000 },
        { advanceWatermarkToInfinity: true },
        { advanceProcessingTime: 0 },
      ],
    });
    expect(spec.steps).toEqual([
      { kind: 'advanceWatermarkTo', time: 1000 },
      { kind: 'addElements', elements: [{ value: { n: 1 }, timestamp: 1500, key: 'a' }, { value: null, timestamp: 900 }] },
      { kind: 'advanceProcessingTime', duration: 5000 },
      { kind: 'advanceWatermarkTo', time: 1000 },
      { kind: 'advanceWatermarkToInfinity' },
      { kind: 'advanceProcessingTime', duration: 0 },
    ]);
  });

  it('names the path and the problem in every error', () => {
    const cases: [unknown, string, string][] = [
      [[], '', 'a TestStream must be a JSON object like {"steps": [...]}, got []'],
      [null, '', 'a TestStream must be a JSON object like {"steps": [...]}, got null'],
      [{}, 'steps', 'steps: missing; a TestStream is {"steps": [...]}'],
      [{ steps: {} }, 'steps', 'steps: expected an array of steps, got {}'],
      [{ step: [] }, 'step', 'step: unknown field; a TestStream has only "steps"; did you mean "steps"?'],
      [{ steps: [5] }, 'steps[0]', 'steps[0]: expected a step object such as {"advanceWatermarkTo": 1000}, got 5'],
      [{ steps: [{}] }, 'steps[0]', 'steps[0]: empty step; expected exactly one of "addElements", "advanceWatermarkTo", "advanceProcessingTime" and "advanceWatermarkToInfinity"'],
      [
        { steps: [{ addElements: [], advanceWatermarkTo: 5 }] },
        'steps[0]',
        'steps[0]: a step has exactly one kind, got "addElements" and "advanceWatermarkTo"; split it into 2 steps',
      ],
      [
        { steps: [{ advanceWatermark: 5 }] },
        'steps[0].advanceWatermark',
        'steps[0].advanceWatermark: unknown step kind; expected one of "addElements", "advanceWatermarkTo", "advanceProcessingTime" and "advanceWatermarkToInfinity"; did you mean "advanceWatermarkTo"?',
      ],
      [{ steps: [{ addElements: { value: 1 } }] }, 'steps[0].addElements', 'steps[0].addElements: expected an array of elements like [{"value": "a", "timestamp": 0}], got {"value":1}'],
      [{ steps: [{ addElements: [7] }] }, 'steps[0].addElements[0]', 'steps[0].addElements[0]: expected an element {"value": ..., "timestamp": MS}, got 7'],
      [{ steps: [{ addElements: [{ timestamp: 1 }] }] }, 'steps[0].addElements[0]', 'steps[0].addElements[0]: missing "value"; every element needs "value" and "timestamp"'],
      [{ steps: [{ addElements: [{ value: 1 }] }] }, 'steps[0].addElements[0]', 'steps[0].addElements[0]: missing "timestamp"; every element needs "value" and "timestamp"'],
      [
        { steps: [{ addElements: [{ value: 1, timestmap: 3 }] }] },
        'steps[0].addElements[0].timestmap',
        'steps[0].addElements[0].timestmap: unknown field; an element has "value", "timestamp" and optionally "key"; did you mean "timestamp"?',
      ],
      [{ steps: [{ addElements: [{ value: 1, timestamp: 1, key: true }] }] }, 'steps[0].addElements[0].key', 'steps[0].addElements[0].key: expected a string or a finite number, got true'],
      [{ steps: [{ advanceWatermarkTo: 'soon' }] }, 'steps[0].advanceWatermarkTo', 'steps[0].advanceWatermarkTo: expected a finite number of milliseconds, got "soon"'],
      [
        { steps: [{ advanceWatermarkTo: Number.POSITIVE_INFINITY }] },
        'steps[0].advanceWatermarkTo',
        'steps[0].advanceWatermarkTo: expected a finite number of milliseconds, got Infinity (to end the input use {"advanceWatermarkToInfinity": true})',
      ],
      [{ steps: [{ advanceProcessingTime: Number.NaN }] }, 'steps[0].advanceProcessingTime', 'steps[0].advanceProcessingTime: expected a finite number of milliseconds, got NaN'],
      [
        { steps: [{ advanceProcessingTime: -5 }] },
        'steps[0].advanceProcessingTime',
        'steps[0].advanceProcessingTime: expected a duration >= 0 milliseconds, got -5; processing time never goes backwards',
      ],
      [{ steps: [{ advanceWatermarkToInfinity: false }] }, 'steps[0].advanceWatermarkToInfinity', 'steps[0].advanceWatermarkToInfinity: expected true, got false'],
    ];
    for (const [json, path, message] of cases) {
      const e = parseError(json);
      expect({ path: e.path, message: e.message }).toEqual({ path, message });
    }
  });

  it('reports a bad timestamp deep in the input as in the contract', () => {
    const steps: unknown[] = [{ advanceWatermarkTo: 0 }, { addElements: [] }, { advanceProcessingTime: 10 }];
    steps.push({ addElements: [{ value: 'ok', timestamp: 1 }, { value: 'x', timestamp: '12:00' }] });
    const e = parseError({ steps });
    expect(e.message).toBe('steps[3].addElements[1].timestamp: expected a finite number of milliseconds, got "12:00"');
    expect(e.path).toBe('steps[3].addElements[1].timestamp');
    expect(e.name).toBe('InputError');
  });

  it('rejects a watermark that goes backwards, naming both values', () => {
    const e = parseError({ steps: [{ advanceWatermarkTo: 8000 }, { addElements: [] }, { advanceWatermarkTo: 5000 }] });
    expect(e.message).toBe('steps[2].advanceWatermarkTo: the watermark cannot go backwards, from 8000 (steps[0]) to 5000');
  });

  it('rejects elements and watermark moves after the watermark reached infinity', () => {
    const done = { advanceWatermarkToInfinity: true };
    expect(parseError({ steps: [done, { addElements: [] }] }).message).toBe(
      'steps[1]: no elements can be added after the watermark reached infinity at steps[0]',
    );
    expect(parseError({ steps: [done, { advanceWatermarkTo: 5 }] }).message).toBe('steps[1]: the watermark cannot move after it reached infinity at steps[0]');
    expect(parseError({ steps: [done, done] }).message).toBe('steps[1]: the watermark cannot move after it reached infinity at steps[0]');
  });
});

describe('parseTestStreamText', () => {
  it('parses valid text and prefixes shape errors with the file name', () => {
    expect(parseTestStreamText('\uFEFF{"steps": [{"advanceWatermarkTo": 3}]}').steps).toEqual([{ kind: 'advanceWatermarkTo', time: 3 }]);
    const e = errorOf(() => parseTestStreamText('{"steps": [{"advanceProcessingTime": -1}]}', 'in.json'));
    expect(e.path).toBe('steps[0].advanceProcessingTime');
    expect(e.message).toBe('in.json: steps[0].advanceProcessingTime: expected a duration >= 0 milliseconds, got -1; processing time never goes backwards');
  });

  it('gives file, line and column of malformed JSON, with the line and a caret', () => {
    const text = '{\n  "steps": [\n    {"advanceWatermarkTo": 5}\n    {"advanceWatermarkTo": 6}\n  ]\n}';
    const e = errorOf(() => parseTestStreamText(text, 'input.json'));
    expect(e.message.split('\n')[0]).toMatch(/^input\.json:4:5: malformed JSON: /);
    expect(e.message.split('\n').slice(1)).toEqual(['    {"advanceWatermarkTo": 6}', '    ^']);
  });

  it('locates errors that V8 reports without a position', () => {
    // Node 20 says `Unexpected token '}', "{"a": }" is not valid JSON`: no position at all.
    const e = errorOf(() => parseTestStreamText('{"steps":\n  [1,]}', 'f.json'));
    expect(e.message.split('\n')[0]).toMatch(/^f\.json:2:6: malformed JSON: Unexpected token/);
    expect(e.message).not.toMatch(/is not valid JSON/);
    const end = errorOf(() => parseTestStreamText('{"steps": [', 'f.json'));
    expect(end.message.split('\n')[0]).toBe('f.json:1:12: malformed JSON: Unexpected end of JSON input');
  });
});

describe('testStream builder', () => {
  it('builds what the JSON form describes, and round-trips through JSON text', () => {
    const spec = testStream<{ user: string }>()
      .advanceWatermarkTo(1000)
      .addElements({ value: { user: 'a' }, timestamp: 1200, key: 'a' }, { value: { user: 'b' }, timestamp: 1100 })
      .advanceProcessingTime(60_000)
      .advanceWatermarkTo(2000)
      .advanceWatermarkToInfinity();
    const json = testStreamToJson(spec);
    expect(json).toEqual({
      steps: [
        { advanceWatermarkTo: 1000 },
        { addElements: [{ value: { user: 'a' }, timestamp: 1200, key: 'a' }, { value: { user: 'b' }, timestamp: 1100 }] },
        { advanceProcessingTime: 60_000 },
        { advanceWatermarkTo: 2000 },
        { advanceWatermarkToInfinity: true },
      ],
    });
    expect(parseTestStreamText(JSON.stringify(json))).toEqual(spec);
  });

  it('is immutable: every call returns a new builder', () => {
    const base = testStream<number>().advanceWatermarkTo(10);
    const a = base.addElements({ value: 1, timestamp: 11 }).build();
    const b = base.advanceProcessingTime(5).build();
    expect(a.steps.map((s) => s.kind)).toEqual(['advanceWatermarkTo', 'addElements']);
    expect(b.steps.map((s) => s.kind)).toEqual(['advanceWatermarkTo', 'advanceProcessingTime']);
    expect(base.build().steps).toHaveLength(1);
  });

  it('checks the same rules as the parser', () => {
    const b = testStream<string>().advanceWatermarkTo(500);
    expect(errorOf(() => b.advanceWatermarkTo(100)).message).toBe('steps[1].advanceWatermarkTo: the watermark cannot go backwards, from 500 (steps[0]) to 100');
    expect(errorOf(() => b.addElements({ value: 'x', timestamp: Number.NaN })).message).toBe(
      'steps[1].addElements[0].timestamp: expected a finite number of milliseconds, got NaN',
    );
    expect(errorOf(() => b.advanceProcessingTime(-1)).path).toBe('steps[1].advanceProcessingTime');
    // A rejected call leaves the builder usable.
    expect(b.advanceWatermarkTo(600).build().steps).toHaveLength(2);
  });

  it('round-trips any valid spec (property)', () => {
    const element = fc.record(
      { value: fc.jsonValue(), timestamp: fc.integer({ min: -1e12, max: 1e12 }), key: fc.oneof(fc.string(), fc.integer()) },
      { requiredKeys: ['value', 'timestamp'] },
    );
    const move = fc.oneof(
      fc.array(element, { maxLength: 4 }).map((els) => ({ add: els })),
      fc.nat(1e6).map((d) => ({ wm: d })),
      fc.nat(1e6).map((d) => ({ pt: d })),
    );
    fc.assert(
      fc.property(fc.array(move, { maxLength: 12 }), fc.boolean(), (moves, finish) => {
        let b = testStream<unknown>();
        let wm = 0;
        for (const m of moves) {
          if ('add' in m) b = b.addElements(...m.add);
          else if ('wm' in m) b = b.advanceWatermarkTo((wm += m.wm));
          else b = b.advanceProcessingTime(m.pt);
        }
        const spec: TestStreamSpec<unknown> = finish ? b.advanceWatermarkToInfinity() : b.build();
        const back = parseTestStream(JSON.parse(JSON.stringify(testStreamToJson(spec))));
        // JSON has no -0; everything else survives exactly.
        expect(JSON.stringify(back)).toBe(JSON.stringify(spec));
      }),
    );
  });
});

describe('testStreamStartTime', () => {
  it('is the first watermark step before any processing-time advance, else 0', () => {
    expect(testStreamStartTime(testStream<number>().build())).toBe(0);
    expect(testStreamStartTime(testStream<number>().addElements({ value: 1, timestamp: 5 }).advanceWatermarkTo(7000).build())).toBe(7000);
    expect(testStreamStartTime(testStream<number>().advanceProcessingTime(10).advanceWatermarkTo(7000).build())).toBe(0);
    expect(testStreamStartTime(testStream<number>().advanceWatermarkTo(-50).advanceWatermarkTo(100).build())).toBe(-50);
  });
});
