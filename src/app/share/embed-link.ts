// Links that open a shared run: the playground link, the embed link and its iframe snippet, and
// the options an embed reads from its query (`#/embed?s=...&panels=time,output&readonly=1`).
// Invariant: parseEmbedOptions(embedQuery(o)) gives back o, so a snippet shows what was chosen.
import { PANEL_IDS, type PanelId } from '../../viz/panel.ts';
import type { RouteQuery } from '../shell/route.ts';

/** What an embed shows besides the run itself. */
export interface EmbedOptions {
  /** The encoded run (`encodeShare`). */
  readonly s: string;
  readonly panels: readonly PanelId[];
  readonly readonly: boolean;
  readonly autoplay: boolean;
  /** Editor regions (`// #region name`) shown folded. */
  readonly fold: readonly string[];
  /** False hides the editor: only the panels and the controls are shown. */
  readonly editor: boolean;
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return value === '1' || value === 'true' || value === '';
}

/** Panel ids from a comma list, unknown ones left out, each once, in the order given. */
export function parsePanelList(value: string | undefined): PanelId[] {
  if (!value) return [];
  const out: PanelId[] = [];
  for (const p of value.split(',')) {
    const id = p.trim();
    if ((PANEL_IDS as readonly string[]).includes(id) && !out.includes(id as PanelId)) out.push(id as PanelId);
  }
  return out;
}

/** The options of an embed route's query; `panels` falls back to the run's own choice. */
export function parseEmbedOptions(query: RouteQuery, runPanels: readonly PanelId[] = []): EmbedOptions {
  const panels = parsePanelList(query.panels);
  return {
    s: query.s ?? '',
    panels: panels.length > 0 ? panels : runPanels,
    readonly: flag(query.readonly, false),
    autoplay: flag(query.autoplay, false),
    fold: (query.fold ?? '').split(',').map((f) => f.trim()).filter((f) => f !== ''),
    editor: flag(query.editor, true),
  };
}

/** The query of an embed route, leaving out what is the default. */
export function embedQuery(o: EmbedOptions): Record<string, string> {
  const q: Record<string, string> = { s: o.s };
  if (o.panels.length > 0) q.panels = o.panels.join(',');
  if (o.readonly) q.readonly = '1';
  if (o.autoplay) q.autoplay = '1';
  if (o.fold.length > 0) q.fold = o.fold.join(',');
  if (!o.editor) q.editor = '0';
  return q;
}

/** `base` is the page address without its fragment (origin + path). */
export function playgroundUrl(base: string, s: string): string {
  return `${base}#/playground?${new URLSearchParams({ s }).toString()}`;
}

export function embedUrl(base: string, o: EmbedOptions): string {
  return `${base}#/embed?${new URLSearchParams(embedQuery(o)).toString()}`;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The HTML to paste into a documentation page.
 * @example iframeSnippet({ src, width: 900, height: 560, title: 'sessions' })
 */
export function iframeSnippet(o: { src: string; width: number; height: number; title: string }): string {
  return `<iframe src="${attr(o.src)}" width="${o.width}" height="${o.height}" loading="lazy" title="Brook: ${attr(o.title)}"></iframe>`;
}

/** A short title for a run: the first comment line of its code, else a generic one. */
export function titleFromCode(code: string): string {
  for (const line of code.split('\n')) {
    const m = /^\s*\/\/\s*(.+?)\s*$/.exec(line);
    if (m && m[1]) {
      const text = m[1].replace(/[:.]$/, '');
      return text.length > 70 ? `${text.slice(0, 67)}…` : text;
    }
    if (line.trim() !== '') break;
  }
  return 'a streaming pipeline';
}
