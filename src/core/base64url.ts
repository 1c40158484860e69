// Strict base64url (RFC 4648 §5, as profiled by RFC 7515 §2: no padding, no whitespace) and strict UTF-8.
//
// Strictness decisions, so that one token string has exactly one decoding:
// - the alphabet is A-Z a-z 0-9 - _ only: '+', '/', '=', whitespace and anything else is refused;
// - a length of 4k+1 is refused (no byte sequence encodes to it);
// - non-zero trailing bits ARE refused (RFC 4648 §3.5 allows either): a lenient decoder maps several
//   strings to the same bytes, which lets a signature part be altered without changing what it
//   decodes to. Wycheproof labels such tokens invalid, and a token inspector should say so.
//
// The hot paths (decode.ts, find.ts) call the range functions, which never throw and never allocate a
// substring; the precise reason for a failure is computed only on the slow path (base64urlIssue).
//
// The strictness rules live here only: base64.ts words the same decisions for the verifier and the key
// importer, and checks standard base64 (PEM bodies, secrets) by translating it into this alphabet.
import { Base64urlError, Utf8Error } from './errors';

export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Char code → 6-bit value, or -1. 256 entries: callers check `code > 255` first. */
export const BASE64URL_DECODE_TABLE: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < BASE64URL_ALPHABET.length; i++) t[BASE64URL_ALPHABET.charCodeAt(i)] = i;
  return t;
})();

const ENCODE_TABLE: Uint8Array = (() => {
  const t = new Uint8Array(64);
  for (let i = 0; i < 64; i++) t[i] = BASE64URL_ALPHABET.charCodeAt(i);
  return t;
})();

export function isBase64urlCharCode(code: number): boolean {
  return code <= 255 && BASE64URL_DECODE_TABLE[code]! >= 0;
}

/** Number of bytes that `length` base64url characters decode to (length must not be 4k+1). */
export function base64urlDecodedLength(length: number): number {
  return (length >> 2) * 3 + ((length & 3) === 0 ? 0 : (length & 3) - 1);
}

export type Base64urlIssueKind = 'invalid-char' | 'invalid-length' | 'non-zero-trailing-bits';

export interface Base64urlIssue {
  kind: Base64urlIssueKind;
  /** Index in the string that was checked (not relative to `start`), of the offending character. */
  index: number;
  /** Plain-words reason, without saying which part of a token this is (the caller knows). */
  message: string;
}

/** Validates s[start, end) as strict base64url without allocating. `null` when it is valid. */
export function base64urlIssue(s: string, start = 0, end = s.length): Base64urlIssue | null {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c > 255 || BASE64URL_DECODE_TABLE[c]! < 0) {
      return { kind: 'invalid-char', index: i, message: describeInvalidChar(s, i) };
    }
  }
  const len = end - start;
  const rem = len & 3;
  if (rem === 1) {
    return {
      kind: 'invalid-length',
      index: end - 1,
      message:
        `its length (${len} character${len === 1 ? '' : 's'}) leaves one character over after the last full group of 4, ` +
        'which no data encodes to; the text is probably cut short',
    };
  }
  if (rem !== 0) {
    const last = BASE64URL_DECODE_TABLE[s.charCodeAt(end - 1)]!;
    if ((rem === 2 ? last & 0x0f : last & 0x03) !== 0) {
      return {
        kind: 'non-zero-trailing-bits',
        index: end - 1,
        message:
          `its last character '${s[end - 1]}' at position ${end - 1} sets bits that encode nothing ` +
          '(not the canonical encoding: the text was altered or produced by a broken encoder)',
      };
    }
  }
  return null;
}

function describeInvalidChar(s: string, i: number): string {
  const c = s.charCodeAt(i);
  let what: string;
  let hint = '';
  if (c === 0x20) what = 'a space';
  else if (c === 0x0a || c === 0x0d) what = 'a line break';
  else if (c === 0x09) what = 'a tab';
  else if (c < 0x20 || c === 0x7f) what = `the control character U+${hex4(c)}`;
  else if (c >= 0xd800 && c <= 0xdfff) {
    const cp = s.codePointAt(i)!;
    what = cp > 0xffff ? `'${String.fromCodePoint(cp)}' (U+${cp.toString(16).toUpperCase()})` : `a lone surrogate U+${hex4(c)}`;
  } else if (c > 0x7e) what = `'${s[i]}' (U+${hex4(c)})`;
  else what = `'${s[i]}'`;
  if (c === 0x2b || c === 0x2f) hint = " (that is standard base64; base64url uses '-' and '_' instead of '+' and '/')";
  else if (c === 0x3d) hint = " (base64url in tokens carries no '=' padding)";
  else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) hint = ' (tokens contain no whitespace)';
  return `${what} at position ${i} is not allowed${hint}`;
}

function hex4(c: number): string {
  return c.toString(16).toUpperCase().padStart(4, '0');
}

/** Whether s[start, end) is strict base64url; the allocation-free fast path of base64urlIssue. */
export function isBase64url(s: string, start = 0, end = s.length): boolean {
  const T = BASE64URL_DECODE_TABLE;
  const rem = (end - start) & 3;
  if (rem === 1) return false;
  const fullEnd = end - rem;
  let i = start;
  for (; i < fullEnd; i += 4) {
    const a = s.charCodeAt(i);
    const b = s.charCodeAt(i + 1);
    const c = s.charCodeAt(i + 2);
    const d = s.charCodeAt(i + 3);
    if ((a | b | c | d) > 255 || (T[a]! | T[b]! | T[c]! | T[d]!) < 0) return false;
  }
  if (rem === 0) return true;
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  const c = rem === 3 ? s.charCodeAt(i + 2) : 0x41;
  if ((a | b | c) > 255 || (T[a]! | T[b]! | T[c]!) < 0) return false;
  return (rem === 2 ? T[b]! & 0x0f : T[c]! & 0x03) === 0;
}

