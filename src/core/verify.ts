// Signature verification of a pasted or captured token against the user's keys.
//
// Signature only: claims (exp, nbf, aud...) are judged by analyze(), so an expired but correctly signed token
// is `valid` here. The token's own key hints (jwk, jku, x5u, x5c) are never used as the key: a token that
// brings its own key proves nothing (RFC 8725 §3.10 and the "embedded JWK" attacks). Nothing is fetched.
import { compactVerify, errors, flattenedVerify } from 'jose';
import {
  algorithmFamily,
  algorithmsEquivalent,
  base64urlProblem,
  describeKey,
  familyNoun,
  formatProblem,
  keyFor,
  keyForNow,
  KeyRing,
  prepareKeys,
  prepareKeysNow,
  SUPPORTED_ALGORITHMS,
  type ImportedKey,
  type VerificationKey,
} from './keys';
import type { JsonObject, KeyInput, Verification, VerifyOptions } from './types';

export { KeyRing, prepareKeys } from './keys';

/** Larger than any real token; bounds the work an inspected page can make us do. */
const MAX_TOKEN_CHARS = 1 << 20;
const MAX_JSON_SIGNATURES = 20;
/** Critical header parameters this verifier understands (RFC 7515 §4.1.11). jose implements b64 (RFC 7797). */
const UNDERSTOOD_CRIT = new Set(['b64']);
/** Header parameters that carry or point to a key. Never trusted; only mentioned when no key is configured. */
const KEY_HEADERS = ['jwk', 'jku', 'x5u', 'x5c'] as const;

interface SignatureUnit {
  /** The integrity-protected header. */
  protectedHeader: JsonObject;
  /** Protected and unprotected (JSON serialization) parameters together. */
  header: JsonObject;
  payloadEmpty: boolean;
  signatureEmpty: boolean;
  verify(key: VerificationKey, alg: string): Promise<unknown>;
}

type Parsed = { units: SignatureUnit[] } | { result: Verification };

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

function internalError(e: unknown): Verification {
  return { status: 'error', reason: `internal error while verifying: ${message(e)}` };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message || e.name : String(e);
}

