// Finding compact JWS / JWE serializations in arbitrary text: headers, cookies, URLs, bodies, storage.
//
// Why it is built this way:
// - Every token has a dot right after its header, and dots are rare enough that the engine's native
//   indexOf('.') skips most text (HAR bodies, base64 blobs) at memchr speed; visiting every character
//   in JS would cost more than JSON.parse of the same text, which is the budget. At each dot the scan
//   looks back over the base64url run that ends there: that run is the header candidate. (Anchoring on
//   "eyJ" instead is cheaper on token-dense text but misses valid headers: '{ "' → "eyA", a first member
//   name that starts with a digit → "eyI", '{' + line break → "ewo"; Wycheproof has the first kind.)
// - A candidate must start where a segment can start: at the start of the run, or right after an escape
//   whose last characters are base64url characters and would otherwise glue onto the token: "%20"
//   (percent-encoding) and "\n", "\r", "\t", "\b", "\f", "\u0020" (JSON string escapes). It must begin
//   with "ey" or "ew" (the base64url of '{' followed by '"', a space, or a tab / line break).
// - The candidate header is decoded and must be a JSON object with a string "alg"; segments longer than
//   MAX_HEADER_SEGMENT_CHARS are not decoded. A header with a string "enc" takes five segments (JWE) when
//   five are there, anything else three, so a JWE is never reported as a three-part prefix. The other
//   segments must be strict base64url (length and trailing bits), so that every token found also passes
//   decodeToken's base64url checks (a payload that is not UTF-8 can still fail there). The payload may
//   be empty only when the signature is not (detached content); the signature may be empty (unsecured).
// - Linear time: the dot search only moves forward; the look-back at a dot stops at the previous dot or
//   delimiter (runs between dots are disjoint) and after MAX_HEADER_SEGMENT_CHARS; each header is decoded
//   at most once; each later segment is scanned by at most four earlier candidates. No regular expression.
// - At most MAX_FOUND_TOKENS tokens are returned (the first ones in text order): the list feeds a UI and
//   hostile text can hold millions of tiny valid tokens.
// - Tokens whose payload is not base64url (RFC 7797 `b64: false`) are not found: their payload can hold
//   any character but '.', so they have no recognisable end in free text.
// - Callers that keep found tokens for long should know that V8 may share the token strings' memory with
//   `text` (sliced strings).

import type { FoundToken } from './types';
import { BASE64URL_DECODE_TABLE } from './base64url';
import { parseHeaderSegment } from './decode';

export const MAX_FOUND_TOKENS = 10_000;
/** Header segments longer than this are not decoded (an x5c chain of a few certificates fits). */
export const MAX_HEADER_SEGMENT_CHARS = 32 * 1024;

const T = BASE64URL_DECODE_TABLE;
const NOT_A_HEADER = 0;
const JWS_HEADER = 1;
const JWE_HEADER = 2;
/** How many recently judged header segments findTokens remembers, across calls. */
const RECENT_MAX = 16;
const DOT = 0x2e;
const BACKSLASH = 0x5c;

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

// 1 for a base64url character, else 0. A full 16-bit table (64 KiB) lets the hot loop index with
// any char code without a range check.
const B64 = (() => {
  const t = new Uint8Array(65536);
  for (let c = 0; c < 256; c++) t[c] = T[c]! >= 0 ? 1 : 0;
  return t;
})();

/** End (exclusive) of the run of base64url characters that starts at `i`. */
function segmentEnd(text: string, i: number, n: number): number {
  // Eight characters per step: signatures are hundreds of characters long, and on token-dense text
  // this loop is the scanner's main cost.
  const n8 = n - 8;
  while (i <= n8) {
    if (
      (B64[text.charCodeAt(i)]! &
        B64[text.charCodeAt(i + 1)]! &
        B64[text.charCodeAt(i + 2)]! &
        B64[text.charCodeAt(i + 3)]! &
        B64[text.charCodeAt(i + 4)]! &
        B64[text.charCodeAt(i + 5)]! &
        B64[text.charCodeAt(i + 6)]! &
        B64[text.charCodeAt(i + 7)]!) ===
      0
    ) {
      break;
    }
    i += 8;
  }
  while (i < n && B64[text.charCodeAt(i)] === 1) i++;
  return i;
}

/** Whether text[start, end) (all base64url characters) has a decodable length and canonical last character. */
function canonicalLength(text: string, start: number, end: number): boolean {
  const rem = (end - start) & 3;
  if (rem === 0) return true;
  if (rem === 1) return false;
  const last = T[text.charCodeAt(end - 1)]!;
  return (rem === 2 ? last & 0x0f : last & 0x03) === 0;
}

/**
 * Reads `count` segments after the header, `dot` being the index of the dot that ends the header.
 * Returns the token's end (exclusive), or -1.
 */
function takeSegments(text: string, dot: number, count: number, n: number): number {
  let end = dot;
  let payloadEmpty = false;
  for (let k = 0; k < count; k++) {
    if (end >= n || text.charCodeAt(end) !== DOT) return -1;
    const s = end + 1;
    end = segmentEnd(text, s, n);
    if (!canonicalLength(text, s, end)) return -1;
    if (k === 0) payloadEmpty = end === s;
  }
  // A JWS with neither payload nor signature ("header..") carries nothing to show.
  if (count === 2 && payloadEmpty && end === dot + 2) return -1;
  return end;
}

