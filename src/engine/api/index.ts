// The Brook API: everything a pipeline file imports from 'brook'. Names follow Apache Flink
// and Apache Beam; where they differ, both are here and the docs say which is which.

export { Pipeline, defaultPrimaryKey } from './pipeline.ts';
export type { ArraySourceOptions, InputOptions, PipelineOptions, RecordsSourceOptions, SourceOptions } from './pipeline.ts';
export { DataStream, KeyedStream } from './data-stream.ts';
export type { SinkToOptions } from './data-stream.ts';
export type { DeliveryGuarantee, DeliverySinkOptions, PrimaryKeyFunction, SinkRecordInfo } from '../connectors/delivery-sink.ts';
export { WindowedStream } from './windowed-stream.ts';
export { ConnectedStreams, ConnectedKeyedStreams } from './connected-streams.ts';
export type { OperatorOptions } from './operator-options.ts';
export type {
  CoProcessFunction,
  KeyedCoProcessFunction,
  KeyedProcessContext,
  KeyedProcessFunction,
  OnTimerContext,
  ProcessContext,
  ProcessFunction,
  StateAccess,
  TimerServiceApi,
} from './process-function.ts';
export type { IntervalJoinContext, IntervalJoinFunction } from './interval-join.ts';
export { runPipeline, buildPipeline, withDefaultGuarantee } from './run-pipeline.ts';
export type { PipelineBuilder, RunOptions, RunResult, SinkRecord } from './run-pipeline.ts';
export { InputError, PipelineDefinitionError, UserCodeError } from '../errors.ts';
export {
  afterAll,
  afterCount,
  afterEach,
  afterFirst,
  afterProcessingTime,
  afterWatermark,
  defaultTrigger,
  never,
  repeatedly,
} from './triggers.ts';

export { days, hours, millis, minutes, seconds, MAX_WATERMARK, MIN_WATERMARK } from '../time/time.ts';
export type { Duration, EventTime, ProcessingTime } from '../time/time.ts';
export { boundedOutOfOrderness, customWatermarks, monotonousTimestamps, noWatermarks } from '../time/watermark-strategy.ts';
export type { WatermarkStrategy } from '../time/watermark-strategy.ts';
export {
  slidingProcessingTimeWindows,
  slidingWindows,
  tumblingProcessingTimeWindows,
  tumblingWindows,
} from '../windows/time-windows.ts';
export { sessionWindows } from '../windows/session-windows.ts';
export { countWindows, globalWindows } from '../windows/global-windows.ts';
export type { WindowAssigner } from '../windows/window-assigner.ts';
export type { Window } from '../windows/window.ts';
export type { PaneInfo, PaneTiming } from '../windows/pane-info.ts';
export type { ProcessWindowContext, ProcessWindowFunction, WindowClearContext } from '../windows/window-function.ts';
export type { Trigger } from '../windows/triggers/trigger.ts';
export {
  countTrigger,
  eventTimeTrigger,
  flinkTrigger,
  processingTimeTrigger,
  purgingTrigger,
} from '../windows/triggers/flink-triggers.ts';
export type { FlinkOnMergeContext, FlinkTriggerContext, FlinkTriggerFunctions, TriggerResult } from '../windows/triggers/flink-triggers.ts';
export type {
  AggregateFunction,
  AggregatingState,
  ListState,
  MapState,
  ReducingState,
  StateOptions,
  StateTtl,
  ValueState,
} from '../state/keyed-state.ts';
export { testStream, parseTestStream, testStreamToJson } from '../connectors/test-stream.ts';
export type { TestStreamElement, TestStreamSpec, TestStreamStep } from '../connectors/test-stream.ts';
export type { GeneratorSpec } from '../connectors/generator/spec.ts';
export { smartMeterReadings, rideEvents, usageEvents, shopOrders, runnerPings } from '../connectors/generator-source.ts';
export type { TraceEvent } from '../trace/trace-event.ts';
// State evolution: a pipeline file may `export const migrations: StateMigrations` beside its
// default export; a fix for `brook savepoint rewrite` default-exports `(sp: StateProcessor) => void`.
export type { StateMigration, StateMigrationContext, StateMigrations } from '../checkpoint/state-migrations.ts';
export type { StateChange, StateEntryView, StateProcessor } from '../checkpoint/state-processor.ts';
