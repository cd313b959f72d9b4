// Draws record dots on a canvas under the SVG when there are too many for SVG marks (SVG slows
// down past a few thousand). Same shapes and theme colours as the SVG marks; colours are read
// from the CSS variables at draw time, so a light/dark switch redraws correctly.

import type { RunModel } from '../run-model.ts';
import { resolveColor } from '../theme.ts';
import type { ChartFrame } from './chart-frame.ts';
import { isHollow, KIND_TOKEN, recordPath } from './draw-chart.ts';
import type { RecordKind } from './marks.ts';

/** SVG marks up to this many records; above it the canvas draws them. */
export const SVG_RECORD_LIMIT = 2000;

export function drawRecordsOnCanvas(canvas: HTMLCanvasElement, model: RunModel, frame: ChartFrame, kinds: Uint8Array, count: number, visible: boolean): void {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.round(frame.width * ratio);
  const h = Math.round(frame.height * ratio);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${frame.width}px`;
    canvas.style.height = `${frame.height}px`;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, frame.width, frame.height);
  if (!visible) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(frame.left, frame.top, frame.right - frame.left, frame.bottom - frame.top);
  ctx.clip();
  // Smaller marks in a crowd; one Path2D per kind, one fill or stroke per kind.
  const size = count > 20_000 ? 14 : 28;
  const raw = model.records.raw();
  const stride = model.records.stride;
  const et = model.records.column('eventTime');
  const tc = model.records.column('t');
  for (const kind of [0, 1, 2, 3] as RecordKind[]) {
    const shape = new Path2D(recordPath(kind, size));
    const colour = resolveColor(canvas, KIND_TOKEN[kind]);
    ctx.fillStyle = colour;
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.4;
    ctx.globalAlpha = kind === 0 ? 0.75 : 1;
    for (let i = 0; i < count; i++) {
      if (kinds[i] !== kind) continue;
      const x = frame.x(raw[i * stride + et]!);
      const y = frame.y(raw[i * stride + tc]!);
      if (x < frame.left - 6 || x > frame.right + 6 || y < frame.top - 6 || y > frame.bottom + 6) continue;
      ctx.setTransform(ratio, 0, 0, ratio, x * ratio, y * ratio);
      if (isHollow(kind)) ctx.stroke(shape);
      else ctx.fill(shape);
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  }
  ctx.restore();
}
