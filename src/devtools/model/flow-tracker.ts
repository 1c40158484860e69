// The refresh flow, followed across requests: which access token was issued with which refresh token, when a
// refresh token was exchanged, what came back, and whether one was exchanged twice. From it come the three
// findings analysis of a single token cannot give (refresh-while-access-valid, refresh-token-not-rotated,
// refresh-token-reused; judged in refresh-judgement.ts) and a timeline for the view.
//
// Decisions:
// - Tokens are followed by value, JWT or opaque. JWTs come as sightings (every place they travel); values
//   of any format come as token grants (token-grant.ts: refresh request bodies and token response bodies),
//   which is how opaque refresh tokens — most providers issue them — are followed at all. Both feed the
//   same exchanges, keyed by the request's ingest key.
// - A token response is any response that carries tokens. Roles come first from the field or cookie they
//   came in ("access_token", "refreshToken", "id_token"), then from the token itself (guessTokenRole).
//   Access and refresh tokens issued together are a pair; an ID token stands in for the access token when a
//   response has no access token (SPAs that send the ID token as bearer).
// - A refresh request is a request whose body says `grant_type=refresh_token` (form or JSON), whatever its
//   URL. For JWTs also: a request that sends a refresh token in a body or URL field whose name says refresh,
//   or in any other place (cookie, header) when the token is known as a refresh token and the request goes
//   to a token endpoint (path with "token", "refresh" or "renew", not "revoke" / "logout") or gets tokens
//   back. A refresh cookie that rides along on every API call is therefore not a refresh.
// - Where findings sit: on the refresh token's row when it is a JWT, and on the rows of the access tokens
//   paired with it — the only rows an opaque refresh token's sign-in has. When the access token is opaque
//   too, the JWT ID token issued with it stands for it.
// - Opaque values never leave the tracker: findings and the timeline name them by a masked form
//   (maskOpaque), and `observe` reports only JWTs as changed.
// - Bounded: recent exchanges only (late sightings of a forgotten request start it afresh), a cap on
//   refresh uses per token, on tokens followed and on timeline entries.

import type { TokenRole } from '../../core/analyze';
import type { BuiltFinding } from '../../core/findings';
import type { CapturedSighting } from '../../capture/sightings-from-entry';
import { maskOpaque, type TokenGrant } from '../../capture/token-grant';
import { display, iso, nameSuffix, pathOf, REQUEST_WHERE_LABEL, RESPONSE_WHERE_LABEL } from './flow-text';
import { decodingInfo, isTokenEndpoint, NOT_REFRESH_PATH, roleFromName, type FlowTokenInfo } from './flow-roles';
import {
  findingsOfUse,
  judgeRefresh,
  pairedRowFindings,
  refreshRowFindings,
  type Exchange,
  type Pairing,
  type RefreshJudgement,
  type Seen,
} from './refresh-judgement';

import type { TimelineEvent, TimelineKind } from './token-record';

export type { TimelineEvent, TimelineKind } from './token-record';

export type { FlowTokenInfo } from './flow-roles';

export interface FlowTrackerOptions {
  info?: FlowTokenInfo;
  earlyRefreshToleranceSeconds?: number;
  maxExchanges?: number;
}

export const DEFAULT_MAX_EXCHANGES = 5000;
const MAX_TOKENS_PER_EXCHANGE = 64;
const MAX_USES_PER_TOKEN = 256;
export const MAX_TRACKED_TOKENS = 20_000;

/** Where a token was first sent, or issued: the timeline's sentence is made from it when asked for. */
interface FirstSighting {
  time: number;
  url: string;
  seen: Seen;
  /** Issued only: the role it was issued in. */
  role?: TokenRole;
}

/** The side of every exchange that has no token yet: shared, never written to (observe replaces it). */
const NO_TOKENS: ReadonlyMap<string, Seen> = new Map();
const NO_GRANTS: readonly TokenGrant[] = [];
const NO_FINDINGS: BuiltFinding[] = [];

