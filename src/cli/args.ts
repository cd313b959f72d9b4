// Parses the `brook` command line into a Command, or throws UsageError (exit status 2).
// Knows the flags of each subcommand; the help texts describing them live in help.ts.

import type { CrashPhase } from '../engine/checkpoint/job-driver.ts';
import type { RestartStrategy } from '../engine/checkpoint/restart-strategy.ts';
import type { DeliveryGuarantee } from '../engine/connectors/delivery-sink.ts';
import { parseSavepoint, type SavepointInspectArgs, type SavepointRewriteArgs } from './savepoint-args.ts';

export type { SavepointInspectArgs, SavepointRewriteArgs } from './savepoint-args.ts';

/** Which help text a usage mistake points at. */
export type HelpTopic = 'brook' | 'run' | 'savepoint' | 'check';

/** A mistake in how `brook` was called: printed as one line plus a hint to `--help`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** Which help to point at: `brook --help`, `brook run --help` or `brook savepoint --help`. */
  readonly helpFor: HelpTopic;
  constructor(message: string, helpFor: HelpTopic = 'brook') {
    super(message);
    this.helpFor = helpFor;
  }
}

/** A crash at the n-th time a phase is reached. */
export interface PhaseCrash {
  readonly phase: CrashPhase;
  readonly occurrence: number;
}

/**
 * How a checkpointed run goes (`--checkpoint-interval` and the flags that need it): present in
 * RunArgs only when checkpointing is on.
 */
export interface DurableArgs {
  readonly checkpointInterval: number;
  readonly checkpointMode: 'aligned' | 'unaligned';
  /** --checkpoint-timeout: abort a checkpoint not complete this many ms after its trigger. */
  readonly checkpointTimeout?: number;
  /** --incremental: checkpoints write keyed state as deltas where that pays (docs/durability.md). */
  readonly incremental: boolean;
  /** --crash-at, in the order given (the driver sorts them). */
  readonly crashAt: readonly number[];
  readonly crashPhases: readonly PhaseCrash[];
  readonly crashEveryRecords?: number;
  readonly crashRandom?: number;
  readonly restart: RestartStrategy;
  /** As the user wrote it (`fixed:3:1000`), for the summary. */
  readonly restartSpec: string;
  /** The guarantee of every sink that does not choose its own (default exactly-once). */
  readonly guarantee: DeliveryGuarantee;
  readonly stopWithSavepointAt?: number;
  readonly savepointOut?: string;
  readonly fromSavepoint?: string;
  readonly allowNonRestoredState: boolean;
}

export interface RunArgs {
  readonly kind: 'run';
  /** The pipeline file as the user wrote it (relative to the working directory). */
  readonly pipeline: string;
  readonly input?: string;
  readonly seed?: number;
  readonly trace?: string;
  /** Checkpointing and everything that needs it; absent for a plain run. */
  readonly durable?: DurableArgs;
}

/** `brook check [LESSON_ID...]`: verify the lessons, glossary and guides. */
export interface CheckArgs {
  readonly kind: 'check';
  /** Lesson ids or folder names; empty checks everything. */
  readonly lessons: readonly string[];
}

export type Command =
  | RunArgs
  | SavepointInspectArgs
  | SavepointRewriteArgs
  | CheckArgs
  | { readonly kind: 'help'; readonly topic: HelpTopic }
  | { readonly kind: 'version' };

/** Flags of `brook run` that take a value, and what the value is (for "needs a value" messages). */
const FLAG_VALUE = {
  '--input': 'a TestStream JSON file',
  '--seed': 'an integer',
  '--trace': 'a file to write the trace to',
  '--checkpoint-interval': 'milliseconds of processing time between checkpoints',
  '--checkpoint-mode': 'aligned or unaligned',
  '--checkpoint-timeout': 'milliseconds of processing time a checkpoint may take',
  '--crash-at': 'processing times in ms, e.g. 2500,7000',
  '--crash-phase': 'midSnapshotWrite, afterPreCommit or afterCheckpointComplete, optionally :N',
  '--crash-every-records': 'a number of records',
  '--crash-random': 'a number of crashes',
  '--restart': 'none, fixed:ATTEMPTS:DELAY, backoff:INITIAL:MAX or failure-rate:MAX:INTERVAL:DELAY',
  '--guarantee': 'exactly-once, at-least-once, at-most-once or upsert',
  '--stop-with-savepoint-at': 'a processing time in ms',
  '--savepoint-out': 'a file to write the savepoint to',
  '--from-savepoint': 'a savepoint file',
} as const;
type ValueFlag = keyof typeof FLAG_VALUE;

