// How a trigger's per-pane state is named in savepoint descriptors and migrations. A trigger
// keeps its state inside each pane, positionally (one data slot per node of the trigger tree,
// plus named values of Flink-style triggers), so the names carry the node: "trigger[0]" is node
// 0's data slot, "trigger[0].count" the value a Flink-style trigger at node 0 keeps as "count".

/** The descriptor name of node `node`'s data slot, e.g. "trigger[1]". */
export function triggerSlotName(node: number): string {
  return `trigger[${node}]`;
}

/** The descriptor name of the value a Flink-style trigger at node `node` keeps under `name`, e.g. "trigger[0].count". */
export function triggerValueName(node: number, name: string): string {
  return `trigger[${node}].${name}`;
}

/** What a trigger state's name points at: a node's data slot (`value` undefined) or one of its named values; undefined for other names. */
export function parseTriggerStateName(state: string): { readonly node: number; readonly value: string | undefined } | undefined {
  const m = /^trigger\[(\d+)\](?:\.(.+))?$/.exec(state);
  if (m === null) return undefined;
  return { node: Number(m[1]), value: m[2] };
}
