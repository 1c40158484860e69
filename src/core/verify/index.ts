// Signature verification of a pasted or captured token against the user's keys.
//
// Signature only: claims (exp, nbf, aud...) are judged by analyze(), so an expired but correctly signed token
// is `valid` here. The token's own key hints (jwk, jku, x5u, x5c) are never used as the key: a token that
// brings its own key proves nothing (RFC 8725 §3.10 and the "embedded JWK" attacks). Nothing is fetched.
import { prepareKeys, prepareKeysNow, type KeyRing } from '../keys';
import type { KeyInput, Verification, VerifyOptions } from '../types';
import { verifyUnit } from './attempt';
import { parseToken, type SignatureUnit } from './parse';
import { internalError } from './verdicts';

export { KeyRing, prepareKeys } from '../keys';

/**
 * Checks the signature of `raw` (compact JWS, or JWS JSON serialization) against the keys; never throws, never
 * rejects. Equal key inputs are imported once and cached, so calling this per token is cheap.
 */
export function verifyToken(raw: string, keys: KeyInput | KeyInput[], options?: VerifyOptions): Promise<Verification> {
  try {
    const parsed = parseToken(raw);
    if ('result' in parsed) return Promise.resolve(parsed.result);
    const optionProblem = checkOptions(options);
    if (optionProblem) return Promise.resolve(optionProblem);
    // Once the keys are imported, no step waits on anything but the signature check: on a stream of tokens
    // every extra await costs about as much as the rest of this file's work.
    const ring = prepareKeysNow(keys);
    if (ring) return verifyParsed(parsed.units, ring, options);
    return prepareKeys(keys).then((r) => verifyParsed(parsed.units, r, options));
  } catch (e) {
    return Promise.resolve(internalError(e));
  }
}

/** As verifyToken, with keys prepared once by prepareKeys() / KeyRing.from(). */
export function verifyWithKeyRing(raw: string, ring: KeyRing, options?: VerifyOptions): Promise<Verification> {
  try {
    const parsed = parseToken(raw);
    if ('result' in parsed) return Promise.resolve(parsed.result);
    const optionProblem = checkOptions(options);
    if (optionProblem) return Promise.resolve(optionProblem);
    return verifyParsed(parsed.units, ring, options);
  } catch (e) {
    return Promise.resolve(internalError(e));
  }
}

function checkOptions(options: VerifyOptions | undefined): Verification | undefined {
  const algs = options?.algorithms;
  if (algs !== undefined && (!Array.isArray(algs) || algs.some((a) => typeof a !== 'string'))) {
    return { status: 'error', reason: 'options.algorithms must be a list of algorithm names' };
  }
  return undefined;
}

/** verifyUnits, with an unexpected throw turned into an "error" verdict: the promise never rejects. */
function verifyParsed(units: SignatureUnit[], ring: KeyRing, options: VerifyOptions | undefined): Promise<Verification> {
  try {
    return units.length === 1 ? verifyUnit(units[0]!, ring, options) : verifySeveral(units, ring, options);
  } catch (e) {
    return Promise.resolve(internalError(e));
  }
}

async function verifySeveral(units: SignatureUnit[], ring: KeyRing, options: VerifyOptions | undefined): Promise<Verification> {
  const results: Verification[] = [];
  for (const unit of units) {
    let r: Verification;
    try {
      r = await verifyUnit(unit, ring, options);
    } catch (e) {
      r = internalError(e);
    }
    if (r.status === 'valid') return r;
    results.push(r);
  }
  // Several signatures (JSON serialization), none verified: the most telling status, every reason.
  const rank = { invalid: 0, error: 1, 'no-matching-key': 2, unsupported: 3, valid: 4 } as const;
  const worst = results.reduce((a, b) => (rank[b.status] < rank[a.status] ? b : a));
  return {
    ...worst,
    reason: results.map((r, i) => `signature ${i + 1}${r.alg ? ` (${r.alg})` : ''}: ${r.reason ?? r.status}`).join('; '),
  };
}
