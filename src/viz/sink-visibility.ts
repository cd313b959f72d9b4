// What a reader of an exactly-once sink sees of what the sink wrote: a record is in the open
// transaction of its sink subtask until the subtask pre-commits it at a checkpoint barrier,
// visible once that transaction commits, and rolled back when the attempt that wrote it crashed
// before pre-committing it. Invariant: a sink that never pre-committed is not transactional, and
// all its records are visible as they are written (at-most-once, at-least-once, upserts).

/** How a written record stands for readers of its sink at some moment. */
export type SinkVisibilityStatus = 'visible' | 'uncommitted' | 'rolledBack';

export class SinkVisibility {
  /** Timeline time each written record's transaction committed; NaN until it does. */
  private readonly committedT: number[] = [];
  /** Timeline time each written record was rolled back (its attempt crashed first); NaN if not. */
  private readonly rolledBackT: number[] = [];
  private readonly sinkOf: string[] = [];
  /** Records of the open transaction of each `sink#subtask`, in the current attempt. */
  private readonly open = new Map<string, number[]>();
  /** Records of each pre-committed, not yet committed transaction. */
  private readonly staged = new Map<string, number[]>();
  private readonly transactional = new Set<string>();

  /** A sink subtask wrote record `index` (its index in RunModel.sinkOutput). */
  wrote(index: number, sink: string, subtask: number | undefined): void {
    this.committedT[index] = Number.NaN;
    this.rolledBackT[index] = Number.NaN;
    this.sinkOf[index] = sink;
    const key = `${sink}#${subtask ?? 0}`;
    let rows = this.open.get(key);
    if (!rows) this.open.set(key, (rows = []));
    rows.push(index);
  }

  /** Phase one: the subtask's open transaction was staged under `transaction`. */
  preCommitted(sink: string, transaction: string): void {
    this.transactional.add(sink);
    const key = `${sink}#${subtaskOf(transaction)}`;
    this.staged.set(transaction, this.open.get(key) ?? []);
    this.open.set(key, []);
  }

  /** Phase two: `transaction` committed at timeline time `t`; its records became visible. */
  committed(transaction: string, t: number): void {
    const rows = this.staged.get(transaction);
    if (!rows) return; // committed again after a restore, or staged by an earlier page
    this.staged.delete(transaction);
    for (const i of rows) if (Number.isNaN(this.committedT[i]!)) this.committedT[i] = t;
  }

  /**
   * The attempt crashed at timeline time `t`: what its sinks wrote and did not pre-commit is
   * rolled back. (Pre-committed transactions wait: a restore commits those its checkpoint lists.)
   */
  crashed(t: number): void {
    for (const rows of this.open.values()) for (const i of rows) this.rolledBackT[i] = t;
    this.open.clear();
  }

  /** How many sinks have pre-committed so far (only grows): a sink that does is transactional from then on, for all its records. */
  get transactionalSinks(): number {
    return this.transactional.size;
  }

  /** How written record `index` stands for its sink's readers at timeline time `t`. */
  status(index: number, t: number): SinkVisibilityStatus {
    if (!this.transactional.has(this.sinkOf[index]!)) return 'visible';
    if (this.rolledBackT[index]! <= t) return 'rolledBack';
    return this.committedT[index]! <= t ? 'visible' : 'uncommitted';
  }
}

/**
 * The sink subtask in a transaction id. The engine names transactions `sink#subtask@checkpoint`
 * (connectors/delivery-sink.ts, transactionId); this layer may not import engine code at run time.
 */
function subtaskOf(transaction: string): number {
  const hash = transaction.lastIndexOf('#');
  const at = transaction.lastIndexOf('@');
  const n = Number(transaction.slice(hash + 1, at));
  return hash >= 0 && at > hash && Number.isInteger(n) ? n : 0;
}
