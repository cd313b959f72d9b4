// PLACEHOLDER until the engine API lands: reuses the loop so the harness can be exercised.
import type { SumRecord, WindowSumJob, WindowSumResult } from './window-sum-dataset.ts';
import { windowSumLoop } from './window-sum-loop.ts';
export function windowSumEngine(records: readonly SumRecord[], job: WindowSumJob): WindowSumResult {
  return windowSumLoop(records, job);
}
