// The panel's OAuth 2.0 / OpenID Connect flows: the steps capture recognised (src/capture/oauth-steps.ts)
// tied into one flow per sign-in, each judged by the core (src/core/oauth/judge-flow.ts). The Flows tab
// reads `flows()`; the token store asks `findingsFor(token)` for the findings that concern a token's row.
//
// Decisions:
// - Ties, strongest first: a pushed request's request_uri; the state (an authorization response with the
//   state a request sent); the code (a token request with the code a response returned, or another token
//   request with the same code: a replay); the redirect URI (a response arriving at a request's redirect_uri
//   with another state, or none, belongs to the newest flow waiting there: that is the state mismatch);
//   the refresh token (a refresh with one a flow was issued); the client_id with the redirect URI (a code
//   exchange whose front channel was not seen: a pop-up, a panel opened late).
// - The same step seen twice (an event and a poll, a redirect's Location and the navigation that follows,
//   the page's address) is merged, never counted twice: exchanges by their entry's ingest key, responses by
//   their code / state / tokens.
// - A response with a code alone (no state, no iss, no tokens) is taken only where a request waits for it:
//   `?code=` on its own is too common in URLs to start a flow.
// - The issuer a flow used is the one of the discovery document whose authorization or token endpoint the
//   flow called.
// - Bounded: MAX_FLOWS flows (the oldest go), a few exchanges and bearer uses per flow.
import { decodeToken } from '../../core/decode';
import { findTokens } from '../../core/find';
import type { BuiltFinding } from '../../core/findings';
import { maskOpaque } from '../../capture/token-grant';
import { isJsonObject } from '../../core/is-json-object';
import { judgeFlow, pkceMethodOf, type FlowFinding } from '../../core/oauth/judge-flow';
import type { AuthorizationResponseFacts, OAuthFlowFacts } from '../../core/oauth/flow-facts';
import type { DiscoveryFacts, OAuthStep } from '../../capture/oauth-steps';

export const MAX_FLOWS = 200;
const MAX_EXCHANGES_PER_FLOW = 32;
const MAX_BEARER_USES_PER_FLOW = 16;
const MAX_DISCOVERIES = 32;
const MAX_STEPS_PER_FLOW = 64;

export type FlowStepKind = 'authorization-request' | 'authorization-response' | 'code-exchange' | 'refresh' | 'bearer';

export interface FlowStep {
  time: number;
  kind: FlowStepKind;
  url: string;
}

/** What the Flows tab shows of one flow. */
export interface FlowView {
  id: number;
  clientId?: string;
  issuer?: string;
  responseType?: string;
  pkce: 'S256' | 'plain' | 'none' | 'unknown';
  redirectUri?: string;
  state: { sent?: string; returned?: string };
  nonce: { sent?: string; returned?: string };
  /** The tokens the flow produced: a JWT by its value (the view links its row), an opaque one by its ends only. */
  tokens: { token?: string; label: string }[];
  steps: FlowStep[];
  findings: BuiltFinding[];
}

interface Flow extends OAuthFlowFacts {
  id: number;
  requestUri?: string;
  exchangeKeys: string[];
  steps: FlowStep[];
  judged?: FlowFinding[];
}

export class OAuthFlows {
  private list: Flow[] = [];
  private discoveries: DiscoveryFacts[] = [];
  private nextId = 1;
  private byToken: Map<string, FlowFinding[]> | undefined;
  private changeCount = 0;

  /** Counts changes: a view re-reads the flows when it moved. */
  get version(): number {
    return this.changeCount;
  }

  /** Takes steps in any order and batching; returns the tokens whose flow findings may have changed. */
  take(steps: readonly OAuthStep[]): Set<string> {
    const touched = new Set<Flow>();
    let discovered = false;
    for (const step of steps) {
      try {
        if (step.kind === 'discovery') discovered = this.addDiscovery(step.facts) || discovered;
        else {
          const flow = this.place(step);
          if (flow) touched.add(flow);
        }
      } catch {
        // A malformed step says nothing; the rest stand.
      }
    }
    if (discovered) for (const flow of this.list) touched.add(flow);
    const changed = new Set<string>();
    if (touched.size === 0) return changed;
    this.changeCount++;
    for (const flow of touched) {
      for (const f of flow.judged ?? []) for (const t of f.tokens) changed.add(t);
      flow.judged = undefined;
      flow.issuer = this.issuerOf(flow);
      for (const f of this.judge(flow)) for (const t of f.tokens) changed.add(t);
    }
    this.byToken = undefined;
    return changed;
  }

