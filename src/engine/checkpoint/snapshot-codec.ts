// Snapshots are stored as JSON text: encoding at the barrier makes the snapshot a deep copy of
// live state (later mutations cannot leak in), and text is what checksums and savepoint files
// need. Non-finite numbers, which JSON lacks and time values use (+inf is the end of time), are
// written as {"$num": "Infinity"} and read back as numbers.

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return { $num: String(value) };
  if (typeof value === 'bigint') throw new TypeError(`state cannot hold a bigint (${value}); store it as a string`);
  if (typeof value === 'function' || typeof value === 'symbol') {
    throw new TypeError(`state cannot hold a ${typeof value}; keep only JSON-compatible data in state`);
  }
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const n = o['$num'];
    if (typeof n === 'string' && Object.keys(o).length === 1) return Number(n);
  }
  return value;
}

/** Encodes a snapshot (or any state) as JSON text. */
export function encodeSnapshot(value: unknown): string {
  return JSON.stringify(value, replacer);
}

/** Decodes what encodeSnapshot wrote. */
export function decodeSnapshot<T>(text: string): T {
  return JSON.parse(text, reviver) as T;
}
