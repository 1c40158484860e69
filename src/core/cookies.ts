// Cookie and Set-Cookie parsing for sightings. Values come from the inspected page: never throw, bound sizes.
// The `cookie` package (jshttp, Express's parser) does the RFC 6265 value decoding; this module adds what it
// leaves out: request-header order and duplicates, the prefix rules, and the shapes the inspector reports.
import { parseSetCookie } from 'cookie';
import type { CookieAttributes } from './types';

/** Longest header we look at. Browsers cap a cookie at 4 KiB and a header block well under this. */
export const MAX_COOKIE_HEADER_LENGTH = 64 * 1024;
/** Browsers keep about 180 cookies per domain; anything far beyond that is not a real header. */
export const MAX_COOKIES = 1000;

export interface CookiePair {
  name: string;
  /** Percent-decoded (as servers such as Express read it) with one pair of surrounding quotes removed. */
  value: string;
  /** The value exactly as it was on the wire, before unquoting and decoding. */
  rawValue: string;
}

export type CookiePrefix = '__Host-' | '__Secure-';

export interface SetCookieInfo extends CookieAttributes {
  name: string;
  value: string;
  rawValue: string;
  /** Always set, so that `false` means "the header did not ask for it" (the analysis relies on it). */
  httpOnly: boolean;
  secure: boolean;
  /** Absent when the header has no (recognised) SameSite: browsers then apply their default, Lax in Chrome. */
  sameSite?: 'strict' | 'lax' | 'none';
  domain?: string;
  path?: string;
  /** Expires, in milliseconds since the epoch. */
  expires?: number;
  /** Max-Age in seconds; when present it wins over Expires (RFC 6265 §5.3). */
  maxAge?: number;
  partitioned: boolean;
  priority?: 'low' | 'medium' | 'high';
  prefix?: CookiePrefix;
  /** False when a `__Host-` / `__Secure-` cookie breaks its prefix's rules: browsers then drop it. */
  prefixValid: boolean;
  /** Why the prefix rules fail, in plain words (empty when they hold or there is no prefix). */
  prefixProblems: string[];
  /** The header was longer than MAX_COOKIE_HEADER_LENGTH and only its start was read. */
  truncated?: boolean;
}

/**
 * Parses a `Cookie` request header into every pair, in order, duplicates included: the package's
 * `parseCookie` returns a record keyed by name, which would hide a second cookie of the same name — and two
 * same-named cookies (different Path or Domain) are exactly where a stale token hides.
 */
export function parseCookieHeader(header: string): CookiePair[] {
  const pairs: CookiePair[] = [];
  try {
    if (typeof header !== 'string' || header.length === 0) return pairs;
    let text = header;
    if (text.length > MAX_COOKIE_HEADER_LENGTH) {
      // The last pair would be cut in the middle: keep only whole ones.
      text = text.slice(0, MAX_COOKIE_HEADER_LENGTH);
      const lastSemicolon = text.lastIndexOf(';');
      text = lastSemicolon >= 0 ? text.slice(0, lastSemicolon) : '';
    }
    for (const segment of text.split(';')) {
      if (pairs.length >= MAX_COOKIES) break;
      if (segment.trim() === '') continue;
      const pair = parsePair(segment);
      if (pair) pairs.push(pair);
    }
  } catch {
    // Whatever was parsed before the failure is still true.
  }
  return pairs;
}

/**
 * Parses one `Set-Cookie` value with all its attributes and the cookie-prefix checks of RFC 6265bis §4.1.3.
 */
