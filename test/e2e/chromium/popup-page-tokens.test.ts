import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import type { Page } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { textOf } from '../harness/page-input';
import { poll } from '../harness/poll';
import { startServer, type TestServer } from '../harness/server';

const sign = (sub: string) =>
  new SignJWT({ sub })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('k'.repeat(32)));

// The full-page decoder (popup and context menu) is test/e2e/chromium/decoder-handover.test.ts.
describe.runIf(browserAvailable('chromium'))('popup: tokens on this page', () => {
  let session: ChromiumSession;
  let server: TestServer;
  let page: Page;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    tokens.local = await sign('in-local-storage');
    tokens.session = await sign('in-session-storage');
    tokens.cookie = await sign('in-document-cookie');
    server = await startServer({
      '/spa': (_q, r) =>
        void r.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>spa</title><script>
          localStorage.setItem('jwt', ${JSON.stringify(tokens.local)});
          sessionStorage.setItem('auth', JSON.stringify({ token: ${JSON.stringify(tokens.session)} }));
          document.cookie = 'sid=' + ${JSON.stringify(tokens.cookie)} + '; path=/';
          window.ready = true;
        </script>`),
    });
    session = await launchChromium();
    page = await session.browser.newPage();
    await page.goto(`${server.origin}/spa`, { waitUntil: 'load' });
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('lists the tokens page scripts can read once the action is clicked (activeTab), and decodes one', async () => {
    const extension = (await session.browser.extensions()).get(session.extensionId)!;
    // The same as clicking the toolbar icon: it grants activeTab for this tab and opens the popup.
    await page.triggerExtensionAction(extension);
    const popupTarget = await session.browser.waitForTarget((t) =>
      t.url().startsWith(`chrome-extension://${session.extensionId}/src/popup/index.html`),
    );
    const popup = (await popupTarget.asPage())!;
    await popup.waitForSelector('[data-testid=scan-page]');
    await popup.click('[data-testid=scan-page]');
    await popup.waitForSelector('[data-testid=page-token]', { timeout: 15_000 });
    const found = await popup.$$eval('[data-testid=page-token]', (els) =>
      els.map((e) => [e.getAttribute('data-where'), e.getAttribute('data-token')]),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        ['local-storage', tokens.local],
        ['session-storage', tokens.session],
        ['document-cookie', tokens.cookie],
      ]),
    );
    await popup.click(`[data-testid=page-token][data-token="${tokens.session}"]`);
    await poll(
      async () => (await textOf(popup, '[data-testid=decoded-payload]')).includes('in-session-storage'),
      'the picked token decoded',
    );
  });
});
