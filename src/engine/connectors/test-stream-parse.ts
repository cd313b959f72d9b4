// Validation of TestStream input: JSON values and JSON text, with errors that name the exact
// path (`steps[3].addElements[1].timestamp`) or file position. The builder in test-stream.ts
// runs every step through the same checks, so parsed and built specs obey the same rules.

import { InputError } from '../errors.ts';
import type { TestStreamElement, TestStreamSpec, TestStreamStep } from './test-stream.ts';

const KINDS = ['addElements', 'advanceWatermarkTo', 'advanceProcessingTime', 'advanceWatermarkToInfinity'];
const ELEMENT_FIELDS = ['value', 'timestamp', 'key'];

/** What the steps so far imply for the next one (a builder keeps a copy per version). */
export interface StepRules {
  watermark: number;
  watermarkPath: string;
  infinityPath: string;
}

/** The rules before any step: the watermark is unset and the input is open. */
export const freshRules = (): StepRules => ({ watermark: Number.NEGATIVE_INFINITY, watermarkPath: '', infinityPath: '' });

/** A short rendering of a bad value for messages: `"12:00"`, `NaN`, `{"a":1}`. */
function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'function') return 'a function';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function child(path: string, key: string): string {
  const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  return path === '' ? name : name.startsWith('[') ? path + name : `${path}.${name}`;
}

function finiteTime(v: unknown, path: string, what = 'milliseconds', hint = ''): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new InputError(path, `expected a finite number of ${what}, got ${show(v)}${hint}`);
  }
  return v;
}

/** Edit distance, so a misspelt step kind can be answered with "did you mean ...?". */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1;
      next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + cost));
    }
    row = next;
  }
  return row[b.length]!;
}

function suggestion(key: string, known: readonly string[]): string {
  const best = known.reduce((a, b) => (distance(key, a) <= distance(key, b) ? a : b));
  return distance(key, best) <= Math.max(2, Math.floor(best.length / 3)) ? `; did you mean "${best}"?` : '';
}