export class FlowTracker {
  private readonly info: FlowTokenInfo;
  private readonly tolerance: number;
  private readonly maxExchanges: number;
  private exchanges = new Map<string, Exchange>();
  /** Exchanges to token endpoints that sent tokens not (yet) known as refresh tokens. */
  private pending = new Set<string>();
  private uses = new Map<string, Exchange[]>();
  /** Per refresh token, the access tokens paired with it. */
  private pairs = new Map<string, Pairing[]>();
  /** Per row (access token, or ID token standing for an opaque one), the refresh tokens it is paired with. */
  private pairedWith = new Map<string, string[]>();
  private knownRefresh = new Set<string>();
  /** Values seen in token grants that are not JWTs. */
  private opaque = new Set<string>();
  /** Seconds since the epoch: access tokens' expiry by their token response's `expires_in`. */
  private expiresInAt = new Map<string, number>();
  // Facts, not sentences: a busy app's tokens number in the thousands, and the timeline is read rarely.
  private issued = new Map<string, FirstSighting>();
  private firstUse = new Map<string, FirstSighting>();
  private judgements = new Map<string, RefreshJudgement>();
  private findingsCache = new Map<string, BuiltFinding[]>();

  constructor(options: FlowTrackerOptions = {}) {
    this.info = options.info ?? decodingInfo();
    const tolerance = options.earlyRefreshToleranceSeconds;
    this.tolerance = typeof tolerance === 'number' && Number.isFinite(tolerance) && tolerance > 0 ? tolerance : 0;
    const max = options.maxExchanges;
    this.maxExchanges = typeof max === 'number' && max > 0 ? max : DEFAULT_MAX_EXCHANGES;
  }

