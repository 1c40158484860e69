// Trying the chosen keys in order, and the verdict their failures add up to.
import { errors } from 'jose';
import { familyNoun, keyFor, keyForNow, type ImportedKey, type KeyRing, type VerificationKey } from '../keys';
import type { Verification, VerifyOptions } from '../types';
import type { SignatureUnit } from './parse';
import { planUnit, type Attempt, type Tally } from './plan';
import { internalError, message } from './verdicts';

export function verifyUnit(unit: SignatureUnit, ring: KeyRing, options: VerifyOptions | undefined): Promise<Verification> {
  const plan = planUnit(unit, ring, options);
  if (!('candidates' in plan)) return Promise.resolve(plan);
  // The usual case, one key already imported: one signature check and nothing else to wait for.
  if (plan.candidates.length === 1) {
    const k = plan.candidates[0]!;
    const key = keyForNow(k, plan.alg);
    if (key) {
      return plan.unit.verify(key, plan.alg).then(
        () => plan.out('valid', undefined, k),
        (e: unknown) => {
          try {
            const tally: Tally = { mismatches: 0, keyErrors: [] };
            return recordFailure(plan, tally, k, e) ?? conclude(plan, tally);
          } catch (err) {
            return internalError(err);
          }
        },
      );
    }
  }
  return tryInOrder(plan);
}

async function tryInOrder(plan: Attempt): Promise<Verification> {
  const tally: Tally = { mismatches: 0, keyErrors: [] };
  for (const k of plan.candidates) {
    tally.last = k;
    let key: VerificationKey;
    try {
      key = await keyFor(k, plan.alg);
    } catch (e) {
      tally.keyErrors.push(`${keyName(k)} cannot be used for ${plan.alg}: ${message(e)}`);
      continue;
    }
    try {
      await plan.unit.verify(key, plan.alg);
      return plan.out('valid', undefined, k);
    } catch (e) {
      const verdict = recordFailure(plan, tally, k, e);
      if (verdict) return verdict;
    }
  }
  return conclude(plan, tally);
}

/** Counts a failed check of key `k`; returns the verdict when the failure settles it whatever the other keys. */
function recordFailure(plan: Attempt, tally: Tally, k: ImportedKey, e: unknown): Verification | undefined {
  tally.last = k;
  if (e instanceof errors.JWSSignatureVerificationFailed) {
    tally.mismatches++;
  } else if (e instanceof errors.JWSInvalid || e instanceof errors.JOSENotSupported || e instanceof errors.JOSEAlgNotAllowed) {
    // The token itself is at fault; another key will not change that.
    return plan.out('invalid', `the token is not a valid JWS: ${message(e)}`, k);
  } else {
    tally.keyErrors.push(`${keyName(k)}: ${keyErrorText(e, k, plan.alg)}`);
  }
  return undefined;
}

function conclude(plan: Attempt, tally: Tally): Verification {
  const { candidates, kid, notes, out, unit } = plan;
  const { keyErrors, last, mismatches } = tally;
  const tail = [...keyErrors, ...notes];
  const suffix = tail.length > 0 ? `; ${tail.join('; ')}` : '';
  if (mismatches === 0) return out('error', keyErrors.join('; ') || 'no key could be tried', last);
  let reason: string;
  if (candidates.length === 1) {
    reason =
      kid !== undefined && candidates[0]!.kid === kid
        ? `signature does not match the key with kid "${kid}"`
        : 'signature does not match this key';
  } else {
    reason = `signature does not match any of the ${candidates.length} ${familyNoun(candidates[0]!, true)}`;
  }
  if (unit.payloadEmpty) {
    reason += ' (the payload is empty: for detached content, RFC 7515 Appendix F, the payload travels separately)';
  }
  return out('invalid', reason + suffix, last);
}

function keyName(k: ImportedKey): string {
  if (k.label) return `"${k.label}"`;
  if (k.kid !== undefined) return `the key with kid "${k.kid}"`;
  return `key ${k.index + 1}${k.source ? ` (${k.source})` : ''}`;
}

function keyErrorText(e: unknown, k: ImportedKey, alg: string): string {
  const text = message(e);
  if (/modulusLength/.test(text)) {
    return `${alg} needs an RSA key of at least 2048 bits${k.bits ? `; this one has ${k.bits}` : ''}`;
  }
  return text;
}
