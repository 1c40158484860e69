// One key or the reason it is not used: how every importer reports, so one bad key never hides the others.
import { KeyImportError, type KeyErrorCode } from '../errors';
import type { ImportedKey, KeyProblem } from './types';

/** Where a key sits inside its input. Position and label are added per call (import-cache.ts viewAt). */
export interface Context {
  index: number;
  source?: string;
}

export type Outcome = { key: ImportedKey } | { problem: KeyProblem };

export function problem(ctx: Context, severity: KeyProblem['severity'], code: KeyErrorCode, reason: string, kid?: string): Outcome {
  const p: KeyProblem = { index: ctx.index, severity, code, reason };
  if (ctx.source !== undefined) p.source = ctx.source;
  if (kid !== undefined) p.kid = kid;
  return { problem: p };
}

export function errorText(e: unknown): string {
  if (e instanceof KeyImportError) return e.message;
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/** Our own errors keep their code; anything else was thrown by jose or WebCrypto refusing the material. */
export function errorCode(e: unknown): KeyErrorCode {
  return e instanceof KeyImportError ? e.code : 'key-rejected';
}

/** "key 2 (staging): secret is not valid hex: ..." */
export function formatProblem(p: KeyProblem): string {
  const who = p.label ? `"${p.label}"` : `key ${p.index + 1}`;
  const where = p.source ? `, ${p.source}` : '';
  const kid = p.kid !== undefined ? ` (kid "${p.kid}")` : '';
  return `${who}${where}${kid}: ${p.reason}`;
}