/**
 * Decodes s[start, end) into bytes, or returns `null` when it is not strict base64url.
 * Never throws. Call base64urlIssue on the same range to learn why.
 */
export function base64urlDecodeRange(s: string, start: number, end: number): Uint8Array | null {
  const len = end - start;
  const rem = len & 3;
  if (rem === 1) return null;
  const out = new Uint8Array(base64urlDecodedLength(len));
  const T = BASE64URL_DECODE_TABLE;
  const fullEnd = end - rem;
  let o = 0;
  let i = start;
  for (; i < fullEnd; i += 4) {
    const a = s.charCodeAt(i);
    const b = s.charCodeAt(i + 1);
    const c = s.charCodeAt(i + 2);
    const d = s.charCodeAt(i + 3);
    if ((a | b | c | d) > 255) return null;
    const va = T[a]!;
    const vb = T[b]!;
    const vc = T[c]!;
    const vd = T[d]!;
    if ((va | vb | vc | vd) < 0) return null;
    const v = (va << 18) | (vb << 12) | (vc << 6) | vd;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (rem !== 0) {
    const a = s.charCodeAt(i);
    const b = s.charCodeAt(i + 1);
    const c = rem === 3 ? s.charCodeAt(i + 2) : 0x41; // 'A' = 0 stands in for the missing char
    if ((a | b | c) > 255) return null;
    const va = T[a]!;
    const vb = T[b]!;
    const vc = T[c]!;
    if ((va | vb | vc) < 0) return null;
    if (rem === 2) {
      if ((vb & 0x0f) !== 0) return null;
      out[o] = (va << 2) | (vb >> 4);
    } else {
      if ((vc & 0x03) !== 0) return null;
      out[o] = (va << 2) | (vb >> 4);
      out[o + 1] = ((vb & 0x0f) << 4) | (vc >> 2);
    }
  }
  return out;
}

/** Decodes a whole strict base64url string. Throws a TypeError that says why; see also the range form. */
export function base64urlDecode(s: string): Uint8Array {
  const out = typeof s === 'string' ? base64urlDecodeRange(s, 0, s.length) : null;
  if (out === null) {
    const issue = typeof s === 'string' ? base64urlIssue(s) : null;
    throw new Base64urlError(`Not valid base64url: ${issue ? issue.message : 'not a string'}`);
  }
  return out;
}

export function base64urlEncode(input: Uint8Array | string): string {
  const bytes = typeof input === 'string' ? utf8Encode(input) : input;
  const E = ENCODE_TABLE;
  const n = bytes.length;
  const full = n - (n % 3);
  // Built in chunks so that String.fromCharCode.apply stays under engine argument limits.
  const CHUNK = 3 * 8192;
  let result = '';
  const codes: number[] = [];
  for (let i = 0; i < full; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    codes.push(E[v >> 18]!, E[(v >> 12) & 63]!, E[(v >> 6) & 63]!, E[v & 63]!);
    if (codes.length >= CHUNK) {
      result += String.fromCharCode.apply(null, codes);
      codes.length = 0;
    }
  }
  if (n - full === 1) {
    const v = bytes[full]!;
    codes.push(E[v >> 2]!, E[(v & 3) << 4]!);
  } else if (n - full === 2) {
    const v = (bytes[full]! << 8) | bytes[full + 1]!;
    codes.push(E[v >> 10]!, E[(v >> 4) & 63]!, E[(v & 15) << 2]!);
  }
  return result + String.fromCharCode.apply(null, codes);
}

const textEncoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF in the text: the inspector shows the bytes that were sent, and a
// header that starts with a BOM is then (correctly) not JSON rather than silently repaired.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8Encode(s: string): Uint8Array {
  return textEncoder.encode(s);
}

/** Strict UTF-8 decode; throws a TypeError on malformed input (overlongs, surrogates, truncation). */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch (e) {
    throw new Utf8Error(e instanceof Error ? e.message : 'The encoded data was not valid for encoding utf-8');
  }
}

/** Strict UTF-8 decode that returns `null` instead of throwing. */
export function utf8DecodeOrNull(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * Decodes s[start, end), strict base64url, as strict UTF-8 text; `null` when it is not both. The same
 * result as utf8DecodeOrNull(base64urlDecodeRange(…)), faster: after the strict check, the engine's own
 * atob decodes (its leniency — whitespace, padding, stray bits — cannot apply to checked input), and
 * ASCII, which nearly every header and payload is, needs no UTF-8 decoding at all.
 */
export function base64urlDecodeText(s: string, start: number, end: number): string | null {
  if (!isBase64url(s, start, end)) return null;
  if (start === end) return '';
  let b64 = s.slice(start, end);
  if (b64.indexOf('-') !== -1) b64 = b64.replace(/-/g, '+');
  if (b64.indexOf('_') !== -1) b64 = b64.replace(/_/g, '/');
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    return null;
  }
  if (ASCII_ONLY.test(binary)) return binary;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return utf8DecodeOrNull(bytes);
}

/**
 * Offset of the first byte that makes `bytes` malformed UTF-8, or -1 when it is well-formed.
 * Only for messages: decoding itself goes through TextDecoder.
 */
export function utf8ErrorOffset(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0)
        lo = 0xa0; // overlong
      else if (b === 0xed) hi = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0)
        lo = 0x90; // overlong
      else if (b === 0xf4) hi = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return i;
      const c = bytes[i + k]!;
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}
