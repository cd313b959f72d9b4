// A lesson opened at a moment: `#/learn/<id>?t=<ms>` (what `lesson:<id>@<moment>` links in the
// glossary and guides lead to). Invariant: anything but a finite, non-negative time is no moment.

/**
 * The timeline time (ms) a lesson's hash asks to open at, if any.
 * @example momentOfHash('#/learn/late-data?t=727000') // 727000
 */
export function momentOfHash(hash: string): number | undefined {
  const q = hash.indexOf('?');
  if (q < 0) return undefined;
  const t = new URLSearchParams(hash.slice(q + 1)).get('t');
  if (t === null || t.trim() === '') return undefined;
  const ms = Number(t);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
