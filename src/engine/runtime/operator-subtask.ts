// Hosts one parallel instance of an operator: queues its input, turns its input channels'
// watermarks and idleness into its own as Flink does (watermark-valve.ts: a StatusWatermarkValve
// per logical input, combined over inputs), fires due timers before forwarding a watermark, and
// flushes output after every callback. Invariant: the forwarded watermark never goes back.
// Checkpoint barriers are handed to its BarrierAligner (barrier-aligner.ts), which decides when
// it snapshots, blocks channels (aligned) or records channel state (unaligned).
//
// With a processing cost (virtual ms per record, optional), the subtask works cost × records ms
// of processing time on each batch before processing it (its output leaves when the work is
// done) and takes nothing else from its inbox meanwhile: input queues up behind it, watermarks
// and barriers too, so back-pressure and checkpoint alignment take virtual time, as in Flink.
//
// A processing-time timer for time t fires when the clock reaches t + 1, strictly after its time:
// Flink schedules it 1 ms late (ProcessingTimeServiceUtil.getProcessingTimeDelay, "to align the
// semantics with watermark") and Beam fires processing-time timers once the clock is after them.

import type { Random } from '../random/random.ts';
import type { KeyedStateBackend } from '../state/state-backend.ts';
import { TimerService } from '../time/timer-service.ts';
import type { CheckpointAcks } from '../checkpoint/checkpoint-coordinator.ts';
import type { IoQueue } from '../checkpoint/io-request.ts';
import type { StateDescriptors } from '../checkpoint/state-descriptors.ts';
import type { TraceEvent } from '../trace/trace-event.ts';
import { BarrierAligner } from './barrier-aligner.ts';
import { descriptorsField, type OperatorSubtaskSnapshot, type RestoredKinds, type TakenSubtaskSnapshot } from './subtask-snapshot.ts';
import { fromChannelState, type ChannelElement, type Receiver } from './channel.ts';
import type { Operator, OperatorContext } from './operator.ts';
import { EventClass, type Runnable, type Scheduler } from './scheduler.ts';
import type { TaskOutput } from './task-output.ts';
import { CombinedInputs, WatermarkValve, type ValveChannel } from './watermark-valve.ts';

interface InputChannel extends ValveChannel {
  readonly inputIndex: number;
  ended: boolean;
}

export interface SubtaskServices {
  readonly scheduler: Scheduler;
  readonly trace: ((e: TraceEvent) => void) | undefined;
  readonly random: Random;
  readonly state: KeyedStateBackend;
  /** This subtask's stable number, ordering its timers among events due at the same time. */
  readonly entity: number;
  /** Where the operator's I/O requests go (the job's queue). */
  readonly io: IoQueue;
  /** Virtual ms of processing time each record costs (0: processing takes no time). */
  readonly processingCost?: number;
}

export class OperatorSubtask implements Receiver, Runnable {
  queued = false;
  private readonly inbox: ChannelElement[] = [];
  private head = 0;
  private readonly channels: InputChannel[] = [];
  private readonly valves: WatermarkValve[] = [];
  private readonly inputs = new CombinedInputs(
    (wm) => this.advanceWatermark(wm),
    (idle) => this.output.emitIdle(idle),
  );
  private watermark = Number.NEGATIVE_INFINITY;
  private forwarded = Number.NEGATIVE_INFINITY;
  private finished = false;
  private readonly wakeTimes = new Set<number>();
  readonly timers = new TimerService();
  recordsIn = 0;
  /** Records the operator dropped (late data, closed windows). */
  recordsDropped = 0;
  queuedRecords = 0;
  private readonly barriers: BarrierAligner;
  /** Processing cost: the clock time before which the subtask takes nothing from its inbox. */
  private busyUntil = Number.NEGATIVE_INFINITY;
  /** Processing cost: the batch at the head of the inbox whose work is done (or under way). */
  private paidFor: ChannelElement | undefined;

