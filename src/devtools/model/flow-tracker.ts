// The refresh flow, followed across requests: which access token was issued with which refresh token, when a
// refresh token was exchanged, what came back, and whether one was exchanged twice. From it come the three
// findings analysis of a single token cannot give (refresh-while-access-valid, refresh-token-not-rotated,
// refresh-token-reused, all attached to the refresh token) and a timeline for the view.
//
// Decisions:
// - A token response is any response that carries tokens. Roles come first from the field or cookie they
//   came in ("access_token", "refreshToken", "id_token"), then from the token itself (guessTokenRole).
//   Access and refresh tokens issued together are a pair; an ID token stands in for the access token when a
//   response has no access token (SPAs that send the ID token as bearer).
// - A refresh request is a request that sends a refresh token, either in a body or URL field whose name says
//   refresh (`refresh_token=…`, the OAuth refresh grant), or in any other place (cookie, header) when the
//   token is known as a refresh token and the request goes to a token endpoint (path with "token",
//   "refresh" or "renew", not "revoke" / "logout") or gets tokens back. A refresh cookie that rides along
//   on every API call is therefore not a refresh.
// - "Still valid": the paired access token's exp was later than the refresh request's start, with no
//   tolerance by default — the source notes describe servers that revoke on any early refresh. Callers
//   that want to allow refreshing a little ahead of expiry set `earlyRefreshToleranceSeconds`.
// - Not rotated: a refresh whose response was seen (it carried tokens) and returned the same refresh token
//   or none. A response never seen (body unread) decides nothing.
// - Reused: one refresh token sent in two or more refresh requests, unless every earlier response was seen
//   and returned no replacement — then reuse is the server's design, reported as not rotated instead.
// - Only tokens findTokens sees can be followed: opaque refresh tokens are invisible here.
// - Bounded: recent exchanges only (late sightings of a forgotten request start it afresh), a cap on
//   refresh uses per token and on timeline entries.

import { decodeToken } from '../../core/decode';
import { guessTokenRole, type TokenRole } from '../../core/analyze';
import { finding, type BuiltFinding } from '../../core/findings';
import { formatDuration } from '../../core/claims';
import type { Where } from '../../core/types';
import type { CapturedSighting } from '../capture/sightings-from-entry';

export type TimelineKind = 'issued' | 'used' | 'refreshed' | 'expired';

export interface TimelineEvent {
  /** Epoch ms. */
  time: number;
  token: string;
  kind: TimelineKind;
  detail: string;
}

/** What the tracker needs to know about a token; the store answers from its one decode per token. */
export interface FlowTokenInfo {
  role(token: string): TokenRole;
  /** exp in seconds since the epoch, when the token has a numeric one. */
  expiresAt(token: string): number | undefined;
}

export interface FlowTrackerOptions {
  info?: FlowTokenInfo;
  earlyRefreshToleranceSeconds?: number;
  maxExchanges?: number;
}

export const DEFAULT_MAX_EXCHANGES = 5000;
const MAX_TOKENS_PER_EXCHANGE = 64;
const MAX_USES_PER_TOKEN = 256;
const MAX_TRACKED_TOKENS = 20_000;
const MAX_EVIDENCE = 3;

interface Seen {
  where: Where;
  name?: string;
  field?: string;
}

interface Exchange {
  key: string;
  time: number;
  url: string;
  /** NO_TOKENS until the first token on that side (most exchanges carry tokens one way only). */
  sent: ReadonlyMap<string, Seen>;
  received: ReadonlyMap<string, Seen>;
  /** The refresh token this request exchanged, once recognised. */
  refreshWith?: string;
}

/** Where a token was first sent, or issued: the timeline's sentence is made from it when asked for. */
interface FirstSighting {
  time: number;
  url: string;
  seen: Seen;
  /** Issued only: the role it was issued in. */
  role?: TokenRole;
}

interface Pairing {
  access: string;
  time: number;
  exchange: string;
}

/** The side of every exchange that has no token yet: shared, never written to (observe replaces it). */
const NO_TOKENS: ReadonlyMap<string, Seen> = new Map();

const REQUEST_WHERE_LABEL: Partial<Record<Where, string>> = {
  'authorization-header': 'the Authorization header',
  'request-header': 'a request header',
  cookie: 'a cookie',
  url: 'the URL',
  'request-body': 'the request body',
};

