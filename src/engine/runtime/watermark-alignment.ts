// Watermark alignment across source partitions (Flink's withWatermarkAlignment): partitions in
// one group share the minimum of their watermarks, and a partition whose watermark is more
// than maxDrift ahead of that minimum stops reading until the others catch up.

/** What the group needs to know about one partition. */
export interface AlignedPartition {
  watermark: number;
  idle: boolean;
  done: boolean;
  paused: boolean;
}

export class AlignmentGroup {
  private readonly members: AlignedPartition[] = [];
  constructor(
    readonly name: string,
    readonly maxDrift: number,
  ) {}

  join(p: AlignedPartition): void {
    this.members.push(p);
  }

  /** The smallest watermark of the partitions still holding the group back. */
  minimum(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const m of this.members) if (!m.idle && !m.done && m.watermark < min) min = m.watermark;
    return min;
  }

  /** Whether `p` must pause: its watermark is past the group minimum plus the allowed drift. */
  mustPause(p: AlignedPartition): boolean {
    const min = this.minimum();
    return min !== Number.POSITIVE_INFINITY && p.watermark > min + this.maxDrift;
  }
}
