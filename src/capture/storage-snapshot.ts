// What the page keeps where its scripts can read it (localStorage, sessionStorage, document.cookie) and its
// own address (`location.href`: the implicit flow's fragment, magic links, SPA routes), as sightings. The
// reading itself is page-storage-reader.ts; the panel evaluates it as STORAGE_SNAPSHOT_EXPRESSION
// (`devtools.inspectedWindow.eval` takes text), the popup injects the same function.
//
// Decisions:
// - A value cut by the reader's bounds is flagged, and a token touching the cut is not reported.
// - A token in the page's URL (query or fragment) is a sighting `url` named `location`, like a token in any
//   URL the page requested (analyze raises token-in-url for it); `field` is the parameter it came in.
// - The result is page-made data (a page can override Storage methods): sightingsFromSnapshot re-checks
//   its whole shape.

import { parseCookieHeader } from '../core/cookies';
import { readPageStorage, type StorageReadLimits } from './page-storage-reader';
import type { Where } from '../core/types';
import { tokensInText, type CapturedSighting } from './sightings-from-entry';
import { LOCATION_NAME, locationHits, MAX_LOCATION_CHARS } from './location-sightings';

export const SNAPSHOT_MAX_ITEMS = 500;
export const SNAPSHOT_MAX_VALUE_CHARS = 256 * 1024;
export const SNAPSHOT_MAX_KEY_CHARS = 1024;
export const SNAPSHOT_MAX_TOTAL_CHARS = 8 * 1024 * 1024;
const MAX_URL_CHARS = MAX_LOCATION_CHARS;
export { LOCATION_NAME };

export type { StorageItem, StorageSnapshot } from './page-storage-reader';

/** The bounds of every read of page storage, the panel's and the popup's. */
export const SNAPSHOT_LIMITS: StorageReadLimits = {
  maxItems: SNAPSHOT_MAX_ITEMS,
  maxValueChars: SNAPSHOT_MAX_VALUE_CHARS,
  maxKeyChars: SNAPSHOT_MAX_KEY_CHARS,
  maxTotalChars: SNAPSHOT_MAX_TOTAL_CHARS,
  maxUrlChars: MAX_URL_CHARS,
};

/** The reader as text for `devtools.inspectedWindow.eval`: its own source, called with the limits. */
export const STORAGE_SNAPSHOT_EXPRESSION = `(${readPageStorage.toString()})(${JSON.stringify(SNAPSHOT_LIMITS)})`;

/** Sightings in a snapshot; anything not of the snapshot's shape is ignored. Never throws. */
export function sightingsFromSnapshot(snapshot: unknown, time: number): CapturedSighting[] {
  const out: CapturedSighting[] = [];
  try {
    if (snapshot === null || typeof snapshot !== 'object') return out;
    const s = snapshot as Record<string, unknown>;
    const url = typeof s.url === 'string' ? s.url.slice(0, MAX_URL_CHARS) : '';
    const at = typeof time === 'number' && Number.isFinite(time) ? time : 0;
    const seen = new Set<string>();
    const add = (token: string, where: Where, name: string, field: string | undefined): void => {
      const key = `${where}\u0000${name}\u0000${token}`;
      if (seen.has(key)) return;
      seen.add(key);
      const captured: CapturedSighting = { token, sighting: { where, url, name }, time: at, requestUrl: url };
      if (field !== undefined) captured.field = field;
      out.push(captured);
    };

    for (const hit of locationHits(url)) add(hit.token, 'url', LOCATION_NAME, hit.field);
    if (typeof s.cookie === 'string' && s.cookie !== '') {
      const cookie = s.cookieTruncated === true ? dropLastPair(s.cookie) : s.cookie;
      for (const pair of parseCookieHeader(cookie)) {
        for (const hit of tokensInText(pair.value, SNAPSHOT_MAX_VALUE_CHARS)) {
          add(hit.token, 'document-cookie', pair.name, hit.field);
        }
      }
    }
    for (const [area, where] of [
      ['localStorage', 'local-storage'],
      ['sessionStorage', 'session-storage'],
    ] as const) {
      const items = s[area];
      if (!Array.isArray(items)) continue;
      const n = Math.min(items.length, SNAPSHOT_MAX_ITEMS);
      for (let i = 0; i < n; i++) {
        const item: unknown = items[i];
        if (!Array.isArray(item) || typeof item[0] !== 'string' || typeof item[1] !== 'string') continue;
        const key = item[0].slice(0, SNAPSHOT_MAX_KEY_CHARS);
        const value: string = item[1];
        // A cut value may have cut a token short: scanning one character less drops a token touching the end.
        const cap = item[2] === true ? Math.max(0, value.length - 1) : SNAPSHOT_MAX_VALUE_CHARS;
        for (const hit of tokensInText(value, cap)) add(hit.token, where, key, hit.field);
      }
    }
  } catch {
    // What was collected stands.
  }
  return out;
}

function dropLastPair(cookie: string): string {
  const semicolon = cookie.lastIndexOf(';');
  return semicolon >= 0 ? cookie.slice(0, semicolon) : '';
}
