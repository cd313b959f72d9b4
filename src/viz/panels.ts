// Every panel's factory, by id: the one place the app, embeds and the lab find panels.
import type { PanelFactory, PanelId } from './panel.ts';
import { dataflowPanel } from './dataflow/dataflow-view.ts';

export const PANEL_FACTORIES: Partial<Record<PanelId, PanelFactory>> = {
  graph: dataflowPanel,
};
