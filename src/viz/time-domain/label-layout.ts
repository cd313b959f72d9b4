// Keeps chart labels from overlapping: labels are placed greedily by priority and a label that
// would overlap one already placed is left out (its mark still has a tooltip). Invariant: pure,
// with text widths estimated from character counts, so the result is the same in tests.

export interface LabelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Higher is placed first. */
  readonly priority: number;
}

/** Text width in pixels of `text` at `fontSize`, from an average glyph width of a UI sans. */
export function estimateTextWidth(text: string, fontSize = 11): number {
  return text.length * fontSize * 0.58;
}

/** Indexes of the labels kept, in input order: no two kept boxes overlap (with `gap` pixels around). */
export function thinLabels(boxes: readonly LabelBox[], gap = 2): number[] {
  const order = boxes.map((_, i) => i).sort((a, b) => boxes[b]!.priority - boxes[a]!.priority || a - b);
  const kept: number[] = [];
  for (const i of order) {
    const a = boxes[i]!;
    const clash = kept.some((j) => {
      const b = boxes[j]!;
      return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
    });
    if (!clash) kept.push(i);
  }
  return kept.sort((a, b) => a - b);
}
