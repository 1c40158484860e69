// Sign-ins of every kind against a real OpenID provider (oidc-provider, from npm) on 127.0.0.1, for the
// Flows tab: a good one and careless ones. The provider is only configured here, never changed.
//
// The clients, each registered with the provider as a browser app registers itself:
// - spa: a real OpenID client library (oidc-client-ts) with code + PKCE S256 + state + nonce — the good flow;
//   the page can also send its ID token to the API (id-token-as-bearer).
// - spa-secret: the same library given a client secret (client_secret_post), which it then sends from the
//   browser (oauth-client-secret-in-browser).
// - implicit-app, plain-app, no-state-app: what no current client library does any more — oidc-client-ts
//   always sends state, only knows S256 and dropped the implicit flow — so the page builds those
//   authorization requests by hand, as the old code that still runs in many apps does: response_type
//   "id_token token" (oauth-implicit-flow), code_challenge_method=plain (oauth-pkce-plain: the provider
//   refuses it with an error redirect; the request is what the panel judges), and no state and no PKCE but a
//   nonce (oauth-no-state; the provider is told not to require PKCE from this one client).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { startOidcServers } from './oidc-servers';

export const FLOW_CLIENTS = {
  good: 'spa',
  secret: 'spa-secret',
  implicit: 'implicit-app',
  plain: 'plain-app',
  noState: 'no-state-app',
} as const;
/** Not a secret anywhere but in this test: it is what a careless app ships to every browser. */
export const SHIPPED_SECRET = 'a-client-secret-shipped-to-every-browser';

export interface OidcFlowsApp {
  issuer: string;
  appUrl: string;
  close(): Promise<void>;
}

const PAGE = (issuer: string, origin: string) => `<!doctype html><meta charset="utf-8"><title>oidc flows</title>
<body><h1>Sign-ins for the Flows tab</h1><pre id="log"></pre>
<script src="/oidc-client-ts.js"></script>
<script>
const ISSUER = ${JSON.stringify(issuer)};
const REDIRECT = ${JSON.stringify(`${origin}/callback`)};
const log = (m) => (document.getElementById('log').textContent += m + '\\n');
const random = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
const managers = {
  spa: new oidc.UserManager({ authority: ISSUER, client_id: 'spa', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid profile' }),
  'spa-secret': new oidc.UserManager({ authority: ISSUER, client_id: 'spa-secret', client_secret: ${JSON.stringify(SHIPPED_SECRET)},
    client_authentication: 'client_secret_post', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid' }),
};
window.appState = 'signed-out';
const go = (mode, run) => { sessionStorage.setItem('mode', mode); window.appState = 'working'; return run(); };
window.signIn = (mode) => {
  if (managers[mode]) return go(mode, () => managers[mode].signinRedirect({ nonce: random() }));
  // Hand-built authorization requests (see the file's header).
  const url = new URL(ISSUER + '/auth');
  const p = { client_id: mode, redirect_uri: REDIRECT, scope: 'openid', nonce: random() };
  if (mode === 'implicit-app') Object.assign(p, { response_type: 'id_token token', state: random() });
  if (mode === 'plain-app') Object.assign(p, { response_type: 'code', state: random(), code_challenge: random() + random() + random(), code_challenge_method: 'plain' });
  if (mode === 'no-state-app') Object.assign(p, { response_type: 'code' });
  for (const [k, v] of Object.entries(p)) url.searchParams.set(k, v);
  return go(mode, () => location.assign(url.href));
};
window.callApiWithIdToken = async () => {
  const user = await managers.spa.getUser();
  const r = await fetch('/api/me', { headers: { Authorization: 'Bearer ' + user.id_token } });
  log('api ' + r.status);
  return user.id_token;
};
// Back on the callback page the app finishes the sign-in at once (the code exchange), as apps do.
const finishCallback = () => {
  const mode = sessionStorage.getItem('mode');
  const q = new URLSearchParams(location.search);
  const done = (s) => { window.appState = s; log(mode + ': ' + s); };
  if (managers[mode]) managers[mode].signinRedirectCallback().then(() => done('signed-in'), (e) => done('error: ' + e));
  else if (q.has('error')) done('error: ' + q.get('error'));
  else if (location.hash.includes('access_token=')) done('signed-in');
  else if (q.has('code')) {
    fetch(ISSUER + '/token', { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code: q.get('code'),
      redirect_uri: REDIRECT, client_id: mode }) }).then(async (r) => done(r.ok && (await r.json()).id_token ? 'signed-in' : 'error: ' + r.status));
  } else done('error: nothing came back');
};
if (location.pathname === '/callback') { window.appState = 'working'; finishCallback(); }
</script>`;

export async function startOidcFlowsApp(): Promise<OidcFlowsApp> {
  const servers = await startOidcServers();
  const { providerServer, issuer, app } = servers;
  const redirect = `${app.origin}/callback`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });

  const publicCode = {
    token_endpoint_auth_method: 'none' as const,
    redirect_uris: [redirect],
    grant_types: ['authorization_code'],
    response_types: ['code' as const],
  };
  const provider = new Provider(issuer, {
    clients: [
      { client_id: FLOW_CLIENTS.good, ...publicCode },
      { client_id: FLOW_CLIENTS.plain, ...publicCode },
      { client_id: FLOW_CLIENTS.noState, ...publicCode },
      {
        client_id: FLOW_CLIENTS.secret,
        client_secret: SHIPPED_SECRET,
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: [redirect],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      // oidc-provider allows the implicit flow over plain http only to native clients on loopback.
      {
        client_id: FLOW_CLIENTS.implicit,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: [redirect],
        grant_types: ['implicit'],
        response_types: ['id_token token'],
      },
    ],
    responseTypes: ['code', 'id_token token', 'none'],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'flows-1', alg: 'RS256', use: 'sig' }] },
    clientBasedCORS: () => true,
    // The one client that sends no code_challenge: PKCE stays required for every other public client.
    pkce: { required: (_ctx, client) => client.clientId !== FLOW_CLIENTS.noState },
    cookies: { keys: ['oidc-flows-app cookie key, test only'] },
  });
  provider.proxy = false;
  providerServer.on('request', provider.callback());

  servers.servePage(PAGE(issuer, app.origin));
  // The API refuses what it is sent: an ID token is not its access token. What matters is that it was sent.
  servers.routes['/api/me'] = (_q: IncomingMessage, r: ServerResponse) =>
    void r.writeHead(401, { 'content-type': 'application/json' }).end('{"reason":"not an access token"}');

  return { issuer, appUrl: `${app.origin}/app`, close: () => servers.close() };
}
