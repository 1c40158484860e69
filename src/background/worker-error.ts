// The worker's errors in the one vocabulary of src/messages.ts: what it throws carries a code, and whatever
// reaches a page is given one here, in one place.
import { coreErrorCode } from '../core/errors';
import type { ErrorCode, ErrorReply } from '../messages';
import { FetchRefused } from './safe-fetch';

/** An error of the worker's own making, with its code. */
export class WorkerError extends Error {
  override name = 'WorkerError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The code of any error the worker's handlers throw; 'internal' when nothing says more (a bug). */
export function errorCodeOf(error: unknown): ErrorCode {
  if (error instanceof WorkerError) return error.code;
  const core = coreErrorCode(error);
  if (core) return core;
  // A fetch failure is the very object thrown, also while its URL rests (fetch-backoff.ts keeps it).
  if (error instanceof FetchRefused) return error.code;
  return 'internal';
}

export function errorReply(error: unknown): ErrorReply {
  return { code: errorCodeOf(error), message: error instanceof Error ? error.message : String(error) };
}