  /** The flow findings that concern this token (it was issued, or sent, in a flow). */
  findingsFor(token: string): readonly FlowFinding[] {
    if (!this.byToken) {
      this.byToken = new Map();
      for (const flow of this.list) {
        for (const f of this.judge(flow)) {
          for (const t of f.tokens) {
            const list = this.byToken.get(t) ?? [];
            if (!list.some((x) => x.id === f.id)) list.push(f);
            this.byToken.set(t, list);
          }
        }
      }
    }
    return this.byToken.get(token) ?? [];
  }

  /** Every flow, oldest first. */
  flows(): FlowView[] {
    return this.list.map((flow) => {
      const ar = flow.authorization;
      const idToken = flow.response?.idToken ?? flow.exchanges.find((x) => x.idToken)?.idToken;
      const view: FlowView = {
        id: flow.id,
        pkce: pkceMethodOf(flow),
        state: {},
        nonce: {},
        // Opaque values (codes, opaque access tokens) stay in the model, as the refresh flow tracker's do.
        tokens: tokensOf(flow).map((token) => (isJwt(token) ? { token, label: `…${token.slice(-10)}` } : { label: maskOpaque(token) })),
        steps: flow.steps,
        findings: this.judge(flow).map(({ tokens: _tokens, ...f }) => f),
      };
      const clientId = flow.clientId ?? ar?.clientId ?? flow.exchanges.find((x) => x.clientId)?.clientId;
      if (clientId !== undefined) view.clientId = clientId;
      if (flow.issuer !== undefined) view.issuer = flow.issuer;
      if (ar?.responseType !== undefined) view.responseType = ar.responseType;
      const redirect = ar?.redirectUri ?? flow.exchanges.find((x) => x.redirectUri)?.redirectUri;
      if (redirect !== undefined) view.redirectUri = redirect;
      if (ar?.state !== undefined) view.state.sent = ar.state;
      if (flow.response?.state !== undefined) view.state.returned = flow.response.state;
      if (ar?.nonce !== undefined) view.nonce.sent = ar.nonce;
      const nonce = idToken ? nonceOf(idToken) : undefined;
      if (nonce !== undefined) view.nonce.returned = nonce;
      return view;
    });
  }

  clear(): void {
    this.list = [];
    this.discoveries = [];
    this.byToken = undefined;
    this.changeCount++;
  }

  // -------------------------------------------------------------------------------------------------------

  private judge(flow: Flow): FlowFinding[] {
    flow.judged ??= judgeFlow(flow);
    return flow.judged;
  }

  private place(step: Exclude<OAuthStep, { kind: 'discovery' }>): Flow | undefined {
    switch (step.kind) {
      case 'authorization-request':
        return this.placeRequest(step);
      case 'authorization-response':
        return this.placeResponse(step.facts);
      case 'token-exchange':
        return this.placeExchange(step);
      case 'bearer': {
        const flow = this.list.find(
          (f) => f.response?.idToken === step.facts.token || f.exchanges.some((x) => x.idToken === step.facts.token),
        );
        if (!flow) return undefined;
        if (flow.bearerUses.some((u) => u.url === step.facts.url && u.token === step.facts.token)) return undefined;
        if (flow.bearerUses.length >= MAX_BEARER_USES_PER_FLOW) return undefined;
        flow.bearerUses.push(step.facts);
        this.addStep(flow, { time: step.facts.time, kind: 'bearer', url: step.facts.url });
        return flow;
      }
    }
  }

