// One imported key serves several algorithms (an RSA key: RS256 and PS256) as different CryptoKeys: each is
// imported once, on first use, and shared by every view (position, label) of the key.
import { importJWK } from 'jose';
import { KeyImportError } from '../errors';
import { algorithmsEquivalent } from './algorithms';
import type { ImportedKey, VerificationKey } from './types';

interface SharedKeyState {
  /** The algorithm `key` was imported for. */
  defaultAlg: string;
  perAlg: Map<string, Promise<VerificationKey>>;
  /** The settled entries of perAlg, for callers that can go on without waiting. */
  readyPerAlg: Map<string, VerificationKey>;
}
const sharedState = new WeakMap<ImportedKey, SharedKeyState>();

/** Records that `key.key` is ready for `defaultAlg`. */
export function rememberImport(key: ImportedKey, defaultAlg: string): void {
  sharedState.set(key, { defaultAlg, perAlg: new Map(), readyPerAlg: new Map() });
}

/** Lets `view` (the same key at another position or with a label) share `key`'s imports. */
export function shareImports(key: ImportedKey, view: ImportedKey): void {
  const state = sharedState.get(key);
  if (state) sharedState.set(view, state);
}

/** The key for `alg` if it needs no (further) import, else undefined: lets the verifier skip a wait. */
export function keyForNow(k: ImportedKey, alg: string): VerificationKey | undefined {
  if (k.family === 'hmac') return k.key;
  const state = sharedState.get(k);
  if (!state) return undefined;
  if (algorithmsEquivalent(state.defaultAlg, alg)) return k.key;
  return state.readyPerAlg.get(alg);
}

/** The key ready for `alg`, imported once per algorithm. Only call it with an alg of the key's family. */
export function keyFor(k: ImportedKey, alg: string): Promise<VerificationKey> {
  const ready = keyForNow(k, alg);
  if (ready) return Promise.resolve(ready);
  let state = sharedState.get(k);
  if (!state) sharedState.set(k, (state = { defaultAlg: '', perAlg: new Map(), readyPerAlg: new Map() }));
  const { perAlg: cache, readyPerAlg } = state;
  let p = cache.get(alg);
  if (!p) {
    if (!k.jwk) return Promise.reject(new KeyImportError('key-malformed', 'the key has no public JWK to import'));
    p = importJWK(k.jwk, alg) as Promise<VerificationKey>;
    cache.set(alg, p);
    const imported = p;
    p.then(
      (key) => {
        if (cache.get(alg) === imported) readyPerAlg.set(alg, key);
      },
      // A failed import is not remembered: the next call says why again instead of replaying a stale promise.
      () => cache.delete(alg),
    );
  }
  return p;
}