  constructor(
    readonly operatorName: string,
    readonly index: number,
    readonly parallelism: number,
    private readonly operator: Operator,
    readonly output: TaskOutput,
    private readonly services: SubtaskServices,
  ) {
    this.timers.onProcessingTimerAdded = (time) => this.scheduleWake(time);
    this.barriers = new BarrierAligner({
      operatorName,
      index,
      trace: services.trace,
      now: () => services.scheduler.now,
      channelCount: () => this.channels.length,
      channelEnded: (c) => this.channels[c]!.ended,
      isFinished: () => this.finished,
      snapshot: (id) => this.snapshot(id),
      forwardBarrier: (id) => this.output.emitBarrier(id),
      queued: () => this.inbox.slice(this.head),
      requeue: (elements) => {
        this.inbox.splice(this.head, 0, ...elements);
        this.wakeUnlessBusy();
      },
    });
  }

  /** Takes part in checkpoints as task `task` of a coordinator. */
  attachCheckpoints(acks: CheckpointAcks, task: number): void {
    this.barriers.attach(acks, task);
  }

  /** Checkpoint `checkpointId` was aborted (it expired): an alignment waiting for it is released. */
  checkpointAborted(checkpointId: number): void {
    this.barriers.aborted(checkpointId);
  }

  /** Checkpoint `checkpointId` started (barriers are on their way; a finished subtask acknowledges now). */
  checkpointTriggered(checkpointId: number): void {
    this.barriers.triggered(checkpointId);
  }

  /** Adds an input channel for logical input `inputIndex`; returns its channel number. */
  addChannel(inputIndex: number): number {
    const ch: InputChannel = { inputIndex, watermark: Number.NEGATIVE_INFINITY, idle: false, aligned: true, ended: false };
    this.inputs.ensure(inputIndex);
    for (let i = this.valves.length; i <= inputIndex; i++) {
      this.valves.push(new WatermarkValve((wm) => this.inputs.watermark(i, wm), (idle) => this.inputs.status(i, idle)));
    }
    this.valves[inputIndex]!.add(ch);
    this.channels.push(ch);
    return this.channels.length - 1;
  }

  open(): void {
    const self = this;
    const trace = this.services.trace;
    const ctx: OperatorContext = {
      operatorName: this.operatorName,
      subtask: this.index,
      parallelism: this.parallelism,
      output: this.output,
      timers: this.timers,
      state: this.services.state,
      random: this.services.random,
      watermark: () => self.watermark,
      outputWatermark: () => self.forwarded,
      processingTime: () => self.services.scheduler.now,
      io: this.services.io,
      countDropped: () => {
        self.recordsDropped++;
      },
      tracing: trace !== undefined,
      trace: trace ?? (() => {}),
    };
    this.operator.open(ctx);
  }

  enqueue(el: ChannelElement): void {
    // An unaligned barrier is acted on as it arrives, ahead of the queue.
    if (this.barriers.arrive(el)) return;
    this.inbox.push(el);
    if (el.kind === 'records') this.queuedRecords += el.batch.length;
    this.wakeUnlessBusy();
  }

  private wakeUnlessBusy(): void {
    if (this.services.scheduler.now >= this.busyUntil) this.services.scheduler.wake(this);
  }

  /** Busy for `ms` from now: the subtask is woken when that time comes (after its own timers due then). */
  private busyFor(ms: number): void {
    const scheduler = this.services.scheduler;
    this.busyUntil = scheduler.now + ms;
    scheduler.at(this.busyUntil, () => {
      if (this.head < this.inbox.length) scheduler.wake(this);
    }, EventClass.timers, this.services.entity + 0.5);
  }

  get currentWatermark(): number {
    return this.watermark;
  }

  /**
   * Captures this subtask for checkpoint `checkpointId`: state, timers, watermarks and counters,
   * not the inbox. The barrier aligner calls it once the input before the barriers has been
   * processed (aligned), or keeps the in-flight input beside it as channel state (unaligned).
   */
  snapshot(checkpointId: number): TakenSubtaskSnapshot {
    const busy = this.busyUntil > this.services.scheduler.now ? { busyUntil: this.busyUntil } : {};
    return {
      channels: this.channels.map((c) => ({ watermark: c.watermark, idle: c.idle, aligned: c.aligned, ended: c.ended })),
      valves: this.valves.map((v) => v.snapshot()),
      inputs: this.inputs.snapshot(),
      watermark: this.watermark,
      forwarded: this.forwarded,
      finished: this.finished,
      counters: { recordsIn: this.recordsIn, recordsOut: this.output.recordsOut, recordsDropped: this.recordsDropped },
      state: this.services.state.snapshot(checkpointId),
      timers: this.timers.snapshot(),
      operator: this.operator.snapshotState?.(checkpointId) ?? null,
      ...descriptorsField(this.restoredKinds, this.stateDescriptors()),
      ...busy,
    };
  }

