// One JSON encoding for everything the engine writes out (sink records, trace lines,
// snapshots): infinite times become the strings "+inf" and "-inf" instead of JSON's null.

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    if (value === Number.POSITIVE_INFINITY) return '+inf';
    if (value === Number.NEGATIVE_INFINITY) return '-inf';
    return 'NaN';
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** JSON.stringify with the engine's encoding of infinite times. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, replacer);
}
