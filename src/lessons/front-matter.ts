// Front matter of lesson, glossary and guide files: a strict subset of YAML between `---`
// lines, parsed without a package. Invariant: anything outside the subset is an error naming
// the file and line, never a silent guess, so a typo in a lesson cannot change what it means.
//
// The subset: `key: value` pairs at the top level; a value is a scalar (a number, true, false,
// null, a 'single' or "double" quoted string, or plain text to the end of the line), a flow
// collection (`[a, b, "c, d"]`, `{ name: x, at: 0 }`, nested), or an indented block below
// `key:`: a block list (lines `  - item`) or a block map (lines `  name: value`), which nest
// by indentation; a list item may itself be a map (`  - name: x` and its fields below, aligned
// with `name`). Comments start with `#` after a space or at a line's start.

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
  /**
   * The 1-based line of every entry inside a block, by path: `topics[0]` (a list item),
   * `topics[0].records` (a map's field), so a loader can name the line of a nested mistake.
   */
  readonly paths: Record<string, number>;
  /** Everything after the closing `---`. */
  readonly body: string;
  /** The 1-based line of the body's first line in the file. */
  readonly bodyLine: number;
}

const KEY = /^([A-Za-z][A-Za-z0-9_-]*):(?:\s+(.*))?$/;

/** A line of a block, without its comment. */
interface BlockLine {
  readonly text: string;
  readonly line: number;
}

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
  const paths: Record<string, number> = {};
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
    const block: BlockLine[] = [];
    i++;
    while (i < close) {
      const next = stripComment(lines[i]!);
      if (next.trim() !== '' && !/^\s/.test(next)) break;
      if (next.trim() !== '') block.push({ text: next, line: i + 1 });
      i++;
    }
    if (block.length === 0) throw new ContentError(file, lineNo, `"${key}" has no value: write it after the colon, or as indented lines below`);
    fields[key] = parseBlock(key, block, file, paths);
  }
  return { fields, lines: keyLines, paths, body: lines.slice(close + 1).join('\n'), bodyLine: close + 2 };
}

const indentOf = (text: string): number => /^\s*/.exec(text)![0].length;

/**
 * Parses the block under `path` (its lines, at least one): a list if the first line is a list
 * item, else a map. Lines indented deeper than the block's first belong to the entry above them.
 */
function parseBlock(path: string, block: readonly BlockLine[], file: string, paths: Record<string, number>): FrontMatterValue {
  const indent = indentOf(block[0]!.text);
  // The block's entries: a line at the block's indentation and the deeper lines under it.
  const entries: { head: BlockLine; children: BlockLine[] }[] = [];
  const isList = /^-(\s|$)/.test(block[0]!.text.trim());
  for (const line of block) {
    const at = indentOf(line.text);
    if (at > indent && entries.length > 0) {
      entries.at(-1)!.children.push(line);
      continue;
    }
    if (at !== indent) throw new ContentError(file, line.line, `the ${isList ? 'items' : 'fields'} of "${path}" must all be indented alike`);
    entries.push({ head: line, children: [] });
  }
  if (isList) return entries.map((entry, index) => parseListItem(`${path}[${index}]`, entry.head, entry.children, file, paths));

  const map: { [k: string]: FrontMatterValue } = {};
  for (const { head, children } of entries) {
    const match = KEY.exec(head.text.trim());
    if (!match) throw new ContentError(file, head.line, `expected \`name: value\` under "${path}", found "${head.text.trim()}"`);
    const name = match[1]!;
    const fieldPath = `${path}.${name}`;
    if (name in map) throw new ContentError(file, head.line, `"${fieldPath}" is given twice (first on line ${paths[fieldPath]})`);
    paths[fieldPath] = head.line;
    map[name] = parseEntryValue(fieldPath, match[2]?.trim() ?? '', head.line, children, file, paths);
  }
  return map;
}

/** A list item `- value`, `- name: value` (a map whose other fields follow, aligned with `name`), or `-` with a block below. */
function parseListItem(path: string, head: BlockLine, children: readonly BlockLine[], file: string, paths: Record<string, number>): FrontMatterValue {
  const item = /^(\s*)-(?:(\s+)(.*))?$/.exec(head.text);
  if (!item) throw new ContentError(file, head.line, `expected a list item \`- value\` under "${path.replace(/\[\d+\]$/, '')}", found "${head.text.trim()}"`);
  paths[path] = head.line;
  const value = item[3]?.trim() ?? '';
  if (value === '') {
    if (children.length === 0) throw new ContentError(file, head.line, `an empty list item under "${path.replace(/\[\d+\]$/, '')}"`);
    return parseBlock(path, children, file, paths);
  }
  if (KEY.test(value)) {
    // The item is a map: its first field sits after the dash; the column it starts at is the map's.
    const column = item[1]!.length + 1 + item[2]!.length;
    return parseBlock(path, [{ text: ' '.repeat(column) + value, line: head.line }, ...children], file, paths);
  }
  return parseEntryValue(path, value, head.line, children, file, paths);
}

