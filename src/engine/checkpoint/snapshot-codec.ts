// Snapshots are stored as JSON text: encoding at the barrier makes the snapshot a deep copy of
// live state (later mutations cannot leak in), and text is what checksums and savepoint files
// need. Non-finite numbers, which JSON lacks and time values use (+inf is the end of time), are
// written as {"$num": "Infinity"} and read back as numbers.
//
// Native JSON.stringify and JSON.parse are several times faster without a replacer or reviver,
// so encoding swaps each non-finite number for its marker in place (remembering where), lets
// the native encoder run, and swaps the numbers back before returning; decoding walks the
// parsed tree only when the text holds a marker at all.

const MARK = '$num';

/**
 * Objects nested deeper than this are tracked in a Set to find cycles. State is shallow and wide
 * (100,000 small [key, namespace, value] entries under one table), and a Set add and delete per
 * object cost as much as JSON.stringify itself; a cycle makes the walk go deeper forever, so it
 * still meets a tracked object again below this depth.
 */
const TRACK_CYCLES_BELOW = 32;

type Slot = { readonly holder: Record<string, unknown> | unknown[]; readonly key: string | number; readonly value: number };

/**
 * Replaces non-finite numbers under `value` by markers, recording each replacement in `slots`.
 * `seen` holds the objects above `value` deeper than TRACK_CYCLES_BELOW (undefined above it).
 */
function mark(value: unknown, slots: Slot[], depth: number, seen: Set<object> | undefined): void {
  if (value === null || typeof value !== 'object') return;
  if (depth >= TRACK_CYCLES_BELOW) {
    seen ??= new Set();
    if (seen.has(value)) throw new TypeError('state cannot hold a cycle; keep only JSON-compatible data in state');
    seen.add(value);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) {
          slots.push({ holder: value, key: i, value: v });
          value[i] = { [MARK]: String(v) };
        }
      } else if (typeof v === 'object' && v !== null) mark(v, slots, depth + 1, seen);
      else check(v);
    }
  } else {
    const o = value as Record<string, unknown>;
    for (const k in o) {
      const v = o[k];
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) {
          slots.push({ holder: o, key: k, value: v });
          o[k] = { [MARK]: String(v) };
        }
      } else if (typeof v === 'object' && v !== null) mark(v, slots, depth + 1, seen);
      else check(v);
    }
  }
  seen?.delete(value);
}

function check(v: unknown): void {
  if (typeof v === 'bigint') throw new TypeError(`state cannot hold a bigint (${v}); store it as a string`);
  if (typeof v === 'function' || typeof v === 'symbol') {
    throw new TypeError(`state cannot hold a ${typeof v}; keep only JSON-compatible data in state`);
  }
}

/** Encodes a snapshot (or any state) as JSON text. */
export function encodeSnapshot(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return JSON.stringify({ [MARK]: String(value) });
  const slots: Slot[] = [];
  mark(value, slots, 0, undefined);
  try {
    return JSON.stringify(value);
  } finally {
    for (const s of slots) (s.holder as Record<string | number, unknown>)[s.key] = s.value;
  }
}

/** Turns markers under `value` back into numbers, in place; returns the value (or its number). */
function revive(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i]);
    return value;
  }
  const o = value as Record<string, unknown>;
  const n = o[MARK];
  if (typeof n === 'string') {
    let count = 0;
    for (const _ in o) count++;
    if (count === 1) return Number(n);
  }
  for (const k in o) o[k] = revive(o[k]);
  return o;
}

/** Decodes what encodeSnapshot wrote. */
export function decodeSnapshot<T>(text: string): T {
  const parsed: unknown = JSON.parse(text);
  return (text.includes('"$num"') ? revive(parsed) : parsed) as T;
}
