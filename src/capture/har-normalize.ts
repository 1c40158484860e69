// Reads one HAR entry — from Chrome, Firefox or an imported file — into a single shape, so that the rest of
// capture never asks which browser wrote it. Entries are untrusted: every field is type-checked, every list
// bounded, and nothing here throws.
//
// The browser differences handled here (see har-types.ts):
// - Header names are compared and reported lower-case. HTTP/2 and HTTP/3 send them lower-case anyway, and
//   one spelling makes a sighting of "Authorization" over HTTP/1.1 equal to one of "authorization" over
//   HTTP/2. Chrome's pseudo-headers (":path", ":authority") are dropped: they repeat the URL, which is
//   scanned as a URL.
// - Set-Cookie: every header value is split on line breaks, because Firefox joins repeated Set-Cookie
//   headers into one value separated by "\n".
// - `response.cookies`: kept only as a fallback for cookies whose Set-Cookie line is missing. A flag there
//   is believed only when it is a boolean: Chrome writes both flags on every cookie, while Firefox builds
//   differ (some omit false flags, older ones write names and values only), so a missing flag is unknown,
//   not false — a guessed false would raise cookie findings the evidence does not support.
// - Times: `startedDateTime` in UTC (Chrome) or with a local offset (Firefox) both become epoch ms.
// - Bodies: a `content.text` that an exported file stores as base64 is decoded when its type is textual.

import type { CookieAttributes } from '../core/types';
import { splitSetCookieLines } from '../core/cookies';
import { upperCase } from './ingest-key';
import { isJsonObject } from '../core/is-json-object';

/** Headers read per side; real requests carry a few dozen. */
export const MAX_HEADERS = 256;
/** Cookies read from a HAR `cookies` array. */
export const MAX_HAR_COOKIES = 512;
/** Form fields read from `postData.params`. */
export const MAX_PARAMS = 1024;
/** Longest base64 `content.text` decoded; sightingsFromEntry caps what it scans in any case. */
export const MAX_BASE64_CONTENT_CHARS = 12 * 1024 * 1024;

/** Read-only: it may be the browser's own header object (headerAt). */
export interface NormalizedHeader {
  /** Lower-case. */
  readonly name: string;
  readonly value: string;
}

export interface NormalizedCookie extends CookieAttributes {
  name: string;
  value: string;
}

export interface NormalizedParam {
  name: string;
  value: string;
}

export interface NormalizedPostData {
  /** Lower-case essence, parameters removed: "application/x-www-form-urlencoded". */
  mimeType: string;
  text: string;
  params: NormalizedParam[];
}

export interface NormalizedEntry {
  method: string;
  url: string;
  startedDateTime: string;
  /** Epoch ms of startedDateTime; 0 when it does not parse. */
  time: number;
  /** 0 when pending, failed or missing. */
  status: number;
  /** Without pseudo-headers; Cookie headers stay in (callers skip them by name). */
  requestHeaders: readonly NormalizedHeader[];
  /** Without Set-Cookie, which is in `setCookieLines`. */
  responseHeaders: readonly NormalizedHeader[];
  /** The values of every Cookie request header (HTTP/2 may split cookies over several). */
  cookieHeaders: readonly string[];
  /**
   * `request.cookies`: the cookies when no Cookie header is listed (Chrome's provisional headers), and the
   * flags Chrome states for request cookies (it knows them from its cookie store; Firefox does not say).
   */
  requestCookies: readonly NormalizedCookie[];
  /** One Set-Cookie line per cookie, Firefox's "\n"-joined values split. */
  setCookieLines: readonly string[];
  /** `response.cookies`, flags only when the browser stated them. */
  responseCookies: readonly NormalizedCookie[];
  postData?: NormalizedPostData;
  /** Lower-case essence of the response's MIME type. */
  responseMimeType: string;
  /** `content.size`; -1 when missing. */
  responseSize: number;
  /** `content.text` when the entry carries it (exported HAR files), decoded from base64 when textual. */
  responseText?: string;
  /** `response.redirectURL`, or "". */
  redirectURL: string;
  /** Chrome's `_resourceType`, when present. */
  resourceType?: string;
}

