import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Page } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchFirefox, type FirefoxSession } from '../harness/firefox';
import { pasteInto } from '../harness/page-input';
import { poll } from '../harness/poll';
import { startServer, type TestServer } from '../harness/server';

type PageBrowser = { browser: { permissions: { contains(p: { origins: string[] }): Promise<boolean> } } };

// The JWKS server sends no CORS headers: an extension page's fetch of it fails like any cross-origin read,
// so the key list can only appear if the options page's permissions.request() for the origin was granted.
// The harness turns Firefox's prompt off (extensions.webextOptionalPermissionPrompts), which grants it.
describe.runIf(browserAvailable('firefox'))('a JWKS URL that needs host access, in Firefox', () => {
  let session: FirefoxSession;
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'ff-1', alg: 'RS256', use: 'sig' };
    server = await startServer({
      '/jwks.json': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    });
    token = await new SignJWT({ sub: 'dave' })
      .setProtectedHeader({ alg: 'RS256', kid: 'ff-1', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('15m')
      .sign(pair.privateKey);
    session = await launchFirefox();
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  // Match patterns carry no port (Firefox rejects one): http://127.0.0.1/* covers the server's port.
  const hasAccess = (page: Page) =>
    page.evaluate(
      (h) => (globalThis as unknown as PageBrowser).browser.permissions.contains({ origins: [`http://${h}/*`] }),
      new URL(server.origin).hostname,
    );

  it('cannot read the JWKS before access is granted', async () => {
    const page = await session.extensionPage('src/options/index.html');
    expect(await hasAccess(page)).toBe(false);
    const read = await page.evaluate(async (url) => {
      try {
        return `read ${(await fetch(url)).status}`;
      } catch (e) {
        return `refused: ${String(e)}`;
      }
    }, `${server.origin}/jwks.json`);
    expect(read).toMatch(/^refused/);
    await page.close();
  });

  it('asks for the origin when the URL is added, then fetches and lists its key', async () => {
    const options = await session.extensionPage('src/options/index.html');
    await options.waitForSelector('[data-testid=options-ready]');
    await pasteInto(options, '[data-testid=key-value]', `${server.origin}/jwks.json`);
    await options.click('[data-testid=key-add]');
    await poll(() => options.$('[data-testid=jwks-key]'), 'the JWKS key row').catch(async (e: Error) => {
      const said = await options.$eval('[data-testid=options-message]', (el) => (el as HTMLElement).innerText).catch(() => '(nothing)');
      throw new Error(`${e.message}. Host access granted: ${await hasAccess(options)}. The options page says: ${said}`);
    });
    const row = await options.$eval('[data-testid=jwks-key]', (el) => (el as HTMLElement).innerText);
    expect(row).toContain('ff-1');
    expect(row).toContain('RSA');
    expect(await hasAccess(options)).toBe(true);
    expect(server.requests.filter((r) => r.url === '/jwks.json').length).toBeGreaterThan(0);
    await options.close();
  });

  it('verifies an RS256 token pasted in the popup against that key', async () => {
    const popup = await session.extensionPage('src/popup/index.html');
    await pasteInto(popup, '[data-testid=token-input]', token);
    await poll(async () => (await popup.$eval('[data-testid=verification]', (el) => el.getAttribute('data-status'))) === 'valid', 'valid');
    expect(await popup.$eval('[data-testid=verification]', (el) => (el as HTMLElement).innerText)).toContain('RS256');
    await popup.close();
  });
});
