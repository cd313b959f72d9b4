// Parses the `brook` command line into a Command, or throws UsageError (exit status 2).
// Knows the flags of each subcommand; the help texts describing them live in help.ts.

/** A mistake in how `brook` was called: printed as one line plus a hint to `--help`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** Which help to point at: `brook --help` or `brook run --help`. */
  readonly helpFor: 'brook' | 'run';
  constructor(message: string, helpFor: 'brook' | 'run' = 'brook') {
    super(message);
    this.helpFor = helpFor;
  }
}

export interface RunArgs {
  readonly kind: 'run';
  /** The pipeline file as the user wrote it (relative to the working directory). */
  readonly pipeline: string;
  readonly input?: string;
  readonly seed?: number;
  readonly trace?: string;
}

export type Command =
  | RunArgs
  | { readonly kind: 'help'; readonly topic: 'brook' | 'run' }
  | { readonly kind: 'version' };

const RUN_FLAGS_WITH_VALUE = ['--input', '--seed', '--trace'] as const;
type RunFlag = (typeof RUN_FLAGS_WITH_VALUE)[number];

/** Reads `argv` (without `node` and the script: `process.argv.slice(2)`). */
export function parseArgs(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('no command given; try `brook run PIPELINE.ts`');
  if (first === '--help' || first === '-h' || first === 'help') {
    return { kind: 'help', topic: rest[0] === 'run' ? 'run' : 'brook' };
  }
  if (first === '--version' || first === '-v') return { kind: 'version' };
  if (first === 'run') return parseRun(rest);
  if (first.startsWith('-')) throw new UsageError(`unknown flag ${first}`);
  if (/\.[cm]?tsx?$/.test(first)) throw new UsageError(`unknown command "${first}"; did you mean \`brook run ${first}\`?`);
  throw new UsageError(`unknown command "${first}" (the commands are: run)`);
}

function parseRun(argv: readonly string[]): Command {
  const values: Partial<Record<RunFlag, string>> = {};
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
    if (!isRunFlag(name)) {
      const near = RUN_FLAGS_WITH_VALUE.find((flag) => editDistance(flag, name) <= 2);
      throw new UsageError(`unknown flag ${name} for \`brook run\`${near ? `; did you mean ${near}?` : ''}`, 'run');
    }
    if (values[name] !== undefined) throw new UsageError(`${name} given twice`, 'run');

    let value: string | undefined;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) value = undefined;
      else i++;
    }
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value (${FLAG_VALUE[name]})`, 'run');
    values[name] = value;
  }

  if (positional.length === 0) throw new UsageError('`brook run` needs a pipeline file, e.g. `brook run pipeline.ts`', 'run');
  if (positional.length > 1) {
    throw new UsageError(`\`brook run\` takes one pipeline file, got ${positional.length}: ${positional.join(' ')}`, 'run');
  }

  return {
    kind: 'run',
    pipeline: positional[0]!,
    ...(values['--input'] !== undefined && { input: values['--input'] }),
    ...(values['--seed'] !== undefined && { seed: parseSeed(values['--seed']) }),
    ...(values['--trace'] !== undefined && { trace: values['--trace'] }),
  };
}

const FLAG_VALUE: Record<RunFlag, string> = {
  '--input': 'a TestStream JSON file',
  '--seed': 'an integer',
  '--trace': 'a file to write the trace to',
};

function isRunFlag(name: string): name is RunFlag {
  return (RUN_FLAGS_WITH_VALUE as readonly string[]).includes(name);
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