  /** What the restored snapshot recorded (checkpoint/state-descriptors.ts). */
  private restoredKinds: RestoredKinds = { kinds: {}, ttlRecorded: false };

  /** The kinds of state the operator knows it keeps (before it runs: its window function's). */
  stateDescriptors(): StateDescriptors {
    return this.operator.stateDescriptors?.() ?? {};
  }

  /** Puts a fresh subtask (opened, not yet run) back in the state of a snapshot; `uid` names the operator in errors. */
  restore(s: OperatorSubtaskSnapshot, checkpointId: number, pipelineChanged = false, uid = this.operatorName): void {
    if (s.channels.length === this.channels.length) {
      s.channels.forEach((c, i) => Object.assign(this.channels[i]!, c));
      s.valves.forEach((v, i) => this.valves[i]?.restore(v));
      this.inputs.restore(s.inputs);
      this.watermark = s.watermark;
      this.forwarded = s.forwarded;
      this.finished = s.finished;
    } else if (!pipelineChanged) {
      throw new Error(`operator "${this.operatorName}" subtask ${this.index} had ${s.channels.length} input channels when checkpointed and has ${this.channels.length} now`);
    }
    // Otherwise (a savepoint into a changed pipeline whose inputs changed) the subtask keeps its
    // state but learns its watermarks afresh from its new inputs.
    this.recordsIn = s.counters.recordsIn;
    this.output.recordsOut = s.counters.recordsOut;
    this.recordsDropped = s.counters.recordsDropped;
    this.services.state.restore(s.state);
    this.timers.restore(s.timers);
    if (s.operator !== null) this.operator.restoreState?.(s.operator, checkpointId);
    if (s.descriptors !== undefined) {
      this.restoredKinds = { kinds: s.descriptors, ttlRecorded: s.ttlRecorded === true };
      this.operator.restoreStateDescriptors?.(s.descriptors, uid, this.restoredKinds.ttlRecorded);
    }
    if (s.busyUntil !== undefined) {
      // It was working on the first batch of its channel state, which comes back first.
      this.paidFor = this.inbox[this.head];
      this.busyFor(s.busyUntil - this.services.scheduler.now);
    }
    if (s.channelState !== undefined && s.channelState.length > 0) {
      if (s.channels.length !== this.channels.length) {
        throw new Error(`operator "${this.operatorName}" subtask ${this.index}: an unaligned checkpoint with in-flight records cannot be restored into changed inputs`);
      }
      // In-flight input of an unaligned checkpoint comes first, before anything the restored job sends.
      for (const el of s.channelState) this.enqueue(fromChannelState(el));
    }
  }

