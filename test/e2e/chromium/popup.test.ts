import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { pasteInto, textOf } from '../harness/page-input';
import { poll } from '../harness/poll';
import { ARTIFACTS } from '../harness/paths';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pkg from '../../../package.json' with { type: 'json' };

const SECRET = 'correct horse battery staple, long enough for HS256';

describe.runIf(browserAvailable('chromium'))('popup in Chromium', () => {
  let session: ChromiumSession;
  let token: string;

  beforeAll(async () => {
    session = await launchChromium();
    token = await new SignJWT({ sub: 'alice', name: 'Alice Example', scope: 'read:orders' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'k-2026' })
      .setIssuer('https://issuer.example')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(SECRET));
  });
  afterAll(async () => session?.close());

  it('starts the background worker, which answers pages', async () => {
    await session.worker();
    const page = await session.extensionPage('src/popup/index.html');
    const answer = await page.evaluate(() =>
      (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({
        type: 'ping',
      }),
    );
    expect(answer).toEqual({ ok: true, value: { ok: true, version: pkg.version } });
    await page.close();
  });

  it('decodes a pasted token with a Bearer prefix and line breaks', async () => {
    const page = await session.extensionPage('src/popup/index.html');
    const pasted = `Bearer ${token.slice(0, 40)}\n${token.slice(40, 90)}\r\n  ${token.slice(90)}\n`;
    await pasteInto(page, '[data-testid=token-input]', pasted);

    const header = await textOf(page, '[data-testid=decoded-header]');
    expect(header).toContain('"alg"');
    expect(header).toContain('"HS256"');
    expect(header).toContain('"k-2026"');
    const payload = await textOf(page, '[data-testid=decoded-payload]');
    expect(payload).toContain('"alice"');
    expect(payload).toContain('"Alice Example"');
    expect(payload).toContain('https://issuer.example');
    await page.close();
  });

  it('verifies through the worker with an inline secret, and rejects the wrong one', async () => {
    const page = await session.extensionPage('src/popup/index.html');
    await pasteInto(page, '[data-testid=token-input]', token);
    const status = () => page.$eval('[data-testid=verification]', (el) => el.getAttribute('data-status'));
    await poll(async () => (await status()) === 'no-matching-key', 'no-matching-key without a key');

    await pasteInto(page, '[data-testid=inline-key]', SECRET);
    await poll(async () => (await status()) === 'valid', 'valid with the right secret');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.setViewport({ width: 600, height: 1100 });
    await page.screenshot({ path: join(ARTIFACTS, 'popup.png') as `${string}.png`, fullPage: true });

    await pasteInto(page, '[data-testid=inline-key]', 'not the secret');
    await poll(async () => (await status()) === 'invalid', 'invalid with a wrong secret');
    await page.close();
  });

  it('says why a string is not a token', async () => {
    const page = await session.extensionPage('src/popup/index.html');
    await pasteInto(page, '[data-testid=token-input]', 'eyJhbGciOiJIUzI1NiJ9.only-two-parts');
    const error = await textOf(page, '[data-testid=decode-error]');
    expect(error.length).toBeGreaterThan(10);
    expect(await page.$('[data-testid=decoded-header]')).toBeNull();
    await page.close();
  });
});
