// Parsing: strict, before jose, because jose's base64url decoding (atob in Node 20 and browsers) skips
// whitespace and accepts non-canonical encodings, which would let a changed token still verify.
import { compactVerify, flattenedVerify } from 'jose';
import { base64urlProblem } from '../base64';
import { base64urlDecodeText } from '../base64url';
import { isJsonObject } from '../is-json-object';
import type { VerificationKey } from '../keys';
import type { JsonObject, Verification } from '../types';
import { malformed } from './verdicts';

/** Larger than any real token; bounds the work an inspected page can make us do. */
const MAX_TOKEN_CHARS = 1 << 20;
const MAX_JSON_SIGNATURES = 20;

export interface SignatureUnit {
  /** The integrity-protected header. */
  protectedHeader: JsonObject;
  /** Protected and unprotected (JSON serialization) parameters together. */
  header: JsonObject;
  payloadEmpty: boolean;
  signatureEmpty: boolean;
  verify(key: VerificationKey, alg: string): Promise<unknown>;
}

export type Parsed = { units: SignatureUnit[] } | { result: Verification };

/** The header object, or what is wrong with it ("is not JSON"). */
function decodeHeaderUncached(part: string): JsonObject | string {
  const problem = base64urlProblem(part);
  if (problem) return `is not base64url: ${problem}`;
  let text = base64urlDecodeText(part, 0, part.length);
  if (text === null) return 'is not UTF-8 text';
  // jose reads the header with a TextDecoder that drops one leading byte order mark; so does this verdict.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
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

export function parseToken(raw: unknown): Parsed {
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
