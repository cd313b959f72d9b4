// Every panel's factory, by id: the one place the app, embeds and the lab find panels.
import type { PanelFactory, PanelId } from './panel.ts';
import { createTimeDomainView } from './time-domain/time-domain-view.ts';
import { createOutputView } from './output/output-view.ts';
import { dataflowPanel } from './dataflow/dataflow-view.ts';
import { statePanel } from './state/state-view.ts';
import { checkpointPanel } from './checkpoints/checkpoint-view.ts';
import { metricsPanel } from './metrics/metrics-view.ts';

export const PANEL_FACTORIES: Partial<Record<PanelId, PanelFactory>> = {
  time: createTimeDomainView,
  output: createOutputView,
  graph: dataflowPanel,
  state: statePanel,
  checkpoints: checkpointPanel,
  metrics: metricsPanel,
};
