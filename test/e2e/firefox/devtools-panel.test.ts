import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import type { Page } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchFirefox, type FirefoxPanel, type FirefoxSession } from '../harness/firefox';
import { poll } from '../harness/poll';
import { startServer, type TestServer } from '../harness/server';

describe.runIf(browserAvailable('firefox'))('the DevTools panel in Firefox', () => {
  let session: FirefoxSession;
  let server: TestServer;
  let page: Page;
  let panel: FirefoxPanel;
  let token: string;

  beforeAll(async () => {
    token = await new SignJWT({ sub: 'erin', scope: 'profile' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode('panel capture secret, long enough for HS256'));
    const html = (body: string) => (_q: unknown, r: import('node:http').ServerResponse) =>
      void r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>app</title>${body}`);
    server = await startServer({
      '/app': html('<p>the inspected app</p>'),
      // A page that calls its API with a bearer token once loaded, as a signed-in single-page app does.
      '/signed-in': html(`<p>signed in</p><script>fetch('/api/me', { headers: { Authorization: 'Bearer ${token}' } });</script>`),
      '/api/me': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json' }).end('{"sub":"erin"}'),
    });
    session = await launchFirefox();
    page = await session.browser.newPage();
    // A unique URL: the harness finds the page's tab in the browser window by it.
    await page.goto(`${server.origin}/app?run=${Date.now()}`);
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('registers the JWT panel, which the toolbox opens and renders', async () => {
    panel = await session.openExtensionPanel(page);
    expect(panel.toolId).toMatch(/^webext-devtools-panel-/);
    const seen = await poll(
      () => panel.evaluate((doc) => (doc.querySelector('[data-testid=panel-ready]') ? doc.location.href : null)),
      'the panel to render [data-testid=panel-ready]',
    );
    expect(seen).toBe(`${session.extensionOrigin}/src/devtools/panel.html`);
  });

  it('lists the bearer token of a request the page makes after the panel is ready', async () => {
    expect(panel, 'the panel test above must pass first').toBeDefined();
    await page.goto(`${server.origin}/signed-in`);
    await poll(async () => server.requests.some((r) => r.url === '/api/me' && r.headers.authorization === `Bearer ${token}`), 'the page to call its API');
    const rows = await poll(
      async () => {
        const tokens = await panel.evaluate((doc) => [...doc.querySelectorAll('[data-testid=token-row]')].map((el) => el.getAttribute('data-token')));
        return tokens.includes(token) ? tokens : null;
      },
      'a token row for the Authorization header',
    );
    expect(rows).toContain(token);
  });

  it("gets the worker's verdict: the worker answers the panel's page (src/background/own-pages.ts)", async () => {
    const status = await poll(async () => {
      const rows = await panel.evaluate((doc) =>
        [...doc.querySelectorAll('[data-testid=token-row]')].map((el) => [el.getAttribute('data-token'), el.querySelector('[data-status]')?.getAttribute('data-status')]),
      );
      const s = rows.find(([t]) => t === token)?.[1];
      return s && s !== 'pending' ? s : null;
    }, 'a verdict on the row');
    // No key is stored: an unanswered message would be 'error'.
    expect(status).toBe('no-matching-key');
  });
});
