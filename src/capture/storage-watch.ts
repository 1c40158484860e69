// Watches the inspected page's storage while the panel is open: a token an OpenID client library writes to
// sessionStorage after its callback page loaded, and replaces a minute later, is seen even though no
// navigation or click happened. Each tick evaluates STORAGE_FINGERPRINT_EXPRESSION in the page; only when the
// fingerprint differs from the last one is the full, bounded STORAGE_SNAPSHOT_EXPRESSION read.
//
// Decisions:
// - The fingerprint is what the page pays every tick, so it is small and bounded (README, Performance,
//   gives its measured cost): the page URL (pushState, replaceState and hash changes show there, and each
//   snapshot reports tokens in it), then for document.cookie and each storage item its key, its value's
//   length and the runs of token characters around each JWS in it (found by '.eyJ', a JWS's payload start)
//   or at its start (a bare JWE). A refreshed token usually has the same length as the one it replaces, so
//   the runs themselves are carried, up to FINGERPRINT_MAX_CHARS in all; the panel compares the strings.
//   What it does not see: a value changed without a change of length or of its token runs (no token there
//   to report either), a JWE inside a long value replaced by one of the same length.
// - Like the snapshot expression it is self-contained ES5 and trusts nothing of the page: every access is in
//   try/catch, values that are not strings (an overridden getItem) count as empty and are never coerced (a
//   coercion would run page code), and the answer is one bounded string.
// - The tick period is below a second so that a token kept in storage for one second is read at least once
//   even when a tick runs late. Ticks never overlap: a page that takes long to answer delays the next.
// - Removal: each snapshot's storage sightings are compared with the previous snapshot's of the same origin.
//   What is gone is reported (the store keeps the token and its history, and the timeline says when it
//   left). A snapshot of another origin starts afresh: storage of the origin left behind was not removed.

import type { Where } from '../core/types';
import type { CapturedSighting } from './sightings-from-entry';
import { SNAPSHOT_MAX_ITEMS, SNAPSHOT_MAX_KEY_CHARS, STORAGE_SNAPSHOT_EXPRESSION, sightingsFromSnapshot } from './storage-snapshot';

export const STORAGE_WATCH_INTERVAL_MS = 900;
/** Characters of the page's text the fingerprint carries at most (token runs, keys). */
export const FINGERPRINT_MAX_CHARS = 256 * 1024;
/** A run of token characters longer than this is carried by its ends and length. */
export const FINGERPRINT_MAX_RUN_CHARS = 16 * 1024;
/** A token starting this close to a value's start is found even when it is not a JWS (a JWE). */
export const FINGERPRINT_HEAD_CHARS = 64;
const FINGERPRINT_MAX_TOKEN_STARTS = 64;
const FINGERPRINT_MAX_URL_CHARS = 8192;

