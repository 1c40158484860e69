// A small hand-written OpenID provider and its page, for the flow mistakes no real provider makes on purpose:
// oidc-provider (the real one the other flow tests use) computes at_hash right, always sends
// Cache-Control: no-store, refuses a code twice and signs its own issuer — it cannot be asked to get them
// wrong. This server gets exactly one thing wrong per client_id and everything else right (state, PKCE S256,
// nonce, aud, iss and at_hash where the case does not break them), so each case must raise exactly its own
// finding. Not a provider to learn from: no login, no client registry, codes kept in a Map.
//
// The page runs one case per load (`/app?case=<client_id>`, a full round trip through the provider's page,
// `/authorize`, where the test clicks #continue once the panel has the authorization request). Back on the callback
// page it says `window.carelessCallback = <client_id>` and exchanges the code only when the test calls
// `window.exchangeCode()`, once the panel shows the authorization response; it says `window.carelessDone`
// when its token requests are answered, and the test looks at the panel before starting the next case. Exchanged
// the moment the callback page landed, a token answer's body was sometimes never read in Chromium (156 and 150:
// 2 of about 16 fresh-clone runs showed the code exchange with none of its tokens; the cause is not found,
// ARCHITECTURE.md), so the exchange comes at a person's pace, after the panel has the new document.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { startServer, type TestServer } from '../harness/server';

/** The client_id of each case and the one finding it must raise. */
export const CARELESS_CASES = {
  'wrong-at-hash': 'oidc-at-hash-mismatch',
  cacheable: 'oauth-token-response-cacheable',
  'replayed-code': 'oauth-code-reused',
  'wrong-iss': 'oidc-iss-mismatch',
} as const;
export type CarelessCase = keyof typeof CARELESS_CASES;

export interface CarelessProvider {
  origin: string;
  appUrl: string;
  /** The ID token the token endpoint issued, per case (the first, for a replayed code). */
  idTokens: Partial<Record<CarelessCase, string>>;
  close(): Promise<void>;
}

const leftHalf = (value: string) => createHash('sha256').update(value, 'ascii').digest().subarray(0, 16).toString('base64url');

const PAGE = (origin: string) => `<!doctype html><meta charset="utf-8"><title>careless flows</title>
<body><h1>Hand-written flows</h1><pre id="log"></pre>
<script>
const log = (m) => (document.getElementById('log').textContent += m + '\\n');
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const random = () => b64url(crypto.getRandomValues(new Uint8Array(24)));
async function start(client) {
  const config = await (await fetch('/.well-known/openid-configuration')).json();
  const verifier = random();
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const flow = { client, verifier, state: random(), nonce: random() };
  sessionStorage.setItem('careless', JSON.stringify(flow));
  const url = new URL(config.authorization_endpoint);
  for (const [k, v] of Object.entries({ client_id: flow.client, response_type: 'code', redirect_uri: ${JSON.stringify(`${origin}/callback`)},
    scope: 'openid', state: flow.state, nonce: flow.nonce, code_challenge: challenge, code_challenge_method: 'S256' })) url.searchParams.set(k, v);
  location.assign(url.href);
}
async function exchange(flow, code) {
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: flow.verifier, client_id: flow.client,
    redirect_uri: ${JSON.stringify(`${origin}/callback`)} });
  const r = await fetch('/token', { method: 'POST', body });
  log(flow.client + ': token ' + r.status + ' ' + (await r.text()).length + ' chars');
}
(async () => {
  if (location.pathname === '/callback') {
    const flow = JSON.parse(sessionStorage.getItem('careless'));
    const code = new URLSearchParams(location.search).get('code');
    // The exchange waits for the test's word (window.exchangeCode), as a person's click would.
    window.exchangeCode = async () => {
      await exchange(flow, code);
      if (flow.client === 'replayed-code') await exchange(flow, code);
      window.carelessDone = flow.client;
      return flow.client;
    };
    window.carelessCallback = flow.client;
  } else if (new URLSearchParams(location.search).has('case')) {
    await start(new URLSearchParams(location.search).get('case'));
  }
})().catch((e) => { log('failed: ' + e); window.carelessDone = window.carelessCallback = 'failed: ' + e; });
</script>`;

export async function startCarelessProvider(): Promise<CarelessProvider> {
  const routes: Parameters<typeof startServer>[0] = {};
  const server: TestServer = await startServer(routes);
  const origin = server.origin;
  const { privateKey } = await generateKeyPair('RS256');
  const codes = new Map<string, { client: CarelessCase; nonce: string; used: boolean }>();
  const idTokens: CarelessProvider['idTokens'] = {};
  const page = PAGE(origin);
  const html = (_q: IncomingMessage, r: ServerResponse) => void r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  const json = (r: ServerResponse, status: number, body: unknown, headers: Record<string, string> = { 'cache-control': 'no-store' }) =>
    void r.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

  Object.assign(routes, {
    '/app': html,
    '/callback': html,
    '/.well-known/openid-configuration': (_q: IncomingMessage, r: ServerResponse) =>
      json(r, 200, { issuer: origin, authorization_endpoint: `${origin}/authorize`, token_endpoint: `${origin}/token` }, {}),
    '/authorize': (req: IncomingMessage, r: ServerResponse) => {
      const q = new URL(req.url ?? '/', origin).searchParams;
      const client = q.get('client_id') as CarelessCase;
      const code = randomBytes(24).toString('base64url');
      codes.set(code, { client, nonce: q.get('nonce') ?? '', used: false });
      const back = new URL(q.get('redirect_uri') ?? `${origin}/callback`);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      back.searchParams.set('iss', origin);
      // A page of its own, as a provider's sign-in page is: the test goes on (#continue) once the panel has
      // the authorization request. A 302 straight back was sometimes missing from Firefox's DevTools under load.
      const link = back.href.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
      r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        `<!doctype html><meta charset="utf-8"><title>careless sign-in</title><a id="continue" href="${link}">Continue</a>`,
      );
    },
    '/token': async (_req: IncomingMessage, r: ServerResponse, body: string) => {
      const form = new URLSearchParams(body);
      const grant = codes.get(form.get('code') ?? '');
      if (!grant || grant.used) return json(r, 400, { error: 'invalid_grant' });
      grant.used = true;
      const now = Math.floor(Date.now() / 1000);
      const accessToken = await new SignJWT({ scope: 'openid', client_id: grant.client })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' })
        .setIssuer(origin)
        .setSubject('alice')
        .setAudience(`${origin}/api`)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(privateKey);
      const idToken = await new SignJWT({
        nonce: grant.nonce,
        at_hash: grant.client === 'wrong-at-hash' ? leftHalf(`${accessToken}.not-this-one`) : leftHalf(accessToken),
      })
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(grant.client === 'wrong-iss' ? 'https://another-issuer.example' : origin)
        .setSubject('alice')
        .setAudience(grant.client)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(privateKey);
      idTokens[grant.client] ??= idToken;
      json(
        r,
        200,
        { access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: 600 },
        grant.client === 'cacheable' ? { 'cache-control': 'private, max-age=300' } : { 'cache-control': 'no-store', pragma: 'no-cache' },
      );
    },
  });
  return { origin, appUrl: `${origin}/app`, idTokens, close: () => server.close() };
}
