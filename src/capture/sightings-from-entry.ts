// Turns one network entry (request, response and, when read, the response body) into sightings: every
// token, where it travelled, under which name. Discovery is the core's findTokens everywhere; this module
// only decides where a token sat (which header, cookie, parameter or JSON field) and with which cookie
// attributes.
//
// Decisions:
// - Header names are lower-case (har-normalize explains why); the Location URL is reported as 'url' with
//   name "Location" and not also as a response header: it is a URL the browser follows, and a token in it
//   leaks like any token in a URL.
// - `name` says where the token sat for the user (header, cookie, parameter, storage key, JSON field);
//   `field` is the parameter or JSON field the value came in, which names the token's role
//   ("refresh_token"), also inside a cookie or form value that holds JSON.
// - Values are scanned up to a cap (headers and URLs 64 KiB, bodies 4 MiB as a last guard: callers cap
//   bodies first); a token that touches the cut is dropped, since it may be cut short.
// - Each text is scanned by findTokens once. Text that holds no token is never parsed. Text that does is
//   parsed when it is JSON and walked (bounded depth, nodes and nested parses; strings holding JSON are
//   parsed in turn) to find the field of each token already found — by substring search, not by scanning
//   again, since each scan decodes the headers it meets. A token the walk does not place is still
//   reported, with the `name=` before it if any. Cookie values and form fields work the same way on the
//   tokens their header or body scan found.
// - Identical (token, where, name) within one entry are reported once: the first place wins, so a Set-Cookie
//   header's attributes win over the `response.cookies` copy of the same cookie.
// - Never throws: an entry that breaks half-way yields what was found before the break.

import { findTokens } from '../core/find';
import { parseCookieHeader, parseSetCookieHeader } from '../core/cookies';
import type { CookieAttributes, FoundToken, Sighting, Where } from '../core/types';
import { normalizeEntry, type NormalizedCookie, type NormalizedEntry } from './har-normalize';
import { ingestKey } from './ingest-key';

export interface CapturedSighting {
  token: string;
  sighting: Sighting;
  method?: string;
  /** Response status, when the response had arrived. */
  status?: number;
  /** Epoch ms: the entry's startedDateTime, or the snapshot's time. */
  time: number;
  /** JSON field, form field or query parameter the token came in (access_token, refresh_token, …). */
  field?: string;
  /** The request's URL, or the page's for storage. */
  requestUrl: string;
  /** The entry's ingest key: groups the sightings of one request and its response. Absent for storage. */
  exchange?: string;
  /** Whether the page sent the token or received it. Absent for storage. */
  side?: 'request' | 'response';
  /** Set when the worker's background capture saw it, before the panel was open (src/background/capture). */
  source?: 'background';
}

export interface TokenHit {
  token: string;
  field?: string;
}

export const MAX_HEADER_SCAN_CHARS = 64 * 1024;
export const MAX_URL_SCAN_CHARS = 64 * 1024;
export const MAX_BODY_SCAN_CHARS = 4 * 1024 * 1024;
/** Deepest JSON nesting walked, strings holding JSON included. */
export const MAX_JSON_DEPTH = 32;
/** JSON values visited per text. */
export const MAX_JSON_NODES = 50_000;
/** Strings holding JSON that are parsed in turn, per text. */
export const MAX_NESTED_PARSES = 64;
/** Sightings per entry, and of one token per entry: a real entry has a few, a hostile one millions. */
export const MAX_SIGHTINGS_PER_ENTRY = 4096;
const MAX_SIGHTINGS_PER_TOKEN = 64;
/** Sightings of one entry looked through before they are indexed by token. */
const SCAN_LIMIT = 16;
const NO_SIGHTINGS: readonly CapturedSighting[] = [];
/** Above this many distinct tokens in one text, JSON strings are scanned instead of searched for each. */
const MAX_LOOKUP_TOKENS = 16;
const MAX_NAME_CHARS = 256;
const MAX_NAME_SCAN = 1024;

