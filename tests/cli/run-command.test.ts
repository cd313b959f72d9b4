import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { brook, scratchFolder } from './brook-cli.ts';

const { dir, write } = scratchFolder('brook-cli-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small pipeline reading its input: doubles every value. */
const DOUBLER = [
  "import { type Pipeline } from 'brook';",
  'export default (p: Pipeline) => {',
  '  p.input<{ x: number }>()',
  '    .map((e) => e.x * 2)',
  "    .sink('doubled');",
  '};',
];
const INPUT = JSON.stringify({
  steps: [
    { advanceWatermarkTo: 0 },
    { addElements: [{ value: { x: 1 }, timestamp: 10 }, { value: { x: 2 }, timestamp: 20 }] },
    { advanceProcessingTime: 5 },
    { addElements: [{ value: { x: 3 }, timestamp: 30 }] },
    { advanceWatermarkToInfinity: true },
  ],
});
const DOUBLED =
  '{"sink":"doubled","value":2,"timestamp":10,"processingTime":0}\n' +
  '{"sink":"doubled","value":4,"timestamp":20,"processingTime":0}\n' +
  '{"sink":"doubled","value":6,"timestamp":30,"processingTime":5}\n';

/** No Node stack trace ("    at f (file:1:2)") reaches the user unless BROOK_DEBUG=1. */
function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('brook run', () => {
  const doubler = write('doubler.ts', DOUBLER);
  const input = write('input.json', INPUT);

  it('prints one JSON line per sink record, in the documented field order', () => {
    const run = brook(['run', doubler, '--input', input]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(DOUBLED);
  });

  it('accepts --seed, which changes nothing for a scripted input', () => {
    for (const seed of ['0', '42', '-7']) {
      const run = brook(['run', doubler, '--input', input, '--seed', seed]);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(DOUBLED);
    }
  });

  it('writes every trace event as a JSON line with --trace', () => {
    const trace = `${dir}/trace.jsonl`;
    const run = brook(['run', 'examples/sessions.ts', '--input', 'examples/sessions-input.json', '--trace', trace]);
    expect(run.status).toBe(0);
    const events = readFileSync(trace, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; pt: number; [k: string]: unknown });
    expect(events[0]!.type).toBe('jobStarted');
    expect(events.at(-1)!.type).toBe('jobFinished');
    const types = new Set(events.map((e) => e.type));
    for (const type of ['recordArrived', 'watermarkAdvanced', 'paneFired', 'windowMerged', 'sinkRecord']) {
      expect(types).toContain(type);
    }
    // bob's score that came after his session expired is dropped, and the trace says so.
    expect(events.filter((e) => e.type === 'recordDropped')).toMatchObject([{ key: 'bob', eventTime: 120_000 }]);
    expect(events.filter((e) => e.type === 'sinkRecord')).toHaveLength(run.stdout.trimEnd().split('\n').length);
    // Processing time never runs backwards in the trace.
    expect(events.every((e, i) => i === 0 || e.pt >= events[i - 1]!.pt)).toBe(true);
    // Infinite times use the engine's encoding.
    expect(readFileSync(trace, 'utf8')).toContain('"+inf"');
  });

  it('runs a pipeline given relative to the working folder, importing a relative .ts file', () => {
    write('lib/scale.ts', ['export const scale = (x: number): number => x * 10;']);
    write('scaled.ts', [
      "import { type Pipeline } from 'brook';",
      "import { scale } from './lib/scale';",
      'export default (p: Pipeline) => {',
      "  p.input<{ x: number }>().map((e) => scale(e.x)).sink('scaled');",
      '};',
    ]);
    const run = brook(['run', 'scaled.ts', '--input', 'input.json'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')[0]).toBe('{"sink":"scaled","value":10,"timestamp":10,"processingTime":0}');
  });
});

describe('brook run reports broken pipelines with file and line (exit 1)', () => {
  it('a syntax error: position, message, the source line and a caret', () => {
    // Sucrase alone would blame the arrow on line 2; the message must point inside the body.
    write('syntax.ts', [
      "import { type Pipeline } from 'brook';",
      'export default (p: Pipeline) => {',
      "  p.input<number>().map((x) => x * ).sink('out');",
      '};',
    ]);
    const run = brook(['run', 'syntax.ts'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      [
        'syntax.ts:3:36: error: Expression expected.',
        "  3 |   p.input<number>().map((x) => x * ).sink('out');",
        '    |                                    ^',
        '',
      ].join('\n'),
    );
  });

  it('user code that throws while the pipeline runs: the line that threw, the operator, the error', () => {
    write('throws.ts', [
      "import { type Pipeline } from 'brook';",
      'interface Reading { sensor?: { id: string } }',
      'export default (p: Pipeline) => {',
      '  p.input<Reading>()',
      '    .map((r: Reading) => r.sensor!.id)',
      "    .sink('ids');",
      '};',
    ]);
    write('readings.json', JSON.stringify({ steps: [{ addElements: [{ value: {}, timestamp: 1 }] }] }));
    const run = brook(['run', 'throws.ts', '--input', 'readings.json'], { cwd: dir });
    expect(run.status).toBe(1);
    const [head, source, caret] = run.stderr.split('\n');
    expect(head).toMatch(/^throws\.ts:5:36: error: .*"map".* threw TypeError: Cannot read properties of undefined \(reading 'id'\)$/);
    expect(source).toBe('  5 |     .map((r: Reading) => r.sensor!.id)');
    expect(caret).toBe('    |                                    ^');
    expectNoStackTrace(run.stderr);
  });

  it('a builder that throws while building the pipeline', () => {
    write('build-throws.ts', [
      "import { type Pipeline } from 'brook';",
      'export default (p: Pipeline) => {',
      "  const config = JSON.parse('{}');",
      '  if (!config.windowSize) throw new Error("windowSize is not configured");',
      '};',
    ]);
    const run = brook(['run', 'build-throws.ts'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(
      'build-throws.ts:4:33: error: building the pipeline threw Error: windowSize is not configured',
    );
    expectNoStackTrace(run.stderr);
  });

  it('a file without a default export', () => {
    write('no-default.ts', ["import { type Pipeline } from 'brook';", "export const build = (p: Pipeline) => p.input().sink('x');"]);
    const run = brook(['run', 'no-default.ts'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no-default.ts must `export default` a function that builds the pipeline');
    expect(run.stderr).toContain('export default (p: Pipeline) => { ... }');
    expect(run.stderr).toContain('it has no default export');
  });

  it('a pipeline the engine refuses, pointing at the user code that built it', () => {
    write('two-inputs.ts', [
      "import { type Pipeline } from 'brook';",
      'export default (p: Pipeline) => {',
      "  p.input<number>().sink('a');",
      "  p.input<number>().sink('b');",
      '};',
    ]);
    const run = brook(['run', 'two-inputs.ts'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr.split('\n')[0]).toMatch(/^two-inputs\.ts:4:5: error: a pipeline can declare only one input\(\)/);
    expectNoStackTrace(run.stderr);
  });

  it('an --input for a pipeline that declares no input', () => {
    write('no-input.ts', [
      "import { type Pipeline, testStream } from 'brook';",
      'export default (p: Pipeline) => {',
      "  p.testStream(testStream<number>().advanceWatermarkToInfinity()).sink('out');",
      '};',
    ]);
    const run = brook(['run', 'no-input.ts', '--input', 'input.json'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error: an input was given, but the pipeline declares no input');
  });

  it('shows the stack trace only with BROOK_DEBUG=1', () => {
    const run = brook(['run', 'build-throws.ts'], { cwd: dir, env: { BROOK_DEBUG: '1' } });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^\s+at /m);
  });
});

describe('brook run reports bad input files (exit 1)', () => {
  it('malformed JSON, with line and column', () => {
    write('malformed.json', ['{', '  "steps": [', '    { "advanceWatermarkTo": 0 },,', '  ]', '}']);
    const run = brook(['run', 'doubler.ts', '--input', 'malformed.json'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^malformed\.json:3:\d+: malformed JSON: /);
    expectNoStackTrace(run.stderr);
  });

  it('an invalid TestStream field, with its path', () => {
    write('bad-field.json', JSON.stringify({ steps: [{ advanceWatermarkTo: 0 }, { addElements: [{ value: 1, timestamp: '12:00' }] }] }));
    const run = brook(['run', 'doubler.ts', '--input', 'bad-field.json'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^bad-field\.json: steps\[1\]\.addElements\[0\]\.timestamp: expected a finite number/);
  });

  it('an input file that does not exist', () => {
    const run = brook(['run', 'doubler.ts', '--input', 'nowhere.json'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('error: cannot read input file nowhere.json: no such file\n');
  });
});

describe('brook command-line mistakes (exit 2)', () => {
  const usage = (args: string[]) => {
    const run = brook(args, { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const [message, hint] = run.stderr.split('\n');
    expect(hint).toMatch(/^Run `brook (run )?--help` for usage\.$/);
    return message;
  };

  it('a pipeline file that does not exist', () => {
    expect(usage(['run', 'missing.ts'])).toBe('brook: pipeline file not found: missing.ts');
  });

  it('an unknown flag', () => {
    expect(usage(['run', 'doubler.ts', '--inptu', 'input.json'])).toBe('brook: unknown flag --inptu for `brook run`; did you mean --input?');
  });

  it('a flag without its value', () => {
    expect(usage(['run', 'doubler.ts', '--input'])).toBe('brook: --input needs a value (a TestStream JSON file)');
  });

  it('a seed that is not an integer', () => {
    expect(usage(['run', 'doubler.ts', '--seed', '4.2'])).toBe('brook: --seed must be an integer, got "4.2"');
  });

  it('no command at all', () => {
    expect(usage([])).toContain('no command given');
  });
});

describe('brook --help and --version', () => {
  it('brook run --help documents every flag with an example', () => {
    const run = brook(['run', '--help']);
    expect(run.status).toBe(0);
    for (const flag of ['--input', '--seed', '--trace', '--help']) {
      expect(run.stdout).toContain(flag);
      expect(run.stdout).toMatch(new RegExp(`e\\.g\\.\\s+brook run .*${flag}`));
    }
  });

  it('brook --help shows the commands and examples', () => {
    const run = brook(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('brook run PIPELINE.ts [--input FILE.json] [--seed N] [--trace FILE]');
    expect(run.stdout).toContain('brook run examples/sessions.ts --input examples/sessions-input.json');
  });

  it('brook --version prints the package version', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const run = brook(['--version']);
    expect(run.stdout).toBe(`brook ${version}\n`);
  });
});
