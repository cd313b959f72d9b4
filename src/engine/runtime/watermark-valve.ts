// How a subtask turns its input channels' watermarks and idleness into its own, as Flink does.
//
// WatermarkValve is Flink's StatusWatermarkValve, one per logical input: its watermark is the
// minimum over *aligned* channels, those that are active and have caught up with the valve's
// last output. An idle channel is ignored; a channel that becomes active again only counts once
// its watermark reaches the valve's output. When the last active channel goes idle while it was
// the one holding the watermark back, the valve jumps to the largest watermark of all channels.
//
// CombinedInputs is Flink's IndexedCombinedWatermarkStatus for operators with two inputs (connect,
// interval join): the minimum over inputs that are not idle, and no jump when all are idle. With
// one input it passes the valve's output straight through. Neither ever moves a watermark back.

/** One input channel of a subtask, as the valve tracks it. */
export interface ValveChannel {
  watermark: number;
  idle: boolean;
  /** Active and caught up with the valve's output: only aligned channels make the minimum. */
  aligned: boolean;
}

export class WatermarkValve {
  private readonly channels: ValveChannel[] = [];
  private last = Number.NEGATIVE_INFINITY;
  private idle = false;

  constructor(
    private readonly onWatermark: (watermark: number) => void,
    private readonly onIdle: (idle: boolean) => void,
  ) {}

  add(ch: ValveChannel): void {
    this.channels.push(ch);
  }

  /** The valve's own state (its channels are snapshotted by the subtask that owns them). */
  snapshot(): { last: number; idle: boolean } {
    return { last: this.last, idle: this.idle };
  }

  restore(s: { last: number; idle: boolean }): void {
    this.last = s.last;
    this.idle = s.idle;
  }

  /** A watermark arrived on `ch`; returns whether the channel's own watermark advanced. */
  inputWatermark(ch: ValveChannel, wm: number): boolean {
    // Upstream always reports itself active before it sends a watermark; take one as implying it.
    if (ch.idle) this.inputStatus(ch, false);
    if (!(wm > ch.watermark)) return false;
    ch.watermark = wm;
    if (!ch.aligned && wm >= this.last) ch.aligned = true;
    this.outputAlignedMinimum();
    return true;
  }

  inputStatus(ch: ValveChannel, idle: boolean): void {
    if (idle && !ch.idle) {
      ch.idle = true;
      ch.aligned = false;
      if (!this.channels.some((c) => !c.idle)) {
        // Nothing here will advance any more: flush to the largest watermark seen.
        if (ch.watermark === this.last) {
          let max = Number.NEGATIVE_INFINITY;
          for (const c of this.channels) if (c.watermark > max) max = c.watermark;
          if (max > this.last) this.output(max);
        }
        this.idle = true;
        this.onIdle(true);
      } else if (ch.watermark === this.last) {
        this.outputAlignedMinimum();
      }
    } else if (!idle && ch.idle) {
      ch.idle = false;
      if (ch.watermark >= this.last) ch.aligned = true;
      if (this.idle) {
        this.idle = false;
        this.onIdle(false);
      }
    }
  }

  private outputAlignedMinimum(): void {
    let min = Number.POSITIVE_INFINITY;
    let any = false;
    for (const c of this.channels) {
      if (!c.aligned) continue;
      any = true;
      if (c.watermark < min) min = c.watermark;
    }
    if (any && min > this.last) this.output(min);
  }

  private output(wm: number): void {
    this.last = wm;
    this.onWatermark(wm);
  }
}

/** Combines the watermarks and idleness of a subtask's logical inputs (one valve each). */
export class CombinedInputs {
  private readonly inputs: { watermark: number; idle: boolean }[] = [];
  private combined = Number.NEGATIVE_INFINITY;
  private idle = false;

  constructor(
    private readonly advance: (watermark: number) => void,
    private readonly setIdle: (idle: boolean) => void,
  ) {}

  snapshot(): { inputs: { watermark: number; idle: boolean }[]; combined: number; idle: boolean } {
    return { inputs: this.inputs.map((i) => ({ ...i })), combined: this.combined, idle: this.idle };
  }

  restore(s: { inputs: { watermark: number; idle: boolean }[]; combined: number; idle: boolean }): void {
    s.inputs.forEach((i, n) => {
      this.ensure(n);
      this.inputs[n]!.watermark = i.watermark;
      this.inputs[n]!.idle = i.idle;
    });
    this.combined = s.combined;
    this.idle = s.idle;
  }

  /** Adds input `index` (inputs are numbered from 0 without gaps). */
  ensure(index: number): void {
    while (this.inputs.length <= index) this.inputs.push({ watermark: Number.NEGATIVE_INFINITY, idle: false });
  }

  watermark(index: number, wm: number): void {
    const input = this.inputs[index]!;
    input.idle = false;
    if (wm > input.watermark) input.watermark = wm;
    this.update();
  }

  status(index: number, idle: boolean): void {
    this.inputs[index]!.idle = idle;
    const wasIdle = this.idle;
    this.update();
    if (wasIdle !== this.idle) this.setIdle(this.idle);
  }

  private update(): void {
    let min = Number.POSITIVE_INFINITY;
    let allIdle = true;
    for (const i of this.inputs) {
      if (i.idle) continue;
      allIdle = false;
      if (i.watermark < min) min = i.watermark;
    }
    this.idle = allIdle;
    if (!allIdle && min > this.combined) {
      this.combined = min;
      this.advance(min);
    }
  }
}