/** Flags of `brook run` without a value. */
const BOOLEAN_FLAGS = ['--allow-non-restored-state', '--incremental'] as const;
type BooleanFlag = (typeof BOOLEAN_FLAGS)[number];

/** Flags that may be given more than once (their values add up). */
const REPEATABLE: ReadonlySet<string> = new Set(['--crash-at', '--crash-phase']);

/** Flags that need the durable driver, hence --checkpoint-interval. */
const DURABLE_FLAGS = [
  '--checkpoint-mode',
  '--checkpoint-timeout',
  '--crash-at',
  '--crash-phase',
  '--crash-every-records',
  '--crash-random',
  '--restart',
  '--guarantee',
  '--stop-with-savepoint-at',
  '--savepoint-out',
  '--from-savepoint',
  '--allow-non-restored-state',
  '--incremental',
] as const;

const RUN_FLAGS: readonly string[] = [...Object.keys(FLAG_VALUE), ...BOOLEAN_FLAGS];

/** The crash phases, as the driver names them. */
export const CRASH_PHASES: readonly CrashPhase[] = ['midSnapshotWrite', 'afterPreCommit', 'afterCheckpointComplete'];

/** The command line's names of the delivery guarantees. */
export const GUARANTEE_NAMES: Readonly<Record<string, DeliveryGuarantee>> = {
  'exactly-once': 'exactlyOnce',
  'at-least-once': 'atLeastOnce',
  'at-most-once': 'atMostOnce',
  upsert: 'upsert',
};

/** `exactlyOnce` → `exactly-once`. */
export function guaranteeName(g: DeliveryGuarantee): string {
  return Object.keys(GUARANTEE_NAMES).find((name) => GUARANTEE_NAMES[name] === g) ?? g;
}

/** Brook's default restart strategy, as a spec (the driver's DEFAULT_RESTART). */
export const DEFAULT_RESTART_SPEC = 'fixed:3:1000';

/** Reads `argv` (without `node` and the script: `process.argv.slice(2)`). */
export function parseArgs(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('no command given; try `brook run PIPELINE.ts`');
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0] === 'run' || rest[0] === 'savepoint' || rest[0] === 'check' ? rest[0] : 'brook';
    return { kind: 'help', topic };
  }
  if (first === '--version' || first === '-v') return { kind: 'version' };
  if (first === 'run') return parseRun(rest);
  if (first === 'savepoint') return parseSavepoint(rest);
  if (first === 'check') return parseCheck(rest);
  if (first.startsWith('-')) throw new UsageError(`unknown flag ${first}`);
  if (/\.[cm]?tsx?$/.test(first)) throw new UsageError(`unknown command "${first}"; did you mean \`brook run ${first}\`?`);
  throw new UsageError(`unknown command "${first}" (the commands are: run, savepoint, check)`);
}

function parseCheck(argv: readonly string[]): Command {
  if (argv.some((a) => a === '--help' || a === '-h')) return { kind: 'help', topic: 'check' };
  const flag = argv.find((a) => a.startsWith('-'));
  if (flag !== undefined) throw new UsageError(`unknown flag ${flag} for \`brook check\``, 'check');
  return { kind: 'check', lessons: [...argv] };
}

