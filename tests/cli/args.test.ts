import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../src/cli/args.ts';

function usageError(argv: string[]): UsageError {
  try {
    parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('parseArgs', () => {
  it('reads a run command with every flag, spaced or with =', () => {
    expect(parseArgs(['run', 'p.ts', '--input', 'in.json', '--seed', '42', '--trace=t.jsonl'])).toEqual({
      kind: 'run',
      pipeline: 'p.ts',
      input: 'in.json',
      seed: 42,
      trace: 't.jsonl',
    });
    expect(parseArgs(['run', '--seed=-3', 'p.ts'])).toEqual({ kind: 'run', pipeline: 'p.ts', seed: -3 });
  });

  it('knows --help, run --help and --version', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help', topic: 'brook' });
    expect(parseArgs(['run', '--help'])).toEqual({ kind: 'help', topic: 'run' });
    expect(parseArgs(['run', 'p.ts', '-h'])).toEqual({ kind: 'help', topic: 'run' });
    expect(parseArgs(['--version'])).toEqual({ kind: 'version' });
  });

  it('refuses unknown flags and commands', () => {
    expect(usageError(['run', 'p.ts', '--parallelism', '2']).message).toBe('unknown flag --parallelism for `brook run`');
    expect(usageError(['run', 'p.ts', '--sed', '2']).message).toBe('unknown flag --sed for `brook run`; did you mean --seed?');
    expect(usageError(['--frobnicate']).message).toBe('unknown flag --frobnicate');
    expect(usageError(['walk']).message).toContain('unknown command "walk"');
    expect(usageError(['p.ts']).message).toBe('unknown command "p.ts"; did you mean `brook run p.ts`?');
  });

  it('refuses a flag without its value', () => {
    expect(usageError(['run', 'p.ts', '--input']).message).toBe('--input needs a value (a TestStream JSON file)');
    expect(usageError(['run', 'p.ts', '--seed', '--trace', 't']).message).toBe('--seed needs a value (an integer)');
    expect(usageError(['run', 'p.ts', '--trace=']).message).toContain('--trace needs a value');
  });

  it('refuses a seed that is not an integer', () => {
    expect(usageError(['run', 'p.ts', '--seed', '1.5']).message).toBe('--seed must be an integer, got "1.5"');
    expect(usageError(['run', 'p.ts', '--seed', 'abc']).message).toBe('--seed must be an integer, got "abc"');
    expect(usageError(['run', 'p.ts', '--seed', '99999999999999999999']).message).toContain('too large');
  });

  it('needs exactly one pipeline file', () => {
    expect(usageError(['run']).message).toContain('needs a pipeline file');
    expect(usageError(['run', 'a.ts', 'b.ts']).message).toContain('takes one pipeline file');
    expect(usageError([]).message).toContain('no command given');
  });
});
