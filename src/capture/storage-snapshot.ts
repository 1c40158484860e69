// What the page keeps where its scripts can read it: localStorage, sessionStorage and document.cookie, and
// its own address (`location.href`: the implicit flow's fragment, magic links, SPA routes). The panel evaluates STORAGE_SNAPSHOT_EXPRESSION in the inspected page (`devtools.inspectedWindow.eval`) and
// hands the result to sightingsFromSnapshot.
//
// Decisions:
// - The expression is self-contained ES5 (it runs in whatever page is inspected) and bounded: at most
//   SNAPSHOT_MAX_ITEMS items per area, values and keys cut to SNAPSHOT_MAX_VALUE_CHARS, and a total budget,
//   so a page with megabytes in storage cannot stall DevTools. A cut value is flagged (third element
//   `true`, `cookieTruncated`), and a token touching the cut is not reported. Every access is wrapped in
//   try/catch: storage getters throw in sandboxed frames and with storage disabled.
// - document.cookie is read first: it is small, and it must not be starved by a large localStorage.
// - A token in the page's URL (query or fragment) is a sighting `url` named `location`, like a token in any
//   URL the page requested (analyze raises token-in-url for it); `field` is the parameter it came in.
// - The result is page-made data (a page can override Storage methods): sightingsFromSnapshot re-checks
//   its whole shape.

import { parseCookieHeader } from '../core/cookies';
import type { Where } from '../core/types';
import { tokensInText, type CapturedSighting } from './sightings-from-entry';

export const SNAPSHOT_MAX_ITEMS = 500;
export const SNAPSHOT_MAX_VALUE_CHARS = 256 * 1024;
export const SNAPSHOT_MAX_KEY_CHARS = 1024;
export const SNAPSHOT_MAX_TOTAL_CHARS = 8 * 1024 * 1024;
const MAX_URL_CHARS = 8192;
/** The name of a sighting in the page's own address. */
export const LOCATION_NAME = 'location';

/** [key, value] and, when the value was cut, `true`. */
export type StorageItem = [key: string, value: string, truncated?: boolean];

export interface StorageSnapshot {
  url: string;
  localStorage: StorageItem[];
  sessionStorage: StorageItem[];
  cookie: string;
  cookieTruncated?: boolean;
}

export const STORAGE_SNAPSHOT_EXPRESSION = `(function () {
  'use strict';
  var MAX_ITEMS = ${SNAPSHOT_MAX_ITEMS}, MAX_VALUE = ${SNAPSHOT_MAX_VALUE_CHARS}, MAX_KEY = ${SNAPSHOT_MAX_KEY_CHARS};
  var budget = ${SNAPSHOT_MAX_TOTAL_CHARS};
  var result = { url: '', localStorage: [], sessionStorage: [], cookie: '' };
  function take(value, max) {
    var text = String(value);
    var limit = Math.min(max, budget > 0 ? budget : 0);
    var cut = text.length > limit;
    if (cut) text = text.slice(0, limit);
    budget -= text.length;
    return { text: text, cut: cut };
  }
  function read(area) {
    var items = [];
    var store;
    try { store = window[area]; } catch (e) { return items; }
    if (!store) return items;
    var n = 0;
    try { n = Math.min(Number(store.length) || 0, MAX_ITEMS); } catch (e) { return items; }
    for (var i = 0; i < n && budget > 0; i++) {
      try {
        var key = store.key(i);
        if (key === null || key === undefined) continue;
        var raw = store.getItem(key);
        var k = take(key, MAX_KEY);
        var v = take(raw === null || raw === undefined ? '' : raw, MAX_VALUE);
        items.push(v.cut ? [k.text, v.text, true] : [k.text, v.text]);
      } catch (e) {}
    }
    return items;
  }
  try { result.url = String(location.href).slice(0, ${MAX_URL_CHARS}); } catch (e) {}
  try {
    var c = take(document.cookie, MAX_VALUE);
    result.cookie = c.text;
    if (c.cut) result.cookieTruncated = true;
  } catch (e) {}
  result.localStorage = read('localStorage');
  result.sessionStorage = read('sessionStorage');
  return result;
})()`;

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

    for (const hit of tokensInText(url, MAX_URL_CHARS)) add(hit.token, 'url', LOCATION_NAME, hit.field);
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
