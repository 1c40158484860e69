// Step recognition (src/capture/oauth-steps.ts) and the flow model (src/devtools/model/oauth-flows.ts), fed
// with HAR entries as the panel gets them. The sign-in is the recorded real one (test/fixtures/oidc-provider:
// oidc-client-ts against oidc-provider), so the good flow's at_hash, nonce-less code flow and no-store answer
// are a real provider's; the careless variants change one thing each.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bearerStepsFromSightings, oauthStepsFromEntry, oauthStepsFromPageUrl } from '../../src/capture/oauth-steps';
import { sightingsFromEntry } from '../../src/capture/sightings-from-entry';
import { OAuthFlows } from '../../src/devtools/model/oauth-flows';
import { tokenHash } from '../../src/core/oauth';
import { entry, type EntrySpec } from './har-fixtures';
import type { HarEntry } from '../../src/capture/har-types';

interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}
const FLOW = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/oidc-provider/flow.json'), 'utf8')) as {
  issuer: string;
  clientOrigin: string;
  authorizationRequest: string;
  signIn: { request: Recorded; response: { status: number; headers: Record<string, string | number>; body: string } };
  refresh: { request: Recorded; response: { status: number; headers: Record<string, string | number>; body: string } };
};
const T = 1796542570;
const AR = new URL(FLOW.authorizationRequest);
const STATE = AR.searchParams.get('state')!;
const CODE = new URLSearchParams(FLOW.signIn.request.body).get('code')!;
const CALLBACK = `${FLOW.clientOrigin}/callback?code=${CODE}&state=${STATE}&iss=${encodeURIComponent(FLOW.issuer)}`;
const SIGNED_IN = JSON.parse(FLOW.signIn.response.body) as { access_token: string; id_token: string; refresh_token: string };

function recorded(
  r: Recorded,
  answer: { status: number; headers: Record<string, string | number>; body: string },
  time: number,
  over: Partial<EntrySpec> = {},
): HarEntry {
  return entry({
    method: r.method,
    url: r.url,
    time,
    requestHeaders: Object.entries(r.headers),
    postData: { mimeType: r.headers['content-type'] ?? 'application/x-www-form-urlencoded', text: r.body },
    status: answer.status,
    responseHeaders: Object.entries(answer.headers).map(([k, v]) => [k, String(v)] as [string, string]),
    body: answer.body,
    ...over,
  });
}

/** The sign-in as DevTools logs it: the authorization request, the redirect back, the code exchange. */
function signInEntries(over: { exchange?: Partial<EntrySpec>; callback?: string; authorization?: string } = {}): HarEntry[] {
  const auth = over.authorization ?? FLOW.authorizationRequest;
  return [
    entry({
      url: auth,
      time: T,
      status: 303,
      responseHeaders: [['location', `${FLOW.issuer}/interaction/abc`]],
      mimeType: 'text/html',
      body: '',
    }),
    entry({
      url: `${FLOW.issuer}/auth/abc`,
      time: T + 3,
      status: 303,
      responseHeaders: [['location', over.callback ?? CALLBACK]],
      mimeType: 'text/html',
      body: '',
    }),
    entry({ url: over.callback ?? CALLBACK, time: T + 4, mimeType: 'text/html', body: '<!doctype html>' }),
    recorded(FLOW.signIn.request, FLOW.signIn.response, T + 5, over.exchange),
  ];
}

function feed(flows: OAuthFlows, entries: HarEntry[]): Set<string> {
  const changed = new Set<string>();
  for (const e of entries) {
    for (const t of flows.take([...oauthStepsFromEntry(e), ...bearerStepsFromSightings(sightingsFromEntry(e))])) changed.add(t);
  }
  return changed;
}

const only = (flows: OAuthFlows) => {
  const list = flows.flows();
  expect(list).toHaveLength(1);
  return list[0]!;
};

