import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GECKO_ID } from '../../../vite.config';
import { browserAvailable } from '../harness/browsers';
import { builtGeckoId, launchFirefox, type FirefoxSession } from '../harness/firefox';
import { pasteInto, textOf } from '../harness/page-input';
import { ROOT } from '../harness/paths';
import { poll } from '../harness/poll';

const { version } = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string };
const SECRET = 'correct horse battery staple, long enough for HS256';

describe.runIf(browserAvailable('firefox'))('popup in Firefox', () => {
  let session: FirefoxSession;
  let token: string;

  beforeAll(async () => {
    session = await launchFirefox();
    token = await new SignJWT({ sub: 'alice', name: 'Alice Example', scope: 'read:orders' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'k-2026' })
      .setIssuer('https://issuer.example')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(SECRET));
  });
  afterAll(async () => session?.close());

  it('installs under the gecko id vite.config.ts gives it', () => {
    expect(builtGeckoId()).toBe(GECKO_ID);
    expect(session.extensionId).toBe(GECKO_ID);
  });

  it('runs the background script, which answers a ping with the package version', async () => {
    const page = await session.extensionPage('src/popup/index.html');
    const answer = await page.evaluate(() =>
      (globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).browser.runtime.sendMessage({
        type: 'ping',
      }),
    );
    expect(answer).toEqual({ ok: true, value: { ok: true, version } });
    await page.close();
  });

  it('decodes a pasted token with a Bearer prefix and line breaks', async () => {
    const page = await session.extensionPage('src/popup/index.html');
    await pasteInto(page, '[data-testid=token-input]', `Bearer ${token.slice(0, 40)}\n${token.slice(40, 90)}\r\n  ${token.slice(90)}\n`);
    const header = await textOf(page, '[data-testid=decoded-header]');
    expect(header).toContain('"HS256"');
    expect(header).toContain('"k-2026"');
    const payload = await textOf(page, '[data-testid=decoded-payload]');
    expect(payload).toContain('"alice"');
    expect(payload).toContain('"Alice Example"');
    expect(payload).toContain('https://issuer.example');
    await page.close();
  });

  it('verifies through the background with an inline secret, and rejects the wrong one', async () => {
    const page = await session.extensionPage('src/popup/index.html');
    await pasteInto(page, '[data-testid=token-input]', token);
    const status = () => page.$eval('[data-testid=verification]', (el) => el.getAttribute('data-status'));
    await poll(async () => (await status()) === 'no-matching-key', 'no-matching-key without a key');
    await pasteInto(page, '[data-testid=inline-key]', SECRET);
    await poll(async () => (await status()) === 'valid', 'valid with the right secret');
    await pasteInto(page, '[data-testid=inline-key]', 'not the secret');
    await poll(async () => (await status()) === 'invalid', 'invalid with a wrong secret');
    await page.close();
  });
});
