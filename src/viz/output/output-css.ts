// The output panel's stylesheet, added once; colours only from the shared theme's variables.

import { cssVar, FONT_VARS } from '../theme.ts';

export const ROW_HEIGHT = 26;

// The body does not anchor its scroll (overflow-anchor): its rows are rewritten at each render,
// and the browser moving the view to keep one in place fires scroll events that are not the
// follow scroll's echo, each read with a layout of the whole page while other panels draw.
const CSS = `
.brook-out { display: flex; flex-direction: column; height: 100%; min-height: 200px; font: 12px/1.4 ${FONT_VARS.sans}; color: ${cssVar('ink')}; background: ${cssVar('surface')}; }
.brook-out-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; padding: 6px 10px; border-bottom: 1px solid ${cssVar('grid')}; }
.brook-out-tabs { display: flex; flex-wrap: wrap; gap: 4px; }
.brook-out-tabs button { font: inherit; color: ${cssVar('muted')}; background: transparent; border: 1px solid transparent; border-radius: 999px; padding: 2px 10px; cursor: pointer; }
.brook-out-tabs button[aria-pressed="true"] { color: ${cssVar('ink')}; background: ${cssVar('band')}; border-color: ${cssVar('accent')}; font-weight: 600; }
.brook-out-tabs button:focus-visible, .brook-out-filter input:focus-visible, .brook-out-body:focus-visible { outline: 2px solid ${cssVar('focus')}; outline-offset: 1px; }
.brook-out-summary { display: flex; flex-wrap: wrap; gap: 4px 10px; color: ${cssVar('muted')}; font-variant-numeric: tabular-nums; }
.brook-out-chip { display: inline-flex; align-items: center; gap: 4px; white-space: nowrap; }
.brook-out-filter { margin-left: auto; color: ${cssVar('muted')}; display: inline-flex; align-items: center; gap: 4px; }
.brook-out-head, .brook-out-row { display: grid; grid-template-columns: 40px minmax(80px, 1fr) minmax(60px, 1fr) minmax(110px, 2fr) 78px 100px 124px 64px minmax(150px, 1.4fr); align-items: center; column-gap: 8px; padding: 0 10px; min-width: 900px; }
.brook-out-head { height: 26px; color: ${cssVar('muted')}; font-weight: 600; border-bottom: 1px solid ${cssVar('axis')}; background: ${cssVar('surface')}; }
.brook-out-body { flex: 1; min-height: 0; overflow: auto; position: relative; overflow-anchor: none; }
.brook-out-spacer { position: relative; min-width: 900px; }
.brook-out-row { position: absolute; left: 0; right: 0; height: ${ROW_HEIGHT}px; border-bottom: 1px solid ${cssVar('grid')}; font-variant-numeric: tabular-nums; }
.brook-out-row > span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.brook-out-row .o-num { color: ${cssVar('faint')}; text-align: right; }
.brook-out-row .o-value { font-family: ${FONT_VARS.mono}; font-size: 11.5px; }
.brook-out-row.o-duplicate, .brook-out-row.o-unexpected { background: color-mix(in srgb, ${cssVar('duplicate')} 10%, transparent); }
.brook-out-row.o-rolledBack { color: ${cssVar('muted')}; text-decoration: line-through; }
.brook-out-row.o-uncommitted { color: ${cssVar('muted')}; font-style: italic; }
.brook-out-badge.b-rolledBack, .brook-out-badge.b-uncommitted { color: ${cssVar('muted')}; text-decoration: none; font-style: normal; }
.brook-out-row.o-lost, .brook-out-row.o-missing { background: color-mix(in srgb, ${cssVar('lost')} 10%, transparent); color: ${cssVar('muted')}; font-style: italic; }
.brook-out-badge { display: inline-flex; white-space: nowrap; align-items: center; gap: 3px; border-radius: 4px; padding: 0 5px; margin-right: 4px; font-size: 10.5px; font-weight: 700; font-style: normal; border: 1px solid currentColor; }
.brook-out-badge.b-duplicate, .brook-out-badge.b-unexpected { color: ${cssVar('duplicate')}; }
.brook-out-badge.b-lost, .brook-out-badge.b-missing { color: ${cssVar('lost')}; }
.brook-out-badge.b-matched { color: ${cssVar('matched')}; }
.brook-out-pane-EARLY { color: ${cssVar('paneEarly')}; font-weight: 600; }
.brook-out-pane-ON_TIME { color: ${cssVar('paneOnTime')}; font-weight: 600; }
.brook-out-pane-LATE { color: ${cssVar('paneLate')}; font-weight: 600; }
.brook-out-empty { padding: 16px 10px; color: ${cssVar('muted')}; }
.brook-out-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

const STYLE_ID = 'brook-output-css';

/** Adds the panel's stylesheet once. */
export function installOutputCss(doc: Document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  doc.head.append(style);
}