const RESPONSE_WHERE_LABEL: Partial<Record<Where, string>> = {
  'response-header': 'a response header',
  'set-cookie': 'Set-Cookie',
  url: 'the Location URL',
  'response-body': 'the response body',
};

export class FlowTracker {
  private readonly info: FlowTokenInfo;
  private readonly tolerance: number;
  private readonly maxExchanges: number;
  private exchanges = new Map<string, Exchange>();
  /** Exchanges to token endpoints that sent tokens not (yet) known as refresh tokens. */
  private pending = new Set<string>();
  private uses = new Map<string, Exchange[]>();
  private pairs = new Map<string, Pairing[]>();
  private knownRefresh = new Set<string>();
  // Facts, not sentences: a busy app's tokens number in the thousands, and the timeline is read rarely.
  private issued = new Map<string, FirstSighting>();
  private firstUse = new Map<string, FirstSighting>();
  private findingsCache = new Map<string, BuiltFinding[]>();

  constructor(options: FlowTrackerOptions = {}) {
    this.info = options.info ?? decodingInfo();
    const tolerance = options.earlyRefreshToleranceSeconds;
    this.tolerance = typeof tolerance === 'number' && Number.isFinite(tolerance) && tolerance > 0 ? tolerance : 0;
    const max = options.maxExchanges;
    this.maxExchanges = typeof max === 'number' && max > 0 ? max : DEFAULT_MAX_EXCHANGES;
  }

  /**
   * Takes new sightings (any order, any batching: one request's sightings may come in several calls) and
   * returns the tokens whose flow findings may have changed.
   */
  observe(captured: readonly CapturedSighting[]): Set<string> {
    const changed = new Set<string>();
    const touched = new Set<Exchange>();
    for (const c of captured) {
      if (!c || typeof c.token !== 'string' || typeof c.exchange !== 'string' || typeof c.sighting !== 'object' || c.sighting === null) continue;
      if (c.side !== 'request' && c.side !== 'response') continue;
      const ex = this.exchangeFor(c);
      const side = c.side === 'request' ? 'sent' : 'received';
      const known = ex[side];
      if (known.has(c.token) || known.size >= MAX_TOKENS_PER_EXCHANGE) continue;
      const map = known === NO_TOKENS ? new Map<string, Seen>() : (known as Map<string, Seen>);
      ex[side] = map;
      const seen: Seen = { where: c.sighting.where };
      if (c.sighting.name !== undefined) seen.name = c.sighting.name;
      if (c.field !== undefined) seen.field = c.field;
      map.set(c.token, seen);
      touched.add(ex);
    }
    const refreshBefore = this.knownRefresh.size;
    for (const ex of [...touched].sort((a, b) => a.time - b.time)) this.process(ex, changed);
    // A refresh token learnt now may explain requests seen before it (poll order is not time order).
    if (this.knownRefresh.size > refreshBefore) {
      for (const key of this.pending) {
        const ex = this.exchanges.get(key);
        if (!ex || ex.refreshWith !== undefined) this.pending.delete(key);
        else if (this.detectRefresh(ex, changed)) this.pending.delete(key);
      }
    }
    for (const token of changed) this.findingsCache.delete(token);
    return changed;
  }

  /** refresh-while-access-valid, refresh-token-not-rotated and refresh-token-reused for this token. */
  findingsFor(token: string): BuiltFinding[] {
    let cached = this.findingsCache.get(token);
    if (!cached) {
      cached = this.computeFindings(token);
      this.findingsCache.set(token, cached);
    }
    return cached;
  }

  /** Tokens that were exchanged in a refresh request: the only ones that can carry flow findings. */
  refreshTokens(): string[] {
    return [...this.uses.keys()];
  }

