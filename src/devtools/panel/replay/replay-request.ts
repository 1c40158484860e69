// The request a replay sends: the captured one — same method, URL, headers and body — with the workbench
// token in place of the original wherever the original sat. Pure. The browser's own headers (Host, Cookie,
// Origin, Content-Length, Sec-*…) are left to the browser: fetch() refuses to set them, and the page's
// context sends its own cookies as the original did (SECURITY.md, "Workbench").
import type { NormalizedEntry } from '../../../capture/har-normalize';
import type { Where } from '../../../core/types';

export const REPLAYABLE_WHERES: readonly Where[] = ['authorization-header', 'request-header', 'url', 'request-body', 'cookie'];

/** What fetch() may not set (Fetch standard, "forbidden request-header"), and headers about the old body. */
const LEFT_TO_THE_BROWSER =
  /^(accept-charset|accept-encoding|access-control-request-.*|connection|content-length|cookie2?|date|dnt|expect|host|keep-alive|origin|referer|te|trailer|transfer-encoding|upgrade|via|user-agent|priority|sec-.*|proxy-.*)$/;

/** A request body larger than this is not sent again. */
export const MAX_REPLAY_BODY_CHARS = 1024 * 1024;
const MAX_HEADERS = 100;

export interface ReplayRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
}

export type ReplayPlan = { ok: true; request: ReplayRequest; origin: string } | { ok: false; reason: string };

function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

export function planReplay(entry: NormalizedEntry, where: Where, original: string, replacement: string): ReplayPlan {
  if (!REPLAYABLE_WHERES.includes(where)) return { ok: false, reason: `a token seen in ${where} was not sent by the page` };
  if (where === 'cookie') {
    // A Cookie header is the browser's to write: the page's own cookie would ride along instead.
    return { ok: false, reason: 'a token sent in a cookie cannot be replaced from the page (the browser writes the Cookie header)' };
  }
  const origin = originOf(entry.url);
  if (!origin) return { ok: false, reason: 'the request was not to an http(s) address' };
  const swap = (text: string) => text.split(original).join(replacement);
  const url = swap(entry.url);
  // Replacing a token cannot change the origin, but the rule is checked where it is enforced.
  if (originOf(url) !== origin) return { ok: false, reason: 'the replayed request would leave the original origin' };
  const headers: [string, string][] = [];
  for (const h of entry.requestHeaders) {
    if (LEFT_TO_THE_BROWSER.test(h.name) || h.name.startsWith(':')) continue;
    if (headers.length >= MAX_HEADERS) break;
    headers.push([h.name, swap(h.value)]);
  }
  const method = entry.method || 'GET';
  const text = entry.postData?.text;
  if (text !== undefined && text.length > MAX_REPLAY_BODY_CHARS)
    return { ok: false, reason: 'the request body is too large to send again' };
  const hasBody = text !== undefined && method !== 'GET' && method !== 'HEAD';
  return { ok: true, origin, request: { method, url, headers, ...(hasBody ? { body: swap(text) } : {}) } };
}
