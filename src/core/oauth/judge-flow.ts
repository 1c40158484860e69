// One OAuth 2.0 / OpenID Connect flow judged against the specs: the flow finding ids of ARCHITECTURE.md, each
// with its evidence and the tokens it concerns (the panel shows those on the tokens' rows too).
//
// Decisions:
// - Only what was seen is judged: a flow whose authorization request happened in a pop-up the panel does not
//   inspect has no request to judge for state or PKCE, and raises nothing about them.
// - oauth-no-state is not raised when PKCE is used (RFC 9700 §2.1: PKCE protects against CSRF too).
//   oauth-no-pkce is not raised for an OpenID Connect request that sends a nonce (RFC 9700 §2.1.1 lets such
//   clients rely on the nonce against code injection); without the request, a code exchange without
//   code_verifier whose ID token carries no nonce raises it.
// - A code_challenge without code_challenge_method is plain (RFC 7636 §4.3).
// - oauth-implicit-flow is about access tokens in the front channel (response_type with the word "token", or an
//   access_token in the authorization response); an ID token alone there is the OpenID Connect implicit
//   sign-in, judged by its nonce.
// - nonce: ID tokens of the front channel and of the code exchange must carry the nonce sent; ID tokens of a
//   refresh may omit it, and must equal it when they carry one (OIDC Core §12.2).
// - at_hash / c_hash: a value present and wrong is a mismatch; absent where OIDC requires it (an ID token in
//   the front channel with an access token or code beside it) too.
// - The issuer the flow used is the authorization response's iss (RFC 9207), else the issuer of the
//   discovery document whose endpoints the flow called.
// - Never throws; evidence quotes at most a few values, each clipped, and URLs without their query and
//   fragment (where codes and tokens travel).
import { decodeToken } from '../decode';
import { finding, sortFindings, type BuiltFinding } from '../findings';
import { isJsonObject } from '../is-json-object';
import { isLoopbackHost } from '../is-loopback';
import type { FindingId, JsonObject } from '../types';
import type { OAuthFlowFacts, TokenExchangeFacts } from './flow-facts';
import { checkTokenHash } from './token-hash';

export interface FlowFinding extends BuiltFinding {
  /** The tokens (as captured) this finding concerns; empty for findings about the flow as a whole. */
  tokens: string[];
}

const MAX_EVIDENCE_ITEMS = 3;
const MAX_QUOTED_CHARS = 80;

/** The words of a response_type ("code id_token" → code, id_token). */
export function responseTypeWords(responseType: string | undefined): Set<string> {
  return new Set(typeof responseType === 'string' ? responseType.split(' ').filter(Boolean) : []);
}

/** How the flow used PKCE: the method of its code_challenge, none, or unknown when only the verifier was seen. */
export function pkceMethodOf(flow: OAuthFlowFacts): 'S256' | 'plain' | 'none' | 'unknown' {
  const ar = flow.authorization;
  if (ar) {
    if (ar.codeChallenge === undefined) return 'none';
    return ar.codeChallengeMethod === 'S256'
      ? 'S256'
      : ar.codeChallengeMethod === undefined || ar.codeChallengeMethod === 'plain'
        ? 'plain'
        : 'unknown';
  }
  const code = flow.exchanges.find((x) => x.grantType === 'authorization_code');
  if (!code) return 'none';
  return code.codeVerifierSent ? 'unknown' : 'none';
}

export function judgeFlow(flow: OAuthFlowFacts): FlowFinding[] {
  const found = new Map<FindingId, { evidence: string[]; tokens: Set<string> }>();
  const raise = (id: FindingId, evidence: string, tokens: (string | undefined)[] = []): void => {
    let f = found.get(id);
    if (!f) found.set(id, (f = { evidence: [], tokens: new Set() }));
    if (f.evidence.length < MAX_EVIDENCE_ITEMS && !f.evidence.includes(evidence)) f.evidence.push(evidence);
    for (const t of tokens) if (typeof t === 'string') f.tokens.add(t);
  };
  try {
    judgeRequest(flow, raise);
    judgeExchanges(flow, raise);
    judgeIdTokens(flow, raise);
    for (const use of flow.bearerUses ?? []) {
      raise('id-token-as-bearer', `The ID token was sent as a Bearer token to ${quoteUrl(use.url)}.`, [use.token]);
    }
  } catch {
    // What was found stands.
  }
  const out: FlowFinding[] = [];
  for (const [id, f] of found) out.push({ ...finding(id, f.evidence.join(' ')), tokens: [...f.tokens] });
  return sortFindings(out);
}

type Raise = (id: FindingId, evidence: string, tokens?: (string | undefined)[]) => void;