/** A value written after `name:` or `- `, or (when there is none) the block below it. */
function parseEntryValue(path: string, value: string, line: number, children: readonly BlockLine[], file: string, paths: Record<string, number>): FrontMatterValue {
  if (value === '') {
    if (children.length === 0) throw new ContentError(file, line, `"${path}" has no value: write it after the colon, or as indented lines below`);
    return parseBlock(path, children, file, paths);
  }
  if (children.length > 0) throw new ContentError(file, children[0]!.line, `unexpected indentation: "${children[0]!.text.trim()}" is under "${path}", which already has a value`);
  return parseInline(value, file, line);
}

/** A value on one line: a flow list or map, or a scalar. */
function parseInline(text: string, file: string, line: number): FrontMatterValue {
  if (!text.startsWith('[') && !text.startsWith('{')) return parseScalar(text, file, line);
  const reader = new FlowReader(text, file, line);
  const value = reader.value();
  reader.end();
  return value;
}

/**
 * Reads a flow collection (`[a, { b: c }]`) from one line, recursively. Plain scalars end at the
 * next `,`, `]` or `}` outside quotes; a map's keys are plain names followed by `: `.
 */
class FlowReader {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly line: number,
  ) {}

  value(): FrontMatterValue {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === '[') return this.list();
    if (ch === '{') return this.map();
    return this.scalar();
  }

  end(): void {
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(`unexpected "${this.text.slice(this.pos)}" after the end of ${this.text.slice(0, this.pos).trim()}`);
  }

  private list(): FrontMatterValue[] {
    this.pos++;
    const items: FrontMatterValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === ',' || this.text[this.pos] === ']') this.fail(`an empty item in the list ${this.text}`);
      items.push(this.value());
      this.skipSpace();
      const ch = this.text[this.pos++];
      if (ch === ']') return items;
      if (ch !== ',') this.fail(`an inline list must end with "]" on the same line: ${this.text}`);
    }
  }

  private map(): { [key: string]: FrontMatterValue } {
    this.pos++;
    const map: { [key: string]: FrontMatterValue } = {};
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return map;
    }
    for (;;) {
      this.skipSpace();
      const key = /^([A-Za-z][A-Za-z0-9_-]*):(?=\s|$)/.exec(this.text.slice(this.pos));
      if (!key) this.fail(`expected \`name: value\` in the inline map ${this.text}`);
      const name = key[1]!;
      if (name in map) this.fail(`"${name}" is given twice in the inline map ${this.text}`);
      this.pos += key[0].length;
      map[name] = this.value();
      this.skipSpace();
      const ch = this.text[this.pos++];
      if (ch === '}') return map;
      if (ch !== ',') this.fail(`an inline map must end with "}" on the same line: ${this.text}`);
    }
  }

  private scalar(): FrontMatterValue {
    const start = this.pos;
    const quote = this.text[start] === '"' || this.text[start] === "'" ? this.text[start] : null;
    if (quote) {
      let i = start + 1;
      for (; i < this.text.length; i++) {
        if (this.text[i] === '\\' && quote === '"') i++;
        else if (this.text[i] === quote) {
          if (quote === "'" && this.text[i + 1] === "'") i++;
          else break;
        }
      }
      if (i >= this.text.length) this.fail(`a quote ${quote} is never closed in ${this.text}`);
      this.pos = i + 1;
    } else {
      while (this.pos < this.text.length && !',]}'.includes(this.text[this.pos]!)) this.pos++;
    }
    const raw = this.text.slice(start, this.pos).trim();
    if (raw === '') this.fail(`a value is missing in ${this.text}`);
    if (!quote && (raw.startsWith('[') || raw.startsWith('{'))) this.fail(`unexpected "${raw[0]}" in ${this.text}`);
    return parseScalar(raw, this.file, this.line);
  }

  private skipSpace(): void {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos++;
  }

  private fail(message: string): never {
    throw new ContentError(this.file, this.line, message);
  }
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
