// A shared run in a link: the code, the RunSettings (seed, input and crash times included), the
// chosen panels and, for a what-if comparison, run B's code and settings, as JSON compressed by lz-string into a URL-safe string (`#/playground?s=`).
// Invariant: decodeShare(encodeShare(run)) equals run, and any other string gives a clear error,
// never an exception, so a broken link shows a message instead of a broken page.
import LZString from 'lz-string';
import type { CheckpointMode } from '../../engine/checkpoint/checkpoint-coordinator.ts';
import type { RestartStrategy } from '../../engine/checkpoint/restart-strategy.ts';
import type { TopicPreload } from '../../engine/checkpoint/topic-preload.ts';
import type { DeliveryGuarantee } from '../../engine/connectors/delivery-sink.ts';
import { PANEL_IDS, type PanelId } from '../../viz/panel.ts';
import type { RunSettings } from '../../worker/protocol.ts';

/** What a link reproduces. */
export interface SharedRun {
  readonly code: string;
  readonly settings: RunSettings;
  readonly panels: readonly PanelId[];
  /** What-if: run B, compared with this run on the same clock. */
  readonly compare?: { readonly code: string; readonly settings: RunSettings };
}

export type DecodeResult = { readonly ok: true; readonly run: SharedRun } | { readonly ok: false; readonly error: string };

/** The version of the link format; older links keep decoding when it grows. */
const FORMAT = 1;

/**
 * The `s` parameter of a share link.
 * @example encodeShare({ code, settings: DEFAULT_SETTINGS, panels: ['time'] })
 */
export function encodeShare(run: SharedRun): string {
  const payload = { v: FORMAT, code: run.code, settings: run.settings, panels: run.panels, ...(run.compare ? { b: run.compare } : {}) };
  return LZString.compressToEncodedURIComponent(JSON.stringify(payload));
}

const MODES: readonly CheckpointMode[] = ['aligned', 'unaligned'];
const GUARANTEES: readonly DeliveryGuarantee[] = ['atMostOnce', 'atLeastOnce', 'exactlyOnce', 'upsert'];

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isNum(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

class LinkError extends Error {}

function need(cond: boolean, what: string): asserts cond {
  if (!cond) throw new LinkError(what);
}

function readRestart(x: unknown): RestartStrategy {
  need(isObj(x), 'the restart strategy is missing');
  switch (x.kind) {
    case 'none':
      return { kind: 'none' };
    case 'fixedDelay':
      need(isNum(x.attempts) && x.attempts >= 0 && isNum(x.delay) && x.delay >= 0, 'the fixed-delay restart strategy needs attempts and delay');
      return { kind: 'fixedDelay', attempts: x.attempts, delay: x.delay };
    case 'exponentialBackoff':
      need(isNum(x.initial) && isNum(x.max) && (x.multiplier === undefined || isNum(x.multiplier)), 'the exponential-backoff restart strategy needs initial and max');
      return x.multiplier === undefined
        ? { kind: 'exponentialBackoff', initial: x.initial, max: x.max }
        : { kind: 'exponentialBackoff', initial: x.initial, max: x.max, multiplier: x.multiplier };
    case 'failureRate':
      need(isNum(x.maxFailures) && isNum(x.interval) && isNum(x.delay), 'the failure-rate restart strategy needs maxFailures, interval and delay');
      return { kind: 'failureRate', maxFailures: x.maxFailures, interval: x.interval, delay: x.delay };
    default:
      throw new LinkError(`unknown restart strategy ${JSON.stringify(x.kind)}`);
  }
}

function readSettings(x: unknown): RunSettings {
  need(isObj(x), 'the settings are missing');
  need(isNum(x.seed) && Number.isInteger(x.seed), 'the seed must be an integer');
  need(x.checkpointInterval === null || (isNum(x.checkpointInterval) && x.checkpointInterval > 0), 'the checkpoint interval must be a positive number or null');
  need(MODES.includes(x.checkpointMode as CheckpointMode), `unknown checkpoint mode ${JSON.stringify(x.checkpointMode)}`);
  need(x.incremental === undefined || typeof x.incremental === 'boolean', 'incremental must be true or false');
  need(GUARANTEES.includes(x.guarantee as DeliveryGuarantee), `unknown delivery guarantee ${JSON.stringify(x.guarantee)}`);
  need(Array.isArray(x.crashAt) && x.crashAt.every(isNum), 'crash times must be a list of numbers');
  const crashAt = [...(x.crashAt as number[])].sort((a, b) => a - b);
  return {
    seed: x.seed,
    checkpointInterval: x.checkpointInterval as number | null,
    checkpointMode: x.checkpointMode as CheckpointMode,
    ...(x.incremental === true ? { incremental: true } : {}),
    guarantee: x.guarantee as DeliveryGuarantee,
    restart: readRestart(x.restart),
    ...(x.input !== undefined ? { input: x.input } : {}),
    crashAt,
    ...(x.topics !== undefined ? { topics: readTopics(x.topics) } : {}),
  };
}

/** A lesson's pre-loaded topics; each is checked again where it is produced (topic-preload.ts). */
function readTopics(x: unknown): TopicPreload[] {
  need(Array.isArray(x) && x.every((t) => isObj(t) && typeof t.name === 'string' && isObj(t.config)), 'the topics must be a list of { name, config, ... }');
  return x as TopicPreload[];
}

function readPanels(x: unknown): PanelId[] {
  need(Array.isArray(x), 'the panel list is missing');
  return x.filter((p): p is PanelId => (PANEL_IDS as readonly unknown[]).includes(p));
}

/**
 * The run a share link's `s` parameter holds, or why it cannot be read.
 * @example decodeShare('garbage') // { ok: false, error: 'This link is damaged: ...' }
 */
export function decodeShare(s: string): DecodeResult {
  let text: string | null;
  try {
    text = LZString.decompressFromEncodedURIComponent(s);
  } catch {
    text = null;
  }
  if (!text) return { ok: false, error: 'This link is damaged: its run cannot be decompressed (was it cut short when copied?).' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: 'This link is damaged: its run is not valid JSON (was it cut short when copied?).' };
  }
  try {
    need(isObj(data), 'it holds no run');
    need(data.v === FORMAT, `it was made by a newer version of Brook (format ${JSON.stringify(data.v)})`);
    need(typeof data.code === 'string', 'it holds no code');
    const run = { code: data.code, settings: readSettings(data.settings), panels: readPanels(data.panels) };
    if (data.b === undefined) return { ok: true, run };
    need(isObj(data.b) && typeof data.b.code === 'string', 'its run B holds no code');
    return { ok: true, run: { ...run, compare: { code: data.b.code, settings: readSettings(data.b.settings) } } };
  } catch (e) {
    if (e instanceof LinkError) return { ok: false, error: `This link cannot be opened: ${e.message}.` };
    throw e;
  }
}

/** A short stable name for a shared run (FNV-1a of its link), for job ids of embeds. */
export function jobHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