function quoteList(names: readonly string[]): string {
  const q = names.map((n) => `"${n}"`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

function parseElement(raw: unknown, path: string): TestStreamElement<unknown> {
  if (!isObject(raw)) {
    throw new InputError(path, `expected an element {"value": ..., "timestamp": MS}, got ${show(raw)}`);
  }
  for (const k of Object.keys(raw)) {
    if (!ELEMENT_FIELDS.includes(k)) {
      const hint = suggestion(k, ELEMENT_FIELDS);
      throw new InputError(child(path, k), `unknown field; an element has "value", "timestamp" and optionally "key"${hint}`);
    }
  }
  for (const k of ['value', 'timestamp']) {
    if (!(k in raw)) throw new InputError(path, `missing "${k}"; every element needs "value" and "timestamp"`);
  }
  if (raw.value === undefined) throw new InputError(child(path, 'value'), 'undefined is not a value; use null for "no value"');
  const element: TestStreamElement<unknown> = {
    value: raw.value,
    timestamp: finiteTime(raw.timestamp, child(path, 'timestamp')),
  };
  if ('key' in raw && raw.key !== undefined) {
    const key = raw.key;
    if (typeof key !== 'string' && !(typeof key === 'number' && Number.isFinite(key))) {
      throw new InputError(child(path, 'key'), `expected a string or a finite number, got ${show(key)}`);
    }
    element.key = key;
  }
  return element;
}

/** Checks one raw step against the rules so far (updating them) and returns it typed. */
export function parseStep(raw: unknown, path: string, rules: StepRules): TestStreamStep<unknown> {
  if (!isObject(raw)) {
    throw new InputError(path, `expected a step object such as {"advanceWatermarkTo": 1000}, got ${show(raw)}`);
  }
  const keys = Object.keys(raw);
  for (const k of keys) {
    if (!KINDS.includes(k)) {
      throw new InputError(child(path, k), `unknown step kind; expected one of ${quoteList(KINDS)}${suggestion(k, KINDS)}`);
    }
  }
  if (keys.length === 0) throw new InputError(path, `empty step; expected exactly one of ${quoteList(KINDS)}`);
  if (keys.length > 1) {
    throw new InputError(path, `a step has exactly one kind, got ${quoteList(keys)}; split it into ${keys.length} steps`);
  }
  const kind = keys[0]!;
  const at = child(path, kind);
  const arg = raw[kind];
  if (rules.infinityPath !== '' && kind !== 'advanceProcessingTime') {
    const what = kind === 'addElements' ? 'no elements can be added after the watermark' : 'the watermark cannot move after it';
    throw new InputError(path, `${what} reached infinity at ${rules.infinityPath}`);
  }
  switch (kind) {
    case 'addElements': {
      if (!Array.isArray(arg)) {
        throw new InputError(at, `expected an array of elements like [{"value": "a", "timestamp": 0}], got ${show(arg)}`);
      }
      return { kind, elements: arg.map((e, i) => parseElement(e, `${at}[${i}]`)) };
    }
    case 'advanceWatermarkTo': {
      const hint = arg === Number.POSITIVE_INFINITY ? ' (to end the input use {"advanceWatermarkToInfinity": true})' : '';
      const time = finiteTime(arg, at, 'milliseconds', hint);
      if (time < rules.watermark) {
        throw new InputError(at, `the watermark cannot go backwards, from ${rules.watermark} (${rules.watermarkPath}) to ${time}`);
      }
      rules.watermark = time;
      rules.watermarkPath = path;
      return { kind, time };
    }
    case 'advanceProcessingTime': {
      const duration = finiteTime(arg, at);
      if (duration < 0) {
        throw new InputError(at, `expected a duration >= 0 milliseconds, got ${duration}; processing time never goes backwards`);
      }
      return { kind, duration };
    }
    default: {
      if (arg !== true) throw new InputError(at, `expected true, got ${show(arg)}`);
      rules.infinityPath = path;
      return { kind: 'advanceWatermarkToInfinity' };
    }
  }
}

/**
 * Validates a parsed JSON value as a TestStream and returns it typed. Throws an `InputError`
 * whose path points at the problem, e.g. `steps[3].addElements[1].timestamp`.
 * @example
 * const spec = parseTestStream({ steps: [{ addElements: [{ value: 'a', timestamp: 1000 }] }] });
 */
export function parseTestStream(json: unknown): TestStreamSpec<unknown> {
  if (!isObject(json)) {
    throw new InputError('', `a TestStream must be a JSON object like {"steps": [...]}, got ${show(json)}`);
  }
  for (const k of Object.keys(json)) {
    if (k !== 'steps') throw new InputError(child('', k), `unknown field; a TestStream has only "steps"${suggestion(k, ['steps'])}`);
  }
  if (!('steps' in json)) throw new InputError('steps', 'missing; a TestStream is {"steps": [...]}');
  const raw = json.steps;
  if (!Array.isArray(raw)) throw new InputError('steps', `expected an array of steps, got ${show(raw)}`);
  const rules = freshRules();
  return { steps: raw.map((s, i) => parseStep(s, `steps[${i}]`, rules)) };
}

/** 1-based line and column of a character position in `text`. */
function lineColumn(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, column: pos - before.lastIndexOf('\n') };
}

/**
 * Where JSON text first goes wrong, for V8 messages that name no position ("Unexpected token
 * '}', ... is not valid JSON"). The scanner throws the failing index and catches it below.
 */
function findJsonError(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (c: string): void => {
    ws();
    if (text[i] !== c) throw i;
    i++;
  };
  const str = (): void => {
    expect('"');
    for (;;) {
      const c = text[i];
      if (c === undefined || c < ' ') throw i;
      i++;
      if (c === '"') return;
      if (c === '\\') {
        if (text[i] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) i += 5;
        else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i]!)) i++;
        else throw i;
      }
    }
  };
  const list = (close: string, item: () => void): void => {
    i++;
    ws();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      ws();
      if (text[i] === close) return void i++;
      expect(',');
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      return list('}', () => {
        str();
        expect(':');
        value();
      });
    }
    if (c === '[') return list(']', value);
    if (c === '"') return str();
    const m = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null/y;
    m.lastIndex = i;
    if (!m.test(text)) throw i;
    i = m.lastIndex;
  };
  try {
    value();
    ws();
    if (i < text.length) throw i;
    return -1;
  } catch (e) {
    if (typeof e === 'number') return e;
    throw e;
  }
}

function malformed(text: string, message: string, fileName: string): InputError {
  const lc = /\(line (\d+) column (\d+)\)/.exec(message);
  const at = /at position (\d+)/.exec(message);
  const pos = at ? Number(at[1]) : /end of JSON input/.test(message) ? text.length : findJsonError(text);
  const where = lc ? { line: Number(lc[1]), column: Number(lc[2]) } : pos >= 0 ? lineColumn(text, pos) : null;
  const reason = message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/ at position \d+.*$/, '')
    .replace(/, ".*" is not valid JSON$/s, '');
  if (!where) return new InputError('', `${fileName}: malformed JSON: ${reason}`);
  const lineText = text.split('\n')[where.line - 1] ?? '';
  const from = Math.max(0, where.column - 60);
  const excerpt = `${lineText.slice(from, from + 100)}\n${' '.repeat(Math.max(0, where.column - 1 - from))}^`;
  return new InputError('', `${fileName}:${where.line}:${where.column}: malformed JSON: ${reason}\n${excerpt}`);
}

/**
 * Parses TestStream JSON text (an `--input` file). Malformed JSON is reported with the file
 * name, line and column; a valid document with a wrong shape with its path, via `parseTestStream`.
 * @example
 * parseTestStreamText('{"steps": [{"advanceWatermarkTo": 0}]}', 'input.json');
 */
export function parseTestStreamText(text: string, fileName = '<input>'): TestStreamSpec<unknown> {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // editors may add a BOM
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (e) {
    if (e instanceof SyntaxError) throw malformed(source, e.message, fileName);
    throw e;
  }
  try {
    return parseTestStream(json);
  } catch (e) {
    if (e instanceof InputError) e.message = `${fileName}: ${e.message}`;
    throw e;
  }
}