  /** Tells the operator that checkpoint `checkpointId` completed. */
  notifyCheckpointComplete(checkpointId: number): void {
    this.services.state.notifyCheckpointComplete?.(checkpointId);
    this.operator.notifyCheckpointComplete?.(checkpointId);
    this.output.flush();
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** The keyed state backend, for read-only views (the state inspector). */
  get state(): KeyedStateBackend {
    return this.services.state;
  }

  get stateEntries(): number {
    return this.services.state.entryCount();
  }

  runOne(): boolean {
    const el = this.inbox[this.head];
    if (el === undefined) return false;
    const cost = this.services.processingCost ?? 0;
    if (cost > 0) {
      // Busy: the end of the work wakes it. A batch is worked on first, then processed (its output
      // leaves when the work is done); a batch waiting behind a barrier costs nothing yet.
      if (this.services.scheduler.now < this.busyUntil) return false;
      if (el.kind === 'records' && el !== this.paidFor && el.batch.length > 0 && !this.barriers.blocks(el)) {
        this.paidFor = el;
        this.busyFor(cost * el.batch.length);
        return false;
      }
      this.paidFor = undefined;
    }
    this.inbox[this.head++] = undefined as unknown as ChannelElement;
    if (this.head > 256 && this.head * 2 > this.inbox.length) {
      this.inbox.splice(0, this.head);
      this.head = 0;
    }
    if (!this.barriers.take(el)) this.handle(el);
    return this.head < this.inbox.length;
  }

  private handle(el: ChannelElement): void {
    const ch = this.channels[el.channel]!;
    switch (el.kind) {
      case 'records':
        this.queuedRecords -= el.batch.length;
        this.recordsIn += el.batch.length;
        this.operator.processBatch(el.batch, ch.inputIndex);
        this.output.flush();
        return;
      case 'watermark':
        this.onChannelWatermark(ch, el.channel, el.watermark);
        return;
      case 'idle':
        this.valves[ch.inputIndex]!.inputStatus(ch, el.idle);
        return;
      case 'end':
        // A finished input has sent +inf (Flink's MAX_WATERMARK) and holds nothing back.
        this.onChannelWatermark(ch, el.channel, Number.POSITIVE_INFINITY);
        ch.ended = true;
        this.barriers.channelEnded();
        if (!this.finished && this.channels.every((c) => c.ended)) {
          this.finished = true;
          this.operator.finish?.();
          this.output.flush();
          this.output.emitEnd();
          this.barriers.finished();
        }
        return;
      case 'barrier':
        // Barriers are taken by the aligner before an element is handled.
        return;
    }
  }

  private onChannelWatermark(ch: InputChannel, channel: number, wm: number): void {
    const trace = this.services.trace;
    const before = ch.watermark;
    // The channel's watermark is traced before the subtask acts on it.
    if (trace !== undefined && wm > before) {
      trace({ type: 'channelWatermark', pt: this.services.scheduler.now, operator: this.operatorName, subtask: this.index, channel, watermark: wm });
    }
    this.valves[ch.inputIndex]!.inputWatermark(ch, wm);
  }

  private advanceWatermark(wm: number): void {
    this.watermark = wm;
    const trace = this.services.trace;
    for (let t = this.timers.nextEventTimer(wm); t !== undefined; t = this.timers.nextEventTimer(wm)) {
      if (this.operator.isTimerLive?.(t) === false) continue;
      trace?.({
        type: 'timerFired',
        pt: this.services.scheduler.now,
        operator: this.operatorName,
        subtask: this.index,
        key: t.key,
        domain: t.domain,
        time: t.time,
        ...(t.window ? { window: t.window } : {}),
      });
      this.operator.onTimer(t);
    }
    this.operator.onWatermark?.(wm);
    this.output.flush();
    this.forwarded = wm;
    trace?.({ type: 'watermarkAdvanced', pt: this.services.scheduler.now, operator: this.operatorName, subtask: this.index, watermark: wm });
    this.output.emitWatermark(wm);
  }

  /** Wakes the subtask for a processing-time timer at `time`: at `time + 1`, as Flink does. */
  private scheduleWake(time: number): void {
    const wakeAt = time + 1;
    if (this.wakeTimes.has(wakeAt)) return;
    this.wakeTimes.add(wakeAt);
    this.services.scheduler.at(wakeAt, () => {
      this.wakeTimes.delete(wakeAt);
      this.fireProcessingTimers();
    }, EventClass.timers, this.services.entity);
  }

  /**
   * Fires the processing-time timers strictly before the clock (time < now). The operator gets
   * each timer with its own time t (Flink's onTimer(timestamp)); its processingTime() is the clock.
   */
  private fireProcessingTimers(): void {
    // After the end of input, pending processing-time timers are abandoned (Flink's behaviour).
    if (this.finished) return;
    const now = this.services.scheduler.now;
    const due = now - 1;
    const trace = this.services.trace;
    for (let t = this.timers.nextProcessingTimer(due); t !== undefined; t = this.timers.nextProcessingTimer(due)) {
      if (this.operator.isTimerLive?.(t) === false) continue;
      trace?.({
        type: 'timerFired',
        pt: now,
        operator: this.operatorName,
        subtask: this.index,
        key: t.key,
        domain: t.domain,
        time: t.time,
        ...(t.window ? { window: t.window } : {}),
      });
      this.operator.onTimer(t);
    }
    this.output.flush();
  }
}