function parseRun(argv: readonly string[]): Command {
  const values = new Map<ValueFlag, string[]>();
  const switches = new Set<BooleanFlag>();
  const positional: string[] = [];
  let flagsEnded = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (flagsEnded || !arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    if (arg === '--') {
      flagsEnded = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') return { kind: 'help', topic: 'run' };

    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (isBooleanFlag(name)) {
      if (eq !== -1) throw new UsageError(`${name} takes no value`, 'run');
      if (switches.has(name)) throw new UsageError(`${name} given twice`, 'run');
      switches.add(name);
      continue;
    }
    if (!isValueFlag(name)) {
      // A negative number is not a flag name: "--checkpoint-interval -5" is a bad value, caught below.
      const near = RUN_FLAGS.find((flag) => editDistance(flag, name) <= 2);
      throw new UsageError(`unknown flag ${name} for \`brook run\`${near ? `; did you mean ${near}?` : ''}`, 'run');
    }
    if (values.has(name) && !REPEATABLE.has(name)) throw new UsageError(`${name} given twice`, 'run');

    let value: string | undefined;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) value = undefined;
      else i++;
    }
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value (${FLAG_VALUE[name]})`, 'run');
    values.set(name, [...(values.get(name) ?? []), value]);
  }

  if (positional.length === 0) throw new UsageError('`brook run` needs a pipeline file, e.g. `brook run pipeline.ts`', 'run');
  if (positional.length > 1) {
    throw new UsageError(`\`brook run\` takes one pipeline file, got ${positional.length}: ${positional.join(' ')}`, 'run');
  }

  const one = (flag: ValueFlag): string | undefined => values.get(flag)?.[0];
  const input = one('--input');
  const seed = one('--seed');
  const trace = one('--trace');
  const durable = parseDurable(values, switches);
  return {
    kind: 'run',
    pipeline: positional[0]!,
    ...(input !== undefined && { input }),
    ...(seed !== undefined && { seed: parseSeed(seed) }),
    ...(trace !== undefined && { trace }),
    ...(durable !== undefined && { durable }),
  };
}

/** The checkpointing flags, checked each on its own and then together. */
function parseDurable(values: ReadonlyMap<ValueFlag, string[]>, switches: ReadonlySet<BooleanFlag>): DurableArgs | undefined {
  const one = (flag: ValueFlag): string | undefined => values.get(flag)?.[0];
  const intervalText = one('--checkpoint-interval');
  const given = DURABLE_FLAGS.filter((flag) => (isBooleanFlag(flag) ? switches.has(flag) : values.has(flag)));
  if (intervalText === undefined) {
    if (given.length > 0) {
      throw new UsageError(
        `${given[0]} needs --checkpoint-interval MS: crashes, restarts, delivery guarantees and savepoints work on a checkpointed run`,
        'run',
      );
    }
    return undefined;
  }
  const checkpointInterval = positiveInteger('--checkpoint-interval', intervalText, 'a positive number of milliseconds');

  const mode = one('--checkpoint-mode') ?? 'aligned';
  if (mode !== 'aligned' && mode !== 'unaligned') throw new UsageError(`--checkpoint-mode must be aligned or unaligned, got "${mode}"`, 'run');

  const timeoutText = one('--checkpoint-timeout');
  const crashAt = (values.get('--crash-at') ?? []).flatMap((list) => parseTimes(list));
  const crashPhases = (values.get('--crash-phase') ?? []).map(parsePhase);
  const everyText = one('--crash-every-records');
  const randomText = one('--crash-random');
  const restartSpec = one('--restart') ?? DEFAULT_RESTART_SPEC;
  const restart = parseRestart(restartSpec);
  const guaranteeText = one('--guarantee') ?? 'exactly-once';
  const guarantee = GUARANTEE_NAMES[guaranteeText];
  if (guarantee === undefined) {
    throw new UsageError(`--guarantee must be one of ${Object.keys(GUARANTEE_NAMES).join(', ')}; got "${guaranteeText}"`, 'run');
  }

  const stopText = one('--stop-with-savepoint-at');
  const savepointOut = one('--savepoint-out');
  const fromSavepoint = one('--from-savepoint');
  const stopWithSavepointAt = stopText === undefined ? undefined : nonNegativeInteger('--stop-with-savepoint-at', stopText, 'a processing time in ms');
  if (stopWithSavepointAt !== undefined && savepointOut === undefined) {
    throw new UsageError('--stop-with-savepoint-at needs --savepoint-out FILE: where to write the savepoint', 'run');
  }
  if (savepointOut !== undefined && stopWithSavepointAt === undefined) {
    throw new UsageError('--savepoint-out needs --stop-with-savepoint-at PT: when to take the savepoint', 'run');
  }
  const allowNonRestoredState = switches.has('--allow-non-restored-state');
  if (allowNonRestoredState && fromSavepoint === undefined) {
    throw new UsageError('--allow-non-restored-state needs --from-savepoint FILE', 'run');
  }

  return {
    checkpointInterval,
    checkpointMode: mode,
    incremental: switches.has('--incremental'),
    ...(timeoutText !== undefined && { checkpointTimeout: positiveInteger('--checkpoint-timeout', timeoutText, 'a positive number of milliseconds') }),
    crashAt,
    crashPhases,
    ...(everyText !== undefined && { crashEveryRecords: positiveInteger('--crash-every-records', everyText, 'a positive number of records') }),
    ...(randomText !== undefined && { crashRandom: positiveInteger('--crash-random', randomText, 'a positive number of crashes') }),
    restart,
    restartSpec,
    guarantee,
    ...(stopWithSavepointAt !== undefined && { stopWithSavepointAt }),
    ...(savepointOut !== undefined && { savepointOut }),
    ...(fromSavepoint !== undefined && { fromSavepoint }),
    allowNonRestoredState,
  };
}

