// The identity of a network entry across `onRequestFinished` events and `getHAR()` polls, and the marks of a
// newer version of it. DevTools exposes no request id to extensions, so identity is method + URL +
// startedDateTime (notes/browser-testing.md, "the no-store trap"); measured, that gives no duplicates.
// These run on every entry of every poll, so they read the few fields directly instead of normalising.

/** URLs longer than this are keyed by their start, length and end (data: URLs reach megabytes). */
export const MAX_KEY_URL_CHARS = 2048;
const KEY_URL_HEAD = 1024;
const KEY_URL_TAIL = 256;

/**
 * The ingest key of an entry, or undefined when it lacks a URL. Two entries with the same key are two views
 * of one request. A long URL is shortened to head, length and tail: two different requests would also need
 * the same method and the same start time to the millisecond to collide.
 */
export function ingestKey(entry: unknown): string | undefined {
  try {
    if (!isObject(entry)) return undefined;
    const request = entry.request;
    if (!isObject(request) || typeof request.url !== 'string') return undefined;
    const method = typeof request.method === 'string' ? request.method.toUpperCase() : '';
    const started = typeof entry.startedDateTime === 'string' ? entry.startedDateTime : '';
    return `${method} ${compactUrl(request.url)} ${started}`;
  } catch {
    return undefined;
  }
}

export interface EntryRevision {
  /** 0 while pending. */
  status: number;
  requestHeaders: number;
  responseHeaders: number;
}

/**
 * What changes while a request completes: its status and how many headers it has. A pending entry
 * (status 0, no response headers) and the finished one share a key but not a revision.
 */
export function entryRevision(entry: unknown): EntryRevision {
  try {
    if (!isObject(entry)) return { status: 0, requestHeaders: 0, responseHeaders: 0 };
    const request = isObject(entry.request) ? entry.request : {};
    const response = isObject(entry.response) ? entry.response : {};
    const status = typeof response.status === 'number' && Number.isFinite(response.status) ? response.status : 0;
    return { status, requestHeaders: lengthOf(request.headers), responseHeaders: lengthOf(response.headers) };
  } catch {
    return { status: 0, requestHeaders: 0, responseHeaders: 0 };
  }
}

/**
 * Whether `next` is a later state of the same request than `previous`. A poll that was answered after the
 * finish event can still carry the pending state; going back to it, or to fewer headers, is not news.
 */
export function isNewerRevision(previous: EntryRevision, next: EntryRevision): boolean {
  if (next.status !== previous.status) return next.status !== 0;
  return next.requestHeaders > previous.requestHeaders || next.responseHeaders > previous.responseHeaders;
}

function compactUrl(url: string): string {
  if (url.length <= MAX_KEY_URL_CHARS) return url;
  return `${url.slice(0, KEY_URL_HEAD)}…[${url.length}]…${url.slice(-KEY_URL_TAIL)}`;
}

function lengthOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
