// The texts `brook --help`, `brook run --help` and `brook --version` print.
// Every flag args.ts accepts is described here, each with an example.

import { readFileSync } from 'node:fs';

export const BROOK_HELP = `brook — run Brook stream-processing pipelines from the command line

Usage:
  brook run PIPELINE.ts [--input FILE.json] [--seed N] [--trace FILE]
  brook run PIPELINE.ts --checkpoint-interval MS [crash, restart, guarantee and savepoint flags]
  brook savepoint inspect FILE
  brook savepoint rewrite IN.json FIX.ts --out OUT.json
  brook check [LESSON_ID...]
  brook --help             show this help (\`brook run --help\`, \`brook savepoint --help\` for a command)
  brook --version          print Brook's version

Commands:
  run        run a pipeline file headless and print every record that reaches a sink,
             one JSON object per line; with --checkpoint-interval, run it durably with
             checkpoints, injected crashes and restarts, and print what each sink holds
  savepoint  inspect a savepoint file written by \`brook run --savepoint-out\`, or rewrite its state
  check      run every lesson, glossary entry and guide in lessons/ headless and verify them

Examples:
  brook run examples/word-count.ts
  brook run examples/sessions.ts --input examples/sessions-input.json
  brook run examples/late-data.ts --input examples/late-data-input.json --trace trace.jsonl
  brook run examples/exactly-once.ts --checkpoint-interval 1000 --crash-random 5
  brook run examples/exactly-once.ts --checkpoint-interval 1000 --crash-random 5 --guarantee at-least-once
  brook savepoint inspect sp.json
`;