function positiveInteger(flag: string, text: string, what: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`${flag} must be ${what}, got "${text}"`, 'run');
  return n;
}

function nonNegativeInteger(flag: string, text: string, what: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag} must be ${what} (an integer >= 0), got "${text}"`, 'run');
  return n;
}

/** `2500,7000` → [2500, 7000]. */
function parseTimes(list: string): number[] {
  return list.split(',').map((t) => {
    const n = /^\s*\d+\s*$/.test(t) ? Number(t) : NaN;
    if (!Number.isSafeInteger(n)) {
      throw new UsageError(`--crash-at expects processing times in ms (integers >= 0) separated by commas, e.g. 2500,7000; got "${list}"`, 'run');
    }
    return n;
  });
}

/** `afterPreCommit:2` → the second time a sink pre-commits. */
function parsePhase(text: string): PhaseCrash {
  const [phase, count, ...extra] = text.split(':');
  if (!CRASH_PHASES.includes(phase as CrashPhase)) {
    throw new UsageError(`--crash-phase: unknown phase "${phase}"; the phases are ${CRASH_PHASES.join(', ')} (optionally :N for the N-th time)`, 'run');
  }
  if (extra.length > 0 || (count !== undefined && !/^\d+$/.test(count)) || count === '0') {
    throw new UsageError(`--crash-phase ${text}: the occurrence after ":" must be a positive integer, e.g. ${phase}:2`, 'run');
  }
  return { phase: phase as CrashPhase, occurrence: count === undefined ? 1 : Number(count) };
}

/** `none`, `fixed:ATTEMPTS:DELAY`, `backoff:INITIAL:MAX`, `failure-rate:MAX:INTERVAL:DELAY` (ms). */
export function parseRestart(spec: string): RestartStrategy {
  const [kind, ...fields] = spec.split(':');
  const numbers = fields.map((f) => (/^\d+$/.test(f) ? Number(f) : NaN));
  const bad = (why: string): UsageError =>
    new UsageError(`--restart ${spec}: ${why} (none, fixed:ATTEMPTS:DELAY, backoff:INITIAL:MAX or failure-rate:MAX:INTERVAL:DELAY; times in ms)`, 'run');
  const expect = (n: number, names: string): void => {
    if (fields.length !== n) throw bad(`${kind} takes ${names}`);
    if (numbers.some((x) => !Number.isSafeInteger(x))) throw bad(`${names} must be integers >= 0`);
  };
  switch (kind) {
    case 'none':
      if (fields.length > 0) throw bad('none takes nothing after it');
      return { kind: 'none' };
    case 'fixed':
      expect(2, 'ATTEMPTS:DELAY');
      return { kind: 'fixedDelay', attempts: numbers[0]!, delay: numbers[1]! };
    case 'backoff':
      expect(2, 'INITIAL:MAX');
      if (numbers[0]! <= 0) throw bad('INITIAL must be more than 0');
      if (numbers[1]! < numbers[0]!) throw bad('MAX must be at least INITIAL');
      return { kind: 'exponentialBackoff', initial: numbers[0]!, max: numbers[1]! };
    case 'failure-rate':
      expect(3, 'MAX:INTERVAL:DELAY');
      if (numbers[1]! <= 0) throw bad('INTERVAL must be more than 0');
      return { kind: 'failureRate', maxFailures: numbers[0]!, interval: numbers[1]!, delay: numbers[2]! };
    default:
      throw bad(`unknown strategy "${kind}"`);
  }
}

function isValueFlag(name: string): name is ValueFlag {
  return Object.hasOwn(FLAG_VALUE, name);
}

function isBooleanFlag(name: string): name is BooleanFlag {
  return (BOOLEAN_FLAGS as readonly string[]).includes(name);
}

function parseSeed(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new UsageError(`--seed must be an integer, got "${text}"`, 'run');
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed is too large: ${text}`, 'run');
  return seed;
}

/** Levenshtein distance, for "did you mean --seed?". */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    previous = current;
  }
  return previous[b.length]!;
}
