// The steps of OAuth 2.0 / OpenID Connect sign-ins in what the panel already captures: HAR entries and the
// page's own address. The panel's flow model (src/devtools/model/oauth-flows.ts) ties them into flows; the
// core (src/core/oauth) judges them.
//
// Decisions:
// - An authorization request is a URL whose query carries client_id with response_type (or request_uri, the
//   second leg of a pushed request), whatever its host: the provider is not known in advance. A POST whose
//   form body carries both is a pushed authorization request (RFC 9126 §2.1); its answer's request_uri ties
//   the two legs.
// - An authorization response is a URL (a navigation, a redirect's Location, the page's own address) whose
//   query or fragment carries code or an error next to state or iss — or code alone (a client that sends no
//   state): the flow model accepts that one only at a redirect URI it knows — or whose fragment carries
//   access_token or id_token next to state or token_type (never the query: that is an API call's token).
// - A token request is a POST whose body (form or JSON) says grant_type authorization_code or refresh_token;
//   its response gives status, Cache-Control and, once the body is read, the tokens. The no-store trap
//   (ARCHITECTURE.md) means the body often comes in a second call for the same entry: steps carry the
//   entry's ingest key so the model merges them.
// - A discovery document is a JSON answer at /.well-known/openid-configuration or
//   /.well-known/oauth-authorization-server with an issuer.
// - Values are kept as the page sent them and bounded; nothing here throws or fetches.
import type { AuthorizationRequestFacts, AuthorizationResponseFacts, BearerUseFacts, TokenExchangeFacts } from '../core/oauth/flow-facts';
import { isJsonObject } from '../core/is-json-object';
import { normalizeEntry, type NormalizedEntry } from './har-normalize';
import { ingestKey } from './ingest-key';
import type { CapturedSighting } from './sightings-from-entry';
import { AUTH_RESPONSE_PARAM, mayHoldOAuthStep, WELL_KNOWN } from './oauth-step-filter';

export interface DiscoveryFacts {
  issuer: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  parEndpoint?: string;
}

export type OAuthStep =
  | { kind: 'authorization-request'; exchange?: string; requestUri?: string; facts: AuthorizationRequestFacts }
  | { kind: 'authorization-response'; facts: AuthorizationResponseFacts }
  | { kind: 'token-exchange'; exchange: string; facts: TokenExchangeFacts }
  | { kind: 'discovery'; facts: DiscoveryFacts }
  | { kind: 'bearer'; facts: BearerUseFacts };

export const MAX_OAUTH_URL_CHARS = 8192;
export const MAX_OAUTH_BODY_CHARS = 256 * 1024;
/** Parameter values kept (codes, states, nonces are short; tokens are not kept past this). */
export const MAX_PARAM_CHARS = 64 * 1024;

/** The OAuth steps in one HAR entry; `responseBody` wins over the entry's own content. Never throws. */
export function oauthStepsFromEntry(entry: unknown, responseBody?: string): OAuthStep[] {
  try {
    if (!mayHoldOAuthStep(entry)) return [];
    const e = normalizeEntry(entry);
    const exchange = ingestKey(entry);
    if (!e || exchange === undefined) return [];
    const steps: OAuthStep[] = [];
    const body = typeof responseBody === 'string' ? responseBody : e.responseText;
    if (e.url.length <= MAX_OAUTH_URL_CHARS) {
      const request = authorizationRequestFromUrl(e.url, e.time);
      if (request) steps.push(request);
      else {
        const response = authorizationResponseFromUrl(e.url, e.time);
        if (response) steps.push(response);
      }
      if (e.method === 'GET' && WELL_KNOWN.test(e.url) && body) {
        const discovery = discoveryFromBody(body);
        if (discovery) steps.push({ kind: 'discovery', facts: discovery });
      }
    }
    if (e.status >= 300 && e.status < 400) {
      const location = e.responseHeaders.find((h) => h.name === 'location')?.value ?? e.redirectURL;
      const target = location ? resolve(location, e.url) : undefined;
      if (target) {
        const response = authorizationResponseFromUrl(target, e.time);
        if (response) steps.push(response);
      }
    }
    if (e.method === 'POST' && e.postData) {
      const params = bodyParams(e.postData.text, e.postData.params);
      if (params) {
        const step = tokenExchangeFrom(e, params, body, exchange) ?? pushedRequestFrom(e, params, body, exchange);
        if (step) steps.push(step);
      }
    }
    return steps;
  } catch {
    return [];
  }
}

