// Decoding a compact JWS / JWE / unsecured JWT into its parts, for display. No verification here.
//
// Decisions:
// - Strict: base64url per ./base64url (alphabet, no padding or whitespace, canonical trailing bits),
//   UTF-8 per TextDecoder({ fatal: true }). A part that a lenient library would repair is reported,
//   because the inspected app's own parser may disagree with the lenient one.
// - The header must be a JSON object with a string `alg`, for JWE as for JWS. A JWE `enc` is shown
//   as part of the header but not required: the header is still worth reading without it.
// - Empty parts: only the header is required. An empty payload is the detached-content form
//   (RFC 7515 Appendix F); an empty signature decodes to `signatureLength: 0` and is judged by analysis.
// - `__proto__`: JSON.parse creates every member, `__proto__` included, as an own data property
//   (ECMA-262 JSON.parse uses CreateDataProperty; the prototype-setting form exists only in object
//   literals in source code). So `header.__proto__` reads the data and Object.prototype is never
//   touched, without a reviver or a post-pass that would slow every parse. The objects keep the
//   ordinary prototype on purpose: null-prototype objects throw on String(x) / `${x}`, and the
//   consumers of decoded claims must never throw on hostile input. Tests pin this down.
// - RFC 7797 `b64: false`: the payload part is the payload itself (not base64url) and is shown as such.

import type { DecodeErrorCode, DecodedToken, DecodedTokenFailure, JsonObject, TokenKind } from './types';
import {
  BASE64URL_DECODE_TABLE,
  base64urlDecodeRange,
  base64urlDecodeText,
  base64urlDecodedLength,
  base64urlIssue,
  isBase64url,
  utf8DecodeOrNull,
  utf8ErrorOffset,
} from './base64url';
import { isJsonObject } from './is-json-object';

/** Longest input decodeToken looks at, in UTF-16 code units (= bytes for any valid token, which is ASCII). */
export const MAX_TOKEN_BYTES = 1024 * 1024;

const DOT = 0x2e;
const JWS_PART_NAMES = ['header', 'payload', 'signature'] as const;
const JWE_PART_NAMES = ['header', 'encrypted key', 'initialization vector', 'ciphertext', 'authentication tag'] as const;

function partLabel(index: number, partCount: number): string {
  const names: readonly string[] = partCount === 5 ? JWE_PART_NAMES : JWS_PART_NAMES;
  return `The ${names[index] ?? 'part'} (part ${index + 1})`;
}

function fail(code: DecodeErrorCode, message: string, raw?: string, part?: number): DecodedTokenFailure {
  const error = part === undefined ? { code, message } : { code, message, part };
  return raw === undefined ? { ok: false, error } : { ok: false, raw, error };
}

function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Why text[start, end) does not decode to text, as a failure; the slow path of decodeToken. */
function partDecodeFailure(raw: string, start: number, end: number, part: number, partCount: number): DecodedTokenFailure {
  const issue = base64urlIssue(raw, start, end);
  if (issue) {
    return fail('invalid-base64url', `${partLabel(part, partCount)} is not valid base64url: ${issue.message}.`, raw, part);
  }
  const bytes = base64urlDecodeRange(raw, start, end) ?? new Uint8Array(0);
  const at = utf8ErrorOffset(bytes);
  const b = at >= 0 && at < bytes.length ? bytes[at]! : 0;
  return fail(
    'invalid-utf8',
    `${partLabel(part, partCount)} decodes to bytes that are not UTF-8 text` +
      (at >= 0 ? ` (byte 0x${b.toString(16).padStart(2, '0')} at offset ${at} of the decoded bytes)` : '') +
      (part === 1 ? '; the payload may be binary, which this inspector does not display.' : '.'),
    raw,
    part,
  );
}

function firstNonWhitespace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return c;
  }
  return -1;
}

function isJsonWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/**
 * '{' (after optional whitespace), then '"', …, '}' (before optional whitespace). Scanning text for
 * headers meets many base64url words that decode to garbage; this turns them away without the cost of
 * TextDecoder and of a JSON.parse exception.
 */
function looksLikeJsonObjectWithMembers(bytes: Uint8Array): boolean {
  let i = 0;
  let j = bytes.length - 1;
  while (i <= j && isJsonWhitespace(bytes[i]!)) i++;
  while (j >= i && isJsonWhitespace(bytes[j]!)) j--;
  if (j - i < 2 || bytes[i] !== 0x7b || bytes[j] !== 0x7d) return false;
  i++;
  while (i < j && isJsonWhitespace(bytes[i]!)) i++;
  return bytes[i] === 0x22;
}

/**
 * Decodes and parses a header segment text[start, end) if it is a JSON object with a string `alg`.
 * Never throws, and raises no exception inside either: find.ts calls it on every candidate in
 * arbitrary text, and an exception (with its stack trace) costs microseconds, which hostile text full of
 * near-headers would multiply. So UTF-8 and JSON syntax are checked in JS before the engine decodes.
 */
