// The demo's OpenID sign-in mode: a real OpenID provider from npm (oidc-provider) on its own port of
// 127.0.0.1, and a page at /oidc of the demo app that signs in with it — the way an app with a real
// identity provider does, next to the demo's own hand-made sign-in. A switch on the page picks the client:
//   good     — oidc-client-ts (npm), authorization code + PKCE S256 + state + nonce: the Flows tab shows the
//              flow with no finding;
//   careless — what old code still does: no state, no PKCE, no nonce, the client secret shipped to the
//              browser and sent with the code, and the ID token sent to the API as a Bearer token
//              (oauth-no-state, oauth-no-pkce, oauth-client-secret-in-browser, id-token-as-bearer). The
//              provider is told not to require PKCE from this one client; nothing else about it changes.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

export const OIDC_GOOD_CLIENT = 'demo-oidc-good';
export const OIDC_CARELESS_CLIENT = 'demo-oidc-careless';
/** Careless mode's client secret: shipped in the page, as careless apps do. */
export const OIDC_CARELESS_SECRET = 'careless-client-secret-in-the-page';

export interface OidcMode {
  issuer: string;
  /** The page (also served at its callback path). */
  page: string;
  clientLibrary: string;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

export async function startOidcMode(appOrigin: string, log: (line: string) => void): Promise<OidcMode> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const redirect = `${appOrigin}/oidc/callback`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_GOOD_CLIENT,
        token_endpoint_auth_method: 'none',
        redirect_uris: [redirect],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
      {
        client_id: OIDC_CARELESS_CLIENT,
        client_secret: OIDC_CARELESS_SECRET,
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: [redirect],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'demo-oidc-1', alg: 'RS256', use: 'sig' }] },
    clientBasedCORS: () => true,
    pkce: { required: (_ctx, client) => client.clientId !== OIDC_CARELESS_CLIENT },
    cookies: { keys: ['demo oidc cookie key, demo only'] },
  });
  provider.proxy = false;
  provider.on('grant.success', (ctx) => log(`OpenID provider: tokens issued to ${ctx.oidc.client?.clientId ?? '?'}`));
  server.on('request', provider.callback());
  return {
    issuer,
    page: oidcPage(issuer, redirect),
    clientLibrary: readFileSync(join(dirname(require.resolve('oidc-client-ts/package.json')), 'dist/browser/oidc-client-ts.js'), 'utf8'),
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function oidcPage(issuer: string, redirect: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>JWT Inspector demo — OpenID sign-in</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:820px;margin:16px auto;padding:0 20px} label{display:block;margin:4px 0}
pre{border:1px solid #d6dbe3;border-radius:6px;padding:8px;white-space:pre-wrap;word-break:break-all}</style></head>
<body>
<h1>JWT Inspector demo: OpenID sign-in</h1>
<p>A real OpenID provider (<code>oidc-provider</code>) at <code>${issuer}</code>. Open DevTools, the <b>JWT</b> panel and its <b>flows</b> tab, then sign in (any user name and password).</p>
<label><input type="radio" name="client" value="good" data-testid="oidc-good" checked> <b>good</b> oidc-client-ts: code + PKCE S256 + state + nonce.</label>
<label><input type="radio" name="client" value="careless" data-testid="oidc-careless"> <b>careless</b> no state, no PKCE, no nonce, the client secret sent from the browser, the ID token sent to the API.</label>
<p><button type="button" data-testid="oidc-sign-in">Sign in with OpenID</button> <button type="button" data-testid="oidc-call-api">Call /api/me</button>
<a href="/">back to the demo's own sign-in</a></p>
<pre id="log" data-testid="oidc-log"></pre>
<script src="/oidc-client-ts.js"></script>
<script>
'use strict';
var ISSUER = ${JSON.stringify(issuer)}, REDIRECT = ${JSON.stringify(redirect)};
var CARELESS_SECRET = ${JSON.stringify(OIDC_CARELESS_SECRET)};
function log(m) { document.getElementById('log').textContent += m + '\\n'; }
var manager = new oidc.UserManager({ authority: ISSUER, client_id: ${JSON.stringify(OIDC_GOOD_CLIENT)}, redirect_uri: REDIRECT,
  response_type: 'code', scope: 'openid profile' });
function random() { return Array.from(crypto.getRandomValues(new Uint8Array(16)), function (b) { return b.toString(16).padStart(2, '0'); }).join(''); }
document.querySelector('[data-testid=oidc-sign-in]').onclick = function () {
  var careless = document.querySelector('[data-testid=oidc-careless]').checked;
  sessionStorage.setItem('oidc-client', careless ? 'careless' : 'good');
  if (!careless) return void manager.signinRedirect({ nonce: random() });
  var url = new URL(ISSUER + '/auth');
  url.searchParams.set('client_id', ${JSON.stringify(OIDC_CARELESS_CLIENT)});
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'openid profile');
  url.searchParams.set('redirect_uri', REDIRECT);
  location.assign(url.href);
};
document.querySelector('[data-testid=oidc-call-api]').onclick = function () {
  var careless = sessionStorage.getItem('oidc-client') === 'careless';
  var token = careless ? sessionStorage.getItem('careless-id-token') : null;
  (careless ? Promise.resolve(token) : manager.getUser().then(function (u) { return u && u.access_token; })).then(function (t) {
    if (!t) return log('Sign in first.');
    return fetch('/api/me', { headers: { Authorization: 'Bearer ' + t } }).then(function (r) { log('GET /api/me with the ' + (careless ? 'ID token' : 'access token') + ' → ' + r.status); });
  });
};
if (location.pathname === '/oidc/callback') {
  var careless = sessionStorage.getItem('oidc-client') === 'careless';
  var done = function (s) { window.oidcState = s; log(s); };
  if (!careless) manager.signinRedirectCallback().then(function (u) { done('signed in (good client) as ' + u.profile.sub); }, function (e) { done('sign-in failed: ' + e); });
  else {
    var code = new URLSearchParams(location.search).get('code');
    fetch(ISSUER + '/token', { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code: code || '', redirect_uri: REDIRECT,
      client_id: ${JSON.stringify(OIDC_CARELESS_CLIENT)}, client_secret: CARELESS_SECRET }) })
      .then(function (r) { return r.json(); })
      .then(function (t) {
        if (!t.id_token) return done('sign-in failed: ' + JSON.stringify(t));
        sessionStorage.setItem('careless-id-token', t.id_token);
        done('signed in (careless client); press "Call /api/me" to send the ID token to the API');
      });
  }
}
</script>
</body></html>`;
}
