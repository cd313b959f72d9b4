// Beam's AfterPane.elementCountAtLeast: fires once the pane holds at least n elements.
// State: the element count since the trigger last started (summed when windows merge).

import { Trigger, type MergeContext, type TriggerContext } from './trigger.ts';

/** Fires once when the pane has received at least `count` elements. */
export class AfterCountTrigger extends Trigger {
  override readonly stateKind = 'count trigger (AfterPane.elementCountAtLeast)';
  readonly count: number;
  constructor(count: number) {
    super();
    this.count = count;
  }
  onElement(c: TriggerContext): void {
    c.state.data[this.id] = (c.state.data[this.id] ?? 0) + 1;
  }
  shouldFire(c: TriggerContext): boolean {
    return (c.state.data[this.id] ?? 0) >= this.count;
  }
  onFire(c: TriggerContext): void {
    this.setFinished(c, true);
    c.state.data[this.id] = null;
  }
  override onMerge(c: MergeContext): void {
    if (this.finishedInAnyMerging(c)) {
      this.setFinished(c, true);
      c.state.data[this.id] = null;
      return;
    }
    let sum = 0;
    for (const s of c.merging) sum += s.data[this.id] ?? 0;
    c.state.data[this.id] = sum;
  }
  toString(): string {
    return `AfterPane.elementCountAtLeast(${this.count})`;
  }
}
