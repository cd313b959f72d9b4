// Reading the settings form's text fields into RunSettings values: crash times and the
// TestStream input. Invariant: a field that does not parse gives a message for the form and
// leaves the settings as they were.

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/**
 * Crash times typed as processing-time milliseconds, separated by commas or spaces.
 * @example parseCrashTimes('2500, 1000') // { ok: true, value: [1000, 2500] }
 */
export function parseCrashTimes(text: string): Parsed<number[]> {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  const out: number[] = [];
  for (const p of parts) {
    const n = Number(p);
    if (!Number.isFinite(n) || n < 0) return { ok: false, error: `“${p}” is not a processing time in milliseconds` };
    out.push(n);
  }
  return { ok: true, value: out.sort((a, b) => a - b) };
}

export function formatCrashTimes(times: readonly number[]): string {
  return times.join(', ');
}

/** The input field: empty means no scripted input; otherwise TestStream JSON (`{"steps": [...]}`). */
export function parseInput(text: string): Parsed<unknown> {
  if (text.trim() === '') return { ok: true, value: undefined };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `The input is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { steps?: unknown }).steps)) {
    return { ok: false, error: 'The input must be a TestStream: an object with a "steps" list' };
  }
  return { ok: true, value: data };
}

export function formatInput(input: unknown): string {
  return input === undefined ? '' : JSON.stringify(input, null, 2);
}
