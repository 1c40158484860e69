// A single-page app signing in with a real OpenID client library (oidc-client-ts, its browser build from
// node_modules) against a real OpenID provider (oidc-provider), both from npm: nothing on either side of the
// protocol is written here, only their configuration. The small API the page calls is a resource server
// outside the protocol under test: it checks the access token with jose against the provider's JWKS.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import Provider from 'oidc-provider';
import { startOidcServers } from './oidc-servers';

export const CLIENT_ID = 'spa';
export const API_SCOPE = 'api:read';
export const DEV_LOGIN = { login: 'alice', password: 'any password: the development login form accepts any' };

/** One token-endpoint exchange as it crossed the wire (for assertions and the recorded fixture). */
export interface TokenExchange {
  request: { method: string; url: string; headers: { origin?: string; 'content-type'?: string }; body: string };
  response: { status: number; headers: Record<string, string | string[] | number | undefined>; body: string };
}

export interface OidcApp {
  /** The provider's issuer identifier (also what the options page is given). */
  issuer: string;
  /** The audience of the JWT access tokens: the API's resource indicator. */
  resource: string;
  /** The page: signed out until `signIn()` is called in it. */
  appUrl: string;
  /** Every authorization request (the URL the browser was sent to, with its PKCE challenge), in order. */
  authorizationRequests: string[];
  /** Every POST to the token endpoint, in order. */
  tokenExchanges: TokenExchange[];
  /** Every call the API answered, with the verdict of its token check. */
  apiCalls: { authorization: string | undefined; status: number; reason?: string }[];
  close(): Promise<void>;
}

// The page drives oidc-client-ts as an app would; the test calls these functions as a user clicks buttons.
// userStore is left at its default (sessionStorage): the library keeps the user there as JSON, written after
// the callback page has loaded, and replaces it on refresh. No automatic renew: the test decides when.
const PAGE = (issuer: string, origin: string, resource: string) => `<!doctype html><meta charset="utf-8"><title>oidc app</title>
<body><h1>oidc-client-ts app</h1><pre id="log"></pre>
<script src="/oidc-client-ts.js"></script>
<script>
const log = (m) => (document.getElementById('log').textContent += m + '\\n');
const manager = new oidc.UserManager({
  authority: ${JSON.stringify(issuer)},
  client_id: ${JSON.stringify(CLIENT_ID)},
  redirect_uri: ${JSON.stringify(`${origin}/callback`)},
  response_type: 'code',
  scope: ${JSON.stringify(`openid profile offline_access ${API_SCOPE}`)},
  // offline_access is granted only with consent (OpenID Connect Core §11): ask for it, as apps that want
  // a refresh token do.
  prompt: 'consent',
  resource: ${JSON.stringify(resource)},
  automaticSilentRenew: false,
  monitorSession: false,
});
window.appState = 'signed-out';
window.signIn = () => manager.signinRedirect();
window.callApi = async () => {
  const user = await manager.getUser();
  const r = await fetch('/api/me', { headers: { Authorization: 'Bearer ' + user.access_token } });
  const body = await r.json();
  log('api ' + r.status + ' ' + JSON.stringify(body));
  return { status: r.status, body };
};
window.refresh = async () => {
  const user = await manager.signinSilent();
  log('refreshed, expires in ' + user.expires_in + ' s');
  return !!user;
};
if (location.pathname === '/callback') {
  manager.signinRedirectCallback().then(
    (user) => { log('signed in as ' + user.profile.sub); window.appState = 'signed-in'; },
    (e) => { log('sign-in failed: ' + e); window.appState = 'error: ' + e; },
  );
}
</script>`;

/** Starts the provider, then the page + API server; every port is chosen by the system. */
export async function startOidcApp(): Promise<OidcApp> {
  const tokenExchanges: TokenExchange[] = [];
  const authorizationRequests: string[] = [];
  const apiCalls: OidcApp['apiCalls'] = [];

  // The provider's issuer names its port, and the client's redirect URI and the API's resource indicator the
  // app's: both servers listen before the provider is built.
  const servers = await startOidcServers();
  const { providerServer, issuer, app } = servers;
  const resource = `${app.origin}/api`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'oidc-app-1', alg: 'RS256', use: 'sig' };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        // A browser app cannot keep a secret: a public client, for which oidc-provider requires PKCE.
        token_endpoint_auth_method: 'none',
        redirect_uris: [`${app.origin}/callback`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [signingKey] },
    // The page's origin differs from the provider's: let it call the token endpoint.
    clientBasedCORS: () => true,
    scopes: ['openid', 'profile', 'offline_access'],
    features: {
      // JWT access tokens come only through resource indicators: one resource, the API, is the default.
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: API_SCOPE, audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: 600 }),
      },
    },
    ttl: { AccessToken: 600, IdToken: 600, RefreshToken: 86_400, Grant: 86_400, Session: 86_400, Interaction: 600 },
    cookies: { keys: ['oidc-app cookie key, test only'] },
  });
  // The development login and consent pages and the http issuer make it warn; that is what a test wants.
  provider.proxy = false;

  const providerHandler = provider.callback();
  providerServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    if (req.method === 'GET' && url.pathname === '/auth') authorizationRequests.push(url.href);
    if (req.method !== 'POST' || url.pathname !== '/token') {
      providerHandler(req, res);
      return;
    }
    // The token endpoint's traffic is recorded as it is on the wire. oidc-provider reads a body already
    // read upstream from req.body (a documented fallback), so the recording changes nothing it sees.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      (req as IncomingMessage & { body?: string }).body = body;
      const exchange: TokenExchange = {
        request: {
          method: 'POST',
          url: url.href,
          headers: { origin: req.headers.origin, 'content-type': req.headers['content-type'] },
          body,
        },
        response: { status: 0, headers: {}, body: '' },
      };
      const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        exchange.response = {
          status: res.statusCode,
          headers: { ...res.getHeaders() },
          body: typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '',
        };
        tokenExchanges.push(exchange);
        return end(chunk, ...rest);
      }) as ServerResponse['end'];
      providerHandler(req, res);
    });
  });

  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  servers.servePage(PAGE(issuer, app.origin, resource));
  servers.routes['/api/me'] = async (req: IncomingMessage, r: ServerResponse) => {
    const authorization = req.headers.authorization;
    const answer = (status: number, body: Record<string, unknown>) => {
      apiCalls.push({ authorization, status, ...(typeof body.reason === 'string' ? { reason: body.reason } : {}) });
      r.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!token) return answer(401, { reason: 'no bearer token' });
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer, audience: resource, typ: 'at+jwt' });
      answer(200, { sub: payload.sub, scope: payload.scope });
    } catch (e) {
      answer(401, { reason: e instanceof Error ? e.message : String(e) });
    }
  };

  return {
    issuer,
    resource,
    appUrl: `${app.origin}/app`,
    authorizationRequests,
    tokenExchanges,
    apiCalls,
    close: () => servers.close(),
  };
}
