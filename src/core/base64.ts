// The verifier's and the key importer's base64: short reasons that follow "is not base64url:", and standard
// base64 (RFC 4648 §4) for PEM bodies and secrets. Every decision is base64url.ts's (base64urlIssue); this
// file only words it, and translates standard base64 into that alphabet. Kept apart from base64url.ts so the
// pages that only decode tokens do not load the key importer's wording.
import { base64urlDecode, base64urlIssue, isBase64urlCharCode, type Base64urlIssueKind } from './base64url';

/** How a character reads in a short reason: "a space", "a line break", "a tab" or the character quoted. */
export function describeChar(c: string): string {
  if (c === ' ') return 'a space';
  if (c === '\n' || c === '\r') return 'a line break';
  if (c === '\t') return 'a tab';
  return `"${c}"`;
}

/**
 * Why `s` is not strict base64url, as a short clause for the verifier's and the key importer's reasons
 * ("padding "=" at position 3 ..."), or undefined. The same decision as base64urlIssue, worded to follow
 * "is not base64url:"; the decoder's full sentences stay base64urlIssue's message.
 */
export function base64urlProblem(s: string): string | undefined {
  const issue = base64urlIssue(s);
  if (!issue) return undefined;
  return issue.kind === 'invalid-char' ? base64urlCharProblem(s[issue.index]!, issue.index) : canonicalProblem(issue.kind, s.length);
}

function base64urlCharProblem(c: string, i: number): string {
  if (c === '=') return `padding "=" at position ${i} (base64url in JOSE has no padding)`;
  if (c === '+' || c === '/') return `character "${c}" at position ${i} belongs to base64, not base64url`;
  return `${describeChar(c)} at position ${i}`;
}

function canonicalProblem(kind: Exclude<Base64urlIssueKind, 'invalid-char'>, length: number): string {
  return kind === 'invalid-length'
    ? `its length (${length}) cannot encode whole bytes`
    : 'the last character carries non-zero padding bits (non-canonical encoding)';
}

/**
 * Why `s`, unpadded standard base64 (RFC 4648 §4: '+' and '/'), is not strict, or undefined. The rules are
 * base64url's (canonical length and trailing bits): the text is checked in that alphabet.
 */
export function base64Problem(s: string): { problem: string; char?: string } | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2d || c === 0x5f || !(c === 0x2b || c === 0x2f || isBase64urlCharCode(c))) {
      return { problem: `${describeChar(s[i]!)} at position ${i}`, char: s[i]! };
    }
  }
  const issue = base64urlIssue(toBase64urlAlphabet(s));
  return issue && issue.kind !== 'invalid-char' ? { problem: canonicalProblem(issue.kind, s.length) } : undefined;
}

/** Decodes unpadded standard base64 that base64Problem accepted. */
export function base64Decode(s: string): Uint8Array {
  return base64urlDecode(toBase64urlAlphabet(s));
}

/** Standard base64 with '=' padding, as PEM bodies carry it. The engine's btoa: encoding has no leniency to fear. */
export function base64Encode(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function toBase64urlAlphabet(s: string): string {
  return s.replace(/\+/g, '-').replace(/\//g, '_');
}
