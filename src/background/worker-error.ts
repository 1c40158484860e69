// The worker's errors in the one vocabulary of src/messages.ts: what it throws carries a code, and whatever
// reaches a page is given one here, in one place.
import { coreErrorCode } from '../core/errors';
import { FETCH_ERROR_CODES, WORKER_ERROR_CODES, type ErrorCode, type ErrorReply } from '../messages';

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

const KNOWN_CODES: ReadonlySet<string> = new Set<string>([...FETCH_ERROR_CODES, ...WORKER_ERROR_CODES]);

/** The code of any error the worker's handlers throw; 'internal' when nothing says more (a bug). */
export function errorCodeOf(error: unknown): ErrorCode {
  if (error instanceof WorkerError) return error.code;
  const core = coreErrorCode(error);
  if (core) return core;
  // safe-fetch.ts's FetchRefused (kept as it was thrown while its URL rests, fetch-backoff.ts) carries its
  // code; read as a property so this module does not pull the fetch code in.
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && KNOWN_CODES.has(code) && code !== 'transport' ? (code as ErrorCode) : 'internal';
}

export function errorReply(error: unknown): ErrorReply {
  return { code: errorCodeOf(error), message: error instanceof Error ? error.message : String(error) };
}
