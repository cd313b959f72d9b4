// Where the Brook links in lesson, glossary and guide prose lead in the app:
// `glossary:watermark` → `#/glossary/watermark`, `lesson:late-data` → `#/learn/late-data`,
// `lesson:late-data@0:12:07` → `#/learn/late-data?t=727000`, `guide:x` → `#/guides/x`, and
// `moment:0:12:07` → a point on the page's run (the playhead).
import { parseMoment } from '../../lessons/links.ts';

export type ContentTarget = { readonly kind: 'href'; readonly href: string } | { readonly kind: 'moment'; readonly t: number };

/**
 * The app target of a markdown link's href; ordinary links are kept as they are.
 * @example contentTarget('glossary:watermark') // { kind: 'href', href: '#/glossary/watermark' }
 */
export function contentTarget(href: string): ContentTarget {
  const m = /^(moment|glossary|lesson|guide):(.*)$/.exec(href);
  if (!m) return { kind: 'href', href };
  const [, kind, rest] = m as unknown as [string, string, string];
  switch (kind) {
    case 'moment': {
      const moment = parseMoment(rest);
      return moment ? { kind: 'moment', t: moment.t } : { kind: 'href', href: '#' };
    }
    case 'glossary':
      return { kind: 'href', href: `#/glossary/${encodeURIComponent(rest)}` };
    case 'lesson': {
      // `lesson:late-data@0:12:07` opens that lesson's run at the moment (`?t=`, ms).
      const [id, at] = rest.split('@') as [string, string | undefined];
      const moment = at === undefined ? undefined : parseMoment(at);
      return { kind: 'href', href: `#/learn/${encodeURIComponent(id)}${moment ? `?t=${moment.t}` : ''}` };
    }
    default:
      return { kind: 'href', href: `#/guides/${encodeURIComponent(rest)}` };
  }
}
