// Errors the engine raises. User code that throws is wrapped so a message can say which
// operator ran it and on what record; the original error (with its stack) is kept as cause.

/** A pipeline that is wired wrongly (for example, a window without a keyed stream). */
export class PipelineDefinitionError extends Error {
  override readonly name = 'PipelineDefinitionError';
}

/** Input that does not match what the engine expects (a malformed TestStream, say). */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** Where in the input the problem is, as a path such as `steps[2].addElements[0].timestamp`. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(path ? `${path}: ${message}` : message);
    this.path = path;
  }
}

/** A user function threw while the engine ran it. */
export class UserCodeError extends Error {
  override readonly name = 'UserCodeError';
  readonly operator: string;
  override readonly cause: unknown;
  constructor(operator: string, what: string, cause: unknown) {
    const inner = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`${what} in operator "${operator}" threw ${inner}`);
    this.operator = operator;
    this.cause = cause;
  }
}
