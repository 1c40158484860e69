// A script the extension injects into a page (scripting.executeScript, as the popup's *Tokens on this page*
// does) runs with the extension's id: the worker must still refuse it, since page script shares its world.
// The unit half, with every kind of sender, is test/background/message-senders.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { startServer, type TestServer } from '../harness/server';

describe.runIf(browserAvailable('chromium'))('the worker refuses scripts injected into a page', () => {
  let session: ChromiumSession;
  let server: TestServer;
  let page: Page;
  let popup: Page;

  beforeAll(async () => {
    server = await startServer({
      '/app': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>'),
    });
    session = await launchChromium();
    page = await session.browser.newPage();
    await page.goto(`${server.origin}/app`, { waitUntil: 'load' });
    const extension = (await session.browser.extensions()).get(session.extensionId)!;
    // Clicking the toolbar icon grants activeTab on the page, which scripting.executeScript needs.
    await page.triggerExtensionAction(extension);
    const target = await session.browser.waitForTarget((t) =>
      t.url().startsWith(`chrome-extension://${session.extensionId}/src/popup/index.html`),
    );
    popup = (await target.asPage())!;
    await popup.waitForSelector('[data-testid=scan-page]');
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('answers keys/list from the popup, and not from a script it injected into the page', async () => {
    const own = await popup.evaluate(async () => {
      const chrome = (globalThis as unknown as { chrome: any }).chrome;
      await chrome.runtime.sendMessage({
        type: 'keys/add',
        key: { label: 'e2e sender key', input: { kind: 'secret', value: 'x'.repeat(32), encoding: 'utf8' } },
      });
      return chrome.runtime.sendMessage({ type: 'keys/list' });
    });
    expect(own).toMatchObject({ ok: true, value: [expect.objectContaining({ label: 'e2e sender key' })] });

    const injected = await popup.evaluate(async () => {
      const chrome = (globalThis as unknown as { chrome: any }).chrome;
      const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
      const [result] = await chrome.scripting.executeScript({
        target: { tabId: tab!.id! },
        func: async () => {
          const chrome = (globalThis as unknown as { chrome: any }).chrome;
          try {
            return { answer: (await chrome.runtime.sendMessage({ type: 'keys/list' })) ?? null, url: location.href };
          } catch (e) {
            return { refused: String(e), url: location.href };
          }
        },
      });
      return result?.result as { answer?: unknown; refused?: string; url: string } | undefined;
    });
    // It did run in the page, with the page's URL, and got nothing from the worker.
    expect(injected?.url).toBe(`${server.origin}/app`);
    expect(injected?.answer ?? null).toBeNull();
    expect(JSON.stringify(injected)).not.toContain('e2e sender key');
  });
});
