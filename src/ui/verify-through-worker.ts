import type { KeyInput, Verification } from '../core/types';
import { ask } from './worker-client';

/** Pages never verify themselves: the worker owns the keys and the JWKS cache. */
export function verifyThroughWorker(token: string, inlineKey?: KeyInput): Promise<Verification> {
  return ask({ type: 'verify', token, ...(inlineKey ? { keys: [inlineKey] } : {}) });
}
