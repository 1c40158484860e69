// The full-page decoder gets its token through storage.session, never through its URL: Chromium keeps every
// URL a tab visited (its navigation history, the History database, session restore), fragment included.
// Opened here with the popup's *Open in a tab*, which shares the hand-over with the context menu
// (src/decoder-page.ts; the context menu's own call is test/background/context-menu.test.ts: a headless
// browser cannot click a native menu).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { textOf } from '../harness/page-input';
import { poll } from '../harness/poll';
import { startServer, type TestServer } from '../harness/server';

describe.runIf(browserAvailable('chromium'))('the decoder tab keeps its token out of the URL and history', () => {
  let session: ChromiumSession;
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    token = await new SignJWT({ sub: 'handed-over' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('h'.repeat(32)));
    server = await startServer({
      '/app': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'text/html' })
          .end(`<!doctype html><title>app</title><script>localStorage.setItem('jwt', ${JSON.stringify(token)});</script>`),
    });
    session = await launchChromium();
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('opens with a one-time handle: the token shows, and no history entry or storage keeps it', async () => {
    const page = await session.browser.newPage();
    await page.goto(`${server.origin}/app`, { waitUntil: 'load' });
    const extension = (await session.browser.extensions()).get(session.extensionId)!;
    await page.triggerExtensionAction(extension);
    const popupTarget = await session.browser.waitForTarget((t) =>
      t.url().startsWith(`chrome-extension://${session.extensionId}/src/popup/index.html`),
    );
    const popup = (await popupTarget.asPage())!;
    await popup.waitForSelector('[data-testid=scan-page]');
    await popup.click('[data-testid=scan-page]');
    await popup.waitForSelector(`[data-testid=page-token][data-token="${token}"]`, { timeout: 15_000 });
    await popup.click(`[data-testid=page-token][data-token="${token}"]`);
    await popup.click('::-p-text(Open in a tab)');

    const decoderTarget = await session.browser.waitForTarget((t) => t.url().includes('/src/popup/index.html?page=1'));
    const decoder = (await decoderTarget.asPage())!;
    await poll(
      async () => (await textOf(decoder, '[data-testid=decoded-payload]')).includes('handed-over'),
      'the handed-over token decoded',
    );
    expect(await decoder.$('[data-testid=scan-page]')).toBeNull();

    // What the browser remembers of this tab: every URL of its navigation history, and the tab's URL.
    const cdp = await decoder.createCDPSession();
    const { entries } = await cdp.send('Page.getNavigationHistory');
    await cdp.detach();
    const urls = [...entries.map((e) => e.url), decoderTarget.url(), decoder.url()];
    const [header, payload, signature] = token.split('.');
    for (const url of urls) {
      for (const part of [header!, payload!, signature!]) expect(url).not.toContain(part);
    }
    expect(urls.some((u) => u.includes('/src/popup/index.html?page=1&handover='))).toBe(true);

    // Read once, then gone: storage.session holds no copy.
    const left = await decoder.evaluate(async () =>
      JSON.stringify(await (globalThis as unknown as { chrome: any }).chrome.storage.session.get(null)),
    );
    expect(left).not.toContain(payload!);
  });
});