/** Whether text[p, p + h.length) equals h. Compared from the end: headers of one issuer share a
 * long prefix ({"alg":"RS256","typ":"JWT","kid":…) and differ last. (startsWith(h, p) is far slower
 * on a large string in V8.) */
function sameChars(text: string, p: number, h: string): boolean {
  for (let j = h.length - 1; j >= 0; j--) if (text.charCodeAt(p + j) !== h.charCodeAt(j)) return false;
  return true;
}

/** "ey" or "ew": '{' followed by '"' or a space, or by a tab or line break. */
function isHeaderStart(text: string, p: number): boolean {
  if (text.charCodeAt(p) !== 0x65) return false;
  const c = text.charCodeAt(p + 1);
  return c === 0x79 || c === 0x77; // y w
}

/**
 * Where a header candidate starts in the base64url run text[s, hEnd), or -1: the run's start, or just
 * after the escape ("%20", "\\n", "\\u0020") whose last characters begin the run.
 */
function candidateStart(text: string, s: number, hEnd: number): number {
  if (hEnd - s >= 2 && isHeaderStart(text, s)) return s;
  if (s === 0) return -1;
  const before = text.charCodeAt(s - 1);
  if (before === 0x25) {
    if (hEnd - s >= 4 && isHex(text.charCodeAt(s)) && isHex(text.charCodeAt(s + 1)) && isHeaderStart(text, s + 2)) return s + 2;
    return -1;
  }
  if (before !== BACKSLASH) return -1;
  const c = text.charCodeAt(s);
  if (c === 0x6e || c === 0x72 || c === 0x74 || c === 0x62 || c === 0x66) {
    return hEnd - s >= 3 && isHeaderStart(text, s + 1) ? s + 1 : -1;
  }
  if (
    c === 0x75 &&
    hEnd - s >= 7 &&
    isHex(text.charCodeAt(s + 1)) &&
    isHex(text.charCodeAt(s + 2)) &&
    isHex(text.charCodeAt(s + 3)) &&
    isHex(text.charCodeAt(s + 4)) &&
    isHeaderStart(text, s + 5)
  ) {
    return s + 5;
  }
  return -1;
}

/**
 * `s` in memory of its own. V8 may represent a slice of a string as a view into it, so a short string cut
 * from a large text can keep the whole text alive; a copy does not. (The concatenation makes a rope that
 * slicing must first flatten into a new string.)
 */
export function ownCopy(s: string): string {
  return ` ${s}`.slice(1);
}

// The header segments judged lately, kept across calls: capture calls findTokens once per header value,
// URL and body, and the same issuer's header recurs in all of them. Compared in place, because hashing a
// key sliced out of a multi-megabyte string costs more (in V8) than decoding the header again; stored as
// own copies, so that the cache keeps no scanned text alive.
const recent: string[] = [];
const recentVerdict: number[] = [];
let recentNext = 0;

/**
 * Every compact JWS / JWE in `text` whose header decodes to a JSON object with a string `alg`, in text
 * order, with `text.slice(start, end) === token`. Never throws; at most MAX_FOUND_TOKENS results.
 */
export function findTokens(text: string): FoundToken[] {
  const found: FoundToken[] = [];
  if (typeof text !== 'string') return found;
  const n = text.length;
  // Candidates start at or after the end of the last token found.
  let minStart = 0;
  let d = text.indexOf('.');
  while (d !== -1) {
    const hEnd = d;
    d = text.indexOf('.', hEnd + 1);
    // A header's dot is followed by the payload, or by the next dot when the payload is empty:
    // sentence-ending dots are dismissed here, before any look-back.
    const after = text.charCodeAt(hEnd + 1);
    if (after !== DOT && B64[after] !== 1) continue;
    // Start of the base64url run that ends at the dot, looking back no further than a header's length.
    const limit = Math.max(minStart, hEnd - MAX_HEADER_SEGMENT_CHARS - 8);
    let s = hEnd;
    while (s > limit && B64[text.charCodeAt(s - 1)] === 1) s--;
    if (s === hEnd || (s === limit && s > minStart)) continue;
    const p = candidateStart(text, s, hEnd);
    if (p < 0) continue;
    const hLen = hEnd - p;
    if (hLen > MAX_HEADER_SEGMENT_CHARS || !canonicalLength(text, p, hEnd)) continue;

    let verdict = -1;
    for (let k = 0; k < recent.length; k++) {
      const h = recent[k]!;
      if (h.length === hLen && sameChars(text, p, h)) {
        verdict = recentVerdict[k]!;
        break;
      }
    }
    if (verdict === -1) {
      const header = parseHeaderSegment(text, p, hEnd);
      verdict = header === undefined ? NOT_A_HEADER : typeof header.enc === 'string' ? JWE_HEADER : JWS_HEADER;
      recent[recentNext] = ownCopy(text.slice(p, hEnd));
      recentVerdict[recentNext] = verdict;
      recentNext = (recentNext + 1) % RECENT_MAX;
    }
    if (verdict === NOT_A_HEADER) continue;

    let end = verdict === JWE_HEADER ? takeSegments(text, hEnd, 4, n) : -1;
    if (end === -1) end = takeSegments(text, hEnd, 2, n);
    if (end === -1) continue;
    found.push({ token: text.slice(p, end), start: p, end });
    if (found.length >= MAX_FOUND_TOKENS) break;
    minStart = end;
    d = text.indexOf('.', end);
  }
  return found;
}
