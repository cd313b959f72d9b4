// `brook savepoint inspect` names each state's kind and, for a state kept with a TTL, when its
// values expire (the state processor reads them without their stamps).

import { describe, expect, it } from 'vitest';
import type { PipelineBuilder } from '../../src/engine/api/index.ts';
import { runDurable } from '../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../src/engine/checkpoint/memory-store.ts';
import { describeSavepoint } from '../../src/cli/savepoint-command.ts';

const counting: PipelineBuilder = (p) => {
  p.fromArray(Array.from({ length: 40 }, (_, i) => ({ key: i % 2 === 0 ? 'a' : 'b', seq: i })), { timestampOf: (r) => r.seq * 100, uid: 'letters' })
    .keyBy((r) => r.key)
    .process<number>({
      processElement(_, ctx) {
        const seen = ctx.state.value<number>('seen', { ttl: { ttl: 60_000 } });
        seen.update((seen.value() ?? 0) + 1);
        ctx.output(seen.value()!);
      },
    })
    .uid('counter')
    .sink('out');
};

describe('savepoint inspect', () => {
  it('names a state kept with a TTL and when its values expire', async () => {
    const r = await runDurable(counting, { store: new MemoryDurableStore(), jobId: 'letters', checkpointInterval: 1000, stopWithSavepointAt: 1550 });
    const line = describeSavepoint(r.savepoint!).find((l) => l.includes('state "seen"'));
    expect(line).toMatch(/^ {4}state "seen" \(value state with ttl\): 2 entries; keys "a", "b"; expiring at processing time \d+(–\d+)? \(TTL\)$/);
  });
});
