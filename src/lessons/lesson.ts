// What a lesson, a glossary entry and a how-to guide are once loaded: plain data made from
// the files under lessons/ (docs/lessons.md describes the files). Invariant: a lesson's `id`
// never changes once published, because progress is kept under it.

import type { CheckpointMode } from '../engine/checkpoint/checkpoint-coordinator.ts';
import type { RestartStrategy } from '../engine/checkpoint/restart-strategy.ts';
import type { TopicPreload } from '../engine/checkpoint/topic-preload.ts';
import type { DeliveryGuarantee } from '../engine/connectors/delivery-sink.ts';
import type { TestStreamSpec } from '../engine/connectors/test-stream.ts';
import type { ContentLink } from './links.ts';

/**
 * The panels a lesson may open. The same ids as PANEL_IDS in src/viz/panel.ts, which this layer
 * may not import; tests/lessons checks that the two lists agree.
 */
export const LESSON_PANEL_IDS = ['time', 'graph', 'state', 'checkpoints', 'output', 'metrics'] as const;
export type LessonPanelId = (typeof LESSON_PANEL_IDS)[number];

export const LESSON_LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export type LessonLevel = (typeof LESSON_LEVELS)[number];

/** The generator datasets a lesson can name as its input (src/engine/connectors/generator/datasets). */
export const DATASETS = ['smartMeterReadings', 'rideEvents', 'usageEvents', 'shopOrders', 'runnerPings'] as const;
export type DatasetName = (typeof DATASETS)[number];

/** Where a lesson's records come from. */
export type LessonInput =
  /** A TestStream JSON file in the lesson's folder, fed to the pipeline's `p.input()`. */
  | { readonly kind: 'testStream'; readonly file: string; readonly spec: TestStreamSpec<unknown> }
  /** A seeded generator dataset that the pipeline's setup region reads itself. */
  | { readonly kind: 'dataset'; readonly name: DatasetName }
  /** The pipeline carries its own input (a `default` TestStream, fromArray, ...). */
  | { readonly kind: 'pipeline' };

/**
 * The settings a lesson's run needs, named as RunSettings in src/worker/protocol.ts. Unset
 * fields take the sandbox's defaults in the browser; headless, a lesson without a
 * `checkpointInterval` runs without checkpoints (the output is the same: runs are deterministic).
 */
export interface LessonSettings {
  readonly seed: number;
  readonly checkpointInterval: number | null;
  readonly checkpointMode?: CheckpointMode;
  readonly guarantee?: DeliveryGuarantee;
  readonly restart?: RestartStrategy;
  /** Processing times at which the run crashes (for real, in the browser). */
  readonly crashAt: readonly number[];
  /**
   * Log topics in the job's durable store before it starts (front matter `topics:`), which the
   * pipeline reads with `p.fromTopic(name)`. A run with topics is a durable run, headless too.
   */
  readonly topics?: readonly TopicPreload[];
}

/** A file of a content folder, with its text. */
export interface ContentFile {
  /** Relative to the repository root, with forward slashes: `lessons/03-windows/starter.ts`. */
  readonly path: string;
  readonly text: string;
}

export interface Lesson {
  /** Stable forever: progress and links use it. */
  readonly id: string;
  /** `03-windows`: the folder name; its number orders the curriculum. */
  readonly folder: string;
  readonly order: number;
  readonly title: string;
  readonly summary: string;
  readonly level: LessonLevel;
  /** Glossary ids this lesson teaches. */
  readonly terms: readonly string[];
  readonly panels: readonly LessonPanelId[];
  readonly input: LessonInput;
  readonly settings: LessonSettings;
  /** The learner has something to do; the starter is where they begin. */
  readonly exercise: boolean;
  /** The starter is meant to fail the check (the lesson says so plainly). */
  readonly starterFails: boolean;
  readonly hints: readonly string[];
  /** Markdown prose after the front matter. */
  readonly body: string;
  readonly bodyLine: number;
  readonly links: readonly ContentLink[];
  readonly starter: ContentFile;
  readonly solution: ContentFile;
  readonly check: ContentFile;
  /** lesson.md, for messages. */
  readonly file: string;
  /** The 1-based line of each front matter field in lesson.md. */
  readonly fieldLines: Readonly<Record<string, number>>;
}

/** Names of one concept in the systems a learner goes on to use. */
export interface SystemNames {
  readonly flink: string;
  readonly beam: string;
  readonly kafkaStreams: string;
  readonly spark: string;
}

export interface GlossaryEntry {
  /** The file name without `.md`: `allowed-lateness`. */
  readonly id: string;
  readonly term: string;
  /** One sentence, for lists and search results. */
  readonly short: string;
  readonly aliases: readonly string[];
  readonly related: readonly string[];
  readonly names: SystemNames;
  readonly body: string;
  readonly bodyLine: number;
  readonly links: readonly ContentLink[];
  readonly file: string;
  readonly relatedLine: number;
}

export interface Guide {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly terms: readonly string[];
  readonly panels: readonly LessonPanelId[];
  /** The runnable pipeline beside the guide. */
  readonly pipeline: ContentFile;
  readonly input: LessonInput;
  readonly settings: LessonSettings;
  readonly body: string;
  readonly bodyLine: number;
  readonly links: readonly ContentLink[];
  readonly file: string;
  readonly fieldLines: Readonly<Record<string, number>>;
}

/** Everything under lessons/, loaded. */
export interface Content {
  /** In curriculum order. */
  readonly lessons: readonly Lesson[];
  /** By id, alphabetical. */
  readonly glossary: readonly GlossaryEntry[];
  readonly guides: readonly Guide[];
}

/** A mistake in the content, where it is. */
export interface ContentProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
  /** Warnings do not fail `brook check`. */
  readonly severity: 'error' | 'warning';
}