/** Every token in one HAR entry, with where it was. `responseBody` wins over the entry's `content.text`. */
export function sightingsFromEntry(entry: unknown, responseBody?: string): CapturedSighting[] {
  let out: Collector | undefined;
  try {
    const e = normalizeEntry(entry);
    if (!e) return [];
    out = new Collector(e, entry);
    fromRequestHeaders(e, out);
    fromCookies(e, out);
    fromUrl(e, out);
    fromRequestBody(e, out);
    fromResponseHeaders(e, out);
    fromSetCookies(e, out);
    const body = typeof responseBody === 'string' ? responseBody : e.responseText;
    if (body) {
      for (const hit of tokensInText(body)) out.add(hit.token, 'response-body', 'response', hit.field, hit.field);
    }
    return out.list;
  } catch {
    return out ? out.list : [];
  }
}

/**
 * The tokens in a text value (a body, a cookie or storage value) with the field each sat in: JSON fields
 * when the text is JSON (strings holding JSON included), `name=` parameters when it is form-like. `known`,
 * when given, lists the tokens a scan of the surrounding text found: they are looked up instead of scanning.
 */
export function tokensInText(text: string, maxChars: number = MAX_BODY_SCAN_CHARS, known?: readonly string[]): TokenHit[] {
  try {
    if (typeof text !== 'string' || text === '') return [];
    const present = known ? locate(text, known) : scan(text, maxChars);
    if (present.length === 0) return [];
    const hits: TokenHit[] = [];
    const first = firstNonWhitespace(text);
    if ((first === 0x7b || first === 0x5b) && text.length <= maxChars) {
      const parsed = parseJson(text);
      if (parsed !== undefined) {
        const tokens = present.length <= MAX_LOOKUP_TOKENS ? distinct(present) : undefined;
        walkJson(parsed, undefined, 0, { hits, nodes: 0, parses: 0, tokens });
      }
    }
    // Tokens the walk did not reach (bounds, text that is not JSON) still count, placed as well as the
    // surrounding text allows.
    const placed = new Set<string>();
    for (const hit of hits) placed.add(hit.token);
    for (const p of present) {
      if (placed.has(p.token)) continue;
      placed.add(p.token);
      pushHit(hits, p.token, paramNameBefore(text, p.start, false));
    }
    return hits;
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Where tokens travel

function fromRequestHeaders(e: NormalizedEntry, out: Collector): void {
  for (const header of e.requestHeaders) {
    if (header.name === 'cookie') continue;
    const found = scan(header.value, MAX_HEADER_SCAN_CHARS);
    if (found.length === 0) continue;
    const where: Where = header.name === 'authorization' ? 'authorization-header' : 'request-header';
    for (const f of found) out.add(f.token, where, 'request', header.name);
  }
}

function fromCookies(e: NormalizedEntry, out: Collector): void {
  if (e.cookieHeaders.length > 0) {
    for (const header of e.cookieHeaders) {
      // Most Cookie headers hold no token: only those that do are parsed.
      const tokens = distinct(scan(header, MAX_HEADER_SCAN_CHARS));
      if (tokens.length === 0) continue;
      for (const pair of parseCookieHeader(header)) {
        const hits = tokensInText(pair.value, MAX_HEADER_SCAN_CHARS, tokens);
        if (hits.length === 0) continue;
        const cookie = flagsOf(e.requestCookies.find((c) => c.name === pair.name && (c.value === pair.rawValue || c.value === pair.value)));
        for (const hit of hits) out.add(hit.token, 'cookie', 'request', pair.name, hit.field, cookie);
      }
    }
    return;
  }
  for (const c of e.requestCookies) {
    const hits = tokensInText(c.value, MAX_HEADER_SCAN_CHARS);
    if (hits.length === 0) continue;
    const cookie = flagsOf(c);
    for (const hit of hits) out.add(hit.token, 'cookie', 'request', c.name, hit.field, cookie);
  }
}

/** The flags a HAR cookie states (Chrome states them for request cookies too), or undefined if none. */
function flagsOf(c: NormalizedCookie | undefined): CookieAttributes | undefined {
  if (!c) return undefined;
  const cookie: CookieAttributes = {};
  if (c.httpOnly !== undefined) cookie.httpOnly = c.httpOnly;
  if (c.secure !== undefined) cookie.secure = c.secure;
  if (c.sameSite !== undefined) cookie.sameSite = c.sameSite;
  return cookie.httpOnly === undefined && cookie.secure === undefined && cookie.sameSite === undefined ? undefined : cookie;
}

function fromUrl(e: NormalizedEntry, out: Collector): void {
  for (const f of scan(e.url, MAX_URL_SCAN_CHARS)) {
    const name = paramNameBefore(e.url, f.start, true);
    out.add(f.token, 'url', 'request', name, name);
  }
}

function fromRequestBody(e: NormalizedEntry, out: Collector): void {
  const post = e.postData;
  if (!post) return;
  const add = (hit: TokenHit, fallback?: string): void => {
    const field = hit.field ?? fallback;
    out.add(hit.token, 'request-body', 'request', field, field);
  };
  if (post.text === '') {
    for (const param of post.params) for (const hit of tokensInText(param.value)) add(hit, param.name);
    return;
  }
  const tokens = distinct(scan(post.text, MAX_BODY_SCAN_CHARS));
  if (tokens.length === 0) return;
  if (post.params.length === 0) {
    for (const hit of tokensInText(post.text, MAX_BODY_SCAN_CHARS, tokens)) add(hit);
    return;
  }
  // The params are the parsed text: they name the fields; the text catches what they lack.
  for (const param of post.params) for (const hit of tokensInText(param.value, MAX_BODY_SCAN_CHARS, tokens)) add(hit, param.name);
  const missing = tokens.filter((token) => !out.has(token, 'request-body'));
  if (missing.length > 0) for (const hit of tokensInText(post.text, MAX_BODY_SCAN_CHARS, missing)) add(hit);
}

function fromResponseHeaders(e: NormalizedEntry, out: Collector): void {
  let location: string | undefined;
  for (const header of e.responseHeaders) {
    if (header.name === 'location') {
      location ??= header.value;
      continue;
    }
    for (const f of scan(header.value, MAX_HEADER_SCAN_CHARS)) out.add(f.token, 'response-header', 'response', header.name);
  }
  location ??= e.redirectURL;
  if (!location) return;
  const found = scan(location, MAX_URL_SCAN_CHARS);
  if (found.length === 0) return;
  const target = resolveUrl(location, e.url);
  for (const f of found) {
    out.add(f.token, 'url', 'response', 'Location', paramNameBefore(location, f.start, true), undefined, target);
  }
}

function fromSetCookies(e: NormalizedEntry, out: Collector): void {
  // Most responses set no cookie holding a token: the set is made for the first that does.
  let parsed: Set<string> | undefined;
  for (const line of e.setCookieLines) {
    const tokens = distinct(scan(line, MAX_HEADER_SCAN_CHARS));
    if (tokens.length === 0) continue;
    const info = parseSetCookieHeader(line);
    (parsed ??= new Set()).add(`${info.name}\u0000${info.rawValue}`);
    const cookie: CookieAttributes = { httpOnly: info.httpOnly, secure: info.secure };
    if (info.sameSite) cookie.sameSite = info.sameSite;
    for (const hit of tokensInText(info.value, MAX_HEADER_SCAN_CHARS, tokens)) {
      out.add(hit.token, 'set-cookie', 'response', info.name, hit.field, cookie);
    }
  }
  for (const c of e.responseCookies) {
    // Chrome lists every Set-Cookie cookie here again: those are done, with the header's attributes.
    if (parsed?.has(`${c.name}\u0000${c.value}`)) continue;
    const hits = tokensInText(c.value, MAX_HEADER_SCAN_CHARS);
    if (hits.length === 0) continue;
    const cookie = flagsOf(c);
    for (const hit of hits) out.add(hit.token, 'set-cookie', 'response', c.name, hit.field, cookie);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Plumbing

class Collector {
  readonly list: CapturedSighting[] = [];
  // Per token, its sightings so far. An entry has a handful, found by looking through the list; the map is
  // made only for an entry with more than SCAN_LIMIT (a hostile one can have thousands).
  private byToken: Map<string, CapturedSighting[]> | undefined;
  private readonly method: string | undefined;
  private readonly status: number | undefined;

  /** The entry's ingest key, made on the first sighting: most entries carry no token. */
  private exchange: string | undefined | null = null;

  constructor(
    private readonly e: NormalizedEntry,
    private readonly raw: unknown,
  ) {
    this.method = e.method !== '' ? e.method : undefined;
    this.status = e.status > 0 ? e.status : undefined;
  }

  has(token: string, where: Where): boolean {
    return this.sightingsOf(token).some((c) => c.sighting.where === where);
  }

  /** The sightings of `token` so far: by a look through the list while it is short, by the map after. */
  private sightingsOf(token: string): readonly CapturedSighting[] {
    if (this.byToken) return this.byToken.get(token) ?? NO_SIGHTINGS;
    return this.list.filter((c) => c.token === token);
  }

  add(
    token: string,
    where: Where,
    side: 'request' | 'response',
    name?: string,
    field?: string,
    cookie?: CookieAttributes,
    url?: string,
  ): void {
    if (this.list.length >= MAX_SIGHTINGS_PER_ENTRY) return;
    const same = this.sightingsOf(token);
    if (same.length >= MAX_SIGHTINGS_PER_TOKEN) return;
    for (const c of same) if (c.sighting.where === where && c.sighting.name === name) return;
    const sighting: Sighting = { where, url: url ?? this.e.url };
    if (name !== undefined) sighting.name = name;
    if (cookie) sighting.cookie = cookie;
    const captured: CapturedSighting = { token, sighting, time: this.e.time, requestUrl: this.e.url };
    if (this.method !== undefined) captured.method = this.method;
    if (this.status !== undefined) captured.status = this.status;
    if (field !== undefined) captured.field = field;
    if (this.exchange === null) this.exchange = ingestKey(this.raw);
    if (this.exchange !== undefined) captured.exchange = this.exchange;
    captured.side = side;
    this.list.push(captured);
    if (this.byToken) this.index(this.byToken, captured);
    else if (this.list.length > SCAN_LIMIT) {
      const byToken = (this.byToken = new Map());
      for (const c of this.list) this.index(byToken, c);
    }
  }

  private index(byToken: Map<string, CapturedSighting[]>, c: CapturedSighting): void {
    const list = byToken.get(c.token);
    if (list) list.push(c);
    else byToken.set(c.token, [c]);
  }
}

function pushHit(hits: TokenHit[], token: string, field: string | undefined): void {
  hits.push(field === undefined ? { token } : { token, field });
}

// Texts that held tokens lately, with what was found in them: traffic repeats the same Authorization
// header (and cookie, and token-carrying URL) request after request, and comparing a text with a
// remembered one costs a fraction of scanning it. Texts without tokens are cheap to scan and not kept.
const MEMO_SLOTS = 8;
const MEMO_MAX_CHARS = 16 * 1024;
const memoText: string[] = [];
const memoFound: (readonly FoundToken[])[] = [];
let memoNext = 0;

// Shared results are readonly by type, not frozen: V8 iterates a frozen array with for…of through an
// iterator object per loop, and these are iterated for every header of every entry.
const NO_TOKENS: readonly FoundToken[] = [];

/** findTokens over at most `cap` characters, without a token the cut may have shortened. */
function scan(text: string, cap: number): readonly FoundToken[] {
  // Every token has two dots: most header values (a busy app sends a few hundred thousand) have fewer.
  const firstDot = text.indexOf('.');
  if (firstDot < 0 || text.indexOf('.', firstDot + 1) < 0) return NO_TOKENS;
  if (text.length <= MEMO_MAX_CHARS && text.length <= cap) {
    for (let k = 0; k < memoText.length; k++) {
      if (memoText[k]!.length === text.length && memoText[k] === text) return memoFound[k]!;
    }
    const found = findTokens(text);
    if (found.length > 0) {
      memoText[memoNext] = text;
      memoFound[memoNext] = found;
      memoNext = (memoNext + 1) % MEMO_SLOTS;
    }
    return found;
  }
  if (text.length <= cap) return findTokens(text);
  const after = text.charCodeAt(cap);
  const cutInsideToken = isTokenChar(after);
  const found = findTokens(text.slice(0, cap));
  return cutInsideToken ? found.filter((f) => f.end < cap) : found;
}

function isTokenChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f || c === 0x2e;
}

interface WalkState {
  hits: TokenHit[];
  nodes: number;
  parses: number;
  /** The tokens to look for; undefined when there are too many to look up, and strings are scanned. */
  tokens: string[] | undefined;
}

interface Located {
  token: string;
  start: number;
}

function walkJson(value: unknown, key: string | undefined, depth: number, st: WalkState): void {
  if (++st.nodes > MAX_JSON_NODES || depth > MAX_JSON_DEPTH) return;
  if (typeof value === 'string') {
    walkString(value, key, depth, st);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length && st.nodes <= MAX_JSON_NODES; i++) walkJson(value[i], key, depth + 1, st);
  } else if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    for (const childKey in object) {
      if (st.nodes > MAX_JSON_NODES) break;
      walkJson(object[childKey], childKey, depth + 1, st);
    }
  }
}

function walkString(value: string, key: string | undefined, depth: number, st: WalkState): void {
  const present = st.tokens ? locate(value, st.tokens) : scan(value, MAX_BODY_SCAN_CHARS);
  if (present.length === 0) return;
  const first = firstNonWhitespace(value);
  if ((first === 0x7b || first === 0x5b) && st.parses < MAX_NESTED_PARSES) {
    st.parses++;
    const inner = parseJson(value);
    if (inner !== undefined && inner !== null && typeof inner === 'object') {
      const before = st.hits.length;
      walkJson(inner, key, depth + 1, st);
      const placed = new Set<string>();
      for (let i = before; i < st.hits.length; i++) placed.add(st.hits[i]!.token);
      for (const p of present) if (!placed.has(p.token)) pushHit(st.hits, p.token, key);
      return;
    }
  }
  // "access_token=eyJ…&…" inside a JSON string names its own field; "Bearer eyJ…" takes the key's.
  for (const p of present) pushHit(st.hits, p.token, paramNameBefore(value, p.start, false) ?? key);
}

/** Where each of `tokens` first stands in `text` as a whole token (not followed by more token characters). */
function locate(text: string, tokens: readonly string[]): Located[] {
  const out: Located[] = [];
  for (const token of tokens) {
    if (token.length > text.length) continue;
    let at = text.indexOf(token);
    while (at >= 0 && isTokenChar(text.charCodeAt(at + token.length))) at = text.indexOf(token, at + 1);
    if (at >= 0) out.push({ token, start: at });
  }
  return out;
}

/** The distinct tokens, in order of first appearance. */
function distinct(found: readonly { token: string }[]): string[] {
  if (found.length === 1) return [found[0]!.token];
  return [...new Set(found.map((f) => f.token))];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function firstNonWhitespace(text: string): number {
  const n = Math.min(text.length, 1024);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0xfeff) return c;
  }
  return -1;
}

