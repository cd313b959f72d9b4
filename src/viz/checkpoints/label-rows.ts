// Labels on a time axis that never overlap: each label goes into the first of a few rows where
// it clears the previous label in that row, or is left out (its mark keeps a tooltip and the
// table lists it). Invariant: labels in one row keep at least `gap` pixels between them.

export interface LabelBox {
  /** Left edge in pixels. */
  readonly x: number;
  readonly width: number;
}

/**
 * Row for each label (in input order): 0..rows-1, or -1 when no row has room. Labels are placed
 * from left to right, so earlier marks win.
 * @example placeLabels([{ x: 0, width: 50 }, { x: 40, width: 50 }], 2) // [0, 1]
 */
export function placeLabels(labels: readonly LabelBox[], rows: number, gap = 6): number[] {
  const order = labels.map((_, i) => i).sort((a, b) => labels[a]!.x - labels[b]!.x);
  const rowEnd = Array.from({ length: rows }, () => Number.NEGATIVE_INFINITY);
  const out = labels.map(() => -1);
  for (const i of order) {
    const l = labels[i]!;
    const row = rowEnd.findIndex((end) => l.x >= end + gap);
    if (row < 0) continue;
    out[i] = row;
    rowEnd[row] = l.x + l.width;
  }
  return out;
}

/** A label's width in pixels, estimated from its length (no DOM: the same in tests and pages). */
export function estimateWidth(text: string, fontSize = 11): number {
  return Math.ceil(text.length * fontSize * 0.6) + 4;
}
