// A lesson's topics in the worker: EngineService.load produces them into the job's store (the
// page's IndexedDB behind store-rpc) on a fresh start and not again on a resume, the reference
// run of the output report has them too, and checkLesson runs lesson 12 over its compacted topic.

import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { readContentFiles } from '../../src/cli/check-command.ts';
import type { TopicPreload } from '../../src/engine/checkpoint/topic-preload.ts';
import { loadContent } from '../../src/lessons/load-content.ts';
import { IdbDurableStore } from '../../src/storage/idb-store.ts';
import { EngineService } from '../../src/worker/engine-service.ts';
import { DEFAULT_SETTINGS, type EngineApi, type RunSettings } from '../../src/worker/protocol.ts';
import { RemoteDurableStore, serveStore } from '../../src/worker/store-rpc.ts';
import { repoRoot } from '../cli/brook-cli.ts';

const TIERS: TopicPreload = {
  name: 'tiers',
  config: { partitions: 1, compacted: true },
  records: [
    { key: 'c1', value: { customer: 'c1', tier: 'standard' }, timestamp: 0 },
    { key: 'c1', value: { customer: 'c1', tier: 'gold' }, timestamp: 0 },
    { key: 'c2', value: { customer: 'c2', tier: 'silver' }, timestamp: 0 },
  ],
  compactBeforeStart: true,
  liveRecords: [{ key: 'c2', value: { customer: 'c2', tier: 'gold' }, timestamp: 5000 }],
};

const READ_TOPIC = `import type { Pipeline } from 'brook';
export default (p: Pipeline) => {
  p.fromTopic<{ customer: string; tier: string }>('tiers').map((r) => r.customer + ':' + r.tier).sink('read');
};
`;

const SETTINGS: RunSettings = { ...DEFAULT_SETTINGS, checkpointInterval: 1000, topics: [TIERS] };

const open: (() => void)[] = [];
afterEach(() => open.splice(0).forEach((close) => close()));

/** A worker: an EngineService behind comlink, its store behind store-rpc, both over real ports. */
function startWorker(store: IdbDurableStore) {
  const engine = new MessageChannel();
  const storeChannel = new MessageChannel();
  const stopServing = serveStore(storeChannel.port1, store);
  Comlink.expose(new EngineService(new RemoteDurableStore(storeChannel.port2)), engine.port1);
  const kill = () => {
    stopServing();
    for (const port of [engine.port1, engine.port2, storeChannel.port1, storeChannel.port2]) port.close();
  };
  open.push(kill);
  return { api: Comlink.wrap<EngineApi>(engine.port2), kill };
}

describe("a run's topics in the worker", () => {
  it('are produced and compacted in the job store before a fresh start, and the job reads them', async () => {
    const store = await IdbDurableStore.open('brook-job-topics', { indexedDB: new IDBFactory() });
    const { api } = startWorker(store);
    expect(await api.load(READ_TOPIC, SETTINGS, { jobId: 'job', resume: false, attempt: 1 })).toMatchObject({ ok: true });
    expect(await api.play(Number.POSITIVE_INFINITY)).toMatchObject({ finished: true });
    expect((await store.read('tiers', 0, 0, 100)).map((r) => [r.offset, r.key, (r.value as { tier: string }).tier])).toEqual([
      [1, 'c1', 'gold'],
      [2, 'c2', 'silver'],
      [3, 'c2', 'gold'],
    ]);
    // The failure-free reference (a memory store of its own) got the same topic.
    expect((await api.outputReport()).sinks.map((s) => [s.sink, s.expected, s.actual, s.exact])).toEqual([['read', 3, 3, true]]);
  });

  it('are not produced again when a fresh worker resumes the job after a crash', async () => {
    const store = await IdbDurableStore.open('brook-job-topics', { indexedDB: new IDBFactory() });
    const first = startWorker(store);
    await first.api.load(READ_TOPIC, SETTINGS, { jobId: 'job', resume: false, attempt: 1 });
    expect(await first.api.play(Number.POSITIVE_INFINITY, 3500)).toMatchObject({ finished: false });
    first.kill();

    const second = startWorker(store);
    expect(await second.api.load(READ_TOPIC, SETTINGS, { jobId: 'job', resume: true, attempt: 2 })).toMatchObject({ ok: true, restoredFrom: 3 });
    expect(await second.api.play(Number.POSITIVE_INFINITY)).toMatchObject({ finished: true });
    expect(await store.endOffset('tiers', 0)).toBe(4);
    expect((await store.read('tiers', 0, 0, 100)).map((r) => r.offset)).toEqual([1, 2, 3]);
  });
});

describe('checkLesson over a lesson with a compacted topic', () => {
  const { content } = loadContent(readContentFiles(repoRoot));
  const lesson = content.lessons.find((l) => l.id === 'joins-and-enrichment')!;

  it("passes lesson 12's solution and fails its starter with the check's message", async () => {
    const { api } = startWorker(await IdbDurableStore.open('brook-job-check', { indexedDB: new IDBFactory() }));
    const request = (source: string) => ({ source, checkSource: lesson.check.text, input: lesson.input, settings: lesson.settings });
    expect(await api.checkLesson(request(lesson.solution.text))).toEqual({ kind: 'verdict', pass: true, messages: [] });
    const starter = await api.checkLesson(request(lesson.starter.text));
    expect(starter).toMatchObject({ kind: 'verdict', pass: false });
    expect(starter.kind === 'verdict' && starter.messages[0]).toMatch(/^125 orders came in, but 113 never reached "orders-with-tier": e\.g\. order-0-9 of customer-0003 at 0:01:06\.171/);
  });
});
