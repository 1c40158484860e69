// The storage watch and the page's own URL, in Chromium with the built panel: a token that sits in
// sessionStorage for about a second after the page loaded (what an OpenID client library does), a token in
// the URL fragment the page was loaded with, and one in the query of an SPA route reached by pushState.
// None of them travels in any request or response the panel could capture instead: the page builds them
// from reversed text, and a fragment is never sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { generateKeyPair, SignJWT } from 'jose';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { devtoolsFor, filterFor, rowTokens, showExtensionPanel } from '../harness/devtools-panel';
import { poll } from '../harness/poll';
import { startServer, type TestServer } from '../harness/server';

const reversed = (text: string) => [...text].reverse().join('');

/** The page: writes a token to sessionStorage 1.5 s after load, removes it 1 s later; goRoute() pushes a route. */
const PAGE = (stored: string, routed: string) => `<!doctype html><meta charset="utf-8"><title>watch app</title>
<body><h1>watch app</h1>
<script>
const unreverse = (t) => t.split('').reverse().join('');
setTimeout(() => {
  sessionStorage.setItem('oidc.user:http://127.0.0.1:spa', JSON.stringify({ access_token: unreverse(${JSON.stringify(reversed(stored))}), token_type: 'Bearer' }));
  window.storedAt = Date.now();
  setTimeout(() => {
    sessionStorage.removeItem('oidc.user:http://127.0.0.1:spa');
    window.removedAt = Date.now();
  }, 1000);
}, 1500);
window.goRoute = () => history.pushState({}, '', '/app/orders?id_token=' + unreverse(${JSON.stringify(reversed(routed))}));
</script>`;

describe.runIf(browserAvailable('chromium'))('storage watch and page URL in Chromium', () => {
  let session: ChromiumSession;
  let server: TestServer;
  let page: Page;
  let panel: Frame;
  const tokens = { stored: '', fragment: '', routed: '' };

  beforeAll(async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ iss: 'http://127.0.0.1/watch', iat: now, exp: now + 600, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'w1' })
        .sign(privateKey);
    tokens.stored = await sign({ sub: 'alice', scope: 'api', jti: 'stored-1' });
    tokens.fragment = await sign({ sub: 'alice', scope: 'implicit', jti: 'fragment-1' });
    tokens.routed = await sign({ sub: 'alice', aud: 'spa', jti: 'routed-1' });
    server = await startServer({
      '/blank': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>blank</title>'),
      '/app': (_q, r) =>
        void r.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' }).end(PAGE(tokens.stored, tokens.routed)),
    });
    session = await launchChromium({ devtools: true });
    page = await session.browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const blank = `${server.origin}/blank`;
    await page.goto(blank, { waitUntil: 'load' });
    const devtools = await devtoolsFor(session.browser, blank);
    // The panel is open before the app loads: the watch runs only while it is.
    panel = await showExtensionPanel(devtools, session.extensionId);
    await page.goto(`${server.origin}/app#access_token=${tokens.fragment}&token_type=Bearer`, { waitUntil: 'load' });
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  async function hasRow(token: string) {
    await filterFor(panel, token.slice(-24));
    return (await rowTokens(panel)).includes(token);
  }
  async function open(token: string) {
    await poll(() => hasRow(token), `the row of …${token.slice(-12)}`, 20_000);
    await panel.$eval(`[data-testid=token-row][data-token="${token}"]`, (el) => (el as HTMLElement).click());
    await panel.$eval('[data-testid=tab-details]', (el) => (el as HTMLElement).click());
    await panel.waitForSelector('[data-testid=token-detail]');
  }
  const sightings = () =>
    panel.$$eval('[data-testid=sighting]', (els) =>
      els.map((e) => ({
        where: e.getAttribute('data-where'),
        removed: e.getAttribute('data-removed'),
        text: (e as HTMLElement).innerText,
      })),
    );
  const findingIds = () =>
    panel.$$eval('[data-testid=token-detail] [data-finding-id]', (els) => els.map((e) => e.getAttribute('data-finding-id')));

  it('sees a token kept in sessionStorage for one second, and shows it removed', async () => {
    await open(tokens.stored);
    expect((await sightings()).map((s) => s.where)).toContain('session-storage');
    await poll(
      () => page.evaluate(() => typeof (window as unknown as { removedAt?: number }).removedAt === 'number'),
      'the page to remove its token',
    );
    await poll(
      async () => (await sightings()).some((s) => s.where === 'session-storage' && s.removed === 'true'),
      'the sighting marked removed',
    );
    expect(await findingIds()).toContain('web-storage');

    await panel.$eval('[data-testid=tab-timeline]', (el) => (el as HTMLElement).click());
    const removed = await poll(
      () =>
        panel
          .$$eval('[data-testid=timeline-event][data-kind=removed]', (els) => els.map((e) => (e as HTMLElement).innerText))
          .then((t) => (t.length ? t : undefined)),
      'a removed event in the timeline',
    );
    expect(removed).toHaveLength(1);
    expect(removed[0]).toContain('Removed from sessionStorage');
    expect(removed[0]).toContain(tokens.stored.slice(-10));
  });

  it('lists a token in the URL fragment the page was loaded with, with token-in-url', async () => {
    await open(tokens.fragment);
    const url = (await sightings()).filter((s) => s.where === 'url');
    expect(url.length).toBeGreaterThan(0);
    expect(url[0]!.text).toContain('location');
    await poll(async () => (await findingIds()).includes('token-in-url'), 'token-in-url on the fragment token');
  });

  it('lists a token in the query of an SPA route reached by pushState, with token-in-url', async () => {
    await page.evaluate(() => (window as unknown as { goRoute(): void }).goRoute());
    await open(tokens.routed);
    const url = (await sightings()).filter((s) => s.where === 'url');
    expect(url.length).toBeGreaterThan(0);
    expect(url[0]!.text).toContain('location');
    await poll(async () => (await findingIds()).includes('token-in-url'), 'token-in-url on the route token');
    // pushState sent nothing: the only request of the app is its page.
    expect(server.requests.filter((r) => r.url.includes(tokens.routed.slice(-12)))).toEqual([]);
  });
});
