import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, exportPKCS8, generateKeyPair, SignJWT } from 'jose';
import type { Page } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { pasteInto } from '../harness/page-input';
import { poll } from '../harness/poll';
import { startServer, type TestServer } from '../harness/server';

const SECRET = 'e2e-secret-do-not-list-me';

// The built worker and the real storage areas: what "Keep keys after the browser closes" off, Delete and
// keys/list promise in SECURITY.md.
describe.runIf(browserAvailable('chromium'))('secrets, private keys and what stays on disk, in Chromium', () => {
  let session: ChromiumSession;
  let server: TestServer;
  let options: Page;
  let token: string;
  let privatePem: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privatePem = await exportPKCS8(pair.privateKey);
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' };
    server = await startServer({
      '/jwks.json': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
          .end(JSON.stringify({ keys: [jwk] })),
    });
    token = await new SignJWT({ sub: 'bob' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setExpirationTime('15m')
      .sign(pair.privateKey);
    session = await launchChromium();
    options = await session.extensionPage('src/options/index.html');
    await options.waitForSelector('[data-testid=options-ready]');
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  const storage = async (area: 'local' | 'session') =>
    JSON.stringify(
      await (await session.worker()).evaluate(
        (a) =>
          (globalThis as unknown as { chrome: { storage: Record<string, { get(keys: null): Promise<unknown> }> } }).chrome.storage[a]!.get(
            null,
          ),
        area,
      ),
    );
  const rows = () => options.$$('[data-testid=key-row]');
  async function add(value: string) {
    const before = (await rows()).length;
    await pasteInto(options, '[data-testid=key-value]', value);
    await options.click('[data-testid=key-add]');
    await poll(async () => (await rows()).length === before + 1, 'the new key row');
    return (await rows())[before]!;
  }

  it('with keep-keys off, keys and the fetched JWKS sit in storage.session and never reach storage.local; Delete drops the cached JWKS', async () => {
    await options.click('[data-testid=keep-secrets]');
    await poll(
      async () => (await options.$eval('[data-testid=keep-secrets]', (el) => (el as HTMLInputElement).checked)) === false,
      'keep-keys off',
    );
    const jwksRow = await add(`${server.origin}/jwks.json`);
    await poll(async () => jwksRow.$('[data-testid=jwks-key]'), 'the JWKS fetched');
    const popup = await session.extensionPage('src/popup/index.html');
    await pasteInto(popup, '[data-testid=token-input]', token);
    await poll(
      async () => (await popup.$eval('[data-testid=verification]', (el) => el.getAttribute('data-status'))) === 'valid',
      'verified',
    );
    await popup.close();
    const local = await storage('local');
    expect(local).not.toContain('/jwks.json');
    expect(local).not.toContain('jwti:jwks-cache');
    // …and they are kept, in memory: the key and the fetched set sit in the real storage.session.
    const inSession = await storage('session');
    expect(inSession).toContain('jwti:state');
    expect(inSession).toContain('jwti:jwks-cache');
    expect(inSession).toContain('/jwks.json');

    await jwksRow.$eval('[data-testid=key-delete]', (el) => (el as HTMLElement).click());
    await poll(async () => (await rows()).length === 0, 'the row gone');
    expect(await storage('session')).not.toContain('/jwks.json');
    expect(await storage('local')).not.toContain('/jwks.json');
  });

  it('lists a secret masked (keys/list carries no secret) and shows it only on an explicit click', async () => {
    const row = await add(SECRET);
    expect(await row.evaluate((el) => (el as HTMLElement).innerText)).not.toContain(SECRET);
    const listed = await options.evaluate(() =>
      (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({
        type: 'keys/list',
      }),
    );
    expect(JSON.stringify(listed)).not.toContain(SECRET);
    // Keep-keys is still off: the secret is in storage.session, never on disk.
    expect(await storage('session')).toContain(SECRET);
    expect(await storage('local')).not.toContain(SECRET);
    await (await row.$('[data-testid=key-reveal]'))!.click();
    await poll(async () => (await row.evaluate((el) => (el as HTMLElement).innerText)).includes(SECRET), 'the secret revealed');
  });

  it('stores only the public half of a private PEM and says so', async () => {
    await add(privatePem);
    expect(await options.$eval('[data-testid=options-message]', (el) => (el as HTMLElement).innerText)).toMatch(/public half/i);
    const stored = (await storage('local')) + (await storage('session'));
    expect(stored).not.toContain('PRIVATE KEY');
    expect(stored).toContain('\\"kty\\":\\"RSA\\"');
  });
});
