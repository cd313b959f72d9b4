// Checkpoint barriers at an operator subtask (Flink's CheckpointBarrierHandler): decides when the
// subtask snapshots, forwards the barrier and acknowledges, so that the snapshots of all
// subtasks form one consistent cut of the dataflow (Chandy–Lamport, as Flink varies it).
//
// - Aligned (Flink's default): a barrier is taken from the inbox in order with the records. The
//   channel it came on is then blocked: what arrives behind it waits here, unprocessed, until the
//   barrier has come on every channel that has not ended. Then the subtask snapshots (its state
//   reflects exactly the input before the barriers), forwards the barrier, acknowledges, and
//   processes what waited, in order. No in-flight data is stored.
// - Unaligned: the first barrier is acted on as it arrives, ahead of everything queued: the
//   subtask snapshots and forwards it at once. Every element that arrives on a channel before
//   that channel's barrier (queued ones included) is still processed, and is also recorded as
//   channel state; once every barrier has arrived, state and channel state are acknowledged
//   together. A restored subtask receives its channel state before anything else.
//
// A checkpoint the coordinator aborted (it expired) releases its alignment: what was blocked is
// processed in order, and its barriers still in flight are dropped where they arrive.
//
// An ended channel counts as aligned: a sender that finished sent end of input, never a barrier.
// A subtask that finishes (or had finished) without a barrier acknowledges with its final state.

import type { CheckpointAcks } from '../checkpoint/checkpoint-coordinator.ts';
import { decodePart, encodePart, type PartData } from '../checkpoint/part-data.ts';
import type { TraceEvent } from '../trace/trace-event.ts';
import { toChannelState, type ChannelElement, type ChannelStateElement } from './channel.ts';
import type { OperatorSubtaskSnapshot, TakenSubtaskSnapshot } from './subtask-snapshot.ts';

/** What the aligner needs of its subtask. */
export interface AlignerHost {
  readonly operatorName: string;
  readonly index: number;
  readonly trace: ((e: TraceEvent) => void) | undefined;
  now(): number;
  channelCount(): number;
  /** Whether the end of input of channel `c` has been processed. */
  channelEnded(c: number): boolean;
  isFinished(): boolean;
  /** The subtask's state now, without channel state (encode it at once). */
  snapshot(checkpointId: number): TakenSubtaskSnapshot;
  /** Sends the barrier on every output channel. */
  forwardBarrier(checkpointId: number): void;
  /** The elements in the inbox not yet taken, oldest first. */
  queued(): readonly ChannelElement[];
  /** Puts elements back at the head of the inbox, in this order. */
  requeue(elements: readonly ChannelElement[]): void;
}

/** An aligned checkpoint waiting for barriers. */
interface Alignment {
  readonly checkpointId: number;
  readonly arrived: Set<number>;
  readonly blocked: ChannelElement[];
  blockedRecords: number;
}

/** An unaligned checkpoint whose state is taken, recording channel state until every barrier arrived. */
interface InFlight {
  readonly arrived: Set<number>;
  readonly state: OperatorSubtaskSnapshot;
  readonly channelState: ChannelStateElement[];
  records: number;
}

/**
 * The checkpoint side of one operator subtask: the subtask passes it every element as it arrives
 * (`arrive`) and as it is taken from the inbox (`take`), and tells it when a channel ended and
 * when it finished; the aligner snapshots, forwards barriers and acknowledges.
 */
export class BarrierAligner {
  private acks: CheckpointAcks | undefined;
  private task = -1;
  private alignment: Alignment | undefined;
  private readonly inFlight = new Map<number, InFlight>();
  /** Channels whose end of input has arrived (perhaps still queued). */
  private readonly endArrived = new Set<number>();
  /** Aborted checkpoints, whose barriers may still arrive (few: only expired checkpoints are aborted). */
  private readonly abortedIds = new Set<number>();

  constructor(private readonly host: AlignerHost) {}

  /** Joins a coordinator as task number `task`. */
  attach(acks: CheckpointAcks, task: number): void {
    this.acks = acks;
    this.task = task;
  }

  /** Checkpoint `checkpointId` started: a subtask that has finished acknowledges at once. */
  triggered(checkpointId: number): void {
    if (this.host.isFinished()) this.acknowledge(checkpointId, encodePart(this.host.snapshot(checkpointId)));
  }

  /** Checkpoint `checkpointId` was aborted: stop waiting for its barriers and release what they blocked. */
  aborted(checkpointId: number): void {
    this.abortedIds.add(checkpointId);
    this.inFlight.delete(checkpointId);
    const a = this.alignment;
    if (a === undefined || a.checkpointId !== checkpointId) return;
    this.alignment = undefined;
    if (a.blocked.length > 0) this.host.requeue(a.blocked);
  }

  /** Whether `el` is a barrier of an aborted checkpoint (it is dropped). */
  private isAbortedBarrier(el: ChannelElement): boolean {
    if (el.kind !== 'barrier' || this.abortedIds.size === 0) return false;
    return this.abortedIds.has(el.checkpointId);
  }

  /**
   * An element arrives at the subtask. Returns true if it was taken here (an unaligned barrier)
   * and must not be queued. Records what unaligned checkpoints must keep as channel state.
   */
  arrive(el: ChannelElement): boolean {
    if (el.kind === 'barrier') {
      if (this.acks?.mode !== 'unaligned') return false;
      if (this.isAbortedBarrier(el)) return true;
      this.unalignedBarrier(el.channel, el.checkpointId);
      return true;
    }
    if (el.kind === 'end') this.endArrived.add(el.channel);
    if (this.inFlight.size === 0) return false;
    for (const p of this.inFlight.values()) {
      if (p.arrived.has(el.channel)) continue;
      p.channelState.push(copy<ChannelStateElement>(toChannelState(el)));
      if (el.kind === 'records') p.records += el.batch.length;
    }
    if (el.kind === 'end') this.completeUnaligned();
    return false;
  }

