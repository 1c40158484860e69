import { describe, expect, it } from 'vitest';
import { judgeFlow, pkceMethodOf, tokenHash, type OAuthFlowFacts, type TokenExchangeFacts } from '../../src/core/oauth';

// The parameters are the specifications' own examples: RFC 6749 §4.1.1 (client s6BhdRkqt3, state xyz, redirect
// https://client.example.com/cb), RFC 7636 Appendix B (the verifier and its S256 challenge), OpenID Connect Core
// §3.1.2.1 and Appendix A (nonce n-0S6_WzA2Mj, issuer https://server.example.com).
const CLIENT = 's6BhdRkqt3';
const ISSUER = 'https://server.example.com';
const REDIRECT = 'https://client.example.com/cb';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGjSstw-cM';
const NONCE = 'n-0S6_WzA2Mj';
const CODE = 'SplxlOBeZQQYbYS6WxSbIA';
const ACCESS = 'jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** An ID token as the flow carries it: the judgement decodes it and never verifies it. */
function idToken(claims: Record<string, unknown>, alg = 'RS256'): string {
  return `${b64({ alg, kid: '1e9gdk7' })}.${b64({ iss: ISSUER, sub: '248289761001', aud: CLIENT, nonce: NONCE, exp: 1311281970, iat: 1311280970, ...claims })}.c2lnbmF0dXJl`;
}

function exchange(over: Partial<TokenExchangeFacts> = {}): TokenExchangeFacts {
  const id = idToken({ at_hash: tokenHash(ACCESS, 'RS256') });
  return {
    url: `${ISSUER}/token`,
    time: 2,
    grantType: 'authorization_code',
    code: CODE,
    codeVerifierSent: true,
    redirectUri: REDIRECT,
    clientId: CLIENT,
    status: 200,
    cacheControl: 'no-store',
    accessToken: ACCESS,
    idToken: id,
    tokenType: 'Bearer',
    ...over,
  };
}

/** Code + PKCE S256 + state + nonce, every answer right: the flow the checks compare against. */
function goodFlow(): OAuthFlowFacts {
  return {
    clientId: CLIENT,
    issuer: ISSUER,
    authorization: {
      url: `${ISSUER}/authorize?response_type=code&client_id=${CLIENT}`,
      time: 0,
      clientId: CLIENT,
      responseType: 'code',
      redirectUri: REDIRECT,
      state: 'xyz',
      nonce: NONCE,
      scope: 'openid',
      codeChallenge: CHALLENGE,
      codeChallengeMethod: 'S256',
    },
    response: {
      url: `${REDIRECT}?code=${CODE}&state=xyz&iss=${encodeURIComponent(ISSUER)}`,
      time: 1,
      code: CODE,
      state: 'xyz',
      iss: ISSUER,
      inFragment: false,
    },
    exchanges: [exchange()],
    bearerUses: [],
  };
}

const ids = (flow: OAuthFlowFacts) => judgeFlow(flow).map((f) => f.id);

