// Turns whatever loading or running a pipeline threw into a CodeError the page can show: what
// kind of mistake, the message, and the line and column in the user's TypeScript when a stack
// frame of user code says where. Invariant: a user's mistake is never reported as Brook's.

import { InputError, PipelineDefinitionError, UserCodeError } from '../engine/errors.ts';
import type { CodeError } from './protocol.ts';
import { describeThrown, UserCodeFailure, type UserModule } from './user-code.ts';

type Locate = UserModule['locate'];

/** Store errors keep IndexedDB's names across the bridge (store-rpc.ts). */
const STORAGE_ERRORS = new Set(['StorageError', 'QuotaExceededError', 'AbortError', 'InvalidStateError', 'UnknownError']);

/** A CodeError for something thrown while the pipeline was built or started (`load`). */
export function loadError(thrown: unknown, locate: Locate | undefined): CodeError {
  if (thrown instanceof UserCodeFailure) return thrown.error;
  if (thrown instanceof InputError) return { kind: 'input', message: `the input is not a valid TestStream: ${thrown.message}` };
  if (thrown instanceof Error && STORAGE_ERRORS.has(thrown.name)) return { kind: 'storage', message: describeThrown(thrown) };
  const where = locate?.(thrown);
  if (thrown instanceof PipelineDefinitionError) return { kind: 'definition', message: thrown.message, ...where };
  if (where) return { kind: 'definition', message: `building the pipeline threw ${describeThrown(thrown)}`, ...where };
  return { kind: 'internal', message: describeThrown(thrown) };
}

/** A CodeError for the failure a job's restart strategy gave up on. */
export function runError(failure: { readonly reason: string; readonly error: unknown }, locate: Locate | undefined): CodeError {
  const { error } = failure;
  if (error instanceof UserCodeError) return { kind: 'runtime', message: error.message, ...locate?.(error.cause) };
  if (error instanceof Error && STORAGE_ERRORS.has(error.name)) return { kind: 'storage', message: failure.reason };
  const where = locate?.(error);
  if (where) return { kind: 'runtime', message: failure.reason, ...where };
  return { kind: 'internal', message: failure.reason };
}

/** A CodeError for a promise user code left to reject (a refused `fetch`, say). */
export function unhandledRejectionError(reason: unknown, locate: Locate | undefined): CodeError {
  return { kind: 'runtime', message: `a promise in the pipeline was rejected and not handled: ${describeThrown(reason)}`, ...locate?.(reason) };
}