function judgeRequest(flow: OAuthFlowFacts, raise: Raise): void {
  const ar = flow.authorization;
  const resp = flow.response;
  const words = responseTypeWords(ar?.responseType);
  if (ar) {
    const where = ar.pushed ? 'The pushed authorization request' : 'The authorization request';
    if (ar.state === undefined && ar.codeChallenge === undefined) {
      raise('oauth-no-state', `${where} to ${quoteUrl(ar.url)} sent no state and no code_challenge.`);
    }
    if (words.has('code') && ar.codeChallenge === undefined && ar.nonce === undefined) {
      raise('oauth-no-pkce', `${where} (response_type ${quote(ar.responseType)}) sent no code_challenge (and no OpenID Connect nonce).`);
    }
    if (ar.codeChallenge !== undefined && (ar.codeChallengeMethod === undefined || ar.codeChallengeMethod === 'plain')) {
      raise(
        'oauth-pkce-plain',
        ar.codeChallengeMethod === undefined
          ? `${where} sent a code_challenge without code_challenge_method, which means plain.`
          : `${where} sent code_challenge_method=plain.`,
      );
    }
    if (words.has('token')) raise('oauth-implicit-flow', `${where} asked for response_type ${quote(ar.responseType)}.`);
    if (words.has('id_token') && ar.nonce === undefined) {
      raise('oidc-nonce-missing', `${where} asked for response_type ${quote(ar.responseType)} without a nonce.`);
    }
    if (ar.clientSecretSent) raise('oauth-client-secret-in-browser', `${where} to ${quoteUrl(ar.url)} carried a client_secret.`);
    if (resp && ar.state !== undefined && resp.state !== ar.state) {
      raise(
        'oauth-state-mismatch',
        resp.state === undefined
          ? `The authorization response to ${quoteUrl(resp.url)} came back without the state sent.`
          : `The authorization response came back with state ${quote(resp.state)}, the request sent ${quote(ar.state)}.`,
      );
    }
  } else {
    const exchange = flow.exchanges.find((x) => x.grantType === 'authorization_code');
    if (exchange && exchange.codeVerifierSent === false && !idTokenHasNonce(exchange.idToken)) {
      raise(
        'oauth-no-pkce',
        `The code exchange at ${quoteUrl(exchange.url)} sent no code_verifier (the authorization request was not seen).`,
      );
    }
  }
  if (resp?.accessToken !== undefined) {
    raise(
      'oauth-implicit-flow',
      `The authorization response to ${quoteUrl(resp.url)} carried an access token in its ${resp.inFragment ? 'fragment' : 'query'}.`,
      [resp.accessToken, resp.idToken],
    );
  }
  const redirects = [ar?.redirectUri, ...flow.exchanges.map((x) => x.redirectUri)];
  for (const uri of redirects) {
    if (uri !== undefined && isCleartextRedirect(uri)) {
      raise('oauth-redirect-uri-http', `The redirect URI ${quote(uri)} is plain http on a host other than loopback.`);
      break;
    }
  }
}

function judgeExchanges(flow: OAuthFlowFacts, raise: Raise): void {
  const byCode = new Map<string, TokenExchangeFacts[]>();
  for (const x of flow.exchanges) {
    const tokens = [x.accessToken, x.idToken];
    if (x.clientSecretSent) {
      raise(
        'oauth-client-secret-in-browser',
        x.clientSecretSent === 'basic'
          ? `The token request to ${quoteUrl(x.url)} sent client credentials in an HTTP Basic Authorization header.`
          : `The token request to ${quoteUrl(x.url)} sent a client_secret in its body.`,
      );
    }
    if (x.status >= 200 && x.status < 300 && !(x.cacheControl ?? '').split(',').some((d) => d.trim() === 'no-store')) {
      raise(
        'oauth-token-response-cacheable',
        `The token response from ${quoteUrl(x.url)} came ${x.cacheControl === undefined ? 'without Cache-Control' : `with Cache-Control ${quote(x.cacheControl)}`}.`,
        tokens,
      );
    }
    if (x.grantType === 'authorization_code' && x.code !== undefined) {
      const list = byCode.get(x.code) ?? [];
      list.push(x);
      byCode.set(x.code, list);
    }
  }
  for (const [code, list] of byCode) {
    if (list.length < 2) continue;
    raise(
      'oauth-code-reused',
      `The same code (${maskCode(code)}) was sent in ${list.length} token requests.`,
      list.flatMap((x) => [x.accessToken, x.idToken]),
    );
  }
}

interface IdTokenSource {
  token: string;
  /** Front channel (authorization response), the code exchange, or a refresh. */
  from: 'front' | 'code' | 'refresh';
  accessToken?: string;
  code?: string;
}