describe('judgeFlow: one OAuth 2.0 / OpenID Connect flow against the specs', () => {
  it('finds nothing in code + PKCE S256 + state + nonce with right answers', () => {
    expect(judgeFlow(goodFlow())).toEqual([]);
    expect(pkceMethodOf(goodFlow())).toBe('S256');
  });

  it('oauth-no-state: no state and no PKCE (RFC 6749 §10.12); PKCE alone is enough (RFC 9700 §2.1)', () => {
    const flow = goodFlow();
    delete flow.authorization!.state;
    delete flow.response!.state;
    expect(ids(flow)).toEqual([]);
    delete flow.authorization!.codeChallenge;
    delete flow.authorization!.codeChallengeMethod;
    // The nonce stands in for PKCE (RFC 9700 §2.1.1), not for state.
    expect(ids(flow)).toEqual(['oauth-no-state']);
  });

  it('oauth-state-mismatch: another state, or none, comes back', () => {
    const flow = goodFlow();
    flow.response!.state = 'abc';
    expect(ids(flow)).toEqual(['oauth-state-mismatch']);
    delete flow.response!.state;
    expect(ids(flow)).toEqual(['oauth-state-mismatch']);
  });

  it('oauth-no-pkce: a code request without code_challenge or nonce (RFC 9700 §2.1.1)', () => {
    const flow = goodFlow();
    delete flow.authorization!.codeChallenge;
    delete flow.authorization!.codeChallengeMethod;
    delete flow.authorization!.nonce;
    flow.exchanges = [exchange({ codeVerifierSent: false, idToken: idToken({ nonce: undefined, at_hash: tokenHash(ACCESS, 'RS256') }) })];
    expect(ids(flow)).toEqual(['oauth-no-pkce']);
    expect(pkceMethodOf(flow)).toBe('none');
  });

  it('oauth-no-pkce without the authorization request: a code exchange without code_verifier and no nonce', () => {
    const flow = goodFlow();
    delete flow.authorization;
    delete flow.response;
    flow.exchanges = [exchange({ codeVerifierSent: false, idToken: idToken({ nonce: undefined, at_hash: tokenHash(ACCESS, 'RS256') }) })];
    expect(ids(flow)).toEqual(['oauth-no-pkce']);
    flow.exchanges = [exchange({ codeVerifierSent: true })];
    expect(ids(flow)).toEqual([]);
    expect(pkceMethodOf(flow)).toBe('unknown');
  });

  it('oauth-pkce-plain: method plain, or a challenge without a method (RFC 7636 §4.3)', () => {
    const flow = goodFlow();
    flow.authorization!.codeChallengeMethod = 'plain';
    expect(ids(flow)).toEqual(['oauth-pkce-plain']);
    expect(pkceMethodOf(flow)).toBe('plain');
    delete flow.authorization!.codeChallengeMethod;
    expect(ids(flow)).toEqual(['oauth-pkce-plain']);
    expect(pkceMethodOf(flow)).toBe('plain');
  });

  it('oauth-implicit-flow: response_type id_token token, tokens in the fragment (RFC 9700 §2.1.2)', () => {
    const access = ACCESS;
    const id = idToken({ at_hash: tokenHash(access, 'RS256') });
    const flow: OAuthFlowFacts = {
      clientId: CLIENT,
      authorization: {
        url: `${ISSUER}/authorize`,
        time: 0,
        clientId: CLIENT,
        responseType: 'id_token token',
        state: 'af0ifjsldkj',
        nonce: NONCE,
        redirectUri: REDIRECT,
      },
      response: { url: `${REDIRECT}#access_token=…`, time: 1, state: 'af0ifjsldkj', accessToken: access, idToken: id, inFragment: true },
      exchanges: [],
      bearerUses: [],
    };
    const found = judgeFlow(flow);
    expect(found.map((f) => f.id)).toEqual(['oauth-implicit-flow']);
    expect(found[0]!.tokens).toEqual([access, id]);
    // "id_token" alone is the OpenID Connect implicit sign-in: no access token in the front channel.
    flow.authorization!.responseType = 'id_token';
    delete flow.response!.accessToken;
    expect(ids(flow)).toEqual([]);
  });

  it('oauth-client-secret-in-browser: in a body or a Basic header', () => {
    const flow = goodFlow();
    flow.exchanges = [exchange({ clientSecretSent: 'body' })];
    expect(ids(flow)).toEqual(['oauth-client-secret-in-browser']);
    flow.exchanges = [exchange({ clientSecretSent: 'basic' })];
    expect(judgeFlow(flow)[0]!.detail).toContain('HTTP Basic');
  });

  it('oauth-token-response-cacheable: a token response without no-store (RFC 6749 §5.1), on the tokens it carried', () => {
    const flow = goodFlow();
    flow.exchanges = [exchange({ cacheControl: 'private, max-age=60' })];
    const found = judgeFlow(flow);
    expect(found.map((f) => f.id)).toEqual(['oauth-token-response-cacheable']);
    expect(found[0]!.tokens).toContain(ACCESS);
    flow.exchanges = [exchange({ cacheControl: undefined })];
    expect(ids(flow)).toEqual(['oauth-token-response-cacheable']);
    flow.exchanges = [exchange({ cacheControl: 'private, no-store' })];
    expect(ids(flow)).toEqual([]);
    // An error answer carries no tokens to cache.
    flow.exchanges = [exchange({ cacheControl: undefined, status: 400, accessToken: undefined, idToken: undefined })];
    expect(ids(flow)).toEqual([]);
  });

  it('oauth-code-reused: the same code in two token requests', () => {
    const flow = goodFlow();
    flow.exchanges = [exchange(), exchange({ time: 3, status: 400, accessToken: undefined, idToken: undefined })];
    expect(ids(flow)).toEqual(['oauth-code-reused']);
  });

  it('oauth-redirect-uri-http: plain http except loopback (RFC 8252 §7.3)', () => {
    const flow = goodFlow();
    flow.authorization!.redirectUri = 'http://client.example.com/cb';
    expect(ids(flow)).toEqual(['oauth-redirect-uri-http']);
    flow.authorization!.redirectUri = 'http://127.0.0.1:8080/cb';
    expect(ids(flow)).toEqual([]);
    flow.authorization!.redirectUri = 'http://[::1]:8080/cb';
    expect(ids(flow)).toEqual([]);
  });

  it('oidc-nonce-missing: implicit or hybrid without nonce (OIDC Core §3.2.2.11)', () => {
    const flow = goodFlow();
    flow.authorization!.responseType = 'code id_token';
    delete flow.authorization!.nonce;
    flow.response!.idToken = idToken({ nonce: undefined, c_hash: tokenHash(CODE, 'RS256') });
    expect(ids(flow)).toEqual(['oidc-nonce-missing']);
  });

  it('oidc-nonce-mismatch: an ID token with another nonce or none (§3.1.3.7); a refresh may omit it', () => {
    const flow = goodFlow();
    flow.exchanges = [exchange({ idToken: idToken({ nonce: 'other', at_hash: tokenHash(ACCESS, 'RS256') }) })];
    expect(ids(flow)).toEqual(['oidc-nonce-mismatch']);
    flow.exchanges = [exchange({ idToken: idToken({ nonce: undefined, at_hash: tokenHash(ACCESS, 'RS256') }) })];
    expect(ids(flow)).toEqual(['oidc-nonce-mismatch']);
    flow.exchanges = [
      exchange(),
      exchange({
        grantType: 'refresh_token',
        code: undefined,
        idToken: idToken({ nonce: undefined, at_hash: tokenHash(ACCESS, 'RS256') }),
      }),
    ];
    expect(ids(flow)).toEqual([]);
  });

  it('oidc-at-hash-mismatch: wrong at_hash beside its access token (§3.1.3.8), missing in the implicit response (§3.2.2.10)', () => {
    const flow = goodFlow();
    const wrong = idToken({ at_hash: tokenHash('another access token', 'RS256') });
    flow.exchanges = [exchange({ idToken: wrong })];
    const found = judgeFlow(flow);
    expect(found.map((f) => f.id)).toEqual(['oidc-at-hash-mismatch']);
    expect(found[0]!.tokens).toEqual([wrong]);
    // Hashed with the wrong function (SHA-256 under RS512) is wrong too.
    flow.exchanges = [exchange({ idToken: idToken({ at_hash: tokenHash(ACCESS, 'RS256') }, 'RS512') })];
    expect(ids(flow)).toEqual(['oidc-at-hash-mismatch']);
    // Absent from a code exchange's ID token is allowed (§3.1.3.6: OPTIONAL there).
    flow.exchanges = [exchange({ idToken: idToken({}) })];
    expect(ids(flow)).toEqual([]);
    flow.authorization!.responseType = 'id_token token';
    flow.authorization!.codeChallenge = undefined;
    flow.response = { url: REDIRECT, time: 1, state: 'xyz', accessToken: ACCESS, idToken: idToken({}), inFragment: true };
    flow.exchanges = [];
    expect(ids(flow).sort()).toEqual(['oauth-implicit-flow', 'oidc-at-hash-mismatch']);
  });

  it('oidc-c-hash-mismatch: the hybrid response’s c_hash wrong or missing (§3.3.2.11)', () => {
    const flow = goodFlow();
    flow.authorization!.responseType = 'code id_token';
    flow.response!.idToken = idToken({ c_hash: tokenHash(CODE, 'RS256') });
    expect(ids(flow)).toEqual([]);
    flow.response!.idToken = idToken({ c_hash: tokenHash('another code', 'RS256') });
    expect(ids(flow)).toEqual(['oidc-c-hash-mismatch']);
    flow.response!.idToken = idToken({});
    expect(ids(flow)).toEqual(['oidc-c-hash-mismatch']);
  });

  it('oidc-aud-mismatch and oidc-azp-mismatch (§3.1.3.7 3–5)', () => {
    const flow = goodFlow();
    flow.exchanges = [exchange({ idToken: idToken({ aud: 'another-client', at_hash: tokenHash(ACCESS, 'RS256') }) })];
    expect(ids(flow)).toEqual(['oidc-aud-mismatch']);
    flow.exchanges = [exchange({ idToken: idToken({ azp: 'another-client', at_hash: tokenHash(ACCESS, 'RS256') }) })];
    expect(ids(flow)).toEqual(['oidc-azp-mismatch']);
    flow.exchanges = [exchange({ idToken: idToken({ aud: [CLIENT, 'api'], at_hash: tokenHash(ACCESS, 'RS256') }) })];
    expect(ids(flow)).toEqual(['oidc-azp-mismatch']);
    flow.exchanges = [exchange({ idToken: idToken({ aud: [CLIENT, 'api'], azp: CLIENT, at_hash: tokenHash(ACCESS, 'RS256') }) })];
    expect(ids(flow)).toEqual([]);
  });

  it('oidc-iss-mismatch: the ID token’s iss, or the response’s iss (RFC 9207), is not the flow’s issuer', () => {
    const flow = goodFlow();
    flow.exchanges = [exchange({ idToken: idToken({ iss: 'https://attacker.example', at_hash: tokenHash(ACCESS, 'RS256') }) })];
    expect(ids(flow)).toEqual(['oidc-iss-mismatch']);
    const mixUp = goodFlow();
    mixUp.response!.iss = 'https://attacker.example';
    expect(ids(mixUp)).toContain('oidc-iss-mismatch');
  });

  it('id-token-as-bearer: on the ID token that was sent', () => {
    const flow = goodFlow();
    const id = flow.exchanges[0]!.idToken!;
    flow.bearerUses = [{ url: 'https://api.example.com/me', time: 5, token: id }];
    const found = judgeFlow(flow);
    expect(found.map((f) => f.id)).toEqual(['id-token-as-bearer']);
    expect(found[0]!.tokens).toEqual([id]);
    expect(found[0]!.detail).toContain('https://api.example.com/me');
  });

  it('never throws on nonsense, and clips what it quotes', () => {
    const flow = goodFlow();
    flow.authorization!.state = 'x'.repeat(10_000);
    flow.response!.state = 'y';
    const found = judgeFlow(flow);
    expect(found[0]!.detail.length).toBeLessThan(1000);
    expect(() => judgeFlow({ exchanges: [exchange({ idToken: 'not a token' })], bearerUses: [] })).not.toThrow();
    expect(() => judgeFlow(null as unknown as OAuthFlowFacts)).not.toThrow();
  });
});
