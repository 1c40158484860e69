// The Flows tab on real sign-ins, written once and run by test/e2e/{chromium,firefox}/flow-scenarios.test.ts.
// One browser and one page for everything (the panel keeps its log across navigations): first the
// hand-written provider's four cases no real provider produces (test/e2e/apps/careless-provider.ts), then a
// real provider (oidc-provider) with a real client library (oidc-client-ts) for the good flow and the
// careless clients (test/e2e/apps/oidc-flows-app.ts). Each careless flow must raise exactly its finding, the
// good one none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { poll } from '../harness/poll';
import { CARELESS_CASES, startCarelessProvider, type CarelessCase, type CarelessProvider } from '../apps/careless-provider';
import { FLOW_CLIENTS, startOidcFlowsApp, type OidcFlowsApp } from '../apps/oidc-flows-app';
import { DEV_LOGIN } from '../apps/oidc-app';
import { clickTestId, detailFindings, openToken, type DriverFactory, type PanelDriver, type PanelHandle } from './panel-driver';

/**
 * How long a step may take to reach the panel: events bring every step in both browsers; the margin is for a
 * busy machine (the whole suite runs two files at a time).
 */
const STEP_WAIT_MS = 30_000;

interface FlowShown {
  client: string;
  responseType: string;
  pkce: string;
  steps: string[];
  /** Links to the rows of the JWTs it produced: the token answer's body has been read. */
  tokens: number;
  findings: string[];
}

function flowsShown(panel: PanelHandle): Promise<FlowShown[]> {
  return panel.run((doc) =>
    [...doc.querySelectorAll('[data-testid=flow]')].map((f) => ({
      client: f.getAttribute('data-client-id') ?? '',
      responseType: f.getAttribute('data-response-type') ?? '',
      pkce: f.getAttribute('data-pkce') ?? '',
      steps: [...f.querySelectorAll('[data-testid=flow-step]')].map((s) => s.getAttribute('data-kind') ?? ''),
      tokens: f.querySelectorAll('[data-testid=flow-token]').length,
      findings: [...f.querySelectorAll('[data-finding-id]')].map((e) => e.getAttribute('data-finding-id') ?? ''),
    })),
  );
}

/**
 * Shows the Flows tab and waits for the flow of `client` to hold the steps named and links to `tokens` rows
 * (an unread no-store answer comes in later than its request: the findings on its tokens wait for it).
 */
