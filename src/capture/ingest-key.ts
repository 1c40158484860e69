// The identity of a network entry across `onRequestFinished` events and `getHAR()` polls, and the marks of a
// newer version of it. DevTools exposes no request id to extensions, so identity is method + URL +
// startedDateTime (ARCHITECTURE.md, "The no-store trap"); measured, that gives no duplicates.
// These run on every entry of every poll, so they read the few fields directly instead of normalising.
import { isJsonObject } from '../core/is-json-object';

/** URLs longer than this are keyed by their start, length and end (data: URLs reach megabytes). */
export const MAX_KEY_URL_CHARS = 2048;
const KEY_URL_HEAD = 1024;
const KEY_URL_TAIL = 256;

/** What identifies a request: two entries with the same identity are two views of one request. */
export interface RequestIdentity {
  /** Upper case; "" when missing. */
  method: string;
  /** A long URL shortened to head, length and tail (see compactUrl). */
  url: string;
  /** startedDateTime as written; "" when missing. */
  started: string;
}

/** The identity of an entry, or undefined when it lacks a URL. */
export function requestIdentity(entry: unknown): RequestIdentity | undefined {
  try {
    if (!isJsonObject(entry)) return undefined;
    const request = entry.request;
    if (!isJsonObject(request) || typeof request.url !== 'string') return undefined;
    return {
      method: typeof request.method === 'string' ? upperCase(request.method) : '',
      url: compactUrl(request.url),
      started: typeof entry.startedDateTime === 'string' ? entry.startedDateTime : '',
    };
  } catch {
    return undefined;
  }
}

/**
 * The ingest key of an entry, its identity as one string (sightings name the request they came in by it),
 * or undefined when it lacks a URL. A long URL is shortened to head, length and tail: two different requests
 * would also need the same method and the same start time to the millisecond to collide.
 */
export function ingestKey(entry: unknown): string | undefined {
  const id = requestIdentity(entry);
  return id && `${id.method} ${id.url} ${id.started}`;
}

/**
 * What changes while a request completes: its status, whether its request and response bodies have arrived
 * in the entry, and how many headers it has, packed into one small integer (status, then the two body bits,
 * then request and response header counts, each count capped at 255). A pending entry (status 0, no response
 * headers) and the finished one share a key but not a revision. The body bits are there for Firefox, whose
 * DevTools fills an entry in lazily: its `getHAR()` carries response bodies in `content.text` (its entries
 * have no `getContent`), and under load a poll can list a finished request before its response body, or a
 * POST before its `postData` (a token request then looks like no step at all); the next poll's entry, with
 * the body, must count as news.
 */
export type EntryRevision = number;

const COUNT_BITS = 8;
const MAX_COUNT = (1 << COUNT_BITS) - 1;
const BODY_BIT = 1 << (2 * COUNT_BITS);
const REQUEST_BODY_BIT = 1 << (2 * COUNT_BITS + 1);
const STATUS_SHIFT = 2 * COUNT_BITS + 2;
const MAX_STATUS = 1023;

export function entryRevision(entry: unknown): EntryRevision {
  try {
    if (!isJsonObject(entry)) return 0;
    const request = isJsonObject(entry.request) ? entry.request : {};
    const response = isJsonObject(entry.response) ? entry.response : {};
    const raw = typeof response.status === 'number' && Number.isFinite(response.status) ? Math.trunc(response.status) : 0;
    const status = raw > 0 ? Math.min(raw, MAX_STATUS) : 0;
    const content = isJsonObject(response.content) ? response.content : {};
    const hasBody = typeof content.text === 'string' && content.text !== '';
    const postData = isJsonObject(request.postData) ? request.postData : {};
    const hasRequestBody =
      (typeof postData.text === 'string' && postData.text !== '') || (Array.isArray(postData.params) && postData.params.length > 0);
    return revision(status, hasBody, hasRequestBody, lengthOf(request.headers), lengthOf(response.headers));
  } catch {
    return 0;
  }
}

function revision(
  status: number,
  hasBody: boolean,
  hasRequestBody: boolean,
  requestHeaders: number,
  responseHeaders: number,
): EntryRevision {
  return (
    (status << STATUS_SHIFT) |
    (hasBody ? BODY_BIT : 0) |
    (hasRequestBody ? REQUEST_BODY_BIT : 0) |
    (Math.min(requestHeaders, MAX_COUNT) << COUNT_BITS) |
    Math.min(responseHeaders, MAX_COUNT)
  );
}

/**
 * Whether `next` is a later state of the same request than `previous`. A poll that was answered after the
 * finish event can still carry the pending state; going back to it, to fewer headers or to no body, is not news.
 */
export function isNewerRevision(previous: EntryRevision, next: EntryRevision): boolean {
  const before = previous >>> STATUS_SHIFT;
  const now = next >>> STATUS_SHIFT;
  if (now !== before) return now !== 0;
  return (
    (next & BODY_BIT) > (previous & BODY_BIT) ||
    (next & REQUEST_BODY_BIT) > (previous & REQUEST_BODY_BIT) ||
    ((next >>> COUNT_BITS) & MAX_COUNT) > ((previous >>> COUNT_BITS) & MAX_COUNT) ||
    (next & MAX_COUNT) > (previous & MAX_COUNT)
  );
}

/** s in upper case; s itself when it is already (toUpperCase would allocate a copy for every entry). */
export function upperCase(s: string): string {
  return HAS_LOWER_CASE.test(s) ? s.toUpperCase() : s;
}

const HAS_LOWER_CASE = /[a-z]/;

export function compactUrl(url: string): string {
  if (url.length <= MAX_KEY_URL_CHARS) return url;
  return `${url.slice(0, KEY_URL_HEAD)}…[${url.length}]…${url.slice(-KEY_URL_TAIL)}`;
}

function lengthOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}
