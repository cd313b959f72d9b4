// Entry point of `npm run bench` (bin/bench.mjs imports it): reads the flags and runs the
// benchmarks. Each benchmark lives in its own files beside this one (window-sum*.ts, and the
// durability ones: durability.ts with checkpoint-overhead.ts, snapshot-write.ts, recovery.ts).

import { DURABILITY_SIZES, runDurabilityBenchmarks } from './durability.ts';
import { runWindowSumBenchmark } from './window-sum.ts';

const HELP = `Usage: npm run bench [-- --quick] [-- --records N] [-- --repetitions N] [-- --seed N] [-- --verbose]

Benchmarks the Brook engine against a hand-written loop and RxJS on the same job (a keyed
tumbling event-time window sum with bounded out-of-orderness), checks that all three give the
same result, and prints records/s (median) and the lines "ratio engine/loop X" and
"ratio engine/rxjs Y".

Then the durability benchmarks, each timed side by side in one process (median of the
repetitions, interleaved):
  checkpointing overhead  the window sum in a DurableSession, checkpointing every second of
                          wall-clock processing time (as Flink's interval) to a
                          MemoryDurableStore, against the same session with only the final
                          checkpoint ("plain"); the first ${fmt(DURABILITY_SIZES.checkpointRecords.full)} records
                          (--quick: ${fmt(DURABILITY_SIZES.checkpointRecords.quick)})
                          -> "ratio checkpointed/plain X" (target >= 0.90)
  snapshot write          a snapshot of ${fmt(DURABILITY_SIZES.snapshotKeys)} keys' ValueState persisted as the driver
                          does (each part encoded chunk by chunk, a put per chunk, then the
                          sealed manifest, in one strict transaction) into an IdbDurableStore,
                          against one bulk idb transaction of the same parts (also strict):
                          first on fake-indexeddb (no disk: labelled, not the target)
                          -> "ratio snapshot/bulk-write (fake-indexeddb) Y", then in Chromium's
                          real IndexedDB as the product writes it (scripts/bench-durability.mjs,
                          if a Chromium is found; otherwise it says why it was skipped): the
                          snapshot encoded in an engine worker, each chunk posted on the store
                          RPC to the store worker, which checksums and puts it; the bulk write
                          in the store worker; the one-thread path printed for comparison
                          -> "ratio snapshot/bulk-write Y" (target <= 1.50)
  recovery                a crash at processing time ${fmt(DURABILITY_SIZES.crashAt)}: wall time from jobCrashed to the
                          first replayed record, on the memory and the IndexedDB store
                          -> "recovery memory ms Z" and "recovery idb ms W"

Flags:
  --quick            1,000,000 records and 3 repetitions instead of 5,000,000 and 5
                       (and the smaller checkpointing run)
                       e.g.  npm run bench -- --quick
  --records N        how many records to generate          e.g.  npm run bench -- --records 2000000
  --repetitions N    timed repetitions of each (after one warm-up)   e.g.  --repetitions 9
  --seed N           seed of the generated data (default 1)          e.g.  --seed 7
  --verbose          print the time of every run                     e.g.  --verbose
`;

interface BenchArgs {
  records: number;
  repetitions: number;
  seed: number;
  verbose: boolean;
  quick: boolean;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function parse(argv: readonly string[]): BenchArgs | 'help' {
  const args: BenchArgs = { records: 5_000_000, repetitions: 5, seed: 1, verbose: false, quick: false };
  const explicit = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--quick') args.quick = true;
    else if (arg === '--verbose') args.verbose = true;
    else if (arg === '--records' || arg === '--repetitions' || arg === '--seed') {
      const value = argv[++i];
      if (value === undefined || !/^\d+$/.test(value)) throw new Error(`${arg} needs a whole number`);
      args[arg === '--records' ? 'records' : arg === '--repetitions' ? 'repetitions' : 'seed'] = Number(value);
      explicit.add(arg);
    } else {
      throw new Error(`unknown flag ${arg}`);
    }
  }
  if (args.quick) {
    if (!explicit.has('--records')) args.records = 1_000_000;
    if (!explicit.has('--repetitions')) args.repetitions = 3;
  }
  if (args.records < 1 || args.repetitions < 1) throw new Error('--records and --repetitions must be at least 1');
  return args;
}

async function main(argv: readonly string[]): Promise<number> {
  let args: BenchArgs | 'help';
  try {
    args = parse(argv);
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\nRun \`npm run bench -- --help\` for usage.\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const print = (line: string) => process.stdout.write(line + '\n');
  const windowSum = runWindowSumBenchmark(args, print);
  print('');
  const durability = await runDurabilityBenchmarks(args, print);
  return Math.max(windowSum, durability);
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
