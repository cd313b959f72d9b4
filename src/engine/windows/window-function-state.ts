// Keyed state of a process window function (Flink's ProcessWindowFunction.Context): window state
// per key and window, global state per key, both pointed at a key and window before each call,
// and the function's clear hook run as a window expires (window state is cleared only there).

import type { StateAccess } from '../api/process-function.ts';
import type { StateDescriptors } from '../checkpoint/state-descriptors.ts';
import { UserCodeError } from '../errors.ts';
import type { OperatorContext } from '../runtime/operator.ts';
import type { Key } from '../runtime/record-batch.ts';
import { StateRegistry } from '../state/state-registry.ts';
import type { Window } from './window.ts';
import type { WindowFunction } from './window-function.ts';

export class WindowFunctionState {
  private key: Key = 0;
  private window: Window | undefined = undefined;
  private ctx!: OperatorContext;
  /** What the function's context exposes as `windowState` and `globalState`. */
  access!: { readonly windowState: StateAccess; readonly globalState: StateAccess };
  private registries: StateRegistry[] = [];

  open(ctx: OperatorContext): void {
    this.ctx = ctx;
    const name = () => ctx.operatorName;
    const table = (n: string) => ctx.state.table<unknown>(n);
    const processingTime = () => ctx.processingTime();
    const windowState = new StateRegistry(name, table, { currentKey: () => this.key, currentNamespace: () => this.window, processingTime });
    const globalState = new StateRegistry(name, table, { currentKey: () => this.key, currentNamespace: () => undefined, processingTime });
    this.registries = [windowState, globalState];
    this.access = { windowState: windowState.access, globalState: globalState.access };
  }

  /** The kinds of the state the function declared so far (checkpoint/state-descriptors.ts). */
  declared(): StateDescriptors {
    return Object.assign({}, ...this.registries.map((r) => r.declared())) as StateDescriptors;
  }

  /** A restore: state declared from now on is checked against the kinds the snapshot recorded. */
  expect(restored: StateDescriptors, uid: string, ttlRecorded: boolean): void {
    for (const r of this.registries) r.expect(restored, uid, ttlRecorded);
  }

  /** Points both states at a key and window, before the function runs for them. */
  at(key: Key, window: Window): this {
    this.key = key;
    this.window = window;
    return this;
  }

  /** Runs the function's clear hook as its window expires (Flink's ProcessWindowFunction.clear). */
  clear(fn: WindowFunction, key: Key, window: Window): void {
    if (fn.kind !== 'process' || fn.clear === undefined) return;
    this.at(key, window);
    try {
      fn.clear(key, { window, ...this.access });
    } catch (e) {
      throw new UserCodeError(this.ctx.operatorName, 'the clear function of the process window function', e);
    }
  }
}
