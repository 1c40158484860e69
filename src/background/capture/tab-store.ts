// The worker's background capture, per tab: the sightings of each watched tab (bounded, oldest dropped and
// counted) and, per distinct token, what the popup and the badge show. Nothing here touches a browser, so
// it runs in Node tests and the bench; tab-capture.ts keeps it in storage.session and feeds it.
//
// Decisions:
// - Sightings are deduplicated per request (exchange, token, where, name), as the panel's store does: the
//   three webRequest events of one request each report its URL, and a redirect's hops are separate.
// - Each token is decoded once, when first seen; it is analysed again only when a sighting of a new kind
//   (analysisKey: where, name, URL without query, cookie flags) arrives, and at most MAX_EVIDENCE kinds
//   feed the analysis, so a token sent with 1,000 requests costs one analysis per distinct place. The time
//   findings go stale: an analysis older than ANALYSIS_TTL_MS is redone when the summaries are read.
// - Bounded: MAX_SIGHTINGS_PER_TAB per tab (the oldest go first, counted in `dropped`; a token left with
//   none goes too), tokens longer than MAX_KEPT_TOKEN_CHARS are not kept (counted), and at most
//   MAX_TABS tabs (the one first captured is forgotten first).
import { decodeToken } from '../../core/decode';
import { analyze, guessTokenRole, type TokenRole } from '../../core/analyze';
import { severityRank } from '../../core/findings';
import type { DecodedToken, Finding, Severity, Sighting, Where } from '../../core/types';
import type { CapturedSighting } from '../../capture/sightings-from-entry';
import type { TabToken } from '../../messages';

export type { TabToken };
import { analysisKey, isCapturedShape } from '../../capture/sighting-shape';

export const MAX_SIGHTINGS_PER_TAB = 1000;
export const MAX_TABS = 64;
/** Longer tokens are not kept: a page could otherwise fill storage.session with one megabyte-long token. */
export const MAX_KEPT_TOKEN_CHARS = 16 * 1024;
/** Distinct sighting kinds per token that feed analyze. */
export const MAX_EVIDENCE = 64;
export const ANALYSIS_TTL_MS = 30_000;

/** What storage.session keeps of one tab: each token once, sightings pointing at it by index. */
export interface StoredTab {
  v: 1;
  dropped: number;
  tokens: string[];
  sightings: [number, Omit<CapturedSighting, 'token'>][];
}

interface TokenState {
  decoded: DecodedToken;
  count: number;
  firstSeen: number;
  lastSeen: number;
  evidenceKeys: Set<string>;
  evidence: Sighting[];
  names: string[];
  wheres: Where[];
  findings?: Finding[];
  analyzedAt: number;
  role?: TokenRole;
}

class TabState {
  /** Oldest first; `head` is the first live one (dropped ones are cut off in chunks). */
  list: CapturedSighting[] = [];
  head = 0;
  keys = new Set<string>();
  tokens = new Map<string, TokenState>();
  dropped = 0;
  version = 0;
}

