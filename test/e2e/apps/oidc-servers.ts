// The two servers of a test app that signs in with a real OpenID client library (oidc-client-ts) against a
// real provider (oidc-provider): shared by oidc-app.ts and oidc-flows-app.ts, which differ in their clients,
// their page and what they record, not in how they are served.
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startServer, type Handler, type TestServer } from '../harness/server';

const require = createRequire(import.meta.url);
const CLIENT_LIBRARY = join(dirname(require.resolve('oidc-client-ts/package.json')), 'dist/browser/oidc-client-ts.js');

export interface OidcServers {
  /** Listening, with no request handler yet: the provider is built on `issuer`, which names this server's port. */
  providerServer: Server;
  issuer: string;
  /** The app's server (the client's redirect URI names it), routed by `routes`. */
  app: TestServer;
  /** The app's routes: empty until `servePage`, and open to more. */
  routes: Record<string, Handler>;
  /** Serves the page at /app and at its redirect URI /callback, and the client library's browser build it loads. */
  servePage(page: string): void;
  close(): Promise<void>;
}

/** Both servers on 127.0.0.1, every port chosen by the system. */
export async function startOidcServers(): Promise<OidcServers> {
  const providerServer = createServer();
  await new Promise<void>((ok) => providerServer.listen(0, '127.0.0.1', ok));
  const issuer = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}`;
  const routes: Record<string, Handler> = {};
  const app = await startServer(routes);
  return {
    providerServer,
    issuer,
    app,
    routes,
    servePage(page) {
      const html = (_q: IncomingMessage, r: ServerResponse) =>
        void r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      const clientLibrary = readFileSync(CLIENT_LIBRARY, 'utf8');
      Object.assign(routes, {
        '/app': html,
        '/callback': html,
        '/oidc-client-ts.js': (_q: IncomingMessage, r: ServerResponse) =>
          void r.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(clientLibrary),
      });
    },
    async close() {
      await app.close();
      providerServer.closeAllConnections();
      await new Promise<void>((ok) => providerServer.close(() => ok()));
    },
  };
}
