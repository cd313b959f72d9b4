// Front matter of lesson, glossary and guide files: a strict subset of YAML between `---`
// lines, parsed without a package. Invariant: anything outside the subset is an error naming
// the file and line, never a silent guess, so a typo in a lesson cannot change what it means.
//
// The subset: `key: value` pairs at the top level; a value is a scalar (a number, true, false,
// null, a 'single' or "double" quoted string, or plain text to the end of the line), an inline
// list `[a, b, "c, d"]`, a block list (lines `  - item` under `key:`), or a block map (lines
// `  name: scalar` under `key:`). Comments start with `#` after a space or at a line's start.

/** A value of the subset. */
export type FrontMatterValue = string | number | boolean | null | FrontMatterValue[] | { [key: string]: FrontMatterValue };

/** A mistake in a content file, with the 1-based line it is on. */
export class ContentError extends Error {
  override readonly name = 'ContentError';
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.file = file;
    this.line = line;
  }
}

export interface ParsedDocument {
  /** The fields, in the order written. */
  readonly fields: Record<string, FrontMatterValue>;
  /** The 1-based line of each field's key. */
  readonly lines: Record<string, number>;
  /** Everything after the closing `---`. */
  readonly body: string;
  /** The 1-based line of the body's first line in the file. */
  readonly bodyLine: number;
}

const KEY = /^([A-Za-z][A-Za-z0-9_-]*):(?:\s+(.*))?$/;

/**
 * Splits a markdown file into its front matter fields and body.
 * @example
 * parseDocument('---\ntitle: Windows\nterms: [window, pane]\n---\nText', 'lesson.md').fields
 * // { title: 'Windows', terms: ['window', 'pane'] }
 */
export function parseDocument(text: string, file: string): ParsedDocument {
  const lines = text.split(/\r?\n/);
  if (lines[0] !== '---') throw new ContentError(file, 1, 'a content file starts with front matter: a line `---`, the fields, and another `---`');
  const close = lines.indexOf('---', 1);
  if (close === -1) throw new ContentError(file, 1, 'the front matter is never closed: add a line `---` after the fields');

  const fields: Record<string, FrontMatterValue> = {};
  const keyLines: Record<string, number> = {};
  let i = 1;
  while (i < close) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    const line = stripComment(raw);
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (/^\s/.test(line)) throw new ContentError(file, lineNo, `unexpected indentation: "${raw.trim()}" is not under a \`key:\``);
    const match = KEY.exec(line.trimEnd());
    if (!match) throw new ContentError(file, lineNo, `expected \`key: value\`, found "${raw.trim()}"`);
    const key = match[1]!;
    if (key in fields) throw new ContentError(file, lineNo, `"${key}" is given twice (first on line ${keyLines[key]})`);
    keyLines[key] = lineNo;
    const rest = match[2]?.trim() ?? '';
    if (rest !== '') {
      fields[key] = parseInline(rest, file, lineNo);
      i++;
      continue;
    }
    // A block: the indented lines that follow.
    const block: { text: string; line: number }[] = [];
    i++;
    while (i < close) {
      const next = stripComment(lines[i]!);
      if (next.trim() !== '' && !/^\s/.test(next)) break;
      if (next.trim() !== '') block.push({ text: next, line: i + 1 });
      i++;
    }
    fields[key] = parseBlock(key, block, file, lineNo);
  }
  return { fields, lines: keyLines, body: lines.slice(close + 1).join('\n'), bodyLine: close + 2 };
}

function parseBlock(key: string, block: { text: string; line: number }[], file: string, keyLine: number): FrontMatterValue {
  if (block.length === 0) throw new ContentError(file, keyLine, `"${key}" has no value: write it after the colon, or as indented lines below`);
  const isList = block[0]!.text.trim().startsWith('- ') || block[0]!.text.trim() === '-';
  const indent = /^\s*/.exec(block[0]!.text)![0].length;
  if (isList) {
    return block.map(({ text, line }) => {
      if (/^\s*/.exec(text)![0].length !== indent) throw new ContentError(file, line, `the items of "${key}" must all be indented alike`);
      const item = /^\s*-(?:\s+(.*))?$/.exec(text);
      if (!item) throw new ContentError(file, line, `expected a list item \`- value\` under "${key}", found "${text.trim()}"`);
      const value = item[1]?.trim() ?? '';
      if (value === '') throw new ContentError(file, line, `an empty list item under "${key}"`);
      return parseInline(value, file, line);
    });
  }
  const map: { [k: string]: FrontMatterValue } = {};
  const seen: Record<string, number> = {};
  for (const { text, line } of block) {
    if (/^\s*/.exec(text)![0].length !== indent) throw new ContentError(file, line, `the fields of "${key}" must all be indented alike`);
    const match = KEY.exec(text.trim());
    if (!match) throw new ContentError(file, line, `expected \`name: value\` under "${key}", found "${text.trim()}"`);
    const name = match[1]!;
    if (name in map) throw new ContentError(file, line, `"${key}.${name}" is given twice (first on line ${seen[name]})`);
    const value = match[2]?.trim() ?? '';
    if (value === '') throw new ContentError(file, line, `"${key}.${name}" has no value (only one level of nesting is allowed)`);
    seen[name] = line;
    map[name] = parseInline(value, file, line);
  }
  return map;
}

function parseInline(text: string, file: string, line: number): FrontMatterValue {
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) throw new ContentError(file, line, `an inline list must end with "]" on the same line: ${text}`);
    const inner = text.slice(1, -1).trim();
    if (inner === '') return [];
    return splitList(inner, file, line).map((item) => {
      if (item === '') throw new ContentError(file, line, `an empty item in the list ${text}`);
      if (item.startsWith('[')) throw new ContentError(file, line, `lists inside lists are not supported: ${text}`);
      return parseScalar(item, file, line);
    });
  }
  if (text.startsWith('{')) throw new ContentError(file, line, `inline maps are not supported; write the fields as indented lines: ${text}`);
  return parseScalar(text, file, line);
}

/** Splits `a, "b, c", 'd'` on the commas outside quotes. */
function splitList(inner: string, file: string, line: number): string[] {
  const items: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (const ch of inner) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (ch === ',') {
      items.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (quote) throw new ContentError(file, line, `a quote ${quote} is never closed in [${inner}]`);
  items.push(current.trim());
  return items;
}

function parseScalar(text: string, file: string, line: number): FrontMatterValue {
  if (text.startsWith('"')) {
    if (text.length < 2 || !text.endsWith('"')) throw new ContentError(file, line, `a double quote is never closed: ${text}`);
    try {
      return JSON.parse(text) as string;
    } catch {
      throw new ContentError(file, line, `not a valid double-quoted string: ${text}`);
    }
  }
  if (text.startsWith("'")) {
    if (text.length < 2 || !text.endsWith("'")) throw new ContentError(file, line, `a single quote is never closed: ${text}`);
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null' || text === '~') return null;
  if (/^-?(\d+|\d*\.\d+)$/.test(text.replace(/_/g, ''))) return Number(text.replace(/_/g, ''));
  if (/^[&*!|>%@`]/.test(text)) throw new ContentError(file, line, `YAML's "${text[0]}" is not supported here; quote the value: "${text}"`);
  return text;
}

/** Drops a `#` comment (at the start of the line, or after a space and outside quotes). */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) {
      return line.slice(0, i).trimEnd();
    }
  }
  return line;
}