  /**
   * Issued, first used, refreshed and expired events, oldest first. `now` (epoch ms) decides which
   * expiries have happened; it defaults to the current time.
   */
  timeline(now: number = Date.now()): TimelineEvent[] {
    const events: TimelineEvent[] = [];
    for (const [token, f] of this.issued) {
      events.push({
        time: f.time,
        token,
        kind: 'issued',
        detail: `Issued${f.role === 'unknown' ? '' : ` as ${f.role} token`} by ${display(f.url)} in ${RESPONSE_WHERE_LABEL[f.seen.where] ?? 'the response'}${nameSuffix(f.seen)}.`,
      });
    }
    for (const [token, f] of this.firstUse) {
      events.push({
        time: f.time,
        token,
        kind: 'used',
        detail: `First sent in ${REQUEST_WHERE_LABEL[f.seen.where] ?? 'a request'}${nameSuffix(f.seen)} to ${display(f.url)}.`,
      });
    }
    for (const [token, list] of this.uses) {
      for (const ex of list) events.push({ time: ex.time, token, kind: 'refreshed', detail: this.describeRefresh(token, ex) });
    }
    const tokens = new Set<string>([...this.issued.keys(), ...this.firstUse.keys()]);
    for (const token of tokens) {
      const exp = this.info.expiresAt(token);
      if (exp !== undefined && exp * 1000 <= now) {
        events.push({ time: exp * 1000, token, kind: 'expired', detail: `Expired at ${iso(exp * 1000)}.` });
      }
    }
    return events.sort((a, b) => a.time - b.time || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  }

  clear(): void {
    this.exchanges = new Map();
    this.pending = new Set();
    this.uses = new Map();
    this.pairs = new Map();
    this.knownRefresh = new Set();
    this.issued = new Map();
    this.firstUse = new Map();
    this.findingsCache = new Map();
  }

  // -------------------------------------------------------------------------------------------------------

  private exchangeFor(c: CapturedSighting): Exchange {
    const key = c.exchange!;
    let ex = this.exchanges.get(key);
    if (!ex) {
      ex = { key, time: c.time, url: c.requestUrl, sent: NO_TOKENS, received: NO_TOKENS };
      this.exchanges.set(key, ex);
      if (this.exchanges.size > this.maxExchanges) {
        const oldest = this.exchanges.keys().next().value;
        if (oldest !== undefined) {
          this.exchanges.delete(oldest);
          this.pending.delete(oldest);
        }
      }
    }
    return ex;
  }

  private process(ex: Exchange, changed: Set<string>): void {
    for (const [token, seen] of ex.sent) {
      if (!this.firstUse.has(token) && this.firstUse.size < MAX_TRACKED_TOKENS) {
        this.firstUse.set(token, { time: ex.time, url: ex.url, seen });
      }
    }

    const accessTokens: string[] = [];
    const idTokens: string[] = [];
    const refreshTokens: string[] = [];
    for (const [token, seen] of ex.received) {
      const role = this.receivedRole(token, seen);
      if (role === 'access') accessTokens.push(token);
      else if (role === 'id') idTokens.push(token);
      else if (role === 'refresh') refreshTokens.push(token);
      if (!this.issued.has(token) && this.issued.size < MAX_TRACKED_TOKENS) {
        this.issued.set(token, { time: ex.time, url: ex.url, seen, role });
      }
    }
    for (const token of refreshTokens) {
      if (!this.knownRefresh.has(token) && this.knownRefresh.size < MAX_TRACKED_TOKENS) this.knownRefresh.add(token);
    }

    if (ex.refreshWith === undefined && !this.detectRefresh(ex, changed) && ex.sent.size > 0 && isTokenEndpoint(ex.url)) {
      this.pending.add(ex.key);
    }

    const access = accessTokens[0] ?? idTokens[0];
    if (access !== undefined) {
      const partners = refreshTokens.length > 0 ? refreshTokens : ex.refreshWith !== undefined ? [ex.refreshWith] : [];
      for (const refresh of partners) {
        if (this.addPairing(refresh, { access, time: ex.time, exchange: ex.key })) changed.add(refresh);
      }
    }
    if (ex.refreshWith !== undefined) changed.add(ex.refreshWith);
  }

  /** Marks `ex` as a refresh request when it is one; true when it is. */
  private detectRefresh(ex: Exchange, changed: Set<string>): boolean {
    if (ex.refreshWith !== undefined) return true;
    let endpoint: boolean | undefined;
    for (const [token, seen] of ex.sent) {
      const explicit =
        (seen.where === 'request-body' || seen.where === 'url') && /refresh/i.test(seen.field ?? seen.name ?? '');
      let refresh = explicit;
      if (!refresh && (this.knownRefresh.has(token) || this.info.role(token) === 'refresh')) {
        endpoint ??= isTokenEndpoint(ex.url) || this.returnsTokens(ex);
        refresh = endpoint;
      }
      if (!refresh) continue;
      // Signing out sends the refresh token too (RFC 7009 revocation, logout forms): never a refresh. (Looked
      // at only for a candidate: most requests send no refresh token.)
      if (NOT_REFRESH_PATH.test(pathOf(ex.url))) return false;
      ex.refreshWith = token;
      let list = this.uses.get(token);
      if (!list) {
        list = [];
        this.uses.set(token, list);
      }
      if (list.length < MAX_USES_PER_TOKEN) {
        list.push(ex);
        list.sort((a, b) => a.time - b.time);
      }
      changed.add(token);
      return true;
    }
    return false;
  }

  private returnsTokens(ex: Exchange): boolean {
    for (const [token, seen] of ex.received) {
      const role = this.receivedRole(token, seen);
      if (role === 'access' || role === 'id') return true;
    }
    return false;
  }

  private addPairing(refresh: string, pairing: Pairing): boolean {
    let list = this.pairs.get(refresh);
    if (!list) {
      list = [];
      this.pairs.set(refresh, list);
    }
    if (list.some((p) => p.exchange === pairing.exchange) || list.length >= MAX_USES_PER_TOKEN) return false;
    list.push(pairing);
    list.sort((a, b) => a.time - b.time);
    return true;
  }

  private receivedRole(token: string, seen: Seen): TokenRole {
    return roleFromName(seen.field) ?? roleFromName(seen.name) ?? this.info.role(token);
  }

  /** The refresh tokens a refresh request got back, other than the one it sent. */
  private replacements(ex: Exchange, used: string): string[] {
    const out: string[] = [];
    for (const [token, seen] of ex.received) {
      if (token !== used && this.receivedRole(token, seen) === 'refresh') out.push(token);
    }
    return out;
  }

  private computeFindings(token: string): BuiltFinding[] {
    const uses = this.uses.get(token);
    if (!uses || uses.length === 0) return [];
    const out: BuiltFinding[] = [];

    const early: string[] = [];
    for (const ex of uses) {
      const pairing = this.pairingBefore(token, ex);
      if (!pairing) continue;
      const exp = this.info.expiresAt(pairing.access);
      if (exp === undefined) continue;
      const left = exp - ex.time / 1000;
      if (left > this.tolerance) {
        early.push(`at ${iso(ex.time)} (${display(ex.url)}) the access token issued with it at ${iso(pairing.time)} still had ${formatDuration(left)} left`);
      }
    }
    if (early.length > 0) out.push(finding('refresh-while-access-valid', `Refreshed early: ${list(early)}.`));

    const notRotated: string[] = [];
    for (const ex of uses) {
      if (ex.received.size === 0) continue;
      if (ex.received.has(token)) notRotated.push(`at ${iso(ex.time)} the same refresh token came back`);
      else if (this.replacements(ex, token).length === 0) notRotated.push(`at ${iso(ex.time)} new tokens came back but no new refresh token`);
    }
    if (notRotated.length > 0) out.push(finding('refresh-token-not-rotated', `Refresh at ${display(uses[0]!.url)}: ${list(notRotated)}.`));

    if (uses.length >= 2) {
      let rotatedAt: number | undefined;
      let byDesign = true;
      for (let i = 0; i < uses.length - 1; i++) {
        const ex = uses[i]!;
        if (ex.received.size === 0) byDesign = false;
        else if (!ex.received.has(token) && this.replacements(ex, token).length > 0) {
          byDesign = false;
          rotatedAt ??= ex.time;
        }
      }
      if (!byDesign) {
        const when = uses.slice(0, 5).map((ex) => iso(ex.time)).join(', ');
        const more = uses.length > 5 ? ` and ${uses.length - 5} more` : '';
        const why =
          rotatedAt !== undefined
            ? `, although the server had already replaced it with a new refresh token at ${iso(rotatedAt)}`
            : '; whether the server replaced it in between could not be seen (its responses were not read)';
        out.push(finding('refresh-token-reused', `Sent in ${uses.length} refresh requests (${when}${more})${why}.`));
      }
    }
    return out;
  }

  /** The access token that was paired with `refresh` when `ex` started, issued by another exchange. */
  private pairingBefore(refresh: string, ex: Exchange): Pairing | undefined {
    const list = this.pairs.get(refresh);
    if (!list) return undefined;
    let best: Pairing | undefined;
    for (const p of list) if (p.exchange !== ex.key && p.time <= ex.time) best = p;
    return best;
  }

  private describeRefresh(token: string, ex: Exchange): string {
    let outcome: string;
    if (ex.received.size === 0) outcome = 'the response was not seen';
    else if (ex.received.has(token)) outcome = 'the same refresh token came back';
    else if (this.replacements(ex, token).length > 0) outcome = 'a new refresh token came back';
    else outcome = 'no new refresh token came back';
    return `Exchanged at ${display(ex.url)}; ${outcome}.`;
  }
}

const KIND_ORDER: Record<TimelineKind, number> = { issued: 0, used: 1, refreshed: 2, expired: 3 };

/** A role stated by the name a token came under, when the name states one. */
function roleFromName(name: string | undefined): TokenRole | undefined {
  if (typeof name !== 'string' || name === '') return undefined;
  // The same few names (access_token, rt, authorization) recur on every request.
  const cached = NAME_ROLES.get(name);
  if (cached !== undefined) return cached === 'none' ? undefined : cached;
  const n = name.toLowerCase().replace(/[^a-z]/g, '');
  const role: TokenRole | undefined = n.includes('refresh')
    ? 'refresh'
    : n.endsWith('idtoken')
      ? 'id'
      : n.includes('access')
        ? 'access'
        : undefined;
  if (NAME_ROLES.size < 1024) NAME_ROLES.set(name, role ?? 'none');
  return role;
}

const NAME_ROLES = new Map<string, TokenRole | 'none'>();

const TOKEN_PATH = /token|refresh|renew/i;
const NOT_REFRESH_PATH = /revoke|logout|signout|sign-out|introspect|userinfo/i;

function isTokenEndpoint(url: string): boolean {
  const path = pathOf(url);
  return TOKEN_PATH.test(path) && !NOT_REFRESH_PATH.test(path);
}

function pathOf(url: string): string {
  const scheme = url.indexOf('://');
  const start = scheme >= 0 ? url.indexOf('/', scheme + 3) : 0;
  if (start < 0) return '/';
  let end = url.length;
  const q = url.indexOf('?', start);
  if (q >= 0) end = q;
  const h = url.indexOf('#', start);
  if (h >= 0 && h < end) end = h;
  return url.slice(start, Math.min(end, start + 2048));
}

/** Origin and path: the query may hold tokens. */
function display(url: string): string {
  const scheme = url.indexOf('://');
  const hostEnd = scheme >= 0 ? url.indexOf('/', scheme + 3) : -1;
  const origin = hostEnd >= 0 ? url.slice(0, hostEnd) : url.split(/[?#]/, 1)[0] ?? '';
  const shown = hostEnd >= 0 ? origin + pathOf(url) : origin;
  return shown.length > 120 ? `${shown.slice(0, 119)}…` : shown;
}

function nameSuffix(seen: Seen): string {
  const name = seen.field ?? seen.name;
  return name ? ` ("${name.length > 60 ? `${name.slice(0, 59)}…` : name}")` : '';
}

function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : 'an unknown time';
}

function list(items: string[]): string {
  const shown = items.slice(0, MAX_EVIDENCE).join('; ');
  return items.length > MAX_EVIDENCE ? `${shown}; and ${items.length - MAX_EVIDENCE} more` : shown;
}

/** For use without a store: decodes each token once. */
function decodingInfo(): FlowTokenInfo {
  const cache = new Map<string, { role: TokenRole; exp: number | undefined }>();
  const read = (token: string) => {
    let hit = cache.get(token);
    if (!hit) {
      const decoded = decodeToken(token);
      const payload = decoded.ok && decoded.payload && typeof decoded.payload === 'object' ? decoded.payload : undefined;
      const exp = payload && typeof payload.exp === 'number' && Number.isFinite(payload.exp) ? payload.exp : undefined;
      hit = { role: guessTokenRole(decoded), exp };
      if (cache.size < MAX_TRACKED_TOKENS) cache.set(token, hit);
    }
    return hit;
  };
  return { role: (token) => read(token).role, expiresAt: (token) => read(token).exp };
}