export function parseHeaderSegment(text: string, start: number, end: number): JsonObject | undefined {
  const bytes = base64urlDecodeRange(text, start, end);
  if (bytes === null || !looksLikeJsonObjectWithMembers(bytes) || utf8ErrorOffset(bytes) !== -1) return undefined;
  const json = utf8DecodeOrNull(bytes);
  if (json === null || !isJsonText(json)) return undefined;
  const parsed = parseJson(json);
  if (!('value' in parsed) || !isJsonObject(parsed.value) || typeof parsed.value.alg !== 'string') return undefined;
  return parsed.value;
}

function skipWs(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    i++;
  }
}

function isHexCode(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** End of the JSON string that starts at s[i] (a '"'), or -1. */
function jsonStringEnd(s: string, i: number): number {
  if (s.charCodeAt(i) !== 0x22) return -1;
  const n = s.length;
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      const e = s.charCodeAt(++i);
      if (e === 0x75) {
        if (
          !(
            isHexCode(s.charCodeAt(i + 1)) &&
            isHexCode(s.charCodeAt(i + 2)) &&
            isHexCode(s.charCodeAt(i + 3)) &&
            isHexCode(s.charCodeAt(i + 4))
          )
        )
          return -1;
        i += 4;
      } else if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) {
        return -1;
      }
    }
  }
  return -1;
}

function digitsEnd(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    // Written so that NaN (past the end) stops the loop too.
    if (!(c >= 0x30 && c <= 0x39)) return i;
    i++;
  }
}

/** End of the JSON number that starts at s[i], or -1. */
function jsonNumberEnd(s: string, i: number): number {
  if (s.charCodeAt(i) === 0x2d) i++;
  const first = s.charCodeAt(i);
  if (first === 0x30) i++;
  else if (first >= 0x31 && first <= 0x39) i = digitsEnd(s, i + 1);
  else return -1;
  if (s.charCodeAt(i) === 0x2e) {
    const j = digitsEnd(s, i + 1);
    if (j === i + 1) return -1;
    i = j;
  }
  const e = s.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = s.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    const j = digitsEnd(s, i);
    if (j === i) return -1;
    i = j;
  }
  return i;
}

/** Whether `s` is one JSON text (RFC 8259), checked without building anything and without recursion. */
export function isJsonText(s: string): boolean {
  const n = s.length;
  // Open containers: true for an object, false for an array.
  const open: boolean[] = [];
  let i = skipWs(s, 0);
  for (;;) {
    // A value starts at i.
    const c = s.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      const close = c === 0x7b ? 0x7d : 0x5d;
      i = skipWs(s, i + 1);
      if (s.charCodeAt(i) === close) {
        i++;
      } else {
        open.push(c === 0x7b);
        if (c === 0x7b) {
          i = jsonStringEnd(s, i);
          if (i < 0) return false;
          i = skipWs(s, i);
          if (s.charCodeAt(i) !== 0x3a) return false;
          i = skipWs(s, i + 1);
        }
        continue;
      }
    } else if (c === 0x22) {
      i = jsonStringEnd(s, i);
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      i = jsonNumberEnd(s, i);
    } else if (s.startsWith('true', i) || s.startsWith('null', i)) {
      i += 4;
    } else if (s.startsWith('false', i)) {
      i += 5;
    } else {
      return false;
    }
    if (i < 0) return false;
    // The value ended: close containers until a ',' asks for the next value.
    for (;;) {
      i = skipWs(s, i);
      if (open.length === 0) return i === n;
      const inObject = open[open.length - 1]!;
      const d = s.charCodeAt(i);
      if (d === 0x2c) {
        i = skipWs(s, i + 1);
        if (inObject) {
          i = jsonStringEnd(s, i);
          if (i < 0) return false;
          i = skipWs(s, i);
          if (s.charCodeAt(i) !== 0x3a) return false;
          i = skipWs(s, i + 1);
        }
        break;
      }
      if (d !== (inObject ? 0x7d : 0x5d)) return false;
      open.pop();
      i++;
    }
  }
}

/** `cty` of "JWT" (RFC 7519 §5.2), case-insensitive, with or without the "application/" prefix. */
function ctyIsJwt(cty: unknown): boolean {
  if (typeof cty !== 'string' || cty.length > 15) return false;
  const v = cty.toLowerCase();
  return v === 'jwt' || v === 'application/jwt';
}

/** Whether `text` is, in its entirety, a compact JWS/JWE whose header is a JSON object with `alg`. */
function isCompactToken(text: string): boolean {
  const n = text.length;
  if (n < 4 || n > MAX_TOKEN_BYTES) return false;
  let dots = 0;
  let firstDot = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (firstDot < 0) firstDot = i;
      if (++dots > 4) return false;
    } else if (c > 255 || BASE64URL_DECODE_TABLE[c]! < 0) return false;
  }
  if (dots !== 2 && dots !== 4) return false;
  return parseHeaderSegment(text, 0, firstDot) !== undefined;
}

function describeNonString(v: unknown): string {
  if (v === null) return 'null';
  try {
    // Array.isArray throws on a revoked Proxy.
    if (Array.isArray(v)) return 'an array';
  } catch {
    return 'an unusable object';
  }
  return `a value of type ${typeof v}`;
}

