// `brook run`: loads the pipeline file, reads the --input TestStream, runs the pipeline through
// the engine and prints every sink record (and, with --trace, every trace event) as JSON lines.
// With --checkpoint-interval the run is handed to durable-run.ts (the durable driver).
// Failures are thrown; main.ts turns them into messages and exit statuses.

import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, PipelineDefinitionError, UserCodeError } from '../engine/errors.ts';
import * as brookApi from '../engine/api/index.ts';
import { type PipelineBuilder, type RunOptions, runPipeline } from '../engine/api/run-pipeline.ts';
import { parseTestStreamText } from '../engine/connectors/test-stream.ts';
import { toJson } from '../engine/trace/json.ts';
import { type RunArgs, UsageError } from './args.ts';
import { BuildError, FileError, fileErrorReason, InputFileError } from './errors.ts';
import type { StateMigrations } from '../engine/checkpoint/state-migrations.ts';
import { PipelineLoader } from './load-pipeline.ts';
import { LineWriter, sinkRecordLine } from './output.ts';

export interface RunContext {
  readonly cwd: string;
  /** Where sink records go (standard output). */
  readonly stdoutFd: number;
  /** Where a checkpointed run's summary goes (standard error). */
  readonly stderrFd: number;
  /** The loader is created by the caller so that error messages can read the user's files. */
  readonly loader: PipelineLoader;
}

/** A loader that gives pipeline files the engine's public API as `'brook'`. */
export function createPipelineLoader(): PipelineLoader {
  return new PipelineLoader({ brook: brookApi });
}

/**
 * Runs the pipeline; returns the exit status (0; 1 when a checkpointed job gave up, after its
 * summary). Throws UsageError, FileError, InputFileError or the pipeline's own failure.
 */
export async function runCommand(args: RunArgs, context: RunContext): Promise<number> {
  const pipelineFile = resolve(context.cwd, args.pipeline);
  if (!existsSync(pipelineFile)) throw new UsageError(`pipeline file not found: ${args.pipeline}`, 'run');
  if (!statSync(pipelineFile).isFile()) throw new UsageError(`not a file: ${args.pipeline}`, 'run');

  const build = context.loader.loadPipeline(pipelineFile);
  const input = args.input === undefined ? undefined : readInput(args.input, context.cwd);

  const trace = args.trace === undefined ? undefined : openTrace(args.trace, context.cwd);
  const options: RunOptions = {
    ...(args.seed !== undefined && { seed: args.seed }),
    ...(input !== undefined && { input }),
    ...(trace !== undefined && { onTrace: (event) => trace.writer.write(toJson(event)) }),
  };
  try {
    if (args.durable !== undefined) {
      // Loaded only when asked for, so a plain run starts as fast as before.
      const { runDurableCommand } = await import('./durable-run.ts');
      return await runDurableCommand(reportingBuildErrors(build), args.durable, {
        pipeline: args.pipeline,
        cwd: context.cwd,
        seed: args.seed ?? 0,
        ...(input !== undefined && { input }),
        ...(trace !== undefined && { trace: trace.writer }),
        stdoutFd: context.stdoutFd,
        stderrFd: context.stderrFd,
        ...migrationsOf(context.loader, pipelineFile, args.pipeline),
      });
    }
    const { records } = runPipeline(reportingBuildErrors(build), options);
    const out = new LineWriter(context.stdoutFd);
    for (const record of records) out.write(sinkRecordLine(record));
    out.flush();
    return 0;
  } finally {
    if (trace) {
      trace.writer.flush();
      closeSync(trace.fd);
    }
  }
}

/** The pipeline file's `export const migrations` (state evolution from a savepoint), if it has one. */
function migrationsOf(loader: PipelineLoader, file: string, shown: string): { migrations?: StateMigrations } {
  const migrations = loader.loadMigrations(file, shown);
  return migrations === undefined ? {} : { migrations };
}

/** Reads and checks the TestStream file; its mistakes are reported with the file's name. */
function readInput(path: string, cwd: string): RunOptions['input'] {
  const file = resolve(cwd, path);
  // Messages name the file as the user typed it.
  const shown = path;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new FileError(`cannot read input file ${shown}: ${fileErrorReason(error)}`);
  }
  try {
    return parseTestStreamText(text, shown);
  } catch (error) {
    if (error instanceof InputError) throw new InputFileError(shown, error);
    throw error;
  }
}

function openTrace(path: string, cwd: string): { fd: number; writer: LineWriter } {
  const file = resolve(cwd, path);
  try {
    const fd = openSync(file, 'w');
    return { fd, writer: new LineWriter(fd) };
  } catch (error) {
    throw new FileError(`cannot write trace file ${path}: ${fileErrorReason(error)}`);
  }
}

/**
 * Marks what the user's builder throws as a BuildError, so the message says the pipeline
 * failed while being built. Errors the engine raised about the pipeline pass through.
 */
function reportingBuildErrors(build: PipelineBuilder): PipelineBuilder {
  return (p) => {
    try {
      // Handed back so the engine can refuse an async builder (one that returns a Promise).
      return build(p);
    } catch (error) {
      if (error instanceof PipelineDefinitionError || error instanceof UserCodeError) throw error;
      throw new BuildError(error);
    }
  };
}

