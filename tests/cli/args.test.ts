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

describe('parseArgs: checkpointed runs', () => {
  const durable = (...flags: string[]) => {
    const command = parseArgs(['run', 'p.ts', '--checkpoint-interval', '1000', ...flags]);
    if (command.kind !== 'run' || command.durable === undefined) throw new Error('expected a checkpointed run');
    return command.durable;
  };

  it('has defaults: aligned, no crashes, fixed:3:1000, exactly-once', () => {
    expect(parseArgs(['run', 'p.ts'])).toEqual({ kind: 'run', pipeline: 'p.ts' });
    expect(durable()).toEqual({
      checkpointInterval: 1000,
      checkpointMode: 'aligned',
      crashAt: [],
      crashPhases: [],
      restart: { kind: 'fixedDelay', attempts: 3, delay: 1000 },
      restartSpec: 'fixed:3:1000',
      guarantee: 'exactlyOnce',
      allowNonRestoredState: false,
      incremental: false,
    });
  });

  it('reads --incremental, which needs --checkpoint-interval', () => {
    expect(durable('--incremental').incremental).toBe(true);
    expect(usageError(['run', 'p.ts', '--incremental']).message).toMatch(/^--incremental needs --checkpoint-interval MS/);
  });

  it('reads every crash flag; --crash-at and --crash-phase may repeat', () => {
    const d = durable('--crash-at', '2500,7000', '--crash-at=100', '--crash-phase', 'afterPreCommit:2', '--crash-phase', 'midSnapshotWrite',
      '--crash-every-records', '50', '--crash-random', '5', '--checkpoint-mode', 'aligned');
    expect(d.crashAt).toEqual([2500, 7000, 100]);
    expect(d.crashPhases).toEqual([{ phase: 'afterPreCommit', occurrence: 2 }, { phase: 'midSnapshotWrite', occurrence: 1 }]);
    expect(d.crashEveryRecords).toBe(50);
    expect(d.crashRandom).toBe(5);
  });

  it('reads restart strategies and guarantees', () => {
    expect(durable('--restart', 'none').restart).toEqual({ kind: 'none' });
    expect(durable('--restart', 'fixed:5:2000').restart).toEqual({ kind: 'fixedDelay', attempts: 5, delay: 2000 });
    expect(durable('--restart', 'backoff:100:5000').restart).toEqual({ kind: 'exponentialBackoff', initial: 100, max: 5000 });
    expect(durable('--restart', 'failure-rate:3:60000:500').restart).toEqual({ kind: 'failureRate', maxFailures: 3, interval: 60000, delay: 500 });
    expect(durable('--guarantee', 'at-least-once').guarantee).toBe('atLeastOnce');
    expect(durable('--guarantee', 'at-most-once').guarantee).toBe('atMostOnce');
    expect(durable('--guarantee', 'upsert').guarantee).toBe('upsert');
  });

  it('reads the checkpoint timeout', () => {
    expect(durable('--checkpoint-timeout', '600').checkpointTimeout).toBe(600);
    expect(durable().checkpointTimeout).toBeUndefined();
    expect(usageError(['run', 'p.ts', '--checkpoint-interval', '1000', '--checkpoint-timeout', '0']).message).toBe('--checkpoint-timeout must be a positive number of milliseconds, got "0"');
  });

  it('reads the savepoint flags', () => {
    expect(durable('--stop-with-savepoint-at', '6000', '--savepoint-out', 'sp.json')).toMatchObject({ stopWithSavepointAt: 6000, savepointOut: 'sp.json' });
    expect(durable('--from-savepoint', 'sp.json', '--allow-non-restored-state')).toMatchObject({ fromSavepoint: 'sp.json', allowNonRestoredState: true });
  });

  it('refuses bad values with one line naming the flag', () => {
    const run = (...flags: string[]) => usageError(['run', 'p.ts', ...flags]).message;
    const cp = ['--checkpoint-interval', '1000'];
    expect(run('--checkpoint-interval', '-5')).toBe('--checkpoint-interval must be a positive number of milliseconds, got "-5"');
    expect(run('--checkpoint-interval', '0')).toBe('--checkpoint-interval must be a positive number of milliseconds, got "0"');
    expect(run('--checkpoint-interval', '1.5')).toContain('--checkpoint-interval must be');
    expect(run(...cp, '--checkpoint-mode', 'sideways')).toBe('--checkpoint-mode must be aligned or unaligned, got "sideways"');
    expect(run(...cp, '--crash-at', '100,soon')).toMatch(/^--crash-at expects processing times in ms/);
    expect(run(...cp, '--crash-phase', 'afterCommit')).toMatch(/^--crash-phase: unknown phase "afterCommit"; the phases are midSnapshotWrite, afterPreCommit, afterCheckpointComplete/);
    expect(run(...cp, '--crash-phase', 'afterPreCommit:0')).toMatch(/^--crash-phase afterPreCommit:0: the occurrence/);
    expect(run(...cp, '--crash-every-records', '0')).toMatch(/^--crash-every-records must be a positive number/);
    expect(run(...cp, '--crash-random', '-2')).toMatch(/^--crash-random must be a positive number/);
    expect(run(...cp, '--restart', 'fixed:3')).toMatch(/^--restart fixed:3: fixed takes ATTEMPTS:DELAY/);
    expect(run(...cp, '--restart', 'fixed:3:-1')).toMatch(/^--restart fixed:3:-1: ATTEMPTS:DELAY must be integers >= 0/);
    expect(run(...cp, '--restart', 'backoff:500:100')).toMatch(/MAX must be at least INITIAL/);
    expect(run(...cp, '--restart', 'sometimes')).toMatch(/^--restart sometimes: unknown strategy "sometimes"/);
    expect(run(...cp, '--guarantee', 'twice')).toBe('--guarantee must be one of exactly-once, at-least-once, at-most-once, upsert; got "twice"');
    expect(run(...cp, '--stop-with-savepoint-at', '6000')).toMatch(/^--stop-with-savepoint-at needs --savepoint-out FILE/);
    expect(run(...cp, '--savepoint-out', 'sp.json')).toMatch(/^--savepoint-out needs --stop-with-savepoint-at PT/);
    expect(run(...cp, '--allow-non-restored-state')).toBe('--allow-non-restored-state needs --from-savepoint FILE');
    expect(run(...cp, '--allow-non-restored-state=yes')).toBe('--allow-non-restored-state takes no value');
    expect(run(...cp, '--restart', 'none', '--restart', 'none')).toBe('--restart given twice');
  });

  it('needs --checkpoint-interval for every flag of a checkpointed run', () => {
    for (const flags of [['--crash-at', '100'], ['--crash-random', '3'], ['--restart', 'none'], ['--guarantee', 'upsert'], ['--from-savepoint', 'sp.json']]) {
      expect(usageError(['run', 'p.ts', ...flags]).message).toBe(
        `${flags[0]} needs --checkpoint-interval MS: crashes, restarts, delivery guarantees and savepoints work on a checkpointed run`,
      );
    }
  });

  it('reads brook savepoint inspect FILE', () => {
    expect(parseArgs(['savepoint', 'inspect', 'sp.json'])).toEqual({ kind: 'savepointInspect', file: 'sp.json' });
    expect(parseArgs(['savepoint', '--help'])).toEqual({ kind: 'help', topic: 'savepoint' });
    expect(parseArgs(['help', 'savepoint'])).toEqual({ kind: 'help', topic: 'savepoint' });
    expect(usageError(['savepoint']).message).toContain('needs a subcommand');
    expect(usageError(['savepoint', 'list']).message).toContain('unknown subcommand "list"');
    expect(usageError(['savepoint', 'inspect']).message).toContain('needs a savepoint file');
    expect(usageError(['savepoint', 'inspect', 'a.json', 'b.json']).message).toContain('takes one file');
  });
});