  /** Whether `el`, taken now, would wait behind a barrier (aligned: its channel is blocked). */
  blocks(el: ChannelElement): boolean {
    return this.alignment !== undefined && this.alignment.arrived.has(el.channel);
  }

  /**
   * The subtask takes `el` from its inbox. Returns true if it was taken here: a barrier, or an
   * element behind a barrier on a blocked channel (it waits for the alignment).
   */
  take(el: ChannelElement): boolean {
    const a = this.alignment;
    if (a !== undefined && a.arrived.has(el.channel)) {
      a.blocked.push(el);
      if (el.kind === 'records') a.blockedRecords += el.batch.length;
      return true;
    }
    if (el.kind !== 'barrier') return false;
    if (this.isAbortedBarrier(el)) return true;
    this.received(el.channel, el.checkpointId);
    if (a === undefined) {
      this.alignment = { checkpointId: el.checkpointId, arrived: new Set([el.channel]), blocked: [], blockedRecords: 0 };
    } else if (a.checkpointId === el.checkpointId) {
      a.arrived.add(el.channel);
    } else {
      // Barriers keep their order on every channel, so a newer one only comes on a blocked channel.
      throw new Error(`${this.host.operatorName} subtask ${this.host.index}: barrier ${el.checkpointId} arrived while aligning ${a.checkpointId}`);
    }
    this.checkAligned();
    return true;
  }

  /** The subtask processed the end of input of a channel: it no longer holds an alignment back. */
  channelEnded(): void {
    this.checkAligned();
  }

  /** The subtask finished: it acknowledges the checkpoints in progress no barrier brought it. */
  finished(): void {
    if (this.acks === undefined) return;
    for (const id of this.acks.awaiting(this.task)) {
      if (id !== this.alignment?.checkpointId && !this.inFlight.has(id)) this.acknowledge(id, encodePart(this.host.snapshot(id)));
    }
  }

  private received(channel: number, checkpointId: number): void {
    const h = this.host;
    h.trace?.({ type: 'barrierReceived', pt: h.now(), operator: h.operatorName, subtask: h.index, channel, checkpointId });
  }

  private isAligned(arrived: ReadonlySet<number>, ended: (c: number) => boolean): boolean {
    for (let c = 0; c < this.host.channelCount(); c++) if (!arrived.has(c) && !ended(c)) return false;
    return true;
  }

  private checkAligned(): void {
    const a = this.alignment;
    const h = this.host;
    if (a === undefined || !this.isAligned(a.arrived, (c) => h.channelEnded(c))) return;
    this.alignment = undefined;
    this.traceAligned(a.checkpointId, a.blockedRecords, undefined);
    const data = encodePart(h.snapshot(a.checkpointId));
    if (!h.isFinished()) h.forwardBarrier(a.checkpointId);
    this.acknowledge(a.checkpointId, data);
    if (a.blocked.length > 0) h.requeue(a.blocked);
  }

  private unalignedBarrier(channel: number, checkpointId: number): void {
    this.received(channel, checkpointId);
    let p = this.inFlight.get(checkpointId);
    if (p === undefined) {
      const h = this.host;
      // Everything still queued was sent before this barrier (on its channel) or before the
      // barriers still to come (on the others): the barrier overtakes it, so it is channel state.
      const channelState: ChannelStateElement[] = [];
      let records = 0;
      for (const el of h.queued()) {
        if (el.kind === 'barrier') continue;
        channelState.push(copy<ChannelStateElement>(toChannelState(el)));
        if (el.kind === 'records') records += el.batch.length;
      }
      p = { arrived: new Set(), state: copy<OperatorSubtaskSnapshot>(h.snapshot(checkpointId)), channelState, records };
      this.inFlight.set(checkpointId, p);
      h.forwardBarrier(checkpointId);
    }
    p.arrived.add(channel);
    this.completeUnaligned();
  }

  private completeUnaligned(): void {
    const h = this.host;
    for (const [id, p] of this.inFlight) {
      if (!this.isAligned(p.arrived, (c) => this.endArrived.has(c) || h.channelEnded(c))) continue;
      this.inFlight.delete(id);
      this.traceAligned(id, 0, p.records);
      const snapshot: OperatorSubtaskSnapshot = p.channelState.length > 0 ? { ...p.state, channelState: p.channelState } : p.state;
      this.acknowledge(id, encodePart(snapshot));
    }
  }

  private traceAligned(checkpointId: number, blockedRecords: number, channelStateRecords: number | undefined): void {
    const h = this.host;
    h.trace?.({
      type: 'barrierAligned',
      pt: h.now(),
      operator: h.operatorName,
      subtask: h.index,
      checkpointId,
      blockedRecords,
      ...(channelStateRecords !== undefined ? { channelStateRecords } : {}),
    });
  }

  private acknowledge(checkpointId: number, data: PartData): void {
    if (this.acks === undefined) throw new Error(`${this.host.operatorName} subtask ${this.host.index} has no checkpoint coordinator`);
    this.acks.acknowledge(this.task, checkpointId, data);
  }
}

/** A deep copy through the snapshot codec, as read back (`T`): what is kept cannot change with live state. */
function copy<T>(value: unknown): T {
  return decodePart<T>(encodePart(value));
}
