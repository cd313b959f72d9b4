// Names the two runs of a what-if comparison by what sets them apart (delivery guarantee, watermark
// bound, accumulation, other code), so the A and B headings say what is being compared.
// Invariant: pure; equal variants are both called "same code and settings".
import type { RunSettings } from '../../worker/protocol.ts';
import type { Variant } from './what-if-presets.ts';

const GUARANTEE: Record<RunSettings['guarantee'], string> = {
  atMostOnce: 'at-most-once',
  atLeastOnce: 'at-least-once',
  exactlyOnce: 'exactly-once',
  upsert: 'upsert',
};

function bounds(code: string): string {
  const found = [...code.matchAll(/\bboundedOutOfOrderness\s*\(([^()]*(?:\([^()]*\))?[^()]*)\)/g)].map((m) => m[1]!.trim());
  return found.length > 0 ? `watermark delay ${found.join(', ')}` : '';
}

function accumulation(code: string): string {
  if (/\.discardingFiredPanes\(\)/.test(code)) return 'discarding';
  if (/\.accumulatingAndRetractingFiredPanes\(\)/.test(code)) return 'accumulating and retracting';
  return /\.window\s*\(/.test(code) ? 'accumulating' : '';
}

/**
 * Headings for runs A and B: the aspects in which they differ, each side's own value.
 * @example describeVariant(a, { ...a, settings: { ...a.settings, guarantee: 'atLeastOnce' } }) // { a: 'exactly-once', b: 'at-least-once' }
 */
export function describeVariant(a: Variant, b: Variant): { a: string; b: string } {
  const aspects: [string, string][] = [];
  if (a.settings.guarantee !== b.settings.guarantee) aspects.push([GUARANTEE[a.settings.guarantee], GUARANTEE[b.settings.guarantee]]);
  if (a.settings.checkpointInterval !== b.settings.checkpointInterval) {
    const ci = (s: RunSettings) => (s.checkpointInterval === null ? 'no checkpoints' : `checkpoints every ${s.checkpointInterval} ms`);
    aspects.push([ci(a.settings), ci(b.settings)]);
  }
  if (a.code !== b.code) {
    const before = aspects.length;
    if (bounds(a.code) !== bounds(b.code)) aspects.push([bounds(a.code) || 'no bounded watermark', bounds(b.code) || 'no bounded watermark']);
    if (accumulation(a.code) !== accumulation(b.code)) aspects.push([accumulation(a.code) || 'no windows', accumulation(b.code) || 'no windows']);
    if (aspects.length === before) aspects.push(['its own code', 'edited code']);
  }
  if (aspects.length === 0) return { a: 'same code and settings', b: 'same code and settings' };
  return { a: aspects.map((x) => x[0]).join(' · '), b: aspects.map((x) => x[1]).join(' · ') };
}