/** The authorization response in the page's own address (query or fragment), if it holds one. */
export function oauthStepsFromPageUrl(url: unknown, time: number): OAuthStep[] {
  try {
    if (typeof url !== 'string' || url.length > MAX_OAUTH_URL_CHARS || !AUTH_RESPONSE_PARAM.test(url)) return [];
    const response = authorizationResponseFromUrl(url, time);
    return response ? [response] : [];
  } catch {
    return [];
  }
}

/** Tokens sent in an Authorization header: the flow model keeps those that are a flow's ID tokens. */
export function bearerStepsFromSightings(sightings: readonly CapturedSighting[]): OAuthStep[] {
  let out: OAuthStep[] | undefined;
  for (const s of sightings) {
    if (s.sighting.where !== 'authorization-header' || s.side !== 'request') continue;
    (out ??= []).push({ kind: 'bearer', facts: { url: s.requestUrl, time: s.time, token: s.token } });
  }
  return out ?? [];
}

// ---------------------------------------------------------------------------------------------------------

function authorizationRequestFromUrl(raw: string, time: number): OAuthStep | undefined {
  const q = raw.indexOf('?');
  if (q < 0 || !raw.includes('client_id=')) return undefined;
  const url = new URL(raw);
  const p = url.searchParams;
  const clientId = value(p.get('client_id'));
  const responseType = value(p.get('response_type'));
  const requestUri = value(p.get('request_uri'));
  if (clientId === undefined || (responseType === undefined && requestUri === undefined)) return undefined;
  const facts: AuthorizationRequestFacts = { url: raw, time, clientId };
  copyRequestParams(facts, (name) => value(p.get(name)));
  const step: OAuthStep = { kind: 'authorization-request', facts };
  if (requestUri !== undefined) step.requestUri = requestUri;
  return step;
}

function copyRequestParams(facts: AuthorizationRequestFacts, get: (name: string) => string | undefined): void {
  const fields: [keyof AuthorizationRequestFacts, string][] = [
    ['responseType', 'response_type'],
    ['responseMode', 'response_mode'],
    ['redirectUri', 'redirect_uri'],
    ['state', 'state'],
    ['nonce', 'nonce'],
    ['scope', 'scope'],
    ['codeChallenge', 'code_challenge'],
    ['codeChallengeMethod', 'code_challenge_method'],
  ];
  for (const [key, name] of fields) {
    const v = get(name);
    if (v !== undefined) (facts as unknown as Record<string, string>)[key] = v;
  }
  if (get('client_secret') !== undefined) facts.clientSecretSent = true;
}

function authorizationResponseFromUrl(raw: string, time: number): OAuthStep | undefined {
  if (!AUTH_RESPONSE_PARAM.test(raw)) return undefined;
  const url = new URL(raw);
  const hash = url.hash.length > 1 ? new URLSearchParams(url.hash.slice(1)) : undefined;
  for (const [params, inFragment] of [
    [hash, true],
    [url.searchParams, false],
  ] as const) {
    if (!params) continue;
    const code = value(params.get('code'));
    const error = value(params.get('error'));
    // Tokens never come back in the query (OAuth 2.0 Multiple Response Type Encoding Practices §2.1): an
    // access_token there is an API call's (RFC 6750 §2.3), not an authorization response. In the fragment
    // they count next to a state or token_type, as an authorization server writes them.
    const tokensHere = inFragment && (params.has('state') || params.has('token_type'));
    const accessToken = tokensHere ? value(params.get('access_token')) : undefined;
    const idToken = tokensHere ? value(params.get('id_token')) : undefined;
    if (code === undefined && error === undefined && accessToken === undefined && idToken === undefined) continue;
    // A request's own parameters (client_id with response_type) are not an answer.
    if (params.get('response_type') !== null) continue;
    const facts: AuthorizationResponseFacts = { url: raw, time, inFragment };
    const state = value(params.get('state'));
    const iss = value(params.get('iss'));
    if (code !== undefined) facts.code = code;
    if (error !== undefined) facts.error = error;
    if (accessToken !== undefined) facts.accessToken = accessToken;
    if (idToken !== undefined) facts.idToken = idToken;
    if (state !== undefined) facts.state = state;
    if (iss !== undefined) facts.iss = iss;
    return { kind: 'authorization-response', facts };
  }
  return undefined;
}

type Params = (name: string) => string | undefined;

function bodyParams(text: string, params: readonly { name: string; value: string }[]): Params | undefined {
  if (text !== '') {
    if (text.length > MAX_OAUTH_BODY_CHARS) return undefined;
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) {
      const json = parseObject(trimmed);
      return json ? (name) => (typeof json[name] === 'string' ? value(json[name] as string) : undefined) : undefined;
    }
    const form = new URLSearchParams(trimmed);
    return (name) => value(form.get(name));
  }
  if (params.length === 0) return undefined;
  return (name) => {
    const v = params.find((p) => p.name === name)?.value;
    // Browsers differ on whether `params` are percent-decoded.
    return v === undefined ? undefined : value(safeDecode(v));
  };
}

