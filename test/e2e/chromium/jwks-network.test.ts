import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, generateSecret, SignJWT, type CryptoKey } from 'jose';
import type { Page } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { pasteInto } from '../harness/page-input';
import { poll } from '../harness/poll';
import { startServer, type TestServer } from '../harness/server';

// What the built worker does with what a JWKS server sends: symmetric keys (SECURITY.md, "keys from the
// network are public keys only") and redirects, in Chromium's own fetch. As in jwks-verification.test.ts
// the servers allow cross-origin reads, so the worker needs no host access (headless Chromium cannot answer
// the permission prompt).
describe.runIf(browserAvailable('chromium'))('JWKS servers as the built worker meets them in Chromium', () => {
  let session: ChromiumSession;
  let server: TestServer;
  let other: TestServer;
  let hsToken: string;
  let rsToken: string;
  const cors = { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'max-age=600' };

  beforeAll(async () => {
    const secret = (await generateSecret('HS256', { extractable: true })) as CryptoKey;
    const rsa = await generateKeyPair('RS256');
    const oct = { ...(await exportJWK(secret)), kid: 'shared', alg: 'HS256' };
    const rsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' };
    const body = JSON.stringify({ keys: [oct, rsaJwk] });
    other = await startServer({ '/jwks.json': (_q, r) => void r.writeHead(200, cors).end(JSON.stringify({ keys: [rsaJwk] })) });
    server = await startServer({
      '/mixed-jwks.json': (_q, r) => void r.writeHead(200, cors).end(body),
      '/public-jwks.json': (_q, r) => void r.writeHead(200, cors).end(JSON.stringify({ keys: [rsaJwk] })),
      '/jwks-same-origin-redirect': (_q, r) =>
        void r.writeHead(302, { location: '/public-jwks.json', 'access-control-allow-origin': '*' }).end(),
      '/jwks-cross-origin-redirect': (_q, r) =>
        void r.writeHead(302, { location: `${other.origin}/jwks.json`, 'access-control-allow-origin': '*' }).end(),
    });
    hsToken = await new SignJWT({ sub: 'mallory', admin: true })
      .setProtectedHeader({ alg: 'HS256', kid: 'shared' })
      .setIssuer(server.origin)
      .sign(secret);
    rsToken = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .setIssuer(server.origin)
      .setExpirationTime('15m')
      .sign(rsa.privateKey);
    session = await launchChromium();
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
    await other?.close();
  });

  const statusIn = (page: Page) => page.$eval('[data-testid=verification]', (el) => el.getAttribute('data-status'));

  /** Adds a JWKS URL on the options page; resolves with that key's row once its fetch has answered. */
  async function addJwksUrl(url: string) {
    const options = await session.extensionPage('src/options/index.html');
    await options.waitForSelector('[data-testid=options-ready]');
    await pasteInto(options, '[data-testid=key-value]', url);
    await options.click('[data-testid=key-add]');
    const row = await poll(async () => {
      for (const r of await options.$$('[data-testid=key-row]')) {
        const text = await r.evaluate((el) => (el as HTMLElement).innerText);
        const answered = await r.$('[data-testid=jwks-key], [data-testid=jwks-error]');
        if (text.includes(url) && answered) return r;
      }
      return undefined;
    }, `the row of ${url} with its fetch answered`);
    return { options, row };
  }

  it('drops the oct key of a fetched JWKS, raises jwks-symmetric-key, and an HS256 token MACed with it is not valid', async () => {
    const { options, row } = await addJwksUrl(`${server.origin}/mixed-jwks.json`);
    const kids = await row.$$eval('[data-testid=jwks-key]', (els) => els.map((el) => (el as HTMLElement).innerText));
    expect(kids.join('\n')).toContain('rsa-1');
    expect(kids.join('\n')).not.toContain('shared');
    expect(await row.$('[data-finding-id=jwks-symmetric-key]')).not.toBeNull();
    await options.close();

    const popup = await session.extensionPage('src/popup/index.html');
    await pasteInto(popup, '[data-testid=token-input]', hsToken);
    const status = await poll(async () => {
      const s = await statusIn(popup);
      return s && s !== 'pending' ? s : undefined;
    }, 'a verdict for the HS256 token');
    expect(status).not.toBe('valid');
    expect(await popup.$eval('[data-testid=verification]', (el) => (el as HTMLElement).innerText)).toContain('jwks-symmetric-key');
    await pasteInto(popup, '[data-testid=token-input]', rsToken);
    await poll(async () => (await statusIn(popup)) === 'valid', 'the RS256 token verified by the RSA key of the same set');
    await popup.close();
  });

  it('follows a same-origin redirect (the browser follows it; the final URL is checked)', async () => {
    const { options, row } = await addJwksUrl(`${server.origin}/jwks-same-origin-redirect`);
    const error = await row.$('[data-testid=jwks-error]');
    expect(error && (await error.evaluate((el) => (el as HTMLElement).innerText))).toBeNull();
    expect(await row.$eval('[data-testid=jwks-key]', (el) => (el as HTMLElement).innerText)).toContain('rsa-1');
    await options.close();
  });

  it('refuses a redirect to another origin', async () => {
    const { options, row } = await addJwksUrl(`${server.origin}/jwks-cross-origin-redirect`);
    expect(await row.$('[data-testid=jwks-key]')).toBeNull();
    expect(await row.$eval('[data-testid=jwks-error]', (el) => (el as HTMLElement).innerText)).toMatch(/another origin/);
    await options.close();
  });
});