export function parseSetCookieHeader(value: string): SetCookieInfo {
  const info: SetCookieInfo = {
    name: '',
    value: '',
    rawValue: '',
    httpOnly: false,
    secure: false,
    partitioned: false,
    prefixValid: true,
    prefixProblems: [],
  };
  try {
    if (typeof value !== 'string') return info;
    let text = value;
    if (text.length > MAX_COOKIE_HEADER_LENGTH) {
      text = text.slice(0, MAX_COOKIE_HEADER_LENGTH);
      info.truncated = true;
    }
    // A stray line break would make the attributes of a second cookie look like this one's.
    text = text.split(/\r?\n/, 1)[0] ?? '';

    const firstSemicolon = text.indexOf(';');
    const pairText = firstSemicolon >= 0 ? text.slice(0, firstSemicolon) : text;
    const pair = parsePair(pairText);
    if (pair) {
      info.name = pair.name;
      info.value = pair.value;
      info.rawValue = pair.rawValue;
    }

    const parsed = parseSetCookie(text);
    if (parsed.httpOnly) info.httpOnly = true;
    if (parsed.secure) info.secure = true;
    if (parsed.partitioned) info.partitioned = true;
    // An empty Domain is ignored by browsers (RFC 6265 §5.2.3), so it is not a Domain attribute.
    if (typeof parsed.domain === 'string' && parsed.domain !== '') info.domain = parsed.domain;
    if (typeof parsed.path === 'string') info.path = parsed.path;
    if (parsed.expires instanceof Date) {
      const ms = parsed.expires.getTime();
      if (Number.isFinite(ms)) info.expires = ms;
    }
    if (typeof parsed.maxAge === 'number' && Number.isFinite(parsed.maxAge)) info.maxAge = parsed.maxAge;
    if (parsed.priority) info.priority = parsed.priority;
    const sameSite = normaliseSameSite(parsed.sameSite);
    if (sameSite) info.sameSite = sameSite;

    checkPrefix(info);
  } catch {
    // The fields set so far stand; a header this broken is reported with what could be read.
  }
  return info;
}

/**
 * Splits a header that holds several Set-Cookie values. Firefox (and HAR files it exports) joins repeated
 * Set-Cookie headers with "\n" in one header value; commas are not split on, because Expires dates contain
 * them.
 */
export function splitSetCookieLines(header: string): string[] {
  try {
    if (typeof header !== 'string') return [];
    const text = header.length > MAX_COOKIE_HEADER_LENGTH ? header.slice(0, MAX_COOKIE_HEADER_LENGTH) : header;
    const lines: string[] = [];
    for (const line of text.split(/\r?\n|\r/)) {
      if (lines.length >= MAX_COOKIES) break;
      const trimmed = line.trim();
      if (trimmed !== '') lines.push(trimmed);
    }
    return lines;
  } catch {
    return [];
  }
}

function parsePair(segment: string): CookiePair | undefined {
  const eq = segment.indexOf('=');
  // A pair without '=' is a nameless cookie (RFC 6265bis §5.6): `document.cookie = "x"` makes one.
  const name = eq >= 0 ? trimOws(segment.slice(0, eq)) : '';
  const rawValue = trimOws(eq >= 0 ? segment.slice(eq + 1) : segment);
  if (name === '' && rawValue === '') return undefined;
  return { name, value: decodeValue(rawValue), rawValue };
}

function decodeValue(rawValue: string): string {
  // RFC 6265 allows a DQUOTE-wrapped cookie-value; browsers keep the quotes, but a token inside is unquoted.
  const unquoted = rawValue.length >= 2 && rawValue.startsWith('"') && rawValue.endsWith('"') ? rawValue.slice(1, -1) : rawValue;
  // Let the package do its (tolerant) percent-decoding: a one-pair Set-Cookie line parses to that pair.
  // The name is a placeholder so that an '=' inside the value is not taken as the name's end.
  try {
    const decoded = parseSetCookie(`x=${unquoted}`).value;
    return typeof decoded === 'string' ? decoded : unquoted;
  } catch {
    return unquoted;
  }
}

function trimOws(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, '');
}

function normaliseSameSite(value: unknown): 'strict' | 'lax' | 'none' | undefined {
  // The package's type allows `true`, its spelling of Strict when serialising.
  if (value === true) return 'strict';
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return lower === 'strict' || lower === 'lax' || lower === 'none' ? lower : undefined;
}

function checkPrefix(info: SetCookieInfo): void {
  // RFC 6265bis matches prefixes case-insensitively, so "__HOST-" cannot slip past the rules; a nameless
  // cookie whose value starts with a prefix is refused for the same reason.
  const subject = info.name !== '' ? info.name : info.value;
  const lower = subject.toLowerCase();
  let prefix: CookiePrefix | undefined;
  if (lower.startsWith('__host-')) prefix = '__Host-';
  else if (lower.startsWith('__secure-')) prefix = '__Secure-';
  if (!prefix) return;
  info.prefix = prefix;
  const problems: string[] = [];
  if (info.name === '') problems.push(`a nameless cookie whose value starts with ${prefix} is refused`);
  if (!info.secure) problems.push(`${prefix} requires the Secure attribute`);
  if (prefix === '__Host-') {
    if (info.domain !== undefined) problems.push('__Host- forbids a Domain attribute');
    if (info.path !== '/') problems.push('__Host- requires Path=/');
  }
  info.prefixProblems = problems;
  info.prefixValid = problems.length === 0;
}
