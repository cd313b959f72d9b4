// What a fresh playground opens with: the sessions example and its scripted input, the same
// pipeline `npx brook run examples/sessions.ts --input examples/sessions-input.json` runs.
import sessionsCode from '../../../examples/sessions.ts?raw';
import sessionsInput from '../../../examples/sessions-input.json';
import type { PanelId } from '../../viz/panel.ts';
import { DEFAULT_SETTINGS, type RunSettings } from '../../worker/protocol.ts';

export const DEFAULT_CODE: string = sessionsCode;

export const DEFAULT_RUN_SETTINGS: RunSettings = { ...DEFAULT_SETTINGS, input: sessionsInput };

/** The panels a fresh playground shows, in order. */
export const DEFAULT_PANELS: readonly PanelId[] = ['time', 'output', 'checkpoints'];
