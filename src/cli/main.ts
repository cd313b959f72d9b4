// Entry point of the `brook` command line (bin/brook.mjs imports it): reads process.argv,
// dispatches to the command, and turns failures into a message on standard error and an exit
// status: 0 success, 1 the pipeline or its input failed, 2 the command line was wrong.

import { parseArgs, UsageError } from './args.ts';
import { formatError } from './errors.ts';
import { BROOK_HELP, brookVersion, CHECK_HELP, RUN_HELP, SAVEPOINT_HELP } from './help.ts';
import { createPipelineLoader, runCommand } from './run-command.ts';

const HELP = { brook: BROOK_HELP, run: RUN_HELP, savepoint: SAVEPOINT_HELP, check: CHECK_HELP } as const;

/** Runs `brook` with `argv` (process.argv without node and the script); returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const debug = process.env['BROOK_DEBUG'] === '1';
  const cwd = process.cwd();
  // Deep enough to reach the user's frame below the engine's when the engine rejects a call.
  Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 100);

  let loader;
  try {
    const command = parseArgs(argv);
    switch (command.kind) {
      case 'help':
        process.stdout.write(HELP[command.topic]);
        return 0;
      case 'version':
        process.stdout.write(`brook ${brookVersion()}\n`);
        return 0;
      case 'run':
        loader = createPipelineLoader();
        return await runCommand(command, { cwd, stdoutFd: 1, stderrFd: 2, loader });
      case 'savepointInspect': {
        const { inspectSavepointCommand } = await import('./savepoint-command.ts');
        inspectSavepointCommand(command, { cwd, stdoutFd: 1 });
        return 0;
      }
      case 'savepointRewrite': {
        const { rewriteSavepointCommand } = await import('./savepoint-command.ts');
        loader = createPipelineLoader();
        rewriteSavepointCommand(command, { cwd, stdoutFd: 1, loader });
        return 0;
      }
      case 'check': {
        const { checkCommand } = await import('./check-command.ts');
        return await checkCommand(command, { cwd, out: (text) => process.stdout.write(text) });
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const help = error.helpFor === 'brook' ? 'brook --help' : `brook ${error.helpFor} --help`;
      process.stderr.write(`brook: ${error.message}\nRun \`${help}\` for usage.\n`);
      return 2;
    }
    // The reader of our output went away (`brook run ... | head`): nothing left to say.
    if ((error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE') return 0;
    process.stderr.write(formatError(error, { cwd, debug, ...(loader && { loader }) }));
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