// What the page pays for is native but for a few steps per token: getItem (Blink hands back the string it
// caches, no copy), indexOf, a regular expression that finds where a token's characters end, slice (no
// copy) and one join. A hash in script costs ~30 ns a character (the expression runs once a tick and is
// never optimised) and searching every value for 'eyJ' about 0.7 ns (memchr stops at every 'e'): both
// measured far over budget on 5 MB. '.eyJ' (a JWS's payload start; memchr stops at dots) costs a tenth.
// The comparison happens in the panel.
export const STORAGE_FINGERPRINT_EXPRESSION = `(function () {
  'use strict';
  var budget = ${FINGERPRINT_MAX_CHARS}, out = [], count = 0, TOKEN_END = /[^A-Za-z0-9_.\\-]|$/g;
  function text(value, max) {
    var cut = value.length > max ? max : value.length;
    if (cut > budget) cut = budget > 0 ? budget : 0;
    budget -= cut;
    out.push(cut === value.length ? value : value.slice(0, cut));
  }
  function tokenChar(c) {
    return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
  }
  function run(v, at) {
    var start = at;
    while (start > 0 && at - start < ${FINGERPRINT_MAX_RUN_CHARS} && tokenChar(v.charCodeAt(start - 1))) start--;
    TOKEN_END.lastIndex = at;
    var end = TOKEN_END.exec(v).index;
    out.push(start, end - start);
    if (end - start <= ${FINGERPRINT_MAX_RUN_CHARS}) text(v.slice(start, end), ${FINGERPRINT_MAX_RUN_CHARS});
    else { text(v.slice(start, start + 512), 512); text(v.slice(end - 512, end), 512); }
    return end;
  }
  function value(v) {
    out.push(v.length);
    var from = 0, starts = 0;
    var head = v.lastIndexOf('eyJ', ${FINGERPRINT_HEAD_CHARS});
    if (head >= 0) from = run(v, head);
    var at = v.indexOf('.eyJ', from);
    while (at >= 0 && starts < ${FINGERPRINT_MAX_TOKEN_STARTS}) {
      at = run(v, at + 1);
      at = v.indexOf('.eyJ', at);
      starts++;
    }
  }
  function area(name) {
    var store, n = 0;
    try { store = window[name]; n = Math.min(Number(store.length) || 0, ${SNAPSHOT_MAX_ITEMS}); } catch (e) { out.push('!' + name); return; }
    out.push(name, n);
    for (var i = 0; i < n; i++) {
      try {
        var key = store.key(i);
        if (typeof key !== 'string') { out.push('!key'); continue; }
        var v = store.getItem(key);
        if (typeof v !== 'string') v = '';
        // Most items hold no token: they cost two native searches and no call (calls are what an
        // unoptimised script pays for).
        if (key.length > ${SNAPSHOT_MAX_KEY_CHARS} || budget < key.length) text(key, ${SNAPSHOT_MAX_KEY_CHARS});
        else { budget -= key.length; out.push(key); }
        if (v.lastIndexOf('eyJ', ${FINGERPRINT_HEAD_CHARS}) >= 0 || v.indexOf('.eyJ') >= 0) value(v);
        else out.push(v.length);
        count++;
      } catch (e) { out.push('!item'); }
    }
  }
  var url = '';
  try { url = location.href; if (typeof url !== 'string') url = ''; } catch (e) {}
  try { var cookie = document.cookie; value(typeof cookie === 'string' ? cookie : ''); } catch (e) { out.push('!cookie'); }
  area('localStorage');
  area('sessionStorage');
  return url.slice(0, ${FINGERPRINT_MAX_URL_CHARS}) + '\\n' + count + '\\n' + out.join('\\u0001');
})()`;

/** What the watch needs from DevTools: an evaluation in the inspected page (DevtoolsApi.eval). */
export type PageEval = <T>(expression: string) => Promise<T | undefined>;

export interface StorageRemoval {
  token: string;
  where: Where;
  name: string;
  /** The page URL of the snapshot that no longer had it. */
  url: string;
  /** Epoch ms of that snapshot. */
  time: number;
}

export interface StorageWatchOptions {
  /** The inspected page (DevtoolsApi): only this module's constant expressions are evaluated in it. */
  page: { eval: PageEval };
  onSightings(sightings: CapturedSighting[]): void;
  onRemoved(removals: StorageRemoval[]): void;
  /** The page's address at each full read (the OAuth flows look for an authorization response in it). */
  onPageUrl?(url: string, time: number): void;
  now?: () => number;
  /** Injectable for tests; setInterval / clearInterval otherwise. */
  setTimer?: (tick: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  intervalMs?: number;
}

const STORAGE_WHERES: ReadonlySet<Where> = new Set<Where>(['local-storage', 'session-storage', 'document-cookie']);

export class StorageWatch {
  private timer: unknown;
  private lastFingerprint: string | undefined;
  private ticking = false;
  /** Storage sightings of the last snapshot, by token + where + name, and the origin they belong to. */
  private present = new Map<string, StorageRemoval>();
  private presentOrigin: string | undefined;
  private snapshotting: Promise<void> | undefined;
  private snapshotAgain = false;
  private readonly now: () => number;