async function flowOf(panel: PanelHandle, client: string, steps: string[], tokens = 0): Promise<FlowShown> {
  await poll(() => clickTestId(panel, 'tab-flows'), 'the Flows tab');
  let last: FlowShown[] = [];
  return poll(
    async () => {
      last = await flowsShown(panel);
      const mine = last.filter((f) => f.client === client);
      return mine.length === 1 && steps.every((s) => mine[0]!.steps.includes(s)) && mine[0]!.tokens >= tokens ? mine[0] : undefined;
    },
    `the flow of ${client} with ${steps.join(', ')} and ${tokens} token(s)`,
    STEP_WAIT_MS,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; the Flows tab shows ${JSON.stringify(last)}`);
  });
}

/** Whatever the provider asks on the way (its development login, its consent), until the page is back. */
async function completeSignIn(page: Page): Promise<string> {
  for (let round = 0; round < 6; round++) {
    const where = await poll(
      () =>
        page
          .evaluate(() => {
            if (document.querySelector('input[name=login]')) return 'login';
            if (location.pathname.startsWith('/interaction') && document.querySelector('button[type=submit]')) return 'consent';
            const state = (window as unknown as { appState?: string }).appState;
            return state && state !== 'signed-out' && state !== 'working' ? `done:${state}` : undefined;
          })
          .catch(() => undefined),
      'the provider’s pages or the app',
      30_000,
    );
    if (where.startsWith('done:')) return where.slice(5);
    if (where === 'login') {
      await page.type('input[name=login]', DEV_LOGIN.login);
      await page.type('input[name=password]', DEV_LOGIN.password);
    }
    await Promise.all([page.waitForNavigation({ timeout: 30_000 }), page.click('button[type=submit]')]);
  }
  throw new Error('the sign-in did not come back to the app');
}

async function signIn(page: Page, mode: string): Promise<string> {
  // signIn() navigates away: not awaited, or the evaluation dies with its page.
  await page.evaluate((m) => void (window as unknown as { signIn(m: string): void }).signIn(m), mode);
  return completeSignIn(page);
}

export function flowScenarios(browserName: string, makeDriver: DriverFactory): void {
  describe(`the Flows tab on real sign-ins, in the ${browserName} JWT panel`, () => {
    let careless: CarelessProvider;
    let app: OidcFlowsApp;
    let driver: PanelDriver;
    let page: Page;
    let panel: PanelHandle;

    beforeAll(async () => {
      [careless, app] = await Promise.all([startCarelessProvider(), startOidcFlowsApp()]);
      driver = await makeDriver();
      // A unique URL: Firefox's harness finds the page's tab by it.
      page = await driver.openPage(`${careless.appUrl}?run=${Date.now()}`);
      panel = await driver.showPanel(page);
    });
    afterAll(async () => {
      await driver?.close();
      await Promise.all([careless?.close(), app?.close()]);
    });

    it('[hand-written provider] each case raises exactly its finding: wrong at_hash, no no-store, a replayed code, a wrong iss', {
      timeout: 4 * STEP_WAIT_MS + 60_000,
    }, async () => {
      for (const [client, id] of Object.entries(CARELESS_CASES)) {
        await page.goto(`${careless.appUrl}?case=${client}`);
        await poll(async () => new URL(page.url()).pathname === '/authorize', `the ${client} case on the provider's page`, 30_000);
        await flowOf(panel, client, ['authorization-request']);
        await Promise.all([page.waitForNavigation({ timeout: 30_000 }), page.click('#continue')]);
        const back = await poll(
          () => page.evaluate(() => (window as unknown as { carelessCallback?: string }).carelessCallback).catch(() => undefined),
          `the ${client} case back on its callback page`,
          30_000,
        );
        expect(back).toBe(client);
        await flowOf(panel, client, ['authorization-request', 'authorization-response']);
        const done = await page.evaluate(() => (window as unknown as { exchangeCode(): Promise<string> }).exchangeCode());
        expect(done).toBe(client);
        const seen = await flowOf(panel, client, ['authorization-request', 'authorization-response', 'code-exchange'], 2);
        // The token answer's headers and body can reach the panel in two goes (Firefox lists an entry before its
        // body): the judgement is read once it has settled on the expected finding, or as it stands at the end.
        const flow = await poll(
          async () => {
            const mine = (await flowsShown(panel)).find((f) => f.client === client);
            return mine && mine.findings.length === 1 && mine.findings[0] === id ? mine : undefined;
          },
          `the findings of ${client}`,
          STEP_WAIT_MS,
        ).catch(async () => (await flowsShown(panel)).find((f) => f.client === client) ?? seen);
        expect({ client, responseType: flow.responseType, pkce: flow.pkce, findings: flow.findings }).toEqual({
          client,
          responseType: 'code',
          pkce: 'S256',
          findings: [id],
        });
      }
    });

    it('[hand-written provider] a finding about the ID token is on its row too', async () => {
      for (const client of ['wrong-at-hash', 'wrong-iss'] as CarelessCase[]) {
        await poll(() => clickTestId(panel, 'tab-details'), 'the details tab');
        await openToken(panel, careless.idTokens[client]!);
        await poll(
          async () => (await detailFindings(panel)).ids.includes(CARELESS_CASES[client]),
          `${CARELESS_CASES[client]} on the ID token’s row`,
        );
      }
    });

    it('[oidc-client-ts] the good flow (code + PKCE S256 + state + nonce) raises no flow finding', async () => {
      await page.goto(`${app.appUrl}?run=${Date.now()}`);
      expect(await signIn(page, FLOW_CLIENTS.good)).toBe('signed-in');
      const flow = await flowOf(panel, FLOW_CLIENTS.good, ['authorization-request', 'authorization-response', 'code-exchange'], 1);
      expect(flow).toMatchObject({ responseType: 'code', pkce: 'S256', findings: [] });
    });

    it('[oidc-client-ts] its ID token sent to the API raises id-token-as-bearer, on the flow and on the ID token’s row', async () => {
      const idToken = await page.evaluate(() => (window as unknown as { callApiWithIdToken(): Promise<string> }).callApiWithIdToken());
      const flow = await flowOf(panel, FLOW_CLIENTS.good, ['bearer']);
      expect(flow.findings).toEqual(['id-token-as-bearer']);
      await poll(() => clickTestId(panel, 'tab-details'), 'the details tab');
      await openToken(panel, idToken);
      await poll(async () => (await detailFindings(panel)).ids.includes('id-token-as-bearer'), 'id-token-as-bearer on the ID token’s row');
    });

    it('[oidc-client-ts] a client secret in the browser raises oauth-client-secret-in-browser only', async () => {
      expect(await signIn(page, FLOW_CLIENTS.secret)).toBe('signed-in');
      const flow = await flowOf(panel, FLOW_CLIENTS.secret, ['authorization-request', 'authorization-response', 'code-exchange'], 1);
      expect(flow).toMatchObject({ responseType: 'code', pkce: 'S256', findings: ['oauth-client-secret-in-browser'] });
    });

    it('[hand-built request] the implicit flow raises oauth-implicit-flow only', async () => {
      expect(await signIn(page, FLOW_CLIENTS.implicit)).toBe('signed-in');
      const flow = await flowOf(panel, FLOW_CLIENTS.implicit, ['authorization-request', 'authorization-response'], 1);
      expect(flow).toMatchObject({ responseType: 'id_token token', pkce: 'none', findings: ['oauth-implicit-flow'] });
    });

    it('[hand-built request] PKCE plain raises oauth-pkce-plain only (the provider refuses it)', async () => {
      expect(await signIn(page, FLOW_CLIENTS.plain)).toMatch(/^error: invalid_request/);
      const flow = await flowOf(panel, FLOW_CLIENTS.plain, ['authorization-request', 'authorization-response']);
      expect(flow).toMatchObject({ responseType: 'code', pkce: 'plain', findings: ['oauth-pkce-plain'] });
    });

    it('[hand-built request] no state (and no PKCE, a nonce) raises oauth-no-state only', async () => {
      expect(await signIn(page, FLOW_CLIENTS.noState)).toBe('signed-in');
      const flow = await flowOf(panel, FLOW_CLIENTS.noState, ['authorization-request', 'authorization-response', 'code-exchange'], 1);
      expect(flow).toMatchObject({ responseType: 'code', pkce: 'none', findings: ['oauth-no-state'] });
    });
  });
}
