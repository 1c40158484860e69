// The demo's OpenID sign-in mode (test/demo/oidc-mode.ts: a real provider, oidc-provider, and the demo app as
// its client) in the Chromium DevTools panel's Flows tab, as README's "Flows" section walks through it: the
// good client's flow without a finding, then the careless client's with its four. Saves
// artifacts/demo-flows.png; with UPDATE_DEMO_SCREENSHOT=1 it also refreshes README's picture.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { openDemoInPanel, screenshotDemoPanel } from '../harness/demo-panel';
import { poll } from '../harness/poll';
import { ROOT } from '../harness/paths';
import { startDemo, type Demo } from '../../demo/server';
import { OIDC_CARELESS_CLIENT, OIDC_GOOD_CLIENT } from '../../demo/oidc-mode';

describe.runIf(browserAvailable('chromium'))('the demo’s OpenID sign-in in the Chromium Flows tab', () => {
  let demo: Demo;
  let session: ChromiumSession;
  let page: Page;
  let devtools: Page;
  let panel: Frame;

  beforeAll(async () => {
    demo = await startDemo({});
    session = await launchChromium({ devtools: true });
    ({ page, devtools, panel } = await openDemoInPanel(session, demo, demo.oidcUrl));
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  const click = (testId: string) => page.$eval(`[data-testid=${testId}]`, (el) => (el as HTMLElement).click());

  /** Through the provider's development login and consent pages, back to the demo's callback. */
  async function signIn(client: 'oidc-good' | 'oidc-careless'): Promise<string> {
    await page.goto(demo.oidcUrl, { waitUntil: 'load' });
    await click(client);
    await click('oidc-sign-in');
    for (let round = 0; round < 6; round++) {
      const where = await poll(
        () =>
          page
            .evaluate(() => {
              if (document.querySelector('input[name=login]')) return 'login';
              if (location.pathname.startsWith('/interaction') && document.querySelector('button[type=submit]')) return 'consent';
              const state = (window as unknown as { oidcState?: string }).oidcState;
              return state ? `done:${state}` : undefined;
            })
            .catch(() => undefined),
        'the provider’s pages or the demo',
        30_000,
      );
      if (where.startsWith('done:')) return where.slice(5);
      if (where === 'login') {
        await page.type('input[name=login]', 'alice');
        await page.type('input[name=password]', 'alice');
      }
      await Promise.all([page.waitForNavigation({ timeout: 30_000 }), page.click('button[type=submit]')]);
    }
    throw new Error('the sign-in did not come back to the demo');
  }

  async function flowFindings(client: string, step: string): Promise<string[]> {
    await panel.$eval('[data-testid=tab-flows]', (el) => (el as HTMLElement).click());
    return poll(
      () =>
        panel.evaluate(
          (c, s) => {
            const flow = document.querySelector(`[data-testid=flow][data-client-id="${c}"]`);
            if (!flow?.querySelector(`[data-testid=flow-step][data-kind="${s}"]`) || !flow.querySelector('[data-testid=flow-token]'))
              return undefined;
            return [...flow.querySelectorAll('[data-finding-id]')].map((e) => e.getAttribute('data-finding-id') ?? '');
          },
          client,
          step,
        ),
      `the flow of ${client} with a ${step} step`,
      20_000,
    );
  }

  it('the good client (oidc-client-ts: code + PKCE S256 + state + nonce): one flow, no finding', async () => {
    expect(await signIn('oidc-good')).toMatch(/^signed in \(good client\)/);
    expect(await flowFindings(OIDC_GOOD_CLIENT, 'code-exchange')).toEqual([]);
  });

  it('the careless client: no state, no PKCE, the secret from the browser, then the ID token sent to the API', async () => {
    expect(await signIn('oidc-careless')).toMatch(/^signed in \(careless client\)/);
    expect((await flowFindings(OIDC_CARELESS_CLIENT, 'code-exchange')).sort()).toEqual(
      ['oauth-client-secret-in-browser', 'oauth-no-pkce', 'oauth-no-state'].sort(),
    );
    await click('oidc-call-api');
    expect((await flowFindings(OIDC_CARELESS_CLIENT, 'bearer')).sort()).toEqual(
      ['id-token-as-bearer', 'oauth-client-secret-in-browser', 'oauth-no-pkce', 'oauth-no-state'].sort(),
    );
  });

  it('saves a screenshot of the careless flow in the Flows tab', async () => {
    const shot = await screenshotDemoPanel(devtools, panel, 'demo-flows');
    expect(shot.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(shot.png.readUInt32BE(16)).toBe(shot.width);
    // The README's picture is refreshed on request only, so a test run leaves the tree clean.
    if (process.env.UPDATE_DEMO_SCREENSHOT === '1') copyFileSync(shot.path, resolve(ROOT, 'test/demo/screenshot-flows.png'));
  });
});