export const RUN_HELP = `Usage: brook run PIPELINE.ts [--input FILE.json] [--seed N] [--trace FILE]
       brook run PIPELINE.ts --checkpoint-interval MS [--checkpoint-mode aligned]
                 [--crash-at PT,...] [--crash-phase PHASE[:N]]... [--crash-every-records N]
                 [--crash-random N] [--restart SPEC] [--guarantee GUARANTEE]
                 [--stop-with-savepoint-at PT --savepoint-out FILE]
                 [--from-savepoint FILE [--allow-non-restored-state]]

Runs a pipeline file headless. PIPELINE.ts is a TypeScript module whose default export
builds the pipeline:

  import { type Pipeline, tumblingWindows, seconds } from 'brook';
  export default (p: Pipeline) => { ... };

Every record that reaches a sink is printed on standard output, one JSON object per line:
  {"sink","key","value","timestamp","window","pane","processingTime"}
(fields that do not apply are left out; infinite times are written "+inf" / "-inf").

Flags:
  --input FILE.json  feed a TestStream JSON file ({"steps": [...]}) to the pipeline's
                     input, declared in the pipeline with p.input(...); replaces the
                     input's default.
                       e.g.  brook run examples/sessions.ts --input examples/sessions-input.json
  --seed N           seed for the engine's random source (an integer, default 0); the same
                     pipeline, input and seed always give the same output.
                       e.g.  brook run pipeline.ts --seed 42
  --trace FILE       also write every trace event (records, watermarks, panes, timers, ...)
                     to FILE, one JSON object per line.
                       e.g.  brook run pipeline.ts --trace trace.jsonl
  -h, --help         show this help.
                       e.g.  brook run --help

Checkpointed runs (docs/durability.md):
  --checkpoint-interval MS
                     take a checkpoint every MS ms of processing time and run the job with
                     the durable driver: crashes are real (the job is rebuilt from the newest
                     complete checkpoint), sinks write to an in-memory external store. Standard
                     output then shows what a reader of each sink sees after the run (its
                     committed contents, sink by sink, without processingTime), and standard
                     error a summary: checkpoints, failures and restarts, downtime, and per
                     sink what was duplicated or lost against the same run without failures.
                     Every flag below needs it.
                       e.g.  brook run examples/exactly-once.ts --checkpoint-interval 1000
  --checkpoint-mode aligned|unaligned
                     how operators handle checkpoint barriers: aligned (the default) waits for
                     a barrier on every input before snapshotting; unaligned lets the first
                     barrier overtake and keeps the records in flight as channel state.
                       e.g.  brook run pipeline.ts --checkpoint-interval 1000 --checkpoint-mode unaligned
  --checkpoint-timeout MS
                     abort a checkpoint that is not complete MS ms of processing time after it
                     was triggered ("Checkpoint expired before completing", counted as failed);
                     the job runs on and later checkpoints are taken as usual. Barriers take
                     processing time only behind operators with a processing cost (a driver
                     option, see docs/durability.md), so on the command line it rarely fires.
                       e.g.  brook run pipeline.ts --checkpoint-interval 1000 --checkpoint-timeout 600
  --incremental
                     incremental checkpoints: each operator's keyed state is written as the
                     changes since the last completed checkpoint (full again after 7 deltas,
                     or when half of it changed); savepoints stay full.
                       e.g.  brook run pipeline.ts --checkpoint-interval 1000 --incremental
  --crash-at PT[,PT...]
                     crash when the processing clock first reaches each time (ms); may be
                     repeated.
                       e.g.  brook run pipeline.ts --checkpoint-interval 1000 --crash-at 2500,7000
  --crash-phase PHASE[:N]
                     crash the N-th time (default 1) the job reaches PHASE: midSnapshotWrite
                     (while a checkpoint is written: nothing of it is stored),
                     afterPreCommit (a sink staged a transaction, not yet committed) or
                     afterCheckpointComplete; may be repeated.
                       e.g.  brook run pipeline.ts --checkpoint-interval 1000 --crash-phase afterPreCommit:2
  --crash-every-records N
                     crash just after the N-th, 2N-th, ... source record arrived (counted in
                     the run without failures; a crash strikes once the processing time of
                     that record's arrival has passed).
                       e.g.  brook run pipeline.ts --checkpoint-interval 1000 --crash-every-records 100
  --crash-random N   crash at N processing times drawn with the engine's seeded random
                     source (--seed; distinct whole ms, uniformly between the first and the
                     last record's arrival in the run without failures); the summary lists
                     them, and the same seed draws the same times.
                       e.g.  brook run examples/exactly-once.ts --checkpoint-interval 1000 --crash-random 5
  --restart SPEC     how the job restarts after a failure of its own (injected crashes always
                     restart at once): none | fixed:ATTEMPTS:DELAY | backoff:INITIAL:MAX
                     (the delay doubles, restarting forever) | failure-rate:MAX:INTERVAL:DELAY
                     (gives up after more than MAX failures within INTERVAL); times in ms,
                     default fixed:3:1000. Brook stops a job that fails the same way 25 times
                     in a row, whatever the strategy.
                       e.g.  brook run pipeline.ts --checkpoint-interval 1000 --restart fixed:5:2000
  --guarantee GUARANTEE
                     the delivery guarantee of every sink that does not choose its own with
                     sinkTo(name, { guarantee }): exactly-once (the default: records are
                     committed with each checkpoint), at-least-once (written at once; a
                     replay repeats them), at-most-once (written at once; after a crash the
                     sources resume where they were, so output may be lost) or upsert
                     (written by primary key: the record's key and window, or its value).
                       e.g.  brook run examples/exactly-once.ts --checkpoint-interval 1000 --crash-random 5 --guarantee at-least-once
  --stop-with-savepoint-at PT
                     take a savepoint once the processing clock reaches PT and stop there;
                     needs --savepoint-out.
                       e.g.  brook run examples/exactly-once.ts --checkpoint-interval 1000 --stop-with-savepoint-at 6000 --savepoint-out sp.json
  --savepoint-out FILE
                     where --stop-with-savepoint-at writes the savepoint (a JSON file).
                       e.g.  brook run pipeline.ts --checkpoint-interval 1000 --stop-with-savepoint-at 6000 --savepoint-out sp.json
  --from-savepoint FILE
                     start from a savepoint instead of from the beginning; the pipeline may
                     have changed: operators are matched by their .uid(...), and one whose
                     parallelism changed is rescaled (keyed state moves by key group, source
                     partitions are reassigned; the summary names it). A state now kept by
                     another kind of function (a window sum that became an aggregate, a value
                     state that became a list state, a count trigger's count now read by a
                     processing-time trigger) is refused unless the pipeline file exports a
                     migration for it, beside its default export:
                       export const migrations: StateMigrations = {
                         'totals': { 'window-panes': (old) => typeof old === 'number' ? { sum: old, n: 1 } : old },
                       };
                       e.g.  brook run pipeline.ts --checkpoint-interval 1000 --from-savepoint sp.json
  --allow-non-restored-state
                     with --from-savepoint: drop the state of operators the pipeline no
                     longer has, or whose uid now names another kind of operator (which then
                     starts empty), instead of refusing to start.
                       e.g.  brook run pipeline.ts --checkpoint-interval 1000 --from-savepoint sp.json --allow-non-restored-state

Exit status: 0 on success (a checkpointed job that finished or stopped with a savepoint);
1 when the pipeline does not compile, throws, or the input file is invalid (the message on
standard error names the file and line), or when the restart strategy gave up; 2 for a
mistake in the command line itself. Set BROOK_DEBUG=1 to see full stack traces.
`;

