import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { devtoolsFor, filterFor as filterPanel, rowTokens as rowTokensOf, screenshotPanel, showExtensionPanel } from '../harness/devtools-panel';
import { poll } from '../harness/poll';
import { ARTIFACTS } from '../harness/paths';
import { startCaptureApp, type CaptureApp } from '../apps/capture-app';

describe.runIf(browserAvailable('chromium'))('DevTools panel capture in Chromium', () => {
  let session: ChromiumSession;
  let app: CaptureApp;
  let page: Page;
  let devtools: Page;
  let panel: Frame;

  beforeAll(async () => {
    app = await startCaptureApp();
    session = await launchChromium({ devtools: true });
    page = await session.browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(app.blankUrl, { waitUntil: 'load' });
    devtools = await devtoolsFor(session.browser, app.blankUrl);
    // DevTools is open, the JWT panel not yet shown: what happens now must still reach the panel.
    await page.goto(app.url, { waitUntil: 'load' });
    await poll(() => page.evaluate(() => (window as unknown as { phase1Done?: boolean }).phase1Done === true), 'phase 1 of the app');
    panel = await showExtensionPanel(devtools, session.extensionId);
    await page.evaluate(() => (window as unknown as { phase2(): Promise<boolean> }).phase2());
  });
  afterAll(async () => {
    await session?.close();
    await app?.close();
  });

  // The list is virtualised: only rows in view exist, so a token is brought into view by filtering for it.
  const rowTokens = () => rowTokensOf(panel);
  const filterFor = (text: string) => filterPanel(panel, text);
  async function hasRow(token: string) {
    await filterFor(token.slice(-24));
    return (await rowTokens()).includes(token);
  }
  async function open(token: string) {
    await poll(() => hasRow(token), `the row of …${token.slice(-12)}`);
    await panel.$eval(`[data-testid=token-row][data-token="${token}"]`, (el) => (el as HTMLElement).click());
    await panel.waitForSelector(`[data-testid=token-detail]`);
  }
  const wheres = () => panel.$$eval('[data-testid=sighting]', (els) => [...new Set(els.map((e) => e.getAttribute('data-where')))].sort());
  const findingIds = () => panel.$$eval('[data-testid=token-detail] [data-finding-id]', (els) => els.map((e) => e.getAttribute('data-finding-id')));
  async function expectFindings(token: string, present: string[], absent: string[] = []) {
    await open(token);
    await poll(async () => {
      const ids = await findingIds();
      return present.every((p) => ids.includes(p)) && absent.every((a) => !ids.includes(a));
    }, `findings ${present.join(',')} without ${absent.join(',')} on …${token.slice(-12)}: got ${(await findingIds()).join(',')}`);
  }

  it('shows a row for every token, including those from before the panel was shown', async () => {
    const missing = async () => {
      const out: string[] = [];
      for (const [name, token] of Object.entries(app.tokens)) if (!(await hasRow(token))) out.push(name);
      return out;
    };
    await poll(async () => (await missing()).length === 0, 'every token row', 20_000).catch(async (e) => {
      throw new Error(`${(e as Error).message}; missing: ${(await missing()).join(', ')}`);
    });
    await filterFor('');
    // Each distinct token has exactly one row.
    const rows = await rowTokens();
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('records every place each token was seen', async () => {
    const cases: [keyof CaptureApp['tokens'], string[]][] = [
      ['access', ['authorization-header', 'local-storage', 'response-body']],
      ['id', ['response-body', 'session-storage']],
      ['custom', ['request-header', 'response-body']],
      ['refresh', ['request-body', 'response-body']],
      ['cookieSafe', ['set-cookie']],
      ['cookieLoose', ['document-cookie', 'set-cookie']],
      ['inQuery', ['response-body', 'url']],
      ['inFragment', ['url']],
      ['debug', ['response-header']],
      ['newAccess', ['response-body']],
    ];
    for (const [name, where] of cases) {
      await open(app.tokens[name]);
      await poll(async () => {
        const seen = await wheres();
        return where.every((w) => seen.includes(w));
      }, `sightings of ${name}`).catch(() => undefined);
      const got = await wheres();
      for (const w of where) expect(got, `${name} seen in ${w}`).toContain(w);
    }
  });

  it('judges each token by what it is and where it was', async () => {
    await expectFindings(app.tokens.access, ['web-storage']);
    await expectFindings(app.tokens.id, ['web-storage']);
    await expectFindings(app.tokens.cookieLoose, ['cookie-not-httponly']);
    await expectFindings(app.tokens.cookieSafe, [], ['cookie-not-httponly', 'cookie-samesite-none']);
    await expectFindings(app.tokens.inQuery, ['token-in-url']);
    await expectFindings(app.tokens.inFragment, ['token-in-url']);
    await expectFindings(app.tokens.debug, ['alg-none']);
    await expectFindings(app.tokens.custom, ['weak-hmac-secret']);
    await expectFindings(app.tokens.refresh, ['refresh-while-access-valid', 'refresh-token-not-rotated']);
  });

  it('shows the verification verdict in the detail', async () => {
    await open(app.tokens.access);
    const status = await poll(
      () => panel.$eval('[data-testid=token-detail] [data-testid=verification]', (el) => el.getAttribute('data-status')).then((s) => (s !== 'pending' ? s : undefined)),
      'a verdict',
    );
    expect(status).toBe('no-matching-key');
  });

  it('saves screenshots of the panel, light and dark', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await open(app.tokens.refresh);
    await filterFor('');
    await devtools.setViewport({ width: 1400, height: 900 });
    for (const theme of ['light', 'dark'] as const) {
      await panel.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      await screenshotPanel(devtools, panel, join(ARTIFACTS, `panel-${theme}.png`) as `${string}.png`);
    }
  });
});