  constructor(private readonly options: StorageWatchOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  start(): void {
    if (this.timer !== undefined) return;
    const set = this.options.setTimer ?? ((tick: () => void, ms: number) => setInterval(tick, ms));
    this.timer = set(() => void this.tick(), this.options.intervalMs ?? STORAGE_WATCH_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer === undefined) return;
    const clear = this.options.clearTimer ?? ((handle: unknown) => clearInterval(handle as ReturnType<typeof setInterval>));
    clear(this.timer);
    this.timer = undefined;
  }

  /** Forgets what was read: the next tick reads everything again (after the panel was cleared). */
  reset(): void {
    this.lastFingerprint = undefined;
    this.present = new Map();
    this.presentOrigin = undefined;
  }

  /** One watch step: the fingerprint, and the full read when it changed. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const fingerprint = await this.options.page.eval<unknown>(STORAGE_FINGERPRINT_EXPRESSION);
      // No answer (the page is navigating, or made the evaluation throw): nothing is known, nothing is read.
      if (typeof fingerprint !== 'string' || fingerprint === this.lastFingerprint) return;
      await this.snapshot(fingerprint);
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Reads the page's storage, document.cookie and URL in full now (opening, navigation, Read storage). A call
   * made while a read is under way reads once more after it, so what changed in between is not missed.
   */
  snapshot(fingerprint?: string): Promise<void> {
    if (this.snapshotting) {
      this.snapshotAgain = true;
      return this.snapshotting;
    }
    const run = async (): Promise<void> => {
      try {
        let known = fingerprint;
        do {
          this.snapshotAgain = false;
          // The fingerprint first: a change after it makes the next tick's differ, so nothing falls between.
          known ??= await this.options.page
            .eval<unknown>(STORAGE_FINGERPRINT_EXPRESSION)
            .then((f) => (typeof f === 'string' ? f : undefined));
          const snapshot = await this.options.page.eval<unknown>(STORAGE_SNAPSHOT_EXPRESSION);
          if (snapshot) {
            this.lastFingerprint = known;
            this.take(snapshot);
          }
          known = undefined;
        } while (this.snapshotAgain);
      } finally {
        this.snapshotting = undefined;
      }
    };
    this.snapshotting = run();
    return this.snapshotting;
  }

  private take(snapshot: unknown): void {
    const time = this.now();
    const sightings = sightingsFromSnapshot(snapshot, time);
    const url = typeof (snapshot as { url?: unknown }).url === 'string' ? (snapshot as { url: string }).url : '';
    const origin = originOf(url);
    const present = new Map<string, StorageRemoval>();
    for (const s of sightings) {
      if (!STORAGE_WHERES.has(s.sighting.where)) continue;
      const name = s.sighting.name ?? '';
      present.set(`${s.sighting.where}\u0000${name}\u0000${s.token}`, { token: s.token, where: s.sighting.where, name, url, time });
    }
    const removed: StorageRemoval[] = [];
    if (origin === this.presentOrigin) {
      for (const [key, before] of this.present) {
        if (!present.has(key)) removed.push({ ...before, url, time });
      }
    }
    this.present = present;
    this.presentOrigin = origin;
    if (sightings.length) this.options.onSightings(sightings);
    if (removed.length) this.options.onRemoved(removed);
    if (url) this.options.onPageUrl?.(url, time);
  }
}

/** scheme://host:port of a URL, or the text itself when it has none (about:blank, data:). */
export function originOf(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme < 0) return url.split(/[?#]/, 1)[0] ?? '';
  const end = url.slice(scheme + 3).search(/[/?#]/);
  return end < 0 ? url : url.slice(0, scheme + 3 + end);
}