function checkOptions(options: VerifyOptions | undefined): Verification | undefined {
  const algs = options?.algorithms;
  if (algs !== undefined && (!Array.isArray(algs) || algs.some((a) => typeof a !== 'string'))) {
    return { status: 'error', reason: 'options.algorithms must be a list of algorithm names' };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing: strict, before jose, because jose's base64url decoding (atob in Node 20 and browsers) skips
// whitespace and accepts non-canonical encodings, which would let a changed token still verify.

function malformed(reason: string, alg?: string): Verification {
  const v: Verification = { status: 'invalid', reason: `malformed token: ${reason}` };
  if (alg !== undefined) v.alg = alg;
  return v;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The header object, or what is wrong with it ("is not JSON"). */
function decodeHeaderUncached(part: string): JsonObject | string {
  const problem = base64urlProblem(part);
  if (problem) return `is not base64url: ${problem}`;
  let text: string;
  try {
    const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    if (/^[\x00-\x7f]*$/.test(binary)) {
      text = binary; // ASCII, by far the usual header: no UTF-8 decoding needed
    } else {
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      text = strictUtf8.decode(bytes);
    }
  } catch {
    return 'is not UTF-8 text';
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  return isJsonObject(parsed) ? Object.freeze(parsed) : 'is not a JSON object';
}

// The tokens of one issuer share a header, and the worker verifies them one after another: decoding each
// distinct header once keeps verifyToken's cost close to jose's own. Bounded; frozen objects, never mutated.
const MAX_CACHED_HEADERS = 256;
const MAX_CACHED_HEADER_CHARS = 2048;
const headerCache = new Map<string, JsonObject | string>();

function decodeHeader(part: string, what: string): JsonObject | string {
  let v = part.length <= MAX_CACHED_HEADER_CHARS ? headerCache.get(part) : undefined;
  if (v === undefined) {
    v = decodeHeaderUncached(part);
    if (part.length <= MAX_CACHED_HEADER_CHARS) {
      if (headerCache.size >= MAX_CACHED_HEADERS) headerCache.clear();
      headerCache.set(part, v);
    }
  }
  return typeof v === 'string' ? `${what} ${v}` : v;
}

/** RFC 7797: with "b64": false (declared critical) the payload is sent as is, not base64url. */
function unencodedPayload(protectedHeader: JsonObject): boolean {
  return protectedHeader.b64 === false && Array.isArray(protectedHeader.crit) && protectedHeader.crit.includes('b64');
}

function parseToken(raw: unknown): Parsed {
  if (typeof raw !== 'string') return { result: { status: 'error', reason: 'the token is not text' } };
  const token = raw.trim();
  if (token === '') return { result: malformed('empty') };
  if (token.length > MAX_TOKEN_CHARS) return { result: malformed(`longer than ${MAX_TOKEN_CHARS} characters`) };
  if (token.startsWith('{')) return parseJsonSerialization(token);

  const parts = token.split('.');
  if (parts.length === 5) return { result: jweResult(parts[0]!) };
  if (parts.length !== 3) {
    return { result: malformed(`a signed token has 3 dot-separated parts, this one has ${parts.length}`) };
  }
  const [h, p, s] = parts as [string, string, string];
  if (h === '') return { result: malformed('the header part is empty') };
  const header = decodeHeader(h, 'the header');
  if (typeof header === 'string') return { result: malformed(header) };
  const alg = typeof header.alg === 'string' ? header.alg : undefined;
  if (!unencodedPayload(header)) {
    const problem = base64urlProblem(p);
    if (problem) return { result: malformed(`the payload is not base64url: ${problem}`, alg) };
  } else if (!/^[\x20-\x7e]*$/.test(p)) {
    return { result: malformed('the unencoded (b64: false) payload is not printable ASCII', alg) };
  }
  const sigProblem = base64urlProblem(s);
  if (sigProblem) return { result: malformed(`the signature is not base64url: ${sigProblem}`, alg) };
  return {
    units: [
      {
        protectedHeader: header,
        header,
        payloadEmpty: p === '',
        signatureEmpty: s === '',
        verify: (key, a) => compactVerify(token, key, { algorithms: [a] }),
      },
    ],
  };
}

function jweResult(headerPart: string): Verification {
  const header = decodeHeader(headerPart, 'the header');
  const v: Verification = { status: 'unsupported' };
  let names = '';
  if (typeof header !== 'string') {
    if (typeof header.alg === 'string') v.alg = header.alg;
    if (typeof header.kid === 'string') v.kid = header.kid;
    const parts = [typeof header.alg === 'string' ? `alg ${header.alg}` : '', typeof header.enc === 'string' ? `enc ${header.enc}` : '']
      .filter(Boolean)
      .join(', ');
    if (parts) names = ` (${parts})`;
  }
  v.reason = `encrypted token (JWE, 5 parts)${names}: it has no signature to check, and decrypting it is not supported`;
  return v;
}

function parseJsonSerialization(token: string): Parsed {
  let obj: unknown;
  try {
    obj = JSON.parse(token);
  } catch {
    return { result: malformed('it starts with "{" but is not valid JSON (JWS JSON serialization)') };
  }
  if (!isJsonObject(obj)) return { result: malformed('the JSON is not an object') };
  if ('ciphertext' in obj) {
    return { result: { status: 'unsupported', reason: 'encrypted token (JWE JSON serialization): decrypting it is not supported' } };
  }
  if (typeof obj.payload !== 'string') return { result: malformed('the JWS JSON has no "payload" string') };
  const payload = obj.payload;
  let entries: unknown[];
  if (Array.isArray(obj.signatures)) {
    if ('signature' in obj || 'protected' in obj || 'header' in obj) {
      return { result: malformed('the JWS JSON mixes the general and flattened forms') };
    }
    entries = obj.signatures;
    if (entries.length === 0) return { result: malformed('the JWS JSON has no signatures') };
    if (entries.length > MAX_JSON_SIGNATURES) return { result: malformed(`more than ${MAX_JSON_SIGNATURES} signatures`) };
  } else if (typeof obj.signature === 'string') {
    entries = [{ protected: obj.protected, header: obj.header, signature: obj.signature }];
  } else {
    return { result: malformed('the JWS JSON has neither "signature" nor "signatures"') };
  }
  const units: SignatureUnit[] = [];
  for (let i = 0; i < entries.length; i++) {
    const what = entries.length > 1 ? `signature ${i + 1}: ` : '';
    const e = entries[i];
    if (!isJsonObject(e) || typeof e.signature !== 'string') return { result: malformed(`${what}no "signature" string`) };
    let protectedHeader: JsonObject = {};
    if (e.protected !== undefined) {
      if (typeof e.protected !== 'string') return { result: malformed(`${what}"protected" is not a string`) };
      const decoded = decodeHeader(e.protected, 'the protected header');
      if (typeof decoded === 'string') return { result: malformed(`${what}${decoded}`) };
      protectedHeader = decoded;
    }
    if (e.header !== undefined && !isJsonObject(e.header)) return { result: malformed(`${what}"header" is not an object`) };
    const unprotected = (e.header ?? {}) as JsonObject;
    if (Object.keys(unprotected).some((k) => Object.hasOwn(protectedHeader, k))) {
      return { result: malformed(`${what}a parameter appears in both the protected and the unprotected header`) };
    }
    if (!unencodedPayload(protectedHeader)) {
      const problem = base64urlProblem(payload);
      if (problem) return { result: malformed(`the payload is not base64url: ${problem}`) };
    }
    const sigProblem = base64urlProblem(e.signature);
    if (sigProblem) return { result: malformed(`${what}the signature is not base64url: ${sigProblem}`) };
    const jws = {
      payload,
      signature: e.signature,
      ...(typeof e.protected === 'string' ? { protected: e.protected } : {}),
      ...(e.header !== undefined ? { header: unprotected } : {}),
    };
    units.push({
      protectedHeader,
      header: { ...protectedHeader, ...unprotected },
      payloadEmpty: payload === '',
      signatureEmpty: e.signature === '',
      verify: (key, a) => flattenedVerify(jws, key, { algorithms: [a] }),
    });
  }
  return { units };
}

// ---------------------------------------------------------------------------------------------------------
// Verification

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

function keyInfo(k: ImportedKey): NonNullable<Verification['key']> {
  const info: NonNullable<Verification['key']> = { index: k.index };
  if (k.label !== undefined) info.label = k.label;
  if (k.kid !== undefined) info.kid = k.kid;
  if (k.thumbprint !== undefined) info.thumbprint = k.thumbprint;
  return info;
}

function plural(n: number, one: string, many = `${one}s`): string {
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
interface Attempt {
  unit: SignatureUnit;
  alg: string;
  kid: string | undefined;
  candidates: ImportedKey[];
  notes: string[];
  out: (status: Verification['status'], reason?: string, key?: ImportedKey) => Verification;
}

/** What trying the candidates has shown so far. */
interface Tally {
  last?: ImportedKey;
  mismatches: number;
  keyErrors: string[];
}

function verifyUnit(unit: SignatureUnit, ring: KeyRing, options: VerifyOptions | undefined): Promise<Verification> {
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

/** The verdict reached without trying a key, or the attempt to make. */
function planUnit(unit: SignatureUnit, ring: KeyRing, options: VerifyOptions | undefined): Verification | Attempt {
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
    reason = kid !== undefined && candidates[0]!.kid === kid ? `signature does not match the key with kid "${kid}"` : 'signature does not match this key';
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

/** "an HS256", "a PS256": by how the letter is read out. */
function article(alg: string): string {
  return /^[AEFHILMNORSX]/.test(alg) ? 'an' : 'a';
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
