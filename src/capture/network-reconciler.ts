// Reconciles the two ways DevTools reports traffic (ARCHITECTURE.md, "The no-store trap"):
// `onRequestFinished` events are the fast path but never fire for unread `Cache-Control: no-store`
// responses, which OAuth token endpoints must send; `getHAR()`, polled on opening and about every second,
// lists those too. Both feed `ingest`, which passes on each request once, and again only when a later
// revision of it (a status, more headers) arrives. It also decides which response bodies are worth a
// `getContent` call. No browser API in here: the panel owns the listeners and the timer.

import type { HarEntry } from './har-types';
import { entryRevision, isNewerRevision, requestIdentity, upperCase, type EntryRevision, type RequestIdentity } from './ingest-key';
import { RequestIndex, type TrackedRequest } from './request-index';
import { isTextualMime, mimeEssence } from './har-normalize';

/** Response bodies above this many bytes are not read. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Requests remembered; the oldest are forgotten first. A poll lists what DevTools still holds, far fewer. */
export const DEFAULT_MAX_TRACKED = 20_000;

export type EntrySource = 'event' | 'poll';

export interface ReconcilerOptions {
  maxBodyBytes?: number;
  maxTracked?: number;
}

export interface ReconcilerStats {
  /** Entries handed to ingest, duplicates included. */
  received: number;
  /** Requests passed on for the first time. */
  fresh: number;
  /** Of those, first seen in a poll: what events alone would have missed. */
  freshFromPoll: number;
  /** Requests passed on again because a later revision arrived. */
  updated: number;
  /** Entries already known in this revision (or an older one). */
  duplicates: number;
  /** Entries without a request URL. */
  invalid: number;
  /** Bodies judged worth reading. */
  bodiesRead: number;
  /** Bodies not read: not text, or larger than maxBodyBytes. Counted once per request. */
  bodiesSkipped: number;
  /** Requests forgotten to stay within maxTracked. */
  evicted: number;
}

// A request's state is one small integer: its revision times four plus what was decided about its body.
// entryRevision stays below 2^28, so the state stays a small integer (below 2^30).
const BODY_UNDECIDED = 0;
const BODY_READ = 1;
const BODY_SKIPPED = 2;
type BodyState = typeof BODY_UNDECIDED | typeof BODY_READ | typeof BODY_SKIPPED;

function packed(revision: EntryRevision, body: BodyState): number {
  return revision * 4 + body;
}

function revisionOf(state: number): EntryRevision {
  return Math.floor(state / 4);
}

function bodyOf(state: number): BodyState {
  return (state & 3) as BodyState;
}

// Status codes whose responses have no body (RFC 9110 §6.4.1, §15.3.5, §15.3.6, §15.4.5).
function hasNoBody(status: number, method: unknown): boolean {
  return (status >= 100 && status < 200) || status === 204 || status === 205 || status === 304 || method === 'HEAD';
}

/**
 * Generic in the entry type so that callers get back the very objects they passed: the Request objects of
 * `onRequestFinished` (with `getContent`) or plain `getHAR()` entries.
 */
export class NetworkReconciler<E extends object = HarEntry> {
  /** Every request passed on, with its revision and what was decided about its body, packed. */
  private readonly tracked = new RequestIndex();
  private readonly maxBodyBytes: number;
  private readonly maxTracked: number;
  private readonly counters: ReconcilerStats = emptyStats();
  /**
   * The last poll, by position: DevTools lists its log in the same order each time, so an entry at the
   * position where the same request stood last time is found without building its identity or looking it
   * up. An unchanged log of thousands of entries then costs a few comparisons each.
   */
  private lastPoll: { tracked: TrackedRequest[]; evicted: number } | undefined;

  constructor(options: ReconcilerOptions = {}) {
    this.maxBodyBytes = positiveOr(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES);
    this.maxTracked = positiveOr(options.maxTracked, DEFAULT_MAX_TRACKED);
  }

  /**
   * Takes one entry or a poll's worth, from either source, and returns the ones to process (in input
   * order): those never seen, and those seen before in an older revision. Idempotent: the same entries
   * again return nothing.
   */
  ingest(entries: E | readonly E[], source: EntrySource = 'event'): E[] {
    const out: E[] = [];
    this.accept(entries, source, (entry) => out.push(entry));
    return out;
  }