/**
 * The parameter a token at `start` is the value of. In a URL, the segment back to the nearest
 * "?", "&", "#", ";" or "/" up to its "=" — so a token inside an encoded redirect_uri is attributed to
 * redirect_uri. Elsewhere (form bodies, cookie and storage values) only "name=" right before the token
 * counts, so prose such as "Bearer eyJ…" names nothing.
 */
function paramNameBefore(text: string, start: number, url: boolean): string | undefined {
  if (start <= 0) return undefined;
  if (!url && text.charCodeAt(start - 1) !== 0x3d /* '=' */) return undefined;
  const stop = Math.max(0, start - MAX_NAME_SCAN);
  let i = start - 1;
  while (i >= stop && !isParamBoundary(text.charCodeAt(i), url)) i--;
  if (i < stop && stop > 0) return undefined;
  const segment = text.slice(i + 1, start);
  const eq = segment.indexOf('=');
  if (eq <= 0) return undefined;
  return decodeName(segment.slice(0, eq));
}

function isParamBoundary(c: number, url: boolean): boolean {
  if (c === 0x26 || c === 0x3f || c === 0x23 || c === 0x3b) return true; // & ? # ;
  if (url) return c === 0x2f; // '/'
  // Outside URLs a name ends at anything that cannot be part of a form key.
  return c <= 0x20 || c === 0x22 || c === 0x27 || c === 0x3c || c === 0x3e || c === 0x2c || c === 0x7b || c === 0x7d;
}

function decodeName(raw: string): string | undefined {
  const name = raw.length > MAX_NAME_CHARS ? raw.slice(0, MAX_NAME_CHARS) : raw;
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

function resolveUrl(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}