  private placeRequest(step: Extract<OAuthStep, { kind: 'authorization-request' }>): Flow | undefined {
    const facts = step.facts;
    // The second leg of a pushed request: the browser is sent with request_uri only.
    if (!facts.pushed && step.requestUri !== undefined) {
      const pushed = this.list.find((f) => f.requestUri === step.requestUri);
      if (pushed) return this.addStep(pushed, { time: facts.time, kind: 'authorization-request', url: facts.url }) ? pushed : undefined;
    }
    if (step.exchange !== undefined) {
      const same = this.list.find((f) => f.exchangeKeys.includes(step.exchange!));
      if (same) {
        if (step.requestUri !== undefined && same.requestUri === undefined) {
          same.requestUri = step.requestUri;
          return same;
        }
        return undefined;
      }
    }
    const again = this.list.find((f) => f.authorization?.url === facts.url && f.authorization.time === facts.time);
    if (again) return undefined;
    // The answer may have come first (Firefox reports a navigation's entry after the next page's address):
    // a flow holding only that answer (and what followed it) is this request's.
    const answered = this.list.find(
      (f) =>
        f.authorization === undefined &&
        f.response !== undefined &&
        (facts.state !== undefined
          ? f.response.state === facts.state
          : f.response.state === undefined && atRedirect(f.response.url, facts.redirectUri)),
    );
    const flow = answered ?? this.newFlow();
    flow.authorization = facts;
    if (facts.clientId !== undefined) flow.clientId = facts.clientId;
    if (step.exchange !== undefined) flow.exchangeKeys.push(step.exchange);
    if (step.requestUri !== undefined && facts.pushed) flow.requestUri = step.requestUri;
    this.addStep(flow, { time: facts.time, kind: 'authorization-request', url: facts.url });
    return flow;
  }

  private placeResponse(facts: AuthorizationResponseFacts): Flow | undefined {
    // Seen before (the redirect's Location, the navigation, the page's address): merged.
    const same = this.list.find((f) => f.response !== undefined && sameResponse(f.response, facts));
    if (same) {
      const r = same.response!;
      let changed = false;
      for (const key of ['code', 'state', 'iss', 'error', 'accessToken', 'idToken'] as const) {
        if (r[key] === undefined && facts[key] !== undefined) {
          r[key] = facts[key];
          changed = true;
        }
      }
      if (facts.inFragment && !r.inFragment) {
        r.inFragment = true;
        changed = true;
      }
      return changed ? same : undefined;
    }
    const waiting = this.list.filter((f) => f.authorization !== undefined);
    let flow =
      facts.state !== undefined
        ? [...waiting].reverse().find((f) => f.response === undefined && f.authorization?.state === facts.state)
        : undefined;
    flow ??= [...waiting].reverse().find((f) => f.response === undefined && atRedirect(facts.url, f.authorization?.redirectUri));
    if (!flow) {
      // A flow whose request was not seen: only a response that says it is one.
      if (facts.state === undefined && facts.iss === undefined && facts.accessToken === undefined && facts.idToken === undefined)
        return undefined;
      // The token exchange may have come first (poll order is not time order).
      flow =
        facts.code !== undefined
          ? this.list.find((f) => f.response === undefined && f.exchanges.some((x) => x.code === facts.code))
          : undefined;
      flow ??= this.newFlow();
    }
    flow.response = facts;
    this.addStep(flow, { time: facts.time, kind: 'authorization-response', url: facts.url });
    return flow;
  }