/** Reads an entry-shaped value; undefined when it has no request URL to attribute sightings to. */
export function normalizeEntry(raw: unknown): NormalizedEntry | undefined {
  try {
    if (!isJsonObject(raw)) return undefined;
    const request = isJsonObject(raw.request) ? raw.request : undefined;
    const response = isJsonObject(raw.response) ? raw.response : {};
    if (!request || typeof request.url !== 'string') return undefined;

    const startedDateTime = typeof raw.startedDateTime === 'string' ? raw.startedDateTime : '';
    const parsedTime = startedDateTime === '' ? Number.NaN : epochMs(startedDateTime);

    // Lists stay the shared empty one until they get an item: most entries have no cookie, no Set-Cookie.
    const requestHeaders: NormalizedHeader[] = [];
    let cookieHeaders: string[] | undefined;
    const sent = request.headers;
    for (let i = 0, n = headerCount(sent); i < n; i++) {
      const header = headerAt(sent, i);
      if (!header) continue;
      if (header.name === 'cookie') (cookieHeaders ??= []).push(header.value);
      requestHeaders.push(header);
    }

    const responseHeaders: NormalizedHeader[] = [];
    let setCookieLines: string[] | undefined;
    const received = response.headers;
    for (let i = 0, n = headerCount(received); i < n; i++) {
      const header = headerAt(received, i);
      if (!header) continue;
      if (header.name === 'set-cookie') {
        setCookieLines ??= [];
        for (const line of splitSetCookieLines(header.value)) setCookieLines.push(line);
      } else {
        responseHeaders.push(header);
      }
    }

    const content = isJsonObject(response.content) ? response.content : {};
    const responseMimeType = mimeEssence(content.mimeType);
    const entry: NormalizedEntry = {
      method: typeof request.method === 'string' ? upperCase(request.method) : '',
      url: request.url,
      startedDateTime,
      time: Number.isFinite(parsedTime) ? parsedTime : 0,
      status: typeof response.status === 'number' && Number.isFinite(response.status) ? response.status : 0,
      requestHeaders,
      responseHeaders,
      cookieHeaders: cookieHeaders ?? NONE,
      requestCookies: readCookies(request.cookies),
      setCookieLines: setCookieLines ?? NONE,
      responseCookies: readCookies(response.cookies),
      responseMimeType,
      responseSize: typeof content.size === 'number' && Number.isFinite(content.size) ? content.size : -1,
      redirectURL: typeof response.redirectURL === 'string' ? response.redirectURL : '',
    };
    const postData = readPostData(request.postData);
    if (postData) entry.postData = postData;
    const text = readContentText(content, responseMimeType);
    if (text !== undefined) entry.responseText = text;
    if (typeof raw._resourceType === 'string') entry.resourceType = raw._resourceType;
    return entry;
  } catch {
    // A getter on a hostile object, or a proxy: nothing of this entry can be trusted.
    return undefined;
  }
}

/**
 * Date.parse, with a quicker path for the form Chrome writes on every entry ("2023-11-14T22:13:20.037Z"):
 * a busy app's HAR has tens of thousands of them.
 */
export function epochMs(text: string): number {
  if (text.length === 24 && text.charCodeAt(23) === 0x5a /* Z */ && text.charCodeAt(10) === 0x54 /* T */ && text.charCodeAt(19) === 0x2e) {
    const year = digits(text, 0, 4);
    const month = digits(text, 5, 2);
    const day = digits(text, 8, 2);
    const hour = digits(text, 11, 2);
    const minute = digits(text, 14, 2);
    const second = digits(text, 17, 2);
    const ms = digits(text, 20, 3);
    if (
      year >= 100 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 31 &&
      hour <= 23 &&
      minute <= 59 &&
      second <= 59 &&
      ms >= 0 &&
      text.charCodeAt(4) === 0x2d &&
      text.charCodeAt(7) === 0x2d &&
      text.charCodeAt(13) === 0x3a &&
      text.charCodeAt(16) === 0x3a
    ) {
      // As Date.parse does in V8, a 31 February rolls over into March. (Date.UTC reads years below 100 as
      // 19xx: those take the slow path.)
      return Date.UTC(year, month - 1, day, hour, minute, second, ms);
    }
  }
  return Date.parse(text);
}

