// Parses `brook savepoint SUBCOMMAND ...` (inspect, rewrite) into its Command, or throws
// UsageError pointing at `brook savepoint --help`. Kept apart from args.ts, which parses `run`.
// Invariant: `rewrite` never writes a file the user did not name with --out.

import { UsageError } from './args.ts';

/** `brook savepoint inspect FILE`. */
export interface SavepointInspectArgs {
  readonly kind: 'savepointInspect';
  /** The savepoint file as the user wrote it. */
  readonly file: string;
}

/** `brook savepoint rewrite IN.json FIX.ts --out OUT.json`: the state processor API from the command line. */
export interface SavepointRewriteArgs {
  readonly kind: 'savepointRewrite';
  /** The savepoint read, as the user wrote it; never written unless `out` names it. */
  readonly file: string;
  /** The TypeScript file whose default export fixes the state: `(sp: StateProcessor) => void`. */
  readonly fix: string;
  /** Where the rewritten savepoint goes. */
  readonly out: string;
}

const SUBCOMMANDS = 'inspect, rewrite';

/** Reads the arguments after `brook savepoint`. */
export function parseSavepoint(argv: readonly string[]): SavepointInspectArgs | SavepointRewriteArgs | { readonly kind: 'help'; readonly topic: 'savepoint' } {
  if (argv.some((a) => a === '--help' || a === '-h')) return { kind: 'help', topic: 'savepoint' };
  const [sub, ...rest] = argv;
  if (sub === undefined) throw new UsageError('`brook savepoint` needs a subcommand: `brook savepoint inspect FILE` or `brook savepoint rewrite IN.json FIX.ts --out OUT.json`', 'savepoint');
  if (sub === 'inspect') return parseInspect(rest);
  if (sub === 'rewrite') return parseRewrite(rest);
  throw new UsageError(`unknown subcommand "${sub}" for \`brook savepoint\` (the subcommands are: ${SUBCOMMANDS})`, 'savepoint');
}

function parseInspect(rest: readonly string[]): SavepointInspectArgs {
  const flag = rest.find((a) => a.startsWith('-') && a !== '-');
  if (flag !== undefined) throw new UsageError(`unknown flag ${flag} for \`brook savepoint inspect\``, 'savepoint');
  if (rest.length === 0) throw new UsageError('`brook savepoint inspect` needs a savepoint file, e.g. `brook savepoint inspect sp.json`', 'savepoint');
  if (rest.length > 1) throw new UsageError(`\`brook savepoint inspect\` takes one file, got ${rest.length}: ${rest.join(' ')}`, 'savepoint');
  return { kind: 'savepointInspect', file: rest[0]! };
}

function parseRewrite(rest: readonly string[]): SavepointRewriteArgs {
  const positional: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--out' || a.startsWith('--out=')) {
      const value = a === '--out' ? rest[++i] : a.slice('--out='.length);
      if (value === undefined || value === '' || value.startsWith('--')) throw new UsageError('--out needs a value: the file to write the rewritten savepoint to', 'savepoint');
      if (out !== undefined) throw new UsageError('--out given twice', 'savepoint');
      out = value;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown flag ${a} for \`brook savepoint rewrite\``, 'savepoint');
    } else positional.push(a);
  }
  if (positional.length !== 2) {
    throw new UsageError(
      `\`brook savepoint rewrite\` takes a savepoint file and a fix, got ${positional.length === 0 ? 'neither' : positional.join(' ')}: e.g. \`brook savepoint rewrite sp.json fix.ts --out fixed.json\``,
      'savepoint',
    );
  }
  const [file, fix] = positional as [string, string];
  if (!/\.[cm]?tsx?$/.test(fix)) throw new UsageError(`the fix must be a TypeScript file (FIX.ts), got ${fix}`, 'savepoint');
  if (out === undefined) {
    throw new UsageError(`\`brook savepoint rewrite\` needs --out FILE: where to write the rewritten savepoint (${file} is left as it is unless --out names it)`, 'savepoint');
  }
  return { kind: 'savepointRewrite', file, fix, out };
}
