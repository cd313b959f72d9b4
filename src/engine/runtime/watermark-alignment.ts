// Watermark alignment across source partitions (Flink's withWatermarkAlignment). Like Flink's
// SourceCoordinator, the group announces a limit every `updateInterval` of processing time:
// the minimum watermark of its partitions plus `maxDrift`. A partition whose watermark is above
// the announced limit stops reading: at once when its watermark passes the limit, and until an
// announcement raises the limit to its watermark or beyond. Partitions that are idle, finished,
// or have no watermark yet report nothing (Flink's readers report nothing until they have a
// watermark, and +inf when idle or finished), so they do not hold the group back. Until the
// first announcement the limit is +inf.

import { EventClass, type Scheduler } from './scheduler.ts';

/** What the group needs to know about one partition. */
export interface AlignedPartition {
  watermark: number;
  idle: boolean;
  done: boolean;
  paused: boolean;
}

/** A source subtask with partitions in the group: told after every announcement. */
export interface AlignmentListener {
  onAlignmentAnnounced(): void;
}

export class AlignmentGroup {
  private readonly members: AlignedPartition[] = [];
  private readonly listeners: AlignmentListener[] = [];
  /** The watermark a partition may reach; above it, it pauses. */
  maxAllowed = Number.POSITIVE_INFINITY;
  /** The group minimum of the last announcement (+inf before the first, or when nothing reported). */
  announcedMinimum = Number.POSITIVE_INFINITY;

  constructor(
    readonly name: string,
    readonly maxDrift: number,
    readonly updateInterval: number,
    /** Stable number ordering this group's announcements among events due at the same time. */
    private readonly entity: number,
  ) {}

  join(p: AlignedPartition): void {
    this.members.push(p);
  }

  listen(l: AlignmentListener): void {
    this.listeners.push(l);
  }

  /** The smallest watermark of the partitions that report one (not idle, not finished, not -inf). */
  minimum(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const m of this.members) {
      if (m.idle || m.done || m.watermark === Number.NEGATIVE_INFINITY) continue;
      if (m.watermark < min) min = m.watermark;
    }
    return min;
  }

  /** Whether `p` must pause now: its watermark is above the announced limit. */
  mustPause(p: AlignedPartition): boolean {
    return p.watermark > this.maxAllowed;
  }

  /** Announces every `updateInterval` from now on, until every partition has finished. */
  start(scheduler: Scheduler): void {
    this.scheduleAnnouncement(scheduler, scheduler.now + this.updateInterval);
  }

  /** When the next announcement is due. */
  private nextAt = Number.POSITIVE_INFINITY;

  // The alignment class runs after the periodic emissions due at the same instant.
  private scheduleAnnouncement(scheduler: Scheduler, at: number): void {
    this.nextAt = at;
    scheduler.at(
      at,
      () => {
        if (this.members.every((m) => m.done)) return;
        this.announce();
        this.scheduleAnnouncement(scheduler, at + this.updateInterval);
      },
      EventClass.alignment,
      this.entity,
    );
  }

  snapshot(): { maxAllowed: number; announcedMinimum: number; nextAt: number } {
    return { maxAllowed: this.maxAllowed, announcedMinimum: this.announcedMinimum, nextAt: this.nextAt };
  }

  /** Continues announcing from a snapshot (the members are restored by their sources). */
  resume(scheduler: Scheduler, s: { maxAllowed: number; announcedMinimum: number; nextAt: number }): void {
    this.maxAllowed = s.maxAllowed;
    this.announcedMinimum = s.announcedMinimum;
    if (s.nextAt !== Number.POSITIVE_INFINITY) this.scheduleAnnouncement(scheduler, s.nextAt);
  }

  /** Recomputes the limit and tells every listener. */
  announce(): void {
    const min = this.minimum();
    this.announcedMinimum = min;
    this.maxAllowed = min === Number.POSITIVE_INFINITY ? min : min + this.maxDrift;
    for (const l of this.listeners) l.onAlignmentAnnounced();
  }
}