function judgeIdTokens(flow: OAuthFlowFacts, raise: Raise): void {
  const ar = flow.authorization;
  const resp = flow.response;
  const words = responseTypeWords(ar?.responseType);
  const clientId = flow.clientId ?? ar?.clientId ?? flow.exchanges.find((x) => x.clientId !== undefined)?.clientId;
  const sources: IdTokenSource[] = [];
  if (resp?.idToken) sources.push({ token: resp.idToken, from: 'front', accessToken: resp.accessToken, code: resp.code });
  for (const x of flow.exchanges) {
    if (x.idToken)
      sources.push({ token: x.idToken, from: x.grantType === 'refresh_token' ? 'refresh' : 'code', accessToken: x.accessToken });
  }
  const issuer = resp?.iss ?? flow.issuer;
  if (resp?.iss !== undefined && flow.issuer !== undefined && resp.iss !== flow.issuer) {
    raise('oidc-iss-mismatch', `The authorization response names the issuer ${quote(resp.iss)}; the flow used ${quote(flow.issuer)}.`);
  }
  for (const source of sources) {
    const decoded = decodeToken(source.token);
    if (!decoded.ok || !isJsonObject(decoded.payload)) continue;
    const claims: JsonObject = decoded.payload;
    const alg = decoded.header.alg;
    const t = [source.token];
    const nonce = claims.nonce;
    if (ar?.nonce !== undefined && (source.from !== 'refresh' || nonce !== undefined) && nonce !== ar.nonce) {
      raise(
        'oidc-nonce-mismatch',
        nonce === undefined
          ? `The ID token has no nonce; the request sent ${quote(ar.nonce)}.`
          : `The ID token's nonce is ${quote(String(nonce))}; the request sent ${quote(ar.nonce)}.`,
        t,
      );
    }
    if (source.accessToken !== undefined) {
      const check = checkTokenHash(claims.at_hash, source.accessToken, alg);
      if (check === 'mismatch' || (check === 'absent' && source.from === 'front')) {
        raise(
          'oidc-at-hash-mismatch',
          check === 'absent'
            ? 'The ID token in the authorization response has no at_hash for the access token beside it.'
            : `The ID token's at_hash ${quote(String(claims.at_hash))} is not the ${String(alg)} hash of the access token issued with it.`,
          t,
        );
      }
    }
    if (source.from === 'front' && source.code !== undefined) {
      const check = checkTokenHash(claims.c_hash, source.code, alg);
      if (check === 'mismatch' || (check === 'absent' && words.has('code') && words.has('id_token'))) {
        raise(
          'oidc-c-hash-mismatch',
          check === 'absent'
            ? 'The ID token in the hybrid response has no c_hash for the code beside it.'
            : `The ID token's c_hash ${quote(String(claims.c_hash))} is not the ${String(alg)} hash of the code.`,
          t,
        );
      }
    }
    const aud = Array.isArray(claims.aud)
      ? claims.aud.filter((a): a is string => typeof a === 'string')
      : typeof claims.aud === 'string'
        ? [claims.aud]
        : [];
    if (clientId !== undefined && !aud.includes(clientId)) {
      raise('oidc-aud-mismatch', `The ID token's aud is ${quote(aud.join(', ') || '(none)')}; the client is ${quote(clientId)}.`, t);
    }
    if (clientId !== undefined && claims.azp !== undefined && claims.azp !== clientId) {
      raise('oidc-azp-mismatch', `The ID token's azp is ${quote(String(claims.azp))}; the client is ${quote(clientId)}.`, t);
    } else if (claims.azp === undefined && aud.length > 1) {
      raise('oidc-azp-mismatch', `The ID token names ${aud.length} audiences and no azp.`, t);
    }
    if (issuer !== undefined && claims.iss !== issuer) {
      raise('oidc-iss-mismatch', `The ID token's iss is ${quote(String(claims.iss))}; the flow used the issuer ${quote(issuer)}.`, t);
    }
  }
}

function idTokenHasNonce(token: string | undefined): boolean {
  if (token === undefined) return false;
  const decoded = decodeToken(token);
  return decoded.ok && isJsonObject(decoded.payload) && decoded.payload.nonce !== undefined;
}

function isCleartextRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/** A URL without its query and fragment: they hold codes and tokens, which evidence never repeats. */
function quoteUrl(url: string): string {
  const cut = typeof url === 'string' ? url.search(/[?#]/) : -1;
  return quote(cut < 0 ? url : url.slice(0, cut));
}

/** A code is a credential until used: named by its ends only. */
function maskCode(code: string): string {
  return code.length >= 16 ? `${code.slice(0, 4)}…${code.slice(-4)}` : '…';
}

function quote(value: string | undefined): string {
  const text = typeof value === 'string' ? value : '';
  return JSON.stringify(text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text);
}