  /**
   * Takes new sightings and token grants (any order, any batching: one request's facts may come in several
   * calls) and returns the tokens (JWTs only) whose flow findings may have changed.
   */
  observe(captured: readonly CapturedSighting[], grants: readonly TokenGrant[] = NO_GRANTS): Set<string> {
    const changed = new Set<string>();
    const touched = new Set<Exchange>();
    for (const c of captured) {
      if (!c || typeof c.token !== 'string' || typeof c.exchange !== 'string' || typeof c.sighting !== 'object' || c.sighting === null)
        continue;
      if (c.side !== 'request' && c.side !== 'response') continue;
      const ex = this.exchangeFor(c.exchange, c.time, c.requestUrl);
      const seen: Seen = { where: c.sighting.where };
      if (c.sighting.name !== undefined) seen.name = c.sighting.name;
      if (c.field !== undefined) seen.field = c.field;
      if (this.addSeen(ex, c.side === 'request' ? 'sent' : 'received', c.token, seen)) touched.add(ex);
    }
    for (const g of grants) {
      const ex = this.takeGrant(g);
      if (ex) touched.add(ex);
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
    // A refresh token's findings are also its access tokens'.
    for (const token of [...changed]) {
      for (const p of this.pairs.get(token) ?? []) for (const row of p.rows) changed.add(row);
    }
    for (const token of changed) {
      this.judgements.delete(token);
      this.findingsCache.delete(token);
      if (this.opaque.has(token)) changed.delete(token);
    }
    return changed;
  }

  /**
   * refresh-while-access-valid, refresh-token-not-rotated and refresh-token-reused for this token: as a
   * refresh token that was exchanged, and as the access token of refresh tokens that were.
   */
  findingsFor(token: string): BuiltFinding[] {
    let cached = this.findingsCache.get(token);
    if (!cached) {
      cached = this.computeFindings(token);
      // Most tokens have no flow findings: the store asks for each new one, and those are not kept.
      if (cached.length === 0) return NO_FINDINGS;
      this.findingsCache.set(token, cached);
    }
    return cached;
  }

  /** JWT tokens that were exchanged in a refresh request (opaque ones are never handed out). */
  refreshTokens(): string[] {
    return [...this.uses.keys()].filter((token) => !this.opaque.has(token));
  }

  /**
   * Issued, first used, refreshed and expired events, oldest first. `now` (epoch ms) decides which
   * expiries have happened; it defaults to the current time.
   */
  timeline(now: number = Date.now()): TimelineEvent[] {
    const events: TimelineEvent[] = [];
    for (const [token, f] of this.issued) {
      events.push(
        this.event(
          token,
          f.time,
          'issued',
          `Issued${f.role === 'unknown' ? '' : ` as ${f.role} token`} by ${display(f.url)} in ${RESPONSE_WHERE_LABEL[f.seen.where] ?? 'the response'}${nameSuffix(f.seen)}.`,
        ),
      );
    }
    for (const [token, f] of this.firstUse) {
      events.push(
        this.event(
          token,
          f.time,
          'used',
          `First sent in ${REQUEST_WHERE_LABEL[f.seen.where] ?? 'a request'}${nameSuffix(f.seen)} to ${display(f.url)}.`,
        ),
      );
    }
    for (const [token, list] of this.uses) {
      const judgement = this.judge(token);
      for (const ex of list) {
        const e = this.event(token, ex.time, 'refreshed', this.describeRefresh(token, ex), this.pairingBefore(token, ex)?.rows[0]);
        const ids = findingsOfUse(judgement, ex);
        if (ids.length > 0) e.findings = ids;
        events.push(e);
      }
    }
    const tokens = new Set<string>([...this.issued.keys(), ...this.firstUse.keys()]);
    for (const token of tokens) {
      const exp = this.expiryOf(token);
      if (exp !== undefined && exp * 1000 <= now) events.push(this.event(token, exp * 1000, 'expired', `Expired at ${iso(exp * 1000)}.`));
    }
    return events.sort((a, b) => a.time - b.time || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  }

  clear(): void {
    this.exchanges = new Map();
    this.pending = new Set();
    this.uses = new Map();
    this.pairs = new Map();
    this.pairedWith = new Map();
    this.knownRefresh = new Set();
    this.opaque = new Set();
    this.expiresInAt = new Map();
    this.issued = new Map();
    this.firstUse = new Map();
    this.judgements = new Map();
    this.findingsCache = new Map();
  }

  // -------------------------------------------------------------------------------------------------------

  private exchangeFor(key: string, time: number, url: string): Exchange {
    let ex = this.exchanges.get(key);
    if (!ex) {
      ex = { key, time, url, sent: NO_TOKENS, received: NO_TOKENS };
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

  /** Adds a token to one side of an exchange; false when it was there already (or the side is full). */
  private addSeen(ex: Exchange, side: 'sent' | 'received', token: string, seen: Seen): boolean {
    const known = ex[side];
    if (known.has(token) || known.size >= MAX_TOKENS_PER_EXCHANGE) return false;
    const map = known === NO_TOKENS ? new Map<string, Seen>() : (known as Map<string, Seen>);
    ex[side] = map;
    map.set(token, seen);
    return true;
  }

  /** Folds a token grant into its exchange; the exchange when the grant said anything. */
  private takeGrant(g: TokenGrant): Exchange | undefined {
    if (!g || typeof g.exchange !== 'string' || typeof g.time !== 'number' || typeof g.requestUrl !== 'string') return undefined;
    const opaque = Array.isArray(g.opaque) ? g.opaque.filter((v) => typeof v === 'string' && !this.opaque.has(v)) : [];
    // An opaque value not known as such would be handed out like a JWT: past the bound, such grants go.
    if (this.opaque.size + opaque.length > MAX_TRACKED_TOKENS) return undefined;
    for (const value of opaque) this.opaque.add(value);
    const ex = this.exchangeFor(g.exchange, g.time, g.requestUrl);
    let news = false;
    if (typeof g.refreshSent === 'string') {
      ex.grantRefresh ??= g.refreshSent;
      news = this.addSeen(ex, 'sent', g.refreshSent, { where: 'request-body', name: 'refresh_token', field: 'refresh_token' }) || news;
    }
    const issued = g.issued;
    if (issued && typeof issued.accessToken === 'string') {
      if (ex.answeredAt === undefined && typeof issued.time === 'number') ex.answeredAt = issued.time;
      if (ex.expiresIn === undefined && typeof issued.expiresIn === 'number') ex.expiresIn = issued.expiresIn;
      for (const [field, value] of [
        ['access_token', issued.accessToken],
        ['refresh_token', issued.refreshToken],
        ['id_token', issued.idToken],
      ] as const) {
        if (typeof value === 'string') news = this.addSeen(ex, 'received', value, { where: 'response-body', name: field, field }) || news;
      }
    }
    return news ? ex : undefined;
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
      // One named access_token (or so) wins over a JWT cookie of the same answer that merely looks like one.
      if (role === 'access') accessTokens[(roleFromName(seen.field) ?? roleFromName(seen.name)) ? 'unshift' : 'push'](token);
      else if (role === 'id') idTokens.push(token);
      else if (role === 'refresh') refreshTokens.push(token);
      if (!this.issued.has(token) && this.issued.size < MAX_TRACKED_TOKENS) {
        this.issued.set(token, { time: ex.time, url: ex.url, seen, role });
      }
    }
    for (const token of refreshTokens) {
      if (!this.knownRefresh.has(token) && this.knownRefresh.size < MAX_TRACKED_TOKENS) this.knownRefresh.add(token);
    }
    // expires_in is the access token's lifetime (RFC 6749 §5.1), counted from the answer.
    if (ex.expiresIn !== undefined) {
      for (const token of accessTokens) {
        if (!this.expiresInAt.has(token) && this.expiresInAt.size < MAX_TRACKED_TOKENS) {
          this.expiresInAt.set(token, (ex.answeredAt ?? ex.time) / 1000 + ex.expiresIn);
        }
      }
    }

    if (ex.refreshWith === undefined && !this.detectRefresh(ex, changed) && ex.sent.size > 0 && isTokenEndpoint(ex.url)) {
      this.pending.add(ex.key);
    }

    const access = accessTokens[0] ?? idTokens[0];
    if (access !== undefined) {
      const rows = this.opaque.has(access) ? idTokens.filter((t) => !this.opaque.has(t)) : [access];
      const partners = refreshTokens.length > 0 ? refreshTokens : ex.refreshWith !== undefined ? [ex.refreshWith] : [];
      for (const refresh of partners) {
        const added = this.addPairing(refresh, { access, rows, time: ex.time, exchange: ex.key });
        if (added === undefined) continue;
        changed.add(refresh);
        for (const row of added) {
          let list = this.pairedWith.get(row);
          if (!list) {
            if (this.pairedWith.size >= MAX_TRACKED_TOKENS) continue;
            this.pairedWith.set(row, (list = []));
          }
          if (!list.includes(refresh) && list.length < MAX_USES_PER_TOKEN) list.push(refresh);
          changed.add(row);
        }
      }
    }
    if (ex.refreshWith !== undefined) changed.add(ex.refreshWith);
  }

  /** Marks `ex` as a refresh request when it is one; true when it is. */
  private detectRefresh(ex: Exchange, changed: Set<string>): boolean {
    if (ex.refreshWith !== undefined) return true;
    // The body says so: the URL decides nothing.
    if (ex.grantRefresh !== undefined) return this.markRefresh(ex, ex.grantRefresh, changed);
    let endpoint: boolean | undefined;
    for (const [token, seen] of ex.sent) {
      const explicit = (seen.where === 'request-body' || seen.where === 'url') && /refresh/i.test(seen.field ?? seen.name ?? '');
      let refresh = explicit;
      if (!refresh && (this.knownRefresh.has(token) || this.info.role(token) === 'refresh')) {
        endpoint ??= isTokenEndpoint(ex.url) || this.returnsTokens(ex);
        refresh = endpoint;
      }
      if (!refresh) continue;
      // Signing out sends the refresh token too (RFC 7009 revocation, logout forms): never a refresh. (Looked
      // at only for a candidate: most requests send no refresh token.)
      if (NOT_REFRESH_PATH.test(pathOf(ex.url))) return false;
      return this.markRefresh(ex, token, changed);
    }
    return false;
  }

  private markRefresh(ex: Exchange, token: string, changed: Set<string>): true {
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

  private returnsTokens(ex: Exchange): boolean {
    for (const [token, seen] of ex.received) {
      const role = this.receivedRole(token, seen);
      if (role === 'access' || role === 'id') return true;
    }
    return false;
  }

  /**
   * Records the pairing, or adds rows learnt since to the one of the same exchange: the rows added, or
   * undefined when nothing changed.
   */
  private addPairing(refresh: string, pairing: Pairing): string[] | undefined {
    let list = this.pairs.get(refresh);
    if (!list) {
      list = [];
      this.pairs.set(refresh, list);
    }
    const same = list.find((p) => p.exchange === pairing.exchange);
    if (same) {
      const added = pairing.rows.filter((row) => !same.rows.includes(row));
      same.rows.push(...added);
      return added.length > 0 ? added : undefined;
    }
    if (list.length >= MAX_USES_PER_TOKEN) return undefined;
    list.push(pairing);
    list.sort((a, b) => a.time - b.time);
    return pairing.rows;
  }

  private receivedRole(token: string, seen: Seen): TokenRole {
    return roleFromName(seen.field) ?? roleFromName(seen.name) ?? this.info.role(token);
  }

  /** Whether `ex` got back a refresh token other than `used`. */
  private replaced(ex: Exchange, used: string): boolean {
    for (const [token, seen] of ex.received) {
      if (token !== used && this.receivedRole(token, seen) === 'refresh') return true;
    }
    return false;
  }

  private expiryOf(token: string): number | undefined {
    return this.info.expiresAt(token) ?? this.expiresInAt.get(token);
  }

  /** A token as findings and the timeline name it: an opaque one by its masked form. */
  private nameOf(token: string): string {
    return this.opaque.has(token) ? maskOpaque(token) : `…${token.slice(-10)}`;
  }

  private judge(refresh: string): RefreshJudgement {
    let j = this.judgements.get(refresh);
    if (!j) {
      j = judgeRefresh(refresh, {
        uses: this.uses.get(refresh) ?? [],
        pairingBefore: (ex) => this.pairingBefore(refresh, ex),
        expiryOf: (token) => this.expiryOf(token),
        replaced: (ex) => this.replaced(ex, refresh),
        nameOf: (token) => this.nameOf(token),
        tolerance: this.tolerance,
      });
      this.judgements.set(refresh, j);
    }
    return j;
  }

  private computeFindings(token: string): BuiltFinding[] {
    const out: BuiltFinding[] = [];
    if (this.uses.has(token) && !this.opaque.has(token)) out.push(...refreshRowFindings(this.judge(token)));
    for (const refresh of this.pairedWith.get(token) ?? []) {
      if (refresh !== token && this.uses.has(refresh)) out.push(...pairedRowFindings(this.judge(refresh), token));
    }
    if (out.length < 2) return out;
    // One finding per id: a token paired with several refresh tokens gets their evidence in one.
    const byId = new Map<string, BuiltFinding>();
    for (const f of out) {
      const first = byId.get(f.id);
      byId.set(f.id, first ? { ...first, detail: `${first.detail} ${f.detail}` } : f);
    }
    return [...byId.values()];
  }

  /** The access token that was paired with `refresh` when `ex` started, issued by another exchange. */
  private pairingBefore(refresh: string, ex: Exchange): Pairing | undefined {
    const list = this.pairs.get(refresh);
    if (!list) return undefined;
    let best: Pairing | undefined;
    for (const p of list) if (p.exchange !== ex.key && p.time <= ex.time) best = p;
    return best;
  }

  /** A timeline event, with an opaque token named by its masked form and pointed at its access token's row. */
  private event(token: string, time: number, kind: TimelineKind, detail: string, row?: string): TimelineEvent {
    if (!this.opaque.has(token)) return { time, token, kind, detail };
    const label = maskOpaque(token);
    const e: TimelineEvent = { time, token: label, kind, detail, label };
    const target = row ?? this.pairs.get(token)?.find((p) => p.rows.length > 0)?.rows[0];
    if (target !== undefined) e.row = target;
    return e;
  }

  private describeRefresh(token: string, ex: Exchange): string {
    let outcome: string;
    if (ex.received.size === 0) outcome = 'the response was not seen';
    else if (ex.received.has(token)) outcome = 'the same refresh token came back';
    else if (this.replaced(ex, token)) outcome = 'a new refresh token came back';
    else outcome = 'no new refresh token came back';
    return `Exchanged at ${display(ex.url)}; ${outcome}.`;
  }
}

const KIND_ORDER: Record<TimelineKind, number> = { issued: 0, used: 1, refreshed: 2, expired: 3 };
