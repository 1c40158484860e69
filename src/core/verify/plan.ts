// Which keys may verify one signature, or the verdict reached without trying any: the token's alg picks
// the key family (never the other way round), its kid narrows the keys, and each key's own alg must fit.
import {
  algorithmFamily,
  algorithmsEquivalent,
  describeKey,
  familyNoun,
  formatProblem,
  SUPPORTED_ALGORITHMS,
  type ImportedKey,
  type KeyRing,
} from '../keys';
import type { JsonObject, Verification, VerifyOptions } from '../types';
import type { SignatureUnit } from './parse';

/** Critical header parameters this verifier understands (RFC 7515 §4.1.11). jose implements b64 (RFC 7797). */
const UNDERSTOOD_CRIT = new Set(['b64']);
/** Header parameters that carry or point to a key. Never trusted; only mentioned when no key is configured. */
const KEY_HEADERS = ['jwk', 'jku', 'x5u', 'x5c'] as const;

function keyInfo(k: ImportedKey): NonNullable<Verification['key']> {
  const info: NonNullable<Verification['key']> = { index: k.index };
  if (k.label !== undefined) info.label = k.label;
  if (k.kid !== undefined) info.kid = k.kid;
  if (k.thumbprint !== undefined) info.thumbprint = k.thumbprint;
  return info;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function problemsNote(ring: KeyRing): string {
  if (ring.problems.length === 0) return '';
  const shown = ring.problems.slice(0, 3).map(formatProblem);
  const more = ring.problems.length > 3 ? `; and ${ring.problems.length - 3} more` : '';
  return `. Not used: ${shown.join('; ')}${more}`;
}

function embeddedKeyNote(header: JsonObject): string {
  const present = KEY_HEADERS.filter((h) => header[h] !== undefined);
  if (present.length === 0) return '';
  return `. The token's own ${present.map((h) => `"${h}"`).join('/')} header is never used as the key: add the issuer's key yourself`;
}

/** Why a key of the right family is not used for `alg`, or undefined if it may be. */
function algMismatch(k: ImportedKey, alg: string): string | undefined {
  if (k.alg === undefined || algorithmsEquivalent(k.alg, alg)) return undefined;
  return k.alg;
}

/** The keys to try for one signature, and how to word the outcome. */
export interface Attempt {
  unit: SignatureUnit;
  alg: string;
  kid: string | undefined;
  candidates: ImportedKey[];
  notes: string[];
  out: (status: Verification['status'], reason?: string, key?: ImportedKey) => Verification;
}

/** What trying the candidates has shown so far. */
export interface Tally {
  last?: ImportedKey;
  mismatches: number;
  keyErrors: string[];
}

/** The verdict reached without trying a key, or the attempt to make. */
export function planUnit(unit: SignatureUnit, ring: KeyRing, options: VerifyOptions | undefined): Verification | Attempt {
  const { header, protectedHeader } = unit;
  const base: Verification = { status: 'invalid' };
  const alg = header.alg;
  if (typeof alg === 'string') base.alg = alg;
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  if (kid !== undefined) base.kid = kid;
  const out: Attempt['out'] = (status, reason, key) => {
    const v: Verification = { ...base, status };
    if (reason !== undefined) v.reason = reason;
    if (key) v.key = keyInfo(key);
    return v;
  };

  if (typeof alg !== 'string' || alg === '') return out('invalid', 'malformed token: the header has no "alg"');
  if (alg.toLowerCase() === 'none') return out('invalid', 'unsecured token: alg none has no signature');

  if (header.crit !== undefined) {
    const crit = protectedHeader.crit;
    if (crit === undefined) return out('invalid', 'the "crit" header parameter must be integrity-protected (RFC 7515 §4.1.11)');
    if (!Array.isArray(crit) || crit.length === 0 || crit.some((c) => typeof c !== 'string' || c === '')) {
      return out('invalid', 'the "crit" header parameter must be a non-empty list of names (RFC 7515 §4.1.11)');
    }
    const unknown = (crit as string[]).filter((c) => !UNDERSTOOD_CRIT.has(c));
    if (unknown.length > 0) {
      return out(
        'invalid',
        `the header marks ${unknown.map((c) => `"${c}"`).join(', ')} as critical ("crit"), which this verifier does not ` +
          'understand; RFC 7515 §4.1.11 requires rejecting the token',
      );
    }
  }

  const need = algorithmFamily(alg);
  if (!need) {
    return out('unsupported', `algorithm ${alg} is not supported (supported: ${SUPPORTED_ALGORITHMS.join(', ')})`);
  }
  const accepted = options?.algorithms;
  if (accepted !== undefined && !accepted.includes(alg)) {
    return out('invalid', `${alg} is not among the accepted algorithms (${accepted.join(', ') || 'none'})`);
  }
  if (unit.signatureEmpty) return out('invalid', `the token has no signature, though its alg ${alg} requires one`);

  // ---- which keys to try
  const all = ring.keys;
  if (all.length === 0) {
    const errs = ring.problems.filter((p) => p.severity === 'error');
    if (errs.length > 0 && errs.length === ring.problems.length) {
      return out('error', ring.problems.map(formatProblem).join('; '));
    }
    const why = ring.inputCount === 0 ? 'no keys configured' : `no usable keys: ${ring.problems.map(formatProblem).join('; ')}`;
    return out('no-matching-key', why + embeddedKeyNote(header));
  }

  const fits = (k: ImportedKey) => k.family === need.family && (need.crv === undefined || k.crv === need.crv);
  const notes: string[] = [];
  let candidates: ImportedKey[];

  if (kid !== undefined) {
    const named = all.filter((k) => k.kid === kid);
    if (named.length > 0) {
      candidates = named.filter((k) => fits(k) && algMismatch(k, alg) === undefined);
      if (candidates.length === 0) {
        const k = named[0]!;
        const reason = !fits(k)
          ? `kid "${kid}" names ${describeKey(k)}, which cannot verify ${article(alg)} ${alg} token`
          : `kid "${kid}" names a key for ${k.alg} (its "alg"), but the token is ${alg}`;
        return out('no-matching-key', reason, k);
      }
    } else {
      // RFC 7515 §4.1.4: kid is a hint. Keys that carry no kid (a pasted secret or PEM) may still be the one.
      candidates = all.filter((k) => k.kid === undefined && fits(k) && algMismatch(k, alg) === undefined);
      if (candidates.length === 0) {
        return out('no-matching-key', `no key with kid "${kid}" among ${plural(all.length, 'key')}${problemsNote(ring)}`);
      }
    }
  } else {
    const sameFamily = all.filter(fits);
    candidates = sameFamily.filter((k) => algMismatch(k, alg) === undefined);
    if (candidates.length === 0) {
      if (sameFamily.length > 0) {
        const algs = [...new Set(sameFamily.map((k) => k.alg))].join(', ');
        const reason =
          sameFamily.length === 1
            ? `${alg} token but the key is for ${algs} (its "alg")`
            : `${alg} token but the ${plural(sameFamily.length, familyNoun(sameFamily[0]!, false), familyNoun(sameFamily[0]!, true))} are for ${algs} (their "alg")`;
        return out('no-matching-key', reason + problemsNote(ring), sameFamily[0]);
      }
      const reason =
        all.length === 1
          ? `${alg} token but the key is ${describeKey(all[0]!)}`
          : `${alg} token but only ${joinWords([...new Set(all.map((k) => familyNoun(k, true)))])} configured`;
      return out('no-matching-key', reason + problemsNote(ring));
    }
    const skippedByAlg = sameFamily.length - candidates.length;
    if (skippedByAlg > 0) notes.push(`${plural(skippedByAlg, 'other key')} for other algorithms not tried`);
  }

  return { unit, alg, kid, candidates, notes, out };
}

/** "an HS256", "a PS256": by how the letter is read out. */
export function article(alg: string): string {
  return /^[AEFHILMNORSX]/.test(alg) ? 'an' : 'a';
}

export function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