/**
 * Decodes a compact JWS (3 parts), unsecured JWT (3 parts, `alg` "none" in any case) or JWE (5 parts).
 * Never throws, whatever it is given; failures carry a stable code and a message that names the part.
 */
export function decodeToken(raw: string): DecodedToken {
  if (typeof raw !== 'string') return fail('not-a-string', `A token is text; this is ${describeNonString(raw)}.`);
  // Before any other work: the size bound is what keeps hostile input cheap.
  if (raw.length > MAX_TOKEN_BYTES) {
    return fail(
      'too-large',
      `The token is ${raw.length} characters long; the inspector decodes tokens up to ${MAX_TOKEN_BYTES} characters.`,
      raw,
    );
  }
  if (raw.length === 0) return fail('empty', 'The token is empty.', raw);

  // Dot positions, stopping early: the count is all a malformed input needs.
  const dots: number[] = [];
  for (let i = raw.indexOf('.'); i !== -1; i = raw.indexOf('.', i + 1)) {
    if (dots.length === 5) break;
    dots.push(i);
  }
  const partCount = dots.length + 1;
  if (partCount !== 3 && partCount !== 5) {
    const count = partCount > 5 ? 'more than 5' : String(partCount);
    return fail(
      'wrong-part-count',
      `A compact token has 3 parts (JWS or unsecured JWT) or 5 parts (JWE) separated by dots; this one has ${count}` +
        (partCount === 1 ? ' (no dot at all).' : '.'),
      raw,
    );
  }
  const starts = [0];
  const ends: number[] = [];
  for (const d of dots) {
    ends.push(d);
    starts.push(d + 1);
  }
  ends.push(raw.length);

  // Header
  const hEnd = ends[0]!;
  if (hEnd === 0) return fail('empty-part', `${partLabel(0, partCount)} is empty.`, raw, 0);
  const headerText = base64urlDecodeText(raw, 0, hEnd);
  if (headerText === null) return partDecodeFailure(raw, 0, hEnd, 0, partCount);
  const parsedHeader = parseJson(headerText);
  if ('error' in parsedHeader) {
    const bom = headerText.charCodeAt(0) === 0xfeff ? ' (it starts with a byte order mark)' : '';
    return fail('header-not-json', `${partLabel(0, partCount)} is not JSON${bom}: ${parsedHeader.error}`, raw, 0);
  }
  const header = parsedHeader.value;
  if (!isJsonObject(header)) {
    const what = header === null ? 'null' : Array.isArray(header) ? 'an array' : `a ${typeof header}`;
    return fail('header-not-object', `${partLabel(0, partCount)} is JSON but ${what}, not an object.`, raw, 0);
  }
  const alg = header.alg;
  if (typeof alg !== 'string') {
    return fail(
      'header-missing-alg',
      alg === undefined
        ? `${partLabel(0, partCount)} has no "alg" (the algorithm every JOSE header must name).`
        : `${partLabel(0, partCount)} has an "alg" that is not a string (it is ${alg === null ? 'null' : typeof alg}).`,
      raw,
      0,
    );
  }

  const parts: string[] = [];
  for (let p = 0; p < partCount; p++) parts.push(raw.slice(starts[p], ends[p]));

  if (partCount === 5) {
    // Everything after the header is ciphertext or key material: validated, never interpreted.
    for (let p = 1; p < 5; p++) {
      if (!isBase64url(raw, starts[p]!, ends[p]!)) return partDecodeFailure(raw, starts[p]!, ends[p]!, p, 5);
    }
    return { ok: true, kind: 'jwe', raw, parts, header, nested: ctyIsJwt(header.cty) };
  }

  // Payload
  const pStart = starts[1]!;
  const pEnd = ends[1]!;
  let payloadText: string;
  if (header.b64 === false) {
    payloadText = parts[1]!;
  } else {
    const t = base64urlDecodeText(raw, pStart, pEnd);
    if (t === null) return partDecodeFailure(raw, pStart, pEnd, 1, 3);
    payloadText = t;
  }
  let payload: JsonObject | string = payloadText;
  let payloadIsJson = false;
  // Only text that can be an object is handed to JSON.parse: a failing parse costs an exception.
  if (firstNonWhitespace(payloadText) === 0x7b) {
    const parsed = parseJson(payloadText);
    if ('value' in parsed && isJsonObject(parsed.value)) {
      payload = parsed.value;
      payloadIsJson = true;
    }
  }

  // Signature: validated and measured, not decoded.
  const sStart = starts[2]!;
  const sEnd = ends[2]!;
  if (!isBase64url(raw, sStart, sEnd)) return partDecodeFailure(raw, sStart, sEnd, 2, 3);

  const kind: TokenKind = alg.toLowerCase() === 'none' ? 'unsecured' : 'jws';
  const nested = ctyIsJwt(header.cty) || (!payloadIsJson && isCompactToken(payloadText));
  return {
    ok: true,
    kind,
    raw,
    parts,
    header,
    payload,
    payloadIsJson,
    nested,
    signatureLength: base64urlDecodedLength(sEnd - sStart),
  };
}
