// Pane info tells a consumer which firing of a window a result is, as Beam's PaneInfo does:
// timing, index, on-time index (Beam's nonSpeculativeIndex), first and last.

/** When a pane fired relative to the watermark. */
export type PaneTiming = 'EARLY' | 'ON_TIME' | 'LATE';

/** Which firing of a window an output is. */
export interface PaneInfo {
  /** EARLY before the watermark passed the window's end, ON_TIME for the one firing when it did, LATE after. */
  readonly timing: PaneTiming;
  /** 0 for the first pane of the window, then 1, 2, … */
  readonly index: number;
  /** -1 for EARLY panes; 0 for the ON_TIME pane (or the first LATE one), then 1, 2, … */
  readonly onTimeIndex: number;
  readonly isFirst: boolean;
  /** True for the final pane: nothing more will be emitted for this window. */
  readonly isLast: boolean;
}

/** The pane of an output that did not come from a window trigger (Beam's NO_FIRING). */
export const NO_FIRING: PaneInfo = Object.freeze({
  timing: 'ON_TIME',
  index: 0,
  onTimeIndex: 0,
  isFirst: true,
  isLast: true,
});

/**
 * Describes the next pane of a window, following Beam's PaneInfoTracker.
 *
 * 1. Once a non-EARLY pane has fired, or the operator's output watermark (the last one it
 *    forwarded) has already reached the window's max timestamp, the pane is LATE. A first
 *    pane made only of late data is therefore LATE, never ON_TIME.
 * 2. Otherwise a pane is EARLY while the input watermark has not reached the window's max timestamp.
 * 3. Otherwise it is the unique ON_TIME pane.
 */
export function describePane(
  previous: PaneInfo | undefined,
  windowMaxTimestamp: number,
  inputWatermark: number,
  outputWatermark: number,
  isFinal: boolean,
): PaneInfo {
  const isFirst = previous === undefined;
  const index = isFirst ? 0 : previous.index + 1;
  let onTimeIndex = isFirst ? 0 : previous.onTimeIndex + 1;
  const onlyEarlySoFar = isFirst || previous.timing === 'EARLY';
  let timing: PaneTiming;
  if (!onlyEarlySoFar || outputWatermark >= windowMaxTimestamp) {
    timing = 'LATE';
  } else if (inputWatermark < windowMaxTimestamp) {
    timing = 'EARLY';
    onTimeIndex = -1;
  } else {
    timing = 'ON_TIME';
  }
  return { timing, index, onTimeIndex, isFirst, isLast: isFinal };
}