export class TabStore {
  private tabs = new Map<number, TabState>();
  private readonly clock: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.clock = options.now ?? Date.now;
  }

  /** Adds sightings to a tab; the number of sightings that were new. */
  add(tabId: number, sightings: readonly CapturedSighting[]): number {
    if (sightings.length === 0) return 0;
    let tab = this.tabs.get(tabId);
    let added = 0;
    for (const c of sightings) {
      if (c.token.length > MAX_KEPT_TOKEN_CHARS) {
        tab = tab ?? this.open(tabId);
        tab.dropped++;
        continue;
      }
      const key = dedupeKey(c);
      if (tab?.keys.has(key)) continue;
      tab = tab ?? this.open(tabId);
      tab.keys.add(key);
      tab.list.push(c);
      this.noteToken(tab, c);
      added++;
      if (tab.list.length - tab.head > MAX_SIGHTINGS_PER_TAB) this.dropOldest(tab);
    }
    if (tab && added) tab.version++;
    return added;
  }

  /** Every kept sighting of the tab, oldest first. */
  sightings(tabId: number): CapturedSighting[] {
    const tab = this.tabs.get(tabId);
    return tab ? tab.list.slice(tab.head) : [];
  }

  dropped(tabId: number): number {
    return this.tabs.get(tabId)?.dropped ?? 0;
  }

  /** Bumped by every change of the tab: what the writer to storage compares. */
  version(tabId: number): number {
    return this.tabs.get(tabId)?.version ?? 0;
  }

  has(tabId: number): boolean {
    return this.tabs.has(tabId);
  }

  tabIds(): number[] {
    return [...this.tabs.keys()];
  }

  /** The tab's distinct tokens, most recently seen first, with their findings (analysed when stale). */
  tokens(tabId: number): TabToken[] {
    const tab = this.tabs.get(tabId);
    if (!tab) return [];
    const now = this.clock();
    const out: TabToken[] = [];
    for (const [token, s] of tab.tokens) {
      if (!s.findings || now - s.analyzedAt > ANALYSIS_TTL_MS) {
        s.findings = analyze(s.decoded, { now: Math.floor(now / 1000), sightings: s.evidence });
        s.analyzedAt = now;
        s.role = guessTokenRole(s.decoded, s.names);
      }
      const payload = s.decoded.ok && typeof s.decoded.payload === 'object' ? s.decoded.payload : undefined;
      const t: TabToken = {
        token,
        role: s.role ?? 'unknown',
        findings: s.findings,
        wheres: s.wheres,
        sightings: s.count,
        firstSeen: s.firstSeen,
        lastSeen: s.lastSeen,
      };
      if (typeof payload?.iss === 'string') t.issuer = payload.iss;
      if (typeof payload?.exp === 'number' && Number.isFinite(payload.exp)) t.expiresAt = payload.exp;
      out.push(t);
    }
    return out.sort((a, b) => b.lastSeen - a.lastSeen);
  }

  clear(tabId: number): boolean {
    return this.tabs.delete(tabId);
  }

  /** Forgets what was seen at `origin` (its site is no longer watched); the tabs that changed. */
  forgetOrigin(origin: string): number[] {
    const changed: number[] = [];
    for (const [tabId, tab] of this.tabs) {
      const kept = tab.list.slice(tab.head).filter((c) => !c.requestUrl.startsWith(`${origin}/`) && c.requestUrl !== origin);
      if (kept.length === tab.list.length - tab.head) continue;
      const dropped = tab.dropped;
      this.tabs.delete(tabId);
      if (kept.length) {
        this.add(tabId, kept);
        this.tabs.get(tabId)!.dropped = dropped;
      }
      changed.push(tabId);
    }
    return changed;
  }

  toStored(tabId: number): StoredTab | undefined {
    const tab = this.tabs.get(tabId);
    if (!tab) return undefined;
    const index = new Map<string, number>();
    const tokens: string[] = [];
    const sightings: StoredTab['sightings'] = [];
    for (let i = tab.head; i < tab.list.length; i++) {
      const { token, ...rest } = tab.list[i]!;
      let at = index.get(token);
      if (at === undefined) {
        at = tokens.push(token) - 1;
        index.set(token, at);
      }
      sightings.push([at, rest]);
    }
    return { v: 1, dropped: tab.dropped, tokens, sightings };
  }

  /** Takes a tab back from storage; anything not of the stored shape is skipped. */
  restore(tabId: number, stored: unknown): void {
    if (!stored || typeof stored !== 'object') return;
    const s = stored as Partial<StoredTab>;
    if (s.v !== 1 || !Array.isArray(s.tokens) || !Array.isArray(s.sightings)) return;
    const list: CapturedSighting[] = [];
    for (const item of s.sightings.slice(-MAX_SIGHTINGS_PER_TAB)) {
      if (!Array.isArray(item) || typeof item[0] !== 'number') continue;
      const token = s.tokens[item[0]];
      const c = { ...(item[1] as object), token } as unknown;
      if (typeof token === 'string' && isCapturedShape(c)) list.push(c);
    }
    this.tabs.delete(tabId);
    this.add(tabId, list);
    const tab = this.tabs.get(tabId);
    if (tab && typeof s.dropped === 'number' && Number.isFinite(s.dropped)) tab.dropped += s.dropped;
  }

  private open(tabId: number): TabState {
    if (this.tabs.size >= MAX_TABS) {
      // Maps iterate in insertion order and open() re-inserts on use: the first is the least recently opened.
      const oldest = this.tabs.keys().next().value;
      if (oldest !== undefined) this.tabs.delete(oldest);
    }
    const tab = new TabState();
    this.tabs.set(tabId, tab);
    return tab;
  }

  private noteToken(tab: TabState, c: CapturedSighting): void {
    let s = tab.tokens.get(c.token);
    if (!s) {
      s = {
        decoded: decodeToken(c.token),
        count: 0,
        firstSeen: c.time,
        lastSeen: c.time,
        evidenceKeys: new Set(),
        evidence: [],
        names: [],
        wheres: [],
        analyzedAt: 0,
      };
      tab.tokens.set(c.token, s);
    }
    s.count++;
    if (c.time > s.lastSeen) s.lastSeen = c.time;
    if (c.time < s.firstSeen) s.firstSeen = c.time;
    if (!s.wheres.includes(c.sighting.where)) s.wheres.push(c.sighting.where);
    if (s.evidence.length >= MAX_EVIDENCE) return;
    const key = analysisKey(c.sighting);
    if (s.evidenceKeys.has(key)) return;
    s.evidenceKeys.add(key);
    s.evidence.push(c.sighting);
    const name = c.field ?? c.sighting.name;
    if (name !== undefined && !s.names.includes(name)) s.names.push(name);
    // A new kind of place can change the findings (a cookie's flags, a URL, cleartext HTTP).
    s.findings = undefined;
  }

  private dropOldest(tab: TabState): void {
    const c = tab.list[tab.head]!;
    tab.head++;
    tab.dropped++;
    tab.keys.delete(dedupeKey(c));
    const s = tab.tokens.get(c.token);
    if (s && --s.count <= 0) tab.tokens.delete(c.token);
    // Cut the dead front off now and then, not on every drop.
    if (tab.head >= 256) {
      tab.list = tab.list.slice(tab.head);
      tab.head = 0;
    }
  }
}

function dedupeKey(c: CapturedSighting): string {
  return `${c.exchange ?? c.sighting.url ?? ''}\u0000${c.token}\u0000${c.sighting.where}\u0000${c.sighting.name ?? ''}`;
}

/** The most severe of the findings, if any. */
export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings) if (worst === undefined || severityRank(f.severity) < severityRank(worst)) worst = f.severity;
  return worst;
}
