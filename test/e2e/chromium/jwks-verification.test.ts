import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Page } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { pasteInto } from '../harness/page-input';
import { poll } from '../harness/poll';
import { startServer, type TestServer } from '../harness/server';

// Headless Chromium cannot answer the extension's host-permission prompt (it is browser UI, not page UI),
// so this JWKS server allows cross-origin reads, as public JWKS endpoints commonly do; the worker then
// fetches it without host access. The permission grant itself is exercised in Firefox, whose prompt a
// preference can accept.
describe.runIf(browserAvailable('chromium'))('verification against a JWKS URL in Chromium', () => {
  let session: ChromiumSession;
  let server: TestServer;
  let privateKey: CryptoKey;
  let token: string;
  let publishedKeys: object[];

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'e2e-1', alg: 'RS256', use: 'sig' };
    publishedKeys = [jwk];
    server = await startServer({
      '/jwks.json': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'max-age=600' })
          .end(JSON.stringify({ keys: publishedKeys })),
    });
    token = await new SignJWT({ sub: 'bob', scope: 'orders:read' })
      .setProtectedHeader({ alg: 'RS256', kid: 'e2e-1', typ: 'JWT' })
      .setIssuer(server.origin)
      .setIssuedAt()
      .setExpirationTime('15m')
      .sign(privateKey);
    session = await launchChromium();
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  const jwksFetches = () => server.requests.filter((r) => r.url === '/jwks.json').length;
  const statusIn = (page: Page) => page.$eval('[data-testid=verification]', (el) => el.getAttribute('data-status'));

  async function verifyInPopup(raw: string, expected: string) {
    const popup = await session.extensionPage('src/popup/index.html');
    await pasteInto(popup, '[data-testid=token-input]', raw);
    await poll(async () => (await statusIn(popup)) === expected, `verification ${expected}`);
    const text = await popup.$eval('[data-testid=verification]', (el) => (el as HTMLElement).innerText);
    await popup.close();
    return text;
  }

  it('adds the JWKS URL on the options page and lists its keys', async () => {
    const options = await session.extensionPage('src/options/index.html');
    await options.waitForSelector('[data-testid=options-ready]');
    await pasteInto(options, '[data-testid=key-value]', `${server.origin}/jwks.json`);
    expect(await options.$eval('[data-testid=key-detected]', (el) => (el as HTMLElement).innerText)).toMatch(/URL/i);
    await options.click('[data-testid=key-add]');
    await options.waitForSelector('[data-testid=jwks-key]', { timeout: 15_000 });
    const row = await options.$eval('[data-testid=jwks-key]', (el) => (el as HTMLElement).innerText);
    expect(row).toContain('e2e-1');
    expect(row).toContain('RSA');
    await options.close();
  });

  it('verifies an RS256 token pasted in the popup, and calls a tampered copy invalid', async () => {
    const text = await verifyInPopup(token, 'valid');
    expect(text).toContain('RS256');
    const [h, p, s] = token.split('.') as [string, string, string];
    const flipped = s[10] === 'A' ? 'B' : 'A';
    await verifyInPopup(`${h}.${p}.${s.slice(0, 10)}${flipped}${s.slice(11)}`, 'invalid');
    const forged = await new SignJWT({ sub: 'bob', admin: true })
      .setProtectedHeader({ alg: 'RS256', kid: 'e2e-1' })
      .sign((await generateKeyPair('RS256')).privateKey);
    await verifyInPopup(forged, 'invalid');
  });

  it('still verifies after the worker is stopped, without re-adding the key or refetching the JWKS', async () => {
    const fetchesBefore = jwksFetches();
    await session.stopWorker();
    await verifyInPopup(token, 'valid');
    expect(jwksFetches()).toBe(fetchesBefore);
  });

  // README, tour step 9: "or at once with *Refresh* on the options page". The set was served with
  // max-age=600, so nothing but the button makes the worker fetch it again within this test.
  it('lists a rotated key after Refresh on the options page, and verifies the token it signed', async () => {
    const next = await generateKeyPair('RS256');
    publishedKeys = [...publishedKeys, { ...(await exportJWK(next.publicKey)), kid: 'e2e-2', alg: 'RS256', use: 'sig' }];
    const rotated = await new SignJWT({ sub: 'carol' })
      .setProtectedHeader({ alg: 'RS256', kid: 'e2e-2' })
      .setIssuer(server.origin)
      .setExpirationTime('15m')
      .sign(next.privateKey);

    const options = await session.extensionPage('src/options/index.html');
    await options.waitForSelector('[data-testid=options-ready]');
    const listedKids = () =>
      options.$$eval('[data-testid=jwks-key] td:first-child', (cells) => cells.map((c) => (c as HTMLElement).innerText));
    await poll(async () => (await listedKids()).length > 0, 'the cached set listed');
    expect(await listedKids()).toEqual(['e2e-1']);
    const fetchesBefore = jwksFetches();

    await options.click('[data-testid=key-refresh]');
    await poll(async () => (await listedKids()).includes('e2e-2'), 'the rotated key listed after Refresh', 15_000);
    expect(await listedKids()).toEqual(['e2e-1', 'e2e-2']);
    expect(jwksFetches()).toBeGreaterThan(fetchesBefore);
    await options.close();

    expect(await verifyInPopup(rotated, 'valid')).toContain('e2e-2');
  });
});
