// What-if presets: run B set up from run A in one click — a longer watermark delay, the other
// accumulation mode, the other delivery guarantee. Code presets are plain text edits (no parse):
// each says what it changed, and one that does not apply says why instead of guessing.
// Invariant: pure; A is never changed.
import type { RunSettings } from '../../worker/protocol.ts';

export type PresetId = 'watermark' | 'accumulation' | 'guarantee';

export interface Variant {
  readonly code: string;
  readonly settings: RunSettings;
}

export type PresetResult =
  | { readonly ok: true; readonly b: Variant; /** What B got, in words. */ readonly did: string }
  | { readonly ok: false; readonly why: string };

export const PRESET_TITLES: Record<PresetId, string> = {
  watermark: 'Watermark delay 30 s',
  accumulation: 'Discarding ↔ accumulating',
  guarantee: 'Exactly-once ↔ at-least-once',
};

/** The index just past the `)` closing the `(` at `open`, or -1. */
function closingParen(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '(') depth++;
    else if (code[i] === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

const lineOf = (code: string, index: number): number => code.slice(0, index).split('\n').length;

/** Every `boundedOutOfOrderness(...)` gets a 30 s bound (`30_000` ms). */
function longerWatermarkDelay(a: Variant): PresetResult {
  const call = /\bboundedOutOfOrderness\s*\(/g;
  let code = a.code;
  const changed: string[] = [];
  for (let m = call.exec(code); m; m = call.exec(code)) {
    const open = m.index + m[0].length - 1;
    const end = closingParen(code, open);
    if (end < 0) break;
    const arg = code.slice(open + 1, end - 1).trim();
    if (arg !== '30_000') {
      changed.push(`line ${lineOf(code, m.index)}: ${arg} → 30_000`);
      code = `${code.slice(0, open + 1)}30_000${code.slice(end - 1)}`;
    }
    call.lastIndex = open + 1;
  }
  if (changed.length === 0) {
    return /\bboundedOutOfOrderness\s*\(/.test(a.code)
      ? { ok: false, why: 'The watermark delay is already 30 s.' }
      : { ok: false, why: 'The code has no boundedOutOfOrderness(...) watermark strategy to change.' };
  }
  return { ok: true, b: { code, settings: a.settings }, did: `B's boundedOutOfOrderness bound is 30 s (${changed.join('; ')}).` };
}

/** `.accumulatingFiredPanes()` ↔ `.discardingFiredPanes()`; a window without either gets discarding. */
function otherAccumulation(a: Variant): PresetResult {
  if (/\.accumulatingFiredPanes\(\)/.test(a.code)) {
    return { ok: true, b: { code: a.code.replace(/\.accumulatingFiredPanes\(\)/g, '.discardingFiredPanes()'), settings: a.settings }, did: 'B discards fired panes: .accumulatingFiredPanes() became .discardingFiredPanes().' };
  }
  if (/\.discardingFiredPanes\(\)/.test(a.code)) {
    return { ok: true, b: { code: a.code.replace(/\.discardingFiredPanes\(\)/g, '.accumulatingFiredPanes()'), settings: a.settings }, did: 'B accumulates fired panes: .discardingFiredPanes() became .accumulatingFiredPanes().' };
  }
  // Accumulating is Brook's default: add discarding after each `.window(...)`.
  const call = /\.window\s*\(/g;
  let code = a.code;
  const lines: number[] = [];
  for (let m = call.exec(code); m; m = call.exec(code)) {
    const end = closingParen(code, m.index + m[0].length - 1);
    if (end < 0) break;
    lines.push(lineOf(code, m.index));
    code = `${code.slice(0, end)}.discardingFiredPanes()${code.slice(end)}`;
    call.lastIndex = end;
  }
  if (lines.length === 0) return { ok: false, why: 'The code has no .window(...) whose panes could accumulate or discard.' };
  return { ok: true, b: { code, settings: a.settings }, did: `B discards fired panes (A accumulates, Brook's default): .discardingFiredPanes() added after .window(...) on line ${lines.join(', ')}.` };
}

/** The run settings' guarantee, for sinks that do not choose their own. */
function otherGuarantee(a: Variant): PresetResult {
  const guarantee = a.settings.guarantee === 'exactlyOnce' ? 'atLeastOnce' : 'exactlyOnce';
  const name = guarantee === 'exactlyOnce' ? 'exactly-once' : 'at-least-once';
  const crash = a.settings.crashAt.length > 0 ? '' : ' Add a crash (Crash now, or the settings) to see them differ.';
  return { ok: true, b: { code: a.code, settings: { ...a.settings, guarantee } }, did: `B's sinks are ${name} (the run setting; sinks that choose their own keep it).${crash}` };
}

/**
 * B set up from A by a preset, or why the preset does not apply to A.
 * @example
 * applyPreset('guarantee', a) // { ok: true, b: { ...a, settings: { ...a.settings, guarantee: 'atLeastOnce' } }, did }
 */
export function applyPreset(id: PresetId, a: Variant): PresetResult {
  switch (id) {
    case 'watermark':
      return longerWatermarkDelay(a);
    case 'accumulation':
      return otherAccumulation(a);
    case 'guarantee':
      return otherGuarantee(a);
  }
}
