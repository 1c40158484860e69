import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchFirefox, type FirefoxSession } from '../harness/firefox';
import { pasteInto } from '../harness/page-input';
import { poll } from '../harness/poll';

const SECRET = 'a stored secret that outlives the browser, 32+ bytes';

// README (Options) and SECURITY.md (Where it keeps things): keys stay in storage.local while *Keep keys after the
// browser closes* is on, and live in storage.session only, gone with the browser, once it is off.
describe.runIf(browserAvailable('firefox'))('the key store across a Firefox restart', () => {
  let profileDir: string;
  let session: FirefoxSession | undefined;
  let token: string;

  beforeAll(async () => {
    profileDir = mkdtempSync(join(tmpdir(), 'jwti-firefox-restart-'));
    token = await new SignJWT({ sub: 'carol' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(SECRET));
  });
  afterAll(async () => {
    await session?.close();
    rmSync(profileDir, { recursive: true, force: true });
  });

  const keyRows = (page: Page) => page.$$eval('[data-testid=key-row]', (rows) => rows.map((r) => (r as HTMLElement).innerText));

  async function statusInPopup(raw: string, expected: string) {
    const popup = await session!.extensionPage('src/popup/index.html');
    await pasteInto(popup, '[data-testid=token-input]', raw);
    const status = () => popup.$eval('[data-testid=verification]', (el) => el.getAttribute('data-status'));
    await poll(async () => (await status()) === expected, `verification ${expected}`);
    await popup.close();
  }

  it('stores an HMAC secret from the options page', async () => {
    session = await launchFirefox({ profileDir });
    const options = await session.extensionPage('src/options/index.html');
    await options.waitForSelector('[data-testid=options-ready]');
    expect(await keyRows(options)).toEqual([]);
    await pasteInto(options, '[data-testid=key-value]', SECRET);
    await options.click('[data-testid=key-add]');
    await poll(async () => (await keyRows(options)).length === 1, 'the key row');
    await options.close();
    await statusInPopup(token, 'valid');
  });

  it('still lists the key after the browser is closed and relaunched with the same profile, and verifies with it', async () => {
    await session!.close();
    session = await launchFirefox({ profileDir });
    const options = await session.extensionPage('src/options/index.html');
    await options.waitForSelector('[data-testid=options-ready]');
    const rows = await keyRows(options);
    expect(rows).toHaveLength(1);
    expect(await options.$eval('[data-testid=key-row]', (el) => el.getAttribute('data-key-kind'))).toBe('secret');
    await options.close();
    // No inline key: only the stored secret can make it valid.
    await statusInPopup(token, 'valid');
  });

  it('with Keep keys after the browser closes turned off, the key still verifies until the browser closes, and is gone after', async () => {
    const options = await session!.extensionPage('src/options/index.html');
    await options.waitForSelector('[data-testid=options-ready]');
    const keepKeys = () => options.$eval('[data-testid=keep-secrets]', (el) => (el as HTMLInputElement).checked);
    expect(await keepKeys()).toBe(true);
    await options.click('[data-testid=keep-secrets]');
    await poll(async () => (await keepKeys()) === false, 'keep-keys off');
    expect(await keyRows(options)).toHaveLength(1);
    await options.close();
    await statusInPopup(token, 'valid');

    await session!.close();
    session = await launchFirefox({ profileDir });
    const reopened = await session.extensionPage('src/options/index.html');
    await reopened.waitForSelector('[data-testid=options-ready]');
    // The setting is kept on disk; the key, kept in storage.session only, went with the browser.
    expect(await reopened.$eval('[data-testid=keep-secrets]', (el) => (el as HTMLInputElement).checked)).toBe(false);
    expect(await keyRows(reopened)).toEqual([]);
    await reopened.close();
    await statusInPopup(token, 'no-matching-key');
  });
});
