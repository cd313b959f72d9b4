// Links inside lesson, glossary and guide prose: moments of a run (`moment:0:12:07`), glossary
// terms (`glossary:watermark`), lessons (`lesson:late-data`, optionally `@0:12:07` to open its
// run there) and guides (`guide:handle-late-data`). Invariant: every such link is found with its
// line, so the checker can say where one does not resolve; links inside code blocks are text.

/** A point on a run's timeline, in milliseconds (the processing time, for a run without crashes). */
export interface Moment {
  readonly t: number;
  /** As written, for messages. */
  readonly text: string;
}

export type ContentLink =
  | { readonly kind: 'moment'; readonly moment: Moment; readonly label: string; readonly line: number }
  | { readonly kind: 'glossary'; readonly term: string; readonly label: string; readonly line: number }
  | { readonly kind: 'lesson'; readonly lesson: string; readonly moment?: Moment; readonly label: string; readonly line: number }
  | { readonly kind: 'guide'; readonly guide: string; readonly label: string; readonly line: number };

/** A link whose target is not written correctly (not whether it exists: the checker decides that). */
export interface LinkProblem {
  readonly line: number;
  readonly message: string;
}

const CLOCK = /^(\d+):([0-5]\d):([0-5]\d)(?:\.(\d{1,3}))?$/;
const TIMELINE = /^t=(\d+)$/;
const LINK = /\[([^\]]*)\]\((moment|glossary|lesson|guide):([^)\s]*)\)/g;

/**
 * Reads a moment: `H:MM:SS`, `H:MM:SS.mmm` (a clock reading, the run starting at 0:00:00) or
 * `t=MS` (milliseconds). Returns undefined if it is neither.
 * @example
 * parseMoment('0:12:07')?.t // 727000
 */
export function parseMoment(text: string): Moment | undefined {
  const clock = CLOCK.exec(text);
  if (clock) {
    const [, h, m, s, ms] = clock;
    const millis = ms === undefined ? 0 : Number(ms.padEnd(3, '0'));
    return { t: ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + millis, text };
  }
  const timeline = TIMELINE.exec(text);
  if (timeline) return { t: Number(timeline[1]), text };
  return undefined;
}

/**
 * Formats milliseconds as a clock reading, H:MM:SS (with .mmm when not whole seconds); the
 * inverse of parseMoment for clock moments.
 * @example
 * formatClock(727000) // "0:12:07"
 */
export function formatClock(ms: number): string {
  if (!Number.isFinite(ms)) return ms > 0 ? '+inf' : '-inf';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  const rest = abs % 1000;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${sign}${h}:${two(m)}:${two(s)}${rest === 0 ? '' : '.' + String(rest).padStart(3, '0')}`;
}

/** Every Brook link in a markdown body; `firstLine` is the body's first line in the file. */
export function collectLinks(body: string, firstLine: number): { links: ContentLink[]; problems: LinkProblem[] } {
  const links: ContentLink[] = [];
  const problems: LinkProblem[] = [];
  let fenced = false;
  body.split('\n').forEach((text, index) => {
    const line = firstLine + index;
    if (/^\s*(```|~~~)/.test(text)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    for (const match of text.matchAll(LINK)) {
      const [, label = '', scheme, target = ''] = match;
      if (scheme === 'moment') {
        const moment = parseMoment(target);
        if (moment) links.push({ kind: 'moment', moment, label, line });
        else problems.push({ line, message: `"moment:${target}" is not a moment: write moment:H:MM:SS (e.g. moment:0:12:07) or moment:t=MS` });
      } else if (scheme === 'glossary') {
        if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(target)) links.push({ kind: 'glossary', term: target, label, line });
        else problems.push({ line, message: `"glossary:${target}" is not a glossary id (lower-case words joined by "-", e.g. glossary:allowed-lateness)` });
      } else if (scheme === 'guide') {
        if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(target)) links.push({ kind: 'guide', guide: target, label, line });
        else problems.push({ line, message: `"guide:${target}" is not a guide id (e.g. guide:handle-late-data)` });
      } else {
        const [id = '', at] = target.split('@');
        const moment = at === undefined ? undefined : parseMoment(at);
        if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) {
          problems.push({ line, message: `"lesson:${target}" does not name a lesson id (e.g. lesson:late-data or lesson:late-data@0:12:07)` });
        } else if (at !== undefined && moment === undefined) {
          problems.push({ line, message: `"lesson:${target}": "${at}" is not a moment: write H:MM:SS or t=MS after the @` });
        } else {
          links.push({ kind: 'lesson', lesson: id, ...(moment && { moment }), label, line });
        }
      }
    }
  });
  return { links, problems };
}
