// Options every operator takes: a display name, a stable id (for savepoints) and its parallelism.

/** Naming and parallelism of one operator. */
export interface OperatorOptions {
  /** Shown in the trace and the dataflow graph. */
  readonly name?: string;
  /** A stable operator id (Flink's uid): savepoint state is matched to operators by it. */
  readonly uid?: string;
  /** How many parallel subtasks run this operator. */
  readonly parallelism?: number;
}

export function checkParallelism(n: number | undefined): void {
  if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > 128)) {
    throw new RangeError(`parallelism must be an integer from 1 to 128, got ${n}`);
  }
}
