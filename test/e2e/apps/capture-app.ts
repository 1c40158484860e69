// A small app on 127.0.0.1 that moves tokens through every place the panel captures, for the panel tests.
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { startServer, type TestServer } from '../harness/server';

export interface CaptureApp {
  server: TestServer;
  url: string;
  blankUrl: string;
  tokens: Record<
    'access' | 'refresh' | 'id' | 'custom' | 'cookieSafe' | 'cookieLoose' | 'inQuery' | 'inFragment' | 'newAccess' | 'debug' | 'unread',
    string
  >;
  /** A fresh RS256 token of the app's issuer with these claims (iat now), for scenarios that need their own. */
  mint(claims: Record<string, unknown>): Promise<string>;
  /** The public key of the app's RS256 tokens, as JWK JSON (what a user pastes into the options page). */
  publicJwk: string;
  /** An HTML page of the app at `/page?<query>` that does nothing: a navigation target with a unique URL. */
  pageUrl(query: string): string;
  close(): Promise<void>;
}

const PAGE = (unread: string) => `<!doctype html><meta charset="utf-8"><title>capture app</title>
<body><h1>capture app</h1><pre id="log"></pre>
<script>
const log = (m) => document.getElementById('log').textContent += m + '\\n';
let tokens;
// Phase 1 runs on load, before the panel is shown: the panel must still see it (getHAR on opening).
async function phase1() {
  const r = await fetch('/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'alice', password: 'x' }) });
  tokens = await r.json();
  localStorage.setItem('access_token', tokens.access_token);
  sessionStorage.setItem('auth', JSON.stringify({ user: { id_token: tokens.id_token } }));
  log('phase1 done');
  window.phase1Done = true;
}
window.phase2 = async function () {
  await fetch('/api/me', { headers: { Authorization: 'Bearer ' + localStorage.getItem('access_token'), 'X-Auth-Token': tokens.custom } });
  await fetch('/api/search?q=x&access_token=' + tokens.in_query);
  await fetch('/callback');
  await fetch('/debug');
  // The access token is still valid: refreshing now is what the source notes call theft.
  const body = 'grant_type=refresh_token&refresh_token=' + tokens.refresh_token;
  const opts = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };
  const answer = await (await fetch('/token', opts)).json();
  await (await fetch('/token', opts)).json();
  // A logout-like call whose no-store answer the page never reads: DevTools never sees it finish.
  await fetch('/unread', { headers: { Authorization: 'Bearer ${unread}' } });
  log('phase2 done ' + Object.keys(answer).join(','));
  return true;
};
phase1();
</script>`;

export async function startCaptureApp(): Promise<CaptureApp> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const now = Math.floor(Date.now() / 1000);
  const rs = (claims: Record<string, unknown>, typ = 'JWT') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ, kid: 'app-1' })
      .setIssuer('http://127.0.0.1/app')
      .setIssuedAt(now)
      .sign(privateKey);
  const tokens: CaptureApp['tokens'] = {
    access: await rs({ sub: 'alice', scope: 'api', exp: now + 600, jti: 'a1' }),
    refresh: await rs({ sub: 'alice', token_use: 'refresh', exp: now + 86400 * 7, jti: 'r1' }),
    id: await rs({ sub: 'alice', aud: 'spa', nonce: 'n-0S6', exp: now + 600, jti: 'i1' }),
    // HS256 with the secret "secret": the weak-secret check must find it.
    custom: await new SignJWT({ sub: 'alice', scope: 'legacy', exp: now + 600 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('secret')),
    // Three days: its long-lifetime finding shows the detail judges it, so "no cookie finding" means something.
    cookieSafe: await rs({ sub: 'alice', scope: 'session', exp: now + 3 * 86400, jti: 'c1' }),
    cookieLoose: await rs({ sub: 'alice', scope: 'prefs', exp: now + 3600, jti: 'c2' }),
    inQuery: await rs({ sub: 'alice', scope: 'search', exp: now + 600, jti: 'q1' }),
    inFragment: await rs({ sub: 'alice', aud: 'spa', nonce: 'frag', exp: now + 600, jti: 'f1' }),
    newAccess: await rs({ sub: 'alice', scope: 'api', exp: now + 600, jti: 'a2' }),
    unread: await rs({ sub: 'alice', scope: 'logout', exp: now + 600, jti: 'u1' }),
    debug: new UnsecuredJWT({ sub: 'alice', debug: true })
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .encode(),
  };
  const json = (body: unknown, headers: Record<string, string | string[]> = {}) =>
    [200, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, JSON.stringify(body)] as const;
  const server = await startServer({
    '/app': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE(tokens.unread)),
    '/page': (_q, r) =>
      void r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>page</title><p>a page'),
    // Echoes nothing: the scenarios send tokens to it in headers or the URL.
    '/echo': (_q, r) => void r.writeHead(204).end(),
    // n distinct unsigned tokens in one JSON body (n ≤ 6000, ~80 characters each): feeds the store's bound.
    '/many': (q, r) => {
      const url = new URL(q.url ?? '/', 'http://127.0.0.1');
      const n = Math.min(6000, Number(url.searchParams.get('n')) || 0);
      const seed = url.searchParams.get('seed') ?? '';
      const body = Array.from({ length: n }, (_, i) => new UnsecuredJWT({ s: seed, n: i }).encode());
      r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    },
    '/unread': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end('{"bye":true}'),
    // Where the browser waits while DevTools attaches, so that the app's first requests are recorded.
    '/blank': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>blank</title>'),
    '/login': (_q, r) => {
      const [s, h, b] = json(
        {
          access_token: tokens.access,
          refresh_token: tokens.refresh,
          id_token: tokens.id,
          token_type: 'Bearer',
          custom: tokens.custom,
          in_query: tokens.inQuery,
        },
        {
          'set-cookie': [
            `session=${tokens.cookieSafe}; Path=/; HttpOnly; Secure; SameSite=Strict`,
            `prefs=${tokens.cookieLoose}; Path=/; SameSite=Lax`,
          ],
        },
      );
      r.writeHead(s, h).end(b);
    },
    '/api/me': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"Alice"}'),
    '/api/search': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json' }).end('[]'),
    '/callback': (_q, r) => void r.writeHead(302, { location: `/landing#id_token=${tokens.inFragment}&state=xyz` }).end(),
    '/landing': (_q, r) => void r.writeHead(200, { 'content-type': 'text/plain' }).end('landed'),
    '/debug': (_q, r) => void r.writeHead(200, { 'content-type': 'text/plain', 'x-debug-token': tokens.debug }).end('ok'),
    // Does not rotate: the same refresh token comes back.
    '/token': (_q, r) => {
      const [s, h, b] = json({ access_token: tokens.newAccess, refresh_token: tokens.refresh, token_type: 'Bearer' });
      r.writeHead(s, h).end(b);
    },
  });
  const mint = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'app-1' })
      .setIssuer('http://127.0.0.1/app')
      .setIssuedAt()
      .sign(privateKey);
  return {
    server,
    url: `${server.origin}/app`,
    blankUrl: `${server.origin}/blank`,
    tokens,
    mint,
    publicJwk: JSON.stringify({ ...(await exportJWK(publicKey)), kid: 'app-1', alg: 'RS256' }),
    pageUrl: (query) => `${server.origin}/page?${query}`,
    close: () => server.close(),
  };
}