  private placeExchange(step: Extract<OAuthStep, { kind: 'token-exchange' }>): Flow | undefined {
    const facts = step.facts;
    const known = this.list.find((f) => f.exchangeKeys.includes(step.exchange));
    if (known) {
      const index = known.exchanges.findIndex((x) => x.url === facts.url && x.time === facts.time && x.grantType === facts.grantType);
      const before = index >= 0 ? known.exchanges[index] : undefined;
      if (!before) return undefined;
      // A later view of the same request: the answer's headers, then its body.
      const merged = { ...before, ...definedOnly(facts) };
      if (JSON.stringify(merged) === JSON.stringify(before)) return undefined;
      known.exchanges[index] = merged;
      return known;
    }
    let flow: Flow | undefined;
    if (facts.grantType === 'authorization_code') {
      if (facts.code !== undefined) {
        flow = this.list.find((f) => f.response?.code === facts.code || f.exchanges.some((x) => x.code === facts.code));
      }
      flow ??= [...this.list]
        .reverse()
        .find(
          (f) =>
            f.exchanges.length === 0 &&
            f.response?.code === undefined &&
            f.authorization !== undefined &&
            facts.clientId !== undefined &&
            f.authorization.clientId === facts.clientId &&
            (facts.redirectUri === undefined || f.authorization.redirectUri === facts.redirectUri) &&
            f.response === undefined,
        );
      flow ??= this.newFlow();
    } else {
      const refresh = facts.refreshTokenSent;
      flow = refresh !== undefined ? this.list.find((f) => f.exchanges.some((x) => x.refreshToken === refresh)) : undefined;
      if (!flow) return undefined;
    }
    if (flow.exchanges.length >= MAX_EXCHANGES_PER_FLOW) return undefined;
    if (flow.clientId === undefined && facts.clientId !== undefined) flow.clientId = facts.clientId;
    flow.exchanges.push(facts);
    flow.exchangeKeys.push(step.exchange);
    this.addStep(flow, { time: facts.time, kind: facts.grantType === 'refresh_token' ? 'refresh' : 'code-exchange', url: facts.url });
    return flow;
  }

  private addDiscovery(facts: DiscoveryFacts): boolean {
    if (this.discoveries.some((d) => d.issuer === facts.issuer)) return false;
    if (this.discoveries.length >= MAX_DISCOVERIES) this.discoveries.shift();
    this.discoveries.push(facts);
    return true;
  }

  private issuerOf(flow: Flow): string | undefined {
    const arUrl = flow.authorization?.url;
    for (const d of this.discoveries) {
      const endpoints = [d.authorizationEndpoint, d.parEndpoint].filter((e): e is string => !!e);
      if (arUrl !== undefined && endpoints.some((e) => withoutQuery(arUrl) === withoutQuery(e))) return d.issuer;
      if (d.tokenEndpoint !== undefined && flow.exchanges.some((x) => withoutQuery(x.url) === withoutQuery(d.tokenEndpoint!)))
        return d.issuer;
    }
    return undefined;
  }

  private newFlow(): Flow {
    const flow: Flow = { id: this.nextId++, exchanges: [], bearerUses: [], exchangeKeys: [], steps: [] };
    this.list.push(flow);
    if (this.list.length > MAX_FLOWS) this.list.shift();
    return flow;
  }

  private addStep(flow: Flow, step: FlowStep): boolean {
    if (flow.steps.length >= MAX_STEPS_PER_FLOW) return false;
    // Where, not what: the query and fragment hold codes and tokens.
    flow.steps.push({ ...step, url: withoutQuery(step.url) });
    flow.steps.sort((a, b) => a.time - b.time);
    return true;
  }
}

function sameResponse(a: AuthorizationResponseFacts, b: AuthorizationResponseFacts): boolean {
  if (a.code !== undefined || b.code !== undefined) return a.code === b.code;
  if (a.accessToken !== undefined || b.accessToken !== undefined) return a.accessToken === b.accessToken;
  if (a.idToken !== undefined || b.idToken !== undefined) return a.idToken === b.idToken;
  return a.state === b.state && a.error === b.error;
}

/** Whether `url` arrives at `redirectUri` (same origin and path; the query and fragment are the answer). */
function atRedirect(url: string, redirectUri: string | undefined): boolean {
  return redirectUri !== undefined && withoutQuery(url) === withoutQuery(redirectUri);
}

function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

function tokensOf(flow: Flow): string[] {
  const out = new Set<string>();
  for (const t of [flow.response?.accessToken, flow.response?.idToken]) if (t) out.add(t);
  for (const x of flow.exchanges) for (const t of [x.accessToken, x.idToken]) if (t) out.add(t);
  return [...out];
}

function isJwt(value: string): boolean {
  const found = findTokens(value);
  return found.length === 1 && found[0]!.start === 0 && found[0]!.end === value.length;
}

function nonceOf(idToken: string): string | undefined {
  const decoded = decodeToken(idToken);
  const nonce = decoded.ok && isJsonObject(decoded.payload) ? decoded.payload.nonce : undefined;
  return typeof nonce === 'string' ? nonce : undefined;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
