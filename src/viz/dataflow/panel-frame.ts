// The frame the graph, state, checkpoint and metrics panels draw in: a toolbar with a
// Drawing/Table switch, a focusable drawing area and its table alternative, and one stylesheet
// on the theme's variables. Invariant: exactly one of drawing and table is visible.

import { cssVar, FONT_VARS, installTheme } from '../theme.ts';

export interface PanelFrame {
  readonly root: HTMLElement;
  /** Panel-specific controls go here, before the Drawing/Table switch. */
  readonly tools: HTMLElement;
  /** Focusable; its `aria-label` should summarise what is drawn. */
  readonly drawing: HTMLElement;
  readonly table: HTMLElement;
  isTable(): boolean;
  setTable(table: boolean): void;
  destroy(): void;
}

const STYLE_ID = 'brook-panel-frame';

const CSS = `
.bk-panel { position: absolute; inset: 0; display: flex; flex-direction: column; font: 13px/1.4 ${FONT_VARS.sans}; color: ${cssVar('ink')}; background: ${cssVar('surface')}; }
.bk-panel *:focus-visible { outline: 2px solid ${cssVar('focus')}; outline-offset: 2px; }
.bk-toolbar { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; padding: 6px 8px; border-bottom: 1px solid ${cssVar('grid')}; }
.bk-tools { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; flex: 1; min-width: 0; color: ${cssVar('muted')}; }
.bk-switch { display: inline-flex; border: 1px solid ${cssVar('axis')}; border-radius: 6px; overflow: hidden; }
.bk-switch button { font: inherit; font-size: 12px; padding: 2px 10px; border: 0; background: transparent; color: ${cssVar('ink')}; cursor: pointer; }
.bk-switch button[aria-pressed="true"] { background: ${cssVar('accent')}; color: ${cssVar('surface')}; }
.bk-drawing { position: relative; flex: 1; min-height: 0; overflow: auto; }
.bk-drawing:focus-visible { outline-offset: -2px; }
.bk-table { flex: 1; min-height: 0; overflow: auto; padding: 4px 8px 8px; }
.bk-table table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; margin-bottom: 12px; }
.bk-table caption { text-align: left; font-weight: 600; padding: 6px 0 4px; }
.bk-table th, .bk-table td { text-align: left; padding: 3px 8px; border-bottom: 1px solid ${cssVar('grid')}; white-space: nowrap; }
.bk-table th { color: ${cssVar('muted')}; font-weight: 600; position: sticky; top: 0; background: ${cssVar('surface')}; }
.bk-table td.num, .bk-table th.num { text-align: right; }
.bk-empty { color: ${cssVar('muted')}; padding: 16px; }
.bk-panel svg text { fill: ${cssVar('ink')}; font-family: ${FONT_VARS.sans}; }
.bk-panel svg .bk-muted { fill: ${cssVar('muted')}; }
.bk-panel svg .bk-mono { font-family: ${FONT_VARS.mono}; }
.bk-panel svg .domain, .bk-panel svg .tick line { stroke: ${cssVar('axis')}; }
.bk-panel svg .tick text { fill: ${cssVar('muted')}; font-size: 11px; }
.bk-panel svg .bk-grid line { stroke: ${cssVar('grid')}; }
.bk-panel svg .bk-playhead { stroke: ${cssVar('playhead')}; stroke-width: 1.5; }
`;

function installStyles(doc: Document): void {
  installTheme(doc);
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  doc.head.append(style);
}

/**
 * Builds the frame inside `el`. `label` names the panel for assistive technology.
 * @example const frame = createPanelFrame(el, 'Dataflow graph', false, (table) => redraw());
 */
export function createPanelFrame(el: HTMLElement, label: string, table: boolean, onToggle: (table: boolean) => void): PanelFrame {
  installStyles(el.ownerDocument);
  const root = el.ownerDocument.createElement('div');
  root.className = 'bk-panel';
  root.setAttribute('role', 'region');
  root.setAttribute('aria-label', label);
  root.innerHTML = `
    <div class="bk-toolbar"><div class="bk-tools"></div>
      <div class="bk-switch" role="group" aria-label="${label}: view as">
        <button type="button" data-view="drawing">Drawing</button><button type="button" data-view="table">Table</button>
      </div></div>
    <div class="bk-drawing" tabindex="0" role="img"></div>
    <div class="bk-table" tabindex="0"></div>`;
  el.append(root);
  const tools = root.querySelector<HTMLElement>('.bk-tools')!;
  const drawing = root.querySelector<HTMLElement>('.bk-drawing')!;
  const tableEl = root.querySelector<HTMLElement>('.bk-table')!;
  tableEl.setAttribute('aria-label', `${label} as a table`);
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('.bk-switch button')];
  let isTable = table;
  const show = () => {
    drawing.hidden = isTable;
    tableEl.hidden = !isTable;
    for (const b of buttons) b.setAttribute('aria-pressed', String((b.dataset.view === 'table') === isTable));
  };
  for (const b of buttons) {
    b.addEventListener('click', () => {
      const next = b.dataset.view === 'table';
      if (next === isTable) return;
      isTable = next;
      show();
      onToggle(isTable);
    });
  }
  show();
  return {
    root,
    tools,
    drawing,
    table: tableEl,
    isTable: () => isTable,
    setTable(next) {
      if (next === isTable) return;
      isTable = next;
      show();
      onToggle(isTable);
    },
    destroy: () => root.remove(),
  };
}

/** Escapes text for the HTML of table cells. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