describe('OAuth flows from captured traffic', () => {
  it('ties the recorded oidc-client-ts sign-in into one flow with no finding', () => {
    const flows = new OAuthFlows();
    feed(flows, signInEntries());
    feed(flows, [recorded(FLOW.refresh.request, FLOW.refresh.response, T + 60)]);
    const flow = only(flows);
    expect(flow).toMatchObject({
      clientId: 'spa',
      responseType: 'code',
      pkce: 'S256',
      redirectUri: `${FLOW.clientOrigin}/callback`,
      state: { sent: STATE, returned: STATE },
      findings: [],
    });
    expect(flow.steps.map((s) => s.kind)).toEqual(['authorization-request', 'authorization-response', 'code-exchange', 'refresh']);
    expect(flow.tokens.map((t) => t.token)).toContain(SIGNED_IN.id_token);
  });

  it('reads the pieces of an entry seen twice (headers first, the no-store body later) as one exchange', () => {
    const flows = new OAuthFlows();
    const [a, b, c, exchange] = signInEntries();
    const unread = structuredClone(exchange!);
    delete unread.response.content.text;
    feed(flows, [a!, b!, c!, unread]);
    expect(only(flows).tokens).toEqual([]);
    flows.take(oauthStepsFromEntry(unread, FLOW.signIn.response.body));
    expect(only(flows).tokens.map((t) => t.token)).toContain(SIGNED_IN.access_token);
    expect(only(flows).steps.filter((s) => s.kind === 'code-exchange')).toHaveLength(1);
  });

  it('takes the response in the page’s own address as the one the redirect already brought', () => {
    const flows = new OAuthFlows();
    feed(flows, signInEntries());
    expect(flows.take(oauthStepsFromPageUrl(CALLBACK, T * 1000 + 4500)).size).toBe(0);
    expect(only(flows).steps).toHaveLength(3);
  });

  it('oauth-token-response-cacheable on the tokens of an answer without no-store', () => {
    const flows = new OAuthFlows();
    const headers = { ...FLOW.signIn.response.headers };
    delete headers['cache-control'];
    const changed = feed(flows, signInEntries({ exchange: { responseHeaders: Object.entries(headers).map(([k, v]) => [k, String(v)]) } }));
    expect(only(flows).findings.map((f) => f.id)).toEqual(['oauth-token-response-cacheable']);
    expect(changed.has(SIGNED_IN.access_token)).toBe(true);
    expect(flows.findingsFor(SIGNED_IN.access_token).map((f) => f.id)).toEqual(['oauth-token-response-cacheable']);
  });

  it('oauth-code-reused when the same code is exchanged again', () => {
    const flows = new OAuthFlows();
    feed(flows, signInEntries());
    feed(flows, [
      recorded(FLOW.signIn.request, { status: 400, headers: { 'cache-control': 'no-store' }, body: '{"error":"invalid_grant"}' }, T + 9),
    ]);
    expect(only(flows).findings.map((f) => f.id)).toEqual(['oauth-code-reused']);
  });

  it('id-token-as-bearer on the ID token’s row once it is sent to an API', () => {
    const flows = new OAuthFlows();
    feed(flows, signInEntries());
    const api = entry({
      url: `${FLOW.clientOrigin}/api/me`,
      time: T + 20,
      requestHeaders: [['authorization', `Bearer ${SIGNED_IN.id_token}`]],
    });
    const changed = feed(flows, [api]);
    expect(changed.has(SIGNED_IN.id_token)).toBe(true);
    expect(flows.findingsFor(SIGNED_IN.id_token).map((f) => f.id)).toEqual(['id-token-as-bearer']);
    // The access token, sent where it belongs, raises nothing.
    feed(flows, [
      entry({ url: `${FLOW.clientOrigin}/api/me`, time: T + 21, requestHeaders: [['authorization', `Bearer ${SIGNED_IN.access_token}`]] }),
    ]);
    expect(only(flows).findings.map((f) => f.id)).toEqual(['id-token-as-bearer']);
  });

  it('oauth-state-mismatch: another state comes back to the redirect URI', () => {
    const flows = new OAuthFlows();
    feed(flows, signInEntries({ callback: CALLBACK.replace(STATE, 'forged') }));
    expect(only(flows).findings.map((f) => f.id)).toEqual(['oauth-state-mismatch']);
  });

  it('oauth-no-state and oauth-pkce-plain from the authorization request as sent', () => {
    const noState = new URL(FLOW.authorizationRequest);
    noState.searchParams.delete('state');
    noState.searchParams.delete('code_challenge');
    noState.searchParams.delete('code_challenge_method');
    noState.searchParams.set('nonce', 'n-0S6_WzA2Mj');
    const a = new OAuthFlows();
    feed(a, [entry({ url: noState.href, time: T })]);
    expect(only(a)).toMatchObject({ pkce: 'none', nonce: { sent: 'n-0S6_WzA2Mj' } });
    expect(only(a).findings.map((f) => f.id)).toEqual(['oauth-no-state']);

    const plain = new URL(FLOW.authorizationRequest);
    plain.searchParams.set('code_challenge_method', 'plain');
    const b = new OAuthFlows();
    feed(b, [entry({ url: plain.href, time: T })]);
    expect(only(b)).toMatchObject({ pkce: 'plain' });
    expect(only(b).findings.map((f) => f.id)).toEqual(['oauth-pkce-plain']);
  });

  it('oauth-implicit-flow and the fragment’s tokens from a redirect’s Location', () => {
    const access = 'opaque-access-token-1234567890';
    const idToken = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ iss: FLOW.issuer, aud: 'spa', nonce: 'n1', at_hash: tokenHash(access, 'RS256') }),
    ).toString('base64url')}.c2ln`;
    const request = `${FLOW.issuer}/auth?client_id=spa&response_type=id_token%20token&redirect_uri=${encodeURIComponent(`${FLOW.clientOrigin}/cb`)}&state=s1&nonce=n1`;
    const location = `${FLOW.clientOrigin}/cb#access_token=${access}&id_token=${idToken}&state=s1&token_type=Bearer`;
    const flows = new OAuthFlows();
    const changed = feed(flows, [
      entry({ url: request, time: T }),
      entry({ url: `${FLOW.issuer}/auth/x`, time: T + 1, status: 303, responseHeaders: [['location', location]] }),
    ]);
    expect(only(flows)).toMatchObject({ responseType: 'id_token token', pkce: 'none', nonce: { sent: 'n1', returned: 'n1' } });
    expect(only(flows).findings.map((f) => f.id)).toEqual(['oauth-implicit-flow']);
    expect(changed.has(idToken)).toBe(true);
    // The opaque access token stays in the model: the view gets its ends only.
    expect(JSON.stringify(flows.flows())).not.toContain(access);
    expect(only(flows).tokens).toEqual([{ label: 'opaq…7890' }, { token: idToken, label: `…${idToken.slice(-10)}` }]);
    // The page's address after the redirect is the same answer.
    expect(flows.take(oauthStepsFromPageUrl(location, T * 1000 + 2000)).size).toBe(0);
  });

  it('oauth-client-secret-in-browser: a client_secret in the body, or a Basic header', () => {
    const withSecret = { ...FLOW.signIn.request, body: `${FLOW.signIn.request.body}&client_secret=s3cr3t` };
    const a = new OAuthFlows();
    feed(a, [...signInEntries().slice(0, 3), recorded(withSecret, FLOW.signIn.response, T + 5)]);
    expect(only(a).findings.map((f) => f.id)).toEqual(['oauth-client-secret-in-browser']);
    const basic = { ...FLOW.signIn.request, headers: { ...FLOW.signIn.request.headers, authorization: 'Basic c3BhOnMzY3IzdA==' } };
    const b = new OAuthFlows();
    feed(b, [...signInEntries().slice(0, 3), recorded(basic, FLOW.signIn.response, T + 5)]);
    expect(only(b).findings.map((f) => f.id)).toEqual(['oauth-client-secret-in-browser']);
  });

  it('a pushed authorization request (RFC 9126) and its request_uri leg are one flow', () => {
    const params = new URL(FLOW.authorizationRequest).searchParams;
    params.delete('state');
    const flows = new OAuthFlows();
    feed(flows, [
      entry({
        method: 'POST',
        url: `${FLOW.issuer}/request`,
        time: T,
        postData: { mimeType: 'application/x-www-form-urlencoded', text: params.toString() },
        status: 201,
        body: '{"request_uri":"urn:ietf:params:oauth:request_uri:abc","expires_in":60}',
      }),
      entry({ url: `${FLOW.issuer}/auth?client_id=spa&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc`, time: T + 1 }),
    ]);
    expect(only(flows)).toMatchObject({ clientId: 'spa', pkce: 'S256', responseType: 'code' });
    expect(only(flows).steps).toHaveLength(2);
    // PKCE stands for state (RFC 9700 §2.1).
    expect(only(flows).findings).toEqual([]);
  });

  it('oidc-iss-mismatch: the discovery document names the issuer whose endpoint the flow used', () => {
    const flows = new OAuthFlows();
    feed(flows, signInEntries({ callback: CALLBACK.replace(/&iss=[^&]*/, '') }));
    feed(flows, [
      entry({
        url: 'http://127.0.0.1:1/.well-known/openid-configuration',
        time: T - 1,
        body: JSON.stringify({
          issuer: 'http://elsewhere.example',
          authorization_endpoint: `${FLOW.issuer}/auth`,
          token_endpoint: `${FLOW.issuer}/token`,
        }),
      }),
    ]);
    expect(only(flows).issuer).toBe('http://elsewhere.example');
    expect(only(flows).findings.map((f) => f.id)).toEqual(['oidc-iss-mismatch']);
  });

  it('ignores entries that are no step, a lone ?code=, and hostile nonsense', () => {
    const flows = new OAuthFlows();
    feed(flows, [
      entry({ url: 'https://shop.example/redeem?code=SUMMER', time: T }),
      entry({ url: 'https://app.example/api/items', time: T }),
      entry({ method: 'POST', url: 'https://app.example/form', time: T, postData: { mimeType: 'text/plain', text: 'grant_type' } }),
    ]);
    expect(flows.flows()).toEqual([]);
    expect(oauthStepsFromEntry(null)).toEqual([]);
    expect(oauthStepsFromEntry({ request: { url: 'http://[bad/?client_id=a&response_type=code' } })).toEqual([]);
    expect(oauthStepsFromPageUrl(`https://x/#access_token=${'a'.repeat(100_000)}`, 0)).toEqual([]);
  });
});

