// The Check button's work over the worker's API, as the page calls it: comlink over a
// MessageChannel to an EngineService, which compiles the learner's pipeline and the lesson's
// check.ts with sucrase and judges the pipeline headless (as `brook check` does).

import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { readContentFiles } from '../../src/cli/check-command.ts';
import { loadContent } from '../../src/lessons/load-content.ts';
import type { Lesson } from '../../src/lessons/lesson.ts';
import { IdbDurableStore } from '../../src/storage/idb-store.ts';
import { EngineService } from '../../src/worker/engine-service.ts';
import type { EngineApi, LessonCheckRequest } from '../../src/worker/protocol.ts';
import { RemoteDurableStore, serveStore } from '../../src/worker/store-rpc.ts';
import { repoRoot } from '../cli/brook-cli.ts';

const { content } = loadContent(readContentFiles(repoRoot));

function lesson(folder: string): Lesson {
  const found = content.lessons.find((l) => l.folder === folder);
  if (!found) throw new Error(`no lesson ${folder}`);
  return found;
}

function request(l: Lesson, source: string, checkSource = l.check.text): LessonCheckRequest {
  return { source, checkSource, input: l.input, settings: l.settings };
}

const open: (() => void)[] = [];
afterEach(() => open.splice(0).forEach((close) => close()));

/** A worker's EngineService behind comlink on a real port, as the sandbox serves it. */
async function startWorker(): Promise<Comlink.Remote<EngineApi>> {
  const store = await IdbDurableStore.open('brook-job-check', { indexedDB: new IDBFactory() });
  const engine = new MessageChannel();
  const storeChannel = new MessageChannel();
  const stopServing = serveStore(storeChannel.port1, store);
  Comlink.expose(new EngineService(new RemoteDurableStore(storeChannel.port2)), engine.port1);
  open.push(() => {
    stopServing();
    for (const port of [engine.port1, engine.port2, storeChannel.port1, storeChannel.port2]) port.close();
  });
  return Comlink.wrap<EngineApi>(engine.port2);
}

const LESSON_1 = '01-events-and-pipelines';
const LESSON_6 = '06-late-data';

describe('checkLesson over the worker API', () => {
  it("passes lesson 1's solution and fails its starter with the check's own message", async () => {
    const api = await startWorker();
    const l = lesson(LESSON_1);
    expect(await api.checkLesson(request(l, l.solution.text))).toEqual({ kind: 'verdict', pass: true, messages: [] });
    expect(await api.checkLesson(request(l, l.starter.text))).toEqual({
      kind: 'verdict',
      pass: false,
      messages: [
        'the totals are kept per "EUR", which is not a customer: key the orders by their customer, so that each customer gets a running total of their own',
      ],
    });
  });

  it("passes lesson 6's solution and fails its starter with the check's own message", async () => {
    const api = await startWorker();
    const l = lesson(LESSON_6);
    expect(await api.checkLesson(request(l, l.solution.text))).toEqual({ kind: 'verdict', pass: true, messages: [] });
    const starter = await api.checkLesson(request(l, l.starter.text));
    expect(starter.kind === 'verdict' && starter.messages[0]).toBe(
      '259 usage events (1459 API calls from 20 customers) were dropped as late, so nobody is billed for them: ' +
        "e.g. cust-002's usage from 0:00:04.850 arrived at 0:15:06.930, when the watermark was already at 0:14:53.747. " +
        'Keep each window open for late usage for 10 minutes after it ends, and send what comes later still to a side output instead of dropping it.',
    );
    expect(starter).toMatchObject({ kind: 'verdict', pass: false });
  });

  it('a pipeline that does not compile is reported as the learner\'s compile error, with its line', async () => {
    const api = await startWorker();
    const l = lesson(LESSON_1);
    const result = await api.checkLesson(request(l, 'const threshold = 5000;\nconst euros = ;\nexport default () => {};\n'));
    expect(result).toMatchObject({ kind: 'error', where: 'pipeline', error: { kind: 'compile', line: 2 } });
  });

  it('a pipeline that throws while running fails the check with what it threw', async () => {
    const api = await startWorker();
    const l = lesson(LESSON_1);
    const throwing = l.solution.text.replace('.filter((order) => order.amountCents >= 5000)', ".filter(() => { throw new Error('no orders today'); })");
    expect(throwing).not.toBe(l.solution.text);
    const result = await api.checkLesson(request(l, throwing));
    expect(result.kind === 'verdict' && !result.pass && result.messages[0]).toMatch(/^your pipeline did not run to the end: .*no orders today/);
  });

  it("a check that throws is reported as the check's failure, not the learner's", async () => {
    const api = await startWorker();
    const l = lesson(LESSON_1);
    const result = await api.checkLesson(request(l, l.solution.text, "export default () => { throw new TypeError('broken check'); };"));
    expect(result).toEqual({
      kind: 'error',
      where: 'check',
      error: { kind: 'internal', message: "the lesson's check threw TypeError: broken check" },
    });
  });
});
