// The texts `brook --help`, `brook run --help` and `brook --version` print.
// Every flag args.ts accepts is described here, each with an example.

import { readFileSync } from 'node:fs';

export const BROOK_HELP = `brook — run Brook stream-processing pipelines from the command line

Usage:
  brook run PIPELINE.ts [--input FILE.json] [--seed N] [--trace FILE]
  brook --help             show this help (\`brook run --help\` for the run command)
  brook --version          print Brook's version

Commands:
  run      run a pipeline file headless and print every record that reaches a sink,
           one JSON object per line

Examples:
  brook run examples/word-count.ts
  brook run examples/sessions.ts --input examples/sessions-input.json
  brook run examples/late-data.ts --input examples/late-data-input.json --trace trace.jsonl
`;

export const RUN_HELP = `Usage: brook run PIPELINE.ts [--input FILE.json] [--seed N] [--trace FILE]

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

Exit status: 0 on success; 1 when the pipeline does not compile, throws, or the input file
is invalid (the message on standard error names the file and line); 2 for a mistake in the
command line itself. Set BROOK_DEBUG=1 to see full stack traces.
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