describe('OAuth flows: steps out of order', () => {
  it('ties a request reported after its answer and its code exchange (Firefox reports navigations late)', () => {
    const flows = new OAuthFlows();
    const [request, redirect, callback, exchange] = signInEntries();
    feed(flows, [callback!, exchange!, redirect!]);
    flows.take(oauthStepsFromPageUrl(CALLBACK, T * 1000 + 4500));
    feed(flows, [request!]);
    const flow = only(flows);
    expect(flow).toMatchObject({ clientId: 'spa', responseType: 'code', pkce: 'S256', findings: [] });
    expect(flow.steps.map((s) => s.kind)).toEqual(['authorization-request', 'authorization-response', 'code-exchange']);
  });
});

describe('OAuth steps: what is not an authorization response', () => {
  it('an API call with access_token in its query (RFC 6750 §2.3), a fragment token without state or token_type', () => {
    const jwt = SIGNED_IN.access_token;
    expect(oauthStepsFromEntry(entry({ url: `https://api.example/search?q=x&access_token=${jwt}`, time: T }))).toEqual([]);
    expect(oauthStepsFromPageUrl(`https://app.example/#access_token=${jwt}`, 0)).toEqual([]);
    expect(oauthStepsFromPageUrl(`https://app.example/cb#access_token=${jwt}&token_type=Bearer`, 0)).toHaveLength(1);
  });
});