/** The decimal number of text[start, start + count), or -1 if a character there is not a digit. */
function digits(text: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** "Application/JSON; charset=utf-8" → "application/json". */
export function mimeEssence(value: unknown): string {
  if (typeof value !== 'string') return '';
  const semicolon = value.indexOf(';');
  const essence = (semicolon >= 0 ? value.slice(0, semicolon) : value).trim();
  // Most types are written in lower case already: no copy for them.
  return HAS_UPPER_CASE.test(essence) ? essence.toLowerCase() : essence;
}

/**
 * Whether a MIME type (essence, lower-case) is text that can carry a token: JSON and its suffixes, text/*,
 * JavaScript, XML, form bodies and the JOSE types. The reconciler reads bodies of these types only.
 */
export function isTextualMime(essence: string): boolean {
  if (essence === '') return false;
  if (essence.startsWith('text/')) return true;
  const slash = essence.indexOf('/');
  const subtype = slash >= 0 ? essence.slice(slash + 1) : essence;
  return (
    subtype === 'json' ||
    subtype.endsWith('+json') ||
    subtype === 'x-ndjson' ||
    subtype === 'javascript' ||
    subtype === 'x-javascript' ||
    subtype === 'ecmascript' ||
    subtype === 'xml' ||
    subtype.endsWith('+xml') ||
    subtype === 'x-www-form-urlencoded' ||
    subtype === 'jwt' ||
    subtype.endsWith('+jwt') ||
    subtype === 'jose' ||
    subtype === 'jose+json' ||
    subtype === 'graphql'
  );
}

/** How many entries of a HAR `headers` list are read. */
function headerCount(list: unknown): number {
  return Array.isArray(list) ? Math.min(list.length, MAX_HEADERS) : 0;
}

/**
 * The i-th header of a list headerCount accepted, name in lower case; undefined for a malformed one or a
 * pseudo-header. A header whose name is lower case already, as HTTP/2 and HTTP/3 send them, is the
 * browser's plain-data object and nothing here changes it: it is passed on as it is, not copied (a busy
 * app's HAR holds a few hundred thousand).
 */
function headerAt(list: unknown, i: number): NormalizedHeader | undefined {
  const header: unknown = (list as unknown[])[i];
  if (!isJsonObject(header)) return undefined;
  const { name, value } = header;
  if (typeof name !== 'string' || typeof value !== 'string' || name === '' || name.charCodeAt(0) === 0x3a /* ':' */) return undefined;
  return HAS_UPPER_CASE.test(name) ? { name: name.toLowerCase(), value } : (header as unknown as NormalizedHeader);
}

const HAS_UPPER_CASE = /[A-Z]/;

function readCookies(value: unknown): readonly NormalizedCookie[] {
  if (!Array.isArray(value) || value.length === 0) return NONE;
  const out: NormalizedCookie[] = [];
  const n = Math.min(value.length, MAX_HAR_COOKIES);
  for (let i = 0; i < n; i++) {
    const cookie: unknown = value[i];
    if (!isJsonObject(cookie) || typeof cookie.name !== 'string' || typeof cookie.value !== 'string') continue;
    const read: NormalizedCookie = { name: cookie.name, value: cookie.value };
    if (typeof cookie.httpOnly === 'boolean') read.httpOnly = cookie.httpOnly;
    if (typeof cookie.secure === 'boolean') read.secure = cookie.secure;
    const sameSite = typeof cookie.sameSite === 'string' ? cookie.sameSite.trim().toLowerCase() : '';
    if (sameSite === 'strict' || sameSite === 'lax' || sameSite === 'none') read.sameSite = sameSite;
    out.push(read);
  }
  return out;
}

function readPostData(value: unknown): NormalizedPostData | undefined {
  if (!isJsonObject(value)) return undefined;
  const text = typeof value.text === 'string' ? value.text : '';
  const params: NormalizedParam[] = [];
  if (Array.isArray(value.params)) {
    const n = Math.min(value.params.length, MAX_PARAMS);
    for (let i = 0; i < n; i++) {
      const param: unknown = value.params[i];
      if (!isJsonObject(param) || typeof param.name !== 'string') continue;
      // A file upload has a fileName and no readable value.
      params.push({ name: param.name, value: typeof param.value === 'string' ? param.value : '' });
    }
  }
  if (text === '' && params.length === 0) return undefined;
  return { mimeType: mimeEssence(value.mimeType), text, params };
}

function readContentText(content: Record<string, unknown>, essence: string): string | undefined {
  const text = content.text;
  if (typeof text !== 'string' || text === '') return undefined;
  if (content.encoding !== 'base64') return text;
  if (!isTextualMime(essence)) return undefined;
  try {
    // Latin-1 per byte is enough: tokens are ASCII, and findTokens skips everything else.
    const capped = text.length > MAX_BASE64_CONTENT_CHARS ? text.slice(0, MAX_BASE64_CONTENT_CHARS) : text;
    return atob(capped);
  } catch {
    return undefined;
  }
}

/** The empty list every entry without cookies (or the like) shares; never written to. */
const NONE: readonly never[] = [];
