// How the verifier words a verdict it reaches without a key, or an unexpected failure.
import type { Verification } from '../types';

export function malformed(reason: string, alg?: string): Verification {
  const v: Verification = { status: 'invalid', reason: `malformed token: ${reason}` };
  if (alg !== undefined) v.alg = alg;
  return v;
}

export function internalError(e: unknown): Verification {
  return { status: 'error', reason: `internal error while verifying: ${message(e)}` };
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message || e.name : String(e);
}