  /** As ingest, handing each entry to process to `take` as it goes, with what is tracked of it. */
  accept(entries: E | readonly E[], source: EntrySource, take: (entry: E, request: TrackedRequest) => void): void {
    const list: readonly E[] = Array.isArray(entries) ? entries : [entries as E];
    // Trusted only while every request it holds is still tracked: no eviction since it began to be built.
    const previous = source === 'poll' && this.lastPoll?.evicted === this.counters.evicted ? this.lastPoll : undefined;
    const evictedBefore = this.counters.evicted;
    const trackedAt: TrackedRequest[] = [];
    for (let i = 0; i < list.length; i++) {
      const entry = list[i]!;
      this.counters.received++;
      const same = previous && i < previous.tracked.length ? samePlace(entry, previous.tracked[i]) : undefined;
      if (same !== undefined) {
        trackedAt[i] = same;
        const revision = entryRevision(entry);
        if (isNewerRevision(revisionOf(same.state), revision)) {
          same.state = packed(revision, bodyOf(same.state));
          this.counters.updated++;
          take(entry, same);
        } else {
          this.counters.duplicates++;
        }
        continue;
      }
      const id = requestIdentity(entry);
      if (id === undefined) {
        this.counters.invalid++;
        continue;
      }
      const revision = entryRevision(entry);
      let known = this.tracked.find(id);
      if (known === undefined) {
        known = this.remember(id, packed(revision, BODY_UNDECIDED));
        this.counters.fresh++;
        if (source === 'poll') this.counters.freshFromPoll++;
        take(entry, known);
      } else if (isNewerRevision(revisionOf(known.state), revision)) {
        known.state = packed(revision, bodyOf(known.state));
        this.counters.updated++;
        take(entry, known);
      } else {
        this.counters.duplicates++;
      }
      // Positions of invalid entries stay holes: samePlace never matches them.
      if (source === 'poll') trackedAt[i] = known;
    }
    if (source === 'poll') this.lastPoll = { tracked: trackedAt, evicted: evictedBefore };
  }

  /**
   * Whether to fetch this entry's response body: a finished response with a body, of a textual type, no
   * larger than maxBodyBytes, and not read before. A true answer is final (the body counts as read), so ask
   * right before calling `getContent`. A size of 0 decides nothing yet (Chrome lists unread no-store bodies
   * that way); an unknown size (-1, missing) is read and the caller truncates what arrives. An entry that
   * carries its body (`content.text`, as exported HAR files do) needs no read: the body is scanned with it.
   * `request` is what accept handed over with the entry, when the caller has it.
   */
  shouldReadBody(entry: E, request?: TrackedRequest): boolean {
    try {
      let known = request;
      let id: RequestIdentity | undefined;
      if (known === undefined) {
        id = requestIdentity(entry);
        if (id === undefined) return false;
        known = this.tracked.find(id);
      }
      if (known !== undefined && bodyOf(known.state) !== BODY_UNDECIDED) return false;

      const e = entry as Partial<HarEntry>;
      const response = e.response;
      const status = typeof response?.status === 'number' ? response.status : 0;
      if (status === 0 || hasNoBody(status, e.request?.method)) return false;
      const content = response?.content;
      if (typeof content?.text === 'string' && content.text !== '') return false;
      const size = typeof content?.size === 'number' && Number.isFinite(content.size) ? content.size : -1;
      if (size === 0) return false;

      const tracked = known ?? this.remember(id!, packed(entryRevision(entry), BODY_UNDECIDED));
      if (!isTextualMime(mimeEssence(content?.mimeType)) || size > this.maxBodyBytes) {
        tracked.state = packed(revisionOf(tracked.state), BODY_SKIPPED);
        this.counters.bodiesSkipped++;
        return false;
      }
      tracked.state = packed(revisionOf(tracked.state), BODY_READ);
      this.counters.bodiesRead++;
      return true;
    } catch {
      return false;
    }
  }

  /** What the panel shows as capture health. */
  get stats(): Readonly<ReconcilerStats> {
    return { ...this.counters };
  }

  get maxBody(): number {
    return this.maxBodyBytes;
  }

  /**
   * Forgets every request: after a navigation DevTools drops its log (unless "Preserve log" is on), and
   * `onNavigated` fires after that reset. The counters keep running: they describe the panel's session.
   */
  reset(): void {
    this.tracked.clear();
    this.lastPoll = undefined;
  }

  private remember(id: RequestIdentity, state: number): TrackedRequest {
    const tracked = this.tracked.add(id, state);
    // The oldest request goes first.
    while (this.tracked.size > this.maxTracked && this.tracked.evictOldest()) this.counters.evicted++;
    return tracked;
  }
}

/**
 * The request tracked at this position in the last poll, when the entry is that request (same start time,
 * URL and method), or undefined: then the entry is looked up by its identity as usual. A hole (an invalid
 * entry last time) never matches.
 */
function samePlace(entry: unknown, tracked: TrackedRequest | undefined): TrackedRequest | undefined {
  if (tracked === undefined) return undefined;
  try {
    const e = entry as Partial<HarEntry> | null;
    const request = e?.request;
    if (typeof e?.startedDateTime !== 'string' || e.startedDateTime !== tracked.started) return undefined;
    if (typeof request?.url !== 'string' || request.url !== tracked.url) return undefined;
    const method = typeof request.method === 'string' ? upperCase(request.method) : '';
    return method === tracked.method ? tracked : undefined;
  } catch {
    return undefined;
  }
}

function emptyStats(): ReconcilerStats {
  return {
    received: 0,
    fresh: 0,
    freshFromPoll: 0,
    updated: 0,
    duplicates: 0,
    invalid: 0,
    bodiesRead: 0,
    bodiesSkipped: 0,
    evicted: 0,
  };
}

function positiveOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