function tokenExchangeFrom(e: NormalizedEntry, get: Params, body: string | undefined, exchange: string): OAuthStep | undefined {
  const grantType = get('grant_type');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') return undefined;
  const facts: TokenExchangeFacts = { url: e.url, time: e.time, grantType, status: e.status };
  const code = get('code');
  if (code !== undefined) facts.code = code;
  if (grantType === 'authorization_code') facts.codeVerifierSent = get('code_verifier') !== undefined;
  const redirectUri = get('redirect_uri');
  if (redirectUri !== undefined) facts.redirectUri = redirectUri;
  const clientId = get('client_id');
  if (clientId !== undefined) facts.clientId = clientId;
  const refresh = get('refresh_token');
  if (refresh !== undefined) facts.refreshTokenSent = refresh;
  if (get('client_secret') !== undefined) facts.clientSecretSent = 'body';
  else {
    const authorization = e.requestHeaders.find((h) => h.name === 'authorization')?.value;
    if (authorization !== undefined && /^\s*basic\s/i.test(authorization)) facts.clientSecretSent = 'basic';
  }
  if (e.status !== 0) {
    const cacheControl = e.responseHeaders.find((h) => h.name === 'cache-control')?.value;
    if (cacheControl !== undefined) facts.cacheControl = cacheControl.toLowerCase();
  }
  const json = body && body.length <= MAX_OAUTH_BODY_CHARS && body.trimStart().startsWith('{') ? parseObject(body) : undefined;
  if (json) {
    for (const [key, name] of [
      ['accessToken', 'access_token'],
      ['idToken', 'id_token'],
      ['refreshToken', 'refresh_token'],
      ['tokenType', 'token_type'],
      ['scope', 'scope'],
    ] as const) {
      const v = json[name];
      if (typeof v === 'string' && v !== '' && v.length <= MAX_PARAM_CHARS) facts[key] = v;
    }
    const expiresIn = json.expires_in;
    if (typeof expiresIn === 'number' && Number.isFinite(expiresIn)) facts.expiresIn = expiresIn;
  }
  return { kind: 'token-exchange', exchange, facts };
}

function pushedRequestFrom(e: NormalizedEntry, get: Params, body: string | undefined, exchange: string): OAuthStep | undefined {
  const clientId = get('client_id');
  if (clientId === undefined || get('response_type') === undefined) return undefined;
  const facts: AuthorizationRequestFacts = { url: e.url, time: e.time, clientId, pushed: true };
  copyRequestParams(facts, get);
  if (get('client_secret') === undefined) {
    const authorization = e.requestHeaders.find((h) => h.name === 'authorization')?.value;
    if (authorization !== undefined && /^\s*basic\s/i.test(authorization)) facts.clientSecretSent = true;
  }
  const step: OAuthStep = { kind: 'authorization-request', exchange, facts };
  const json = body && body.length <= MAX_OAUTH_BODY_CHARS ? parseObject(body) : undefined;
  const requestUri = json && typeof json.request_uri === 'string' ? value(json.request_uri) : undefined;
  if (requestUri !== undefined) step.requestUri = requestUri;
  return step;
}

function discoveryFromBody(body: string): DiscoveryFacts | undefined {
  if (body.length > MAX_OAUTH_BODY_CHARS) return undefined;
  const json = parseObject(body);
  const issuer = json && typeof json.issuer === 'string' ? value(json.issuer) : undefined;
  if (!json || issuer === undefined) return undefined;
  const facts: DiscoveryFacts = { issuer };
  for (const [key, name] of [
    ['authorizationEndpoint', 'authorization_endpoint'],
    ['tokenEndpoint', 'token_endpoint'],
    ['parEndpoint', 'pushed_authorization_request_endpoint'],
  ] as const) {
    const v = json[name];
    if (typeof v === 'string' && v.length <= MAX_OAUTH_URL_CHARS) facts[key] = v;
  }
  return facts;
}

function value(v: string | null | undefined): string | undefined {
  return typeof v === 'string' && v !== '' && v.length <= MAX_PARAM_CHARS ? v : undefined;
}

function resolve(location: string, base: string): string | undefined {
  try {
    return location.length <= MAX_OAUTH_URL_CHARS ? new URL(location, base).href : undefined;
  } catch {
    return undefined;
  }
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
