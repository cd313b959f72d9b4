// The time-domain panel's stylesheet, added to the document once. Colours come only from the
// shared theme's variables, so the panel follows light and dark with the rest of the page.

import { cssVar, FONT_VARS } from '../theme.ts';

const CSS = `
.brook-td { display: flex; flex-direction: column; height: 100%; min-height: 240px; font: 12px/1.4 ${FONT_VARS.sans}; color: ${cssVar('ink')}; background: ${cssVar('surface')}; }
.brook-td-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; padding: 5px 10px; border-bottom: 1px solid ${cssVar('grid')}; }
.brook-td-legend { display: flex; flex-wrap: wrap; gap: 2px 10px; align-items: center; margin: 0; padding: 0; list-style: none; color: ${cssVar('muted')}; }
.brook-td-legend li { display: inline-flex; align-items: center; gap: 5px; white-space: nowrap; }
.brook-td-legend svg { overflow: visible; }
.brook-td-controls { display: flex; align-items: center; gap: 10px; margin-left: auto; color: ${cssVar('muted')}; }
.brook-td-controls select { max-width: 210px; }
.brook-td-controls select, .brook-td-controls button { font: inherit; height: 24px; min-height: 0; line-height: 1; margin: 0; color: ${cssVar('ink')}; background: ${cssVar('surface')}; border: 1px solid ${cssVar('axis')}; border-radius: 6px; padding: 2px 6px; }
.brook-td-controls button:hover { border-color: ${cssVar('accent')}; }
.brook-td-controls button:focus-visible, .brook-td-controls select:focus-visible, .brook-td svg:focus-visible { outline: 2px solid ${cssVar('focus')}; outline-offset: 2px; }
.brook-td-counts { font-variant-numeric: tabular-nums; }
.brook-td-chart { position: relative; flex: 1; min-height: 0; overflow: hidden; }
.brook-td-chart canvas, .brook-td-chart svg { position: absolute; left: 0; top: 0; }
.brook-td-chart svg { touch-action: none; }
.brook-td text { font-family: ${FONT_VARS.sans}; }
.brook-td .td-grid { stroke: ${cssVar('grid')}; stroke-width: 1; }
.brook-td .td-axis { stroke: ${cssVar('axis')}; }
.brook-td .td-tick { stroke: ${cssVar('axis')}; }
.brook-td .td-tick-label { fill: ${cssVar('muted')}; font-size: 10.5px; font-variant-numeric: tabular-nums; }
.brook-td .td-axis-title { fill: ${cssVar('muted')}; font-size: 10.5px; font-weight: 600; letter-spacing: .02em; }
.brook-td .td-seek { fill: transparent; cursor: pointer; }
.brook-td .td-seek:hover { fill: ${cssVar('grid')}; fill-opacity: .5; }
.brook-td .td-band { stroke: none; }
.brook-td .td-band-key { fill: none; stroke-width: 1.2; stroke-dasharray: 3 3; stroke-opacity: .7; }
.brook-td .td-strip-window { fill: ${cssVar('band')}; stroke-width: 1; }
.brook-td .td-strip-label { fill: ${cssVar('ink')}; font-size: 10px; font-variant-numeric: tabular-nums; pointer-events: none; }
.brook-td .td-lane-label { fill: ${cssVar('muted')}; font-size: 10.5px; font-weight: 600; }
.brook-td .td-behind { fill: ${cssVar('watermark')}; fill-opacity: .07; }
.brook-td .td-watermark { fill: none; stroke: ${cssVar('watermark')}; stroke-width: 2.25; stroke-linejoin: round; }
.brook-td .td-watermark-tag { fill: ${cssVar('watermark')}; font-size: 10.5px; font-weight: 700; paint-order: stroke; stroke: ${cssVar('surface')}; stroke-width: 3px; }
.brook-td .td-watermark-step { fill: ${cssVar('watermark')}; font-size: 10px; font-weight: 600; paint-order: stroke; stroke: ${cssVar('surface')}; stroke-width: 3px; }
.brook-td .td-pane { fill-opacity: .2; stroke-width: 1.2; cursor: help; }
.brook-td .td-pane:hover { fill-opacity: .35; }
.brook-td .td-retraction { fill-opacity: .06; }
.brook-td .td-pane-cap { pointer-events: none; }
.brook-td .td-pane-label { fill: ${cssVar('ink')}; font-size: 10.5px; font-variant-numeric: tabular-nums; cursor: help; }
.brook-td .td-record { stroke: ${cssVar('surface')}; stroke-width: .8; }
.brook-td .td-record.td-hollow { fill: ${cssVar('surface')}; stroke-width: 1.8; }
.brook-td .td-focus-ring { fill: none; stroke: ${cssVar('focus')}; stroke-width: 2; }
.brook-td .td-hover-ring { fill: none; stroke: ${cssVar('ink')}; stroke-width: 1.5; stroke-opacity: .6; }
.brook-td .td-future { fill: ${cssVar('surface')}; fill-opacity: .6; }
.brook-td .td-playhead-line { stroke: ${cssVar('playhead')}; stroke-width: 1.5; }
.brook-td .td-playhead-tag { fill: ${cssVar('playhead')}; }
.brook-td .td-playhead-text { fill: ${cssVar('surface')}; font-size: 10.5px; font-weight: 700; font-variant-numeric: tabular-nums; }
.brook-td .td-crash { stroke: ${cssVar('crash')}; stroke-width: 2; stroke-dasharray: 6 3; }
.brook-td .td-restore { stroke: ${cssVar('restore')}; stroke-width: 1.5; stroke-dasharray: 2 2; }
.brook-td .td-crash-label { fill: ${cssVar('crash')}; font-size: 10.5px; font-weight: 700; paint-order: stroke; stroke: ${cssVar('surface')}; stroke-width: 3px; }
.brook-td .td-restore-label { fill: ${cssVar('restore')}; font-size: 10.5px; font-weight: 700; paint-order: stroke; stroke: ${cssVar('surface')}; stroke-width: 3px; }
.brook-td-tip { position: absolute; z-index: 2; max-width: 360px; padding: 8px 10px; border-radius: 8px; background: ${cssVar('surface')}; color: ${cssVar('ink')}; border: 1px solid ${cssVar('axis')}; box-shadow: 0 6px 20px rgba(0,0,0,.18); pointer-events: none; font-size: 12px; }
.brook-td-tip[hidden] { display: none; }
.brook-td-tip strong { display: block; margin-bottom: 3px; }
.brook-td-tip p { margin: 0 0 4px; }
.brook-td-tip ul { margin: 2px 0 0; padding-left: 16px; color: ${cssVar('muted')}; }
.brook-td-tip .td-tip-why-late { color: ${cssVar('ink')}; border-left: 3px solid ${cssVar('late')}; padding-left: 6px; }
.brook-td-tip .td-tip-why-dropped { color: ${cssVar('ink')}; border-left: 3px solid ${cssVar('dropped')}; padding-left: 6px; }
.brook-td-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.brook-td-table { flex: 1; overflow: auto; padding: 4px 10px 10px; }
.brook-td-table[hidden], .brook-td-chart[hidden] { display: none; }
.brook-td-table h3 { font-size: 12px; margin: 10px 0 4px; color: ${cssVar('muted')}; text-transform: uppercase; letter-spacing: .05em; }
.brook-td-table table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
.brook-td-table th, .brook-td-table td { text-align: left; padding: 3px 8px; border-bottom: 1px solid ${cssVar('grid')}; white-space: nowrap; }
.brook-td-table th { color: ${cssVar('muted')}; font-weight: 600; position: sticky; top: 0; background: ${cssVar('surface')}; }
.brook-td-table .td-note { color: ${cssVar('muted')}; margin: 4px 0; }
`;

const STYLE_ID = 'brook-time-domain-css';

/** Adds the panel's stylesheet once. */
export function installTimeDomainCss(doc: Document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  doc.head.append(style);
}
