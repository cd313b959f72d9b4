// The time-domain chart's legend: every mark's shape and colour with its meaning, drawn with the
// same paths and theme variables as the chart so the two cannot disagree.

import { cssVar } from '../theme.ts';
import { isHollow, KIND_TOKEN, recordPath } from './draw-chart.ts';
import { RECORD_KIND_LABELS, RecordKind } from './marks.ts';

function recordSwatch(kind: RecordKind): string {
  const colour = cssVar(KIND_TOKEN[kind]);
  const style = isHollow(kind) ? `fill:${cssVar('surface')};stroke:${colour};stroke-width:1.8` : `fill:${colour}`;
  return `<svg width="12" height="12" viewBox="-6 -6 12 12" aria-hidden="true"><path d="${recordPath(kind, 40)}" style="${style}"></path></svg>`;
}

function paneSwatch(token: 'paneEarly' | 'paneOnTime' | 'paneLate', dash: string): string {
  const c = cssVar(token);
  return `<svg width="20" height="10" aria-hidden="true"><rect x="0.5" y="0.5" width="19" height="9" rx="2" style="fill:${c};fill-opacity:.22;stroke:${c};stroke-dasharray:${dash}"></rect><rect x="0.5" y="0.5" width="3" height="9" style="fill:${c}"></rect></svg>`;
}

function lineSwatch(token: 'watermark' | 'crash' | 'restore', dash: string, width: number): string {
  return `<svg width="20" height="10" aria-hidden="true"><line x1="0" x2="20" y1="5" y2="5" style="stroke:${cssVar(token)};stroke-width:${width};stroke-dasharray:${dash}"></line></svg>`;
}

/** The legend's list items; crash and restore rules only when the run had any. */
export function legendHtml(withCrashes: boolean): string {
  const items = [
    ...([RecordKind.OnTime, RecordKind.LateCounted, RecordKind.SideOutput, RecordKind.Dropped] as const).map((k) => `<li>${recordSwatch(k)}${RECORD_KIND_LABELS[k]}</li>`),
    `<li>${lineSwatch('watermark', '', 2.25)}watermark</li>`,
    `<li>${paneSwatch('paneEarly', '4 2')}EARLY</li>`,
    `<li>${paneSwatch('paneOnTime', '')}ON_TIME</li>`,
    `<li>${paneSwatch('paneLate', '1.5 2')}LATE pane</li>`,
  ];
  if (withCrashes) items.push(`<li>${lineSwatch('crash', '6 3', 2)}crash</li>`, `<li>${lineSwatch('restore', '2 2', 1.5)}restore</li>`);
  return items.join('');
}
