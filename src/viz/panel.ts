// The contract every panel keeps (the xyflow pattern): a framework-free view made on an element,
// redrawn from a RunModel at a playhead, destroyed by its owner. Svelte owns the layout; the
// panel owns the DOM inside its element. Invariant: a panel shows exactly what had happened by
// `playheadT`, so every panel scrubs together on one clock.

import type { OutputReport } from '../worker/protocol.ts';
import type { RunModel } from './run-model.ts';

/** The panels of the sandbox, by the id that links, embeds and lessons use. */
export const PANEL_IDS = ['time', 'graph', 'state', 'checkpoints', 'output', 'metrics'] as const;
export type PanelId = (typeof PANEL_IDS)[number];

export const PANEL_TITLES: Record<PanelId, string> = {
  time: 'Time domain',
  graph: 'Dataflow graph',
  state: 'State',
  checkpoints: 'Checkpoints & recovery',
  output: 'Output',
  metrics: 'Metrics',
};

export interface PanelOptions {
  /** Moves the shared playhead (a click on a time axis). */
  readonly onSeek?: (t: number) => void;
  /** Shows the table alternative instead of the drawing. */
  readonly table?: boolean;
}

export interface PanelView {
  /** Draws what the run had done by timeline time `playheadT`. Cheap when nothing changed. */
  update(model: RunModel, playheadT: number): void;
  /** Switches between the drawing and its table alternative. */
  setTable?(table: boolean): void;
  /** The failure-free run of the same job, for panels that compare against it (output). */
  setReference?(report: OutputReport | undefined): void;
  destroy(): void;
}

export type PanelFactory = (el: HTMLElement, options: PanelOptions) => PanelView;
