// What a window operator records in savepoints about the state it keeps (checkpoint/
// state-descriptors.ts): the panes' kind ("window sum"), each trigger node's data slot ("count
// trigger (AfterPane.elementCountAtLeast)" as "trigger[1]"), and the named values Flink-style
// triggers register as they run ("CountTrigger" as "trigger[0].count"). Flink registers trigger
// state through the TriggerContext with its own StateDescriptor (CountTrigger's
// ReducingStateDescriptor "count") and checks it on registration like any keyed state; so does
// this: slots are known when the operator is built and checked before a restore, named values
// when first registered after it. Invariant: a trigger that registers nothing records nothing.

import { checkDeclaredKind, type StateDescriptors } from '../checkpoint/state-descriptors.ts';
import { WINDOW_KIND, WINDOW_PANES } from '../checkpoint/state-migrations.ts';
import type { Trigger } from './triggers/trigger.ts';
import type { WindowKind } from './window-assigner.ts';
import { triggerSlotName, triggerValueName } from './triggers/trigger-state-names.ts';

export class WindowStateKinds {
  /** Known when built: the panes' kind and the trigger nodes' data slots. */
  private readonly built: Readonly<Record<string, string>>;
  /** Per trigger node, the named values registered so far and who keeps them. */
  private readonly values: Map<string, string>[] = [];
  /** After a restore: the kinds the snapshot recorded, and the operator's uid. */
  private restored: { readonly kinds: StateDescriptors; readonly uid: string } | undefined;

  /**
   * @param trigger the operator's trigger tree, already numbered
   * @param windows what its assigner's windows are: a restore refuses panes of the other kind
   */
  constructor(panesKind: string, trigger: Trigger, windows: WindowKind) {
    const built: Record<string, string> = { [WINDOW_PANES]: panesKind, [WINDOW_KIND]: windows };
    const visit = (t: Trigger): void => {
      if (t.stateKind !== undefined) built[triggerSlotName(t.id)] = t.stateKind;
      for (const c of t.children) visit(c);
    };
    visit(trigger);
    this.built = built;
  }

  /** Per state name, the kind that keeps it: what is known when built, and the trigger values registered since. */
  declared(): StateDescriptors {
    const out: Record<string, string> = { ...this.built };
    this.values.forEach((names, node) => {
      for (const [name, kind] of names) out[triggerValueName(node, name)] = kind;
    });
    return out;
  }

  /** A restore: trigger values registered from now on are checked against the kinds the snapshot recorded. */
  expect(restored: StateDescriptors, uid: string): void {
    this.restored = { kinds: restored, uid };
  }

  /**
   * A Flink-style trigger at node `node` uses its value `name`: the first use registers it, and
   * after a restore refuses it (StateMigrationError) if a trigger of another kind kept it.
   */
  declare(node: number, name: string, kind: string): void {
    let names = this.values[node];
    if (names === undefined) {
      names = new Map();
      this.values[node] = names;
    } else if (names.has(name)) return;
    if (this.restored !== undefined) {
      const state = triggerValueName(node, name);
      checkDeclaredKind(this.restored.uid, state, this.restored.kinds[state], kind);
    }
    names.set(name, kind);
  }
}