export const CHECK_HELP = `Usage: brook check [LESSON_ID...]

Verifies the content in lessons/ (docs/lessons.md), from the repository root: every lesson's
solution passes its check; every exercise's starter fails it where the lesson says so; every
moment (moment:0:12:07) lies within the solution's run; every glossary, lesson and guide link
resolves; every guide's pipeline runs; every glossary term is taught by a lesson (a warning
until the whole curriculum exists). With lesson ids (or folder names) it checks only those
lessons, and not the glossary or guides.

  e.g.  brook check
        brook check late-data 03-windows

Exit status: 0 when there is no error (warnings are printed but allowed); 1 when there is
one (each printed as file:line: error: message); 2 for a mistake in the command line.
`;

export const SAVEPOINT_HELP = `Usage: brook savepoint inspect FILE
       brook savepoint rewrite IN.json FIX.ts --out OUT.json

inspect   Prints what a savepoint file (written by \`brook run --stop-with-savepoint-at PT
          --savepoint-out FILE\`) holds: its id, the job, the processing time it was taken at,
          and per operator uid the keyed state it keeps: each state's number of entries and a
          few keys.
            e.g.  brook savepoint inspect sp.json

rewrite   The state processor API: fixes state in a savepoint instead of replaying the log.
          FIX.ts default-exports a function that reads and rewrites IN's keyed state; the
          rewritten savepoint (with a fresh checksum) goes to OUT. Prints, per operator and
          state, how many entries were updated and removed. IN is never written unless --out
          names it.
            import type { StateProcessor } from 'brook';
            export default (sp: StateProcessor) => {
              // A window's "window-panes" values are its contents (here the sum).
              sp.update('meter-totals', 'window-panes', (wh, e) => (e.key === 'm1' ? (wh as number) - 120 : wh));
              sp.remove('meter-totals', 'window-panes', (e) => e.key === 'm9');
            };
            e.g.  brook savepoint rewrite sp.json fix.ts --out fixed.json
                  brook run pipeline.ts --checkpoint-interval 1000 --from-savepoint fixed.json
  --out FILE        where to write the rewritten savepoint (required)

Exit status: 0 on success; 1 when a file cannot be read or written, is not a Brook savepoint,
is damaged (its checksum does not match), or the fix does not compile or throws (nothing is
written then); 2 for a mistake in the command line.
`;

/** Brook's version, from the package.json two folders up. */
export function brookVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const version: unknown = JSON.parse(text).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
