// A real OpenID client library (oidc-client-ts) signing in against a real OpenID provider (oidc-provider), both
// from npm, inspected in the JWT panel opened before the sign-in: what a developer debugging an OIDC
// single-page app sees. Nothing on either side of the protocol is written here (test/e2e/apps/oidc-app.ts).
// Written once, run in each browser by test/e2e/{chromium,firefox}/oidc-client.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { poll } from '../harness/poll';
import { startOidcApp, type OidcApp } from '../apps/oidc-app';
import { callApi, refresh, signIn, tokenAnswer, type TokenAnswer } from '../apps/oidc-user';
import {
  clickTestId,
  detailFindings,
  openToken,
  sightingWheres,
  verdict,
  type DriverFactory,
  type PanelDriver,
  type PanelHandle,
} from './panel-driver';

export function oidcScenarios(browserName: string, makeDriver: DriverFactory): void {
  describe(`oidc-client-ts against oidc-provider, in the ${browserName} JWT panel`, () => {
    let app: OidcApp;
    let driver: PanelDriver;
    let page: Page;
    let panel: PanelHandle;
    let signedIn: TokenAnswer;
    let refreshed: TokenAnswer;

    beforeAll(async () => {
      app = await startOidcApp();
      driver = await makeDriver();
      // A unique URL: Firefox's harness finds the page's tab by it.
      page = await driver.openPage(`${app.appUrl}?run=${Date.now()}`);
      // The panel is open before the sign-in starts, as a developer would have it.
      panel = await driver.showPanel(page);
    });
    afterAll(async () => {
      await driver?.close();
      await app?.close();
    });

    const tail = (token: string) => `…${token.slice(-12)}`;
    async function expectDetail(token: string, what: string, holds: () => Promise<boolean>, shows: () => Promise<unknown>) {
      await openToken(panel, token);
      await poll(holds, `${what} on ${tail(token)}`).catch(async (e: Error) => {
        throw new Error(`${e.message}; the detail shows ${JSON.stringify(await shows())}`);
      });
    }
    const expectSeen = (token: string, where: string) =>
      expectDetail(
        token,
        `a ${where} sighting`,
        async () => (await sightingWheres(panel)).includes(where),
        () => sightingWheres(panel),
      );
    const expectFinding = (token: string, id: string) =>
      expectDetail(
        token,
        `finding ${id}`,
        async () => (await detailFindings(panel)).ids.includes(id),
        () => detailFindings(panel),
      );
    const expectVerdict = (token: string, status: string) =>
      expectDetail(
        token,
        `the verdict ${status}`,
        async () => (await verdict(panel)) === status,
        () => verdict(panel),
      );

    it('signs in with authorization code + PKCE through the provider’s login and consent pages', async () => {
      await signIn(page, app);
      const body = new URLSearchParams(app.tokenExchanges[0]!.request.body);
      expect(body.get('grant_type')).toBe('authorization_code');
      expect(body.get('code_verifier')).toBeTruthy();
      expect(app.tokenExchanges[0]!.response.headers['cache-control']).toBe('no-store');
      signedIn = tokenAnswer(app, 0);
      expect(signedIn.access_token.split('.')).toHaveLength(3);
      expect(signedIn.id_token?.split('.')).toHaveLength(3);
      // oidc-provider's refresh tokens are opaque: the panel cannot list them as JWTs.
      expect(signedIn.refresh_token).toMatch(/^[\w-]+$/);
    });

    it('lists a row for the access token and one for the ID token', async () => {
      await openToken(panel, signedIn.access_token);
      await openToken(panel, signedIn.id_token!);
    });

    it('sees both tokens in the no-store token response (response-body)', async () => {
      await expectSeen(signedIn.access_token, 'response-body');
      await expectSeen(signedIn.id_token!, 'response-body');
    });

    // The client library writes the user to sessionStorage after the callback page loaded: only a watch sees it.
    it('[storage watch] sees both tokens in sessionStorage (session-storage)', async () => {
      await expectSeen(signedIn.access_token, 'session-storage');
      await expectSeen(signedIn.id_token!, 'session-storage');
    });

    it('[storage watch] flags the tokens any script can read (web-storage)', async () => {
      await expectFinding(signedIn.access_token, 'web-storage');
      await expectFinding(signedIn.id_token!, 'web-storage');
    });

    it('calls the API with the access token (authorization-header)', async () => {
      expect(await callApi(page)).toBe(200);
      expect(app.apiCalls.at(-1)).toEqual({ authorization: `Bearer ${signedIn.access_token}`, status: 200 });
      await expectSeen(signedIn.access_token, 'authorization-header');
    });

    it('refreshes while the access token is still valid, and lists the new access token', async () => {
      expect(await refresh(page)).toBe(true);
      expect(app.tokenExchanges).toHaveLength(2);
      const body = new URLSearchParams(app.tokenExchanges[1]!.request.body);
      expect(body.get('grant_type')).toBe('refresh_token');
      expect(body.get('refresh_token')).toBe(signedIn.refresh_token);
      refreshed = tokenAnswer(app, 1);
      // Rotated, as oidc-provider does for public clients; and the first access token has not expired.
      expect(refreshed.refresh_token).not.toBe(signedIn.refresh_token);
      expect(refreshed.access_token).not.toBe(signedIn.access_token);
      const exp = (JSON.parse(Buffer.from(signedIn.access_token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;
      expect(exp * 1000).toBeGreaterThan(Date.now());
      await expectSeen(refreshed.access_token, 'response-body');
    });

    it('[opaque refresh] flags refresh-while-access-valid on the first access token', async () => {
      await expectFinding(signedIn.access_token, 'refresh-while-access-valid');
    });

    it('verifies the access token through the provider’s issuer (options page, discovery, Re-verify)', async () => {
      // Without the issuer's keys the token cannot be verified: the verdict below is the key store's doing.
      await expectVerdict(signedIn.access_token, 'no-matching-key');
      const options = await driver.extensionPage('src/options/index.html');
      try {
        await poll(() => options.evaluate(() => !!document.querySelector('[data-testid=options-ready]')), 'the options page');
        // Firefox's harness turns the host-permission prompt off, which grants the origin the page asks for.
        await options.evaluate((issuer) => {
          const area = document.querySelector('[data-testid=key-value]') as HTMLTextAreaElement;
          area.value = issuer;
          area.dispatchEvent(new Event('input', { bubbles: true }));
        }, app.issuer);
        await options.evaluate(() => (document.querySelector('[data-testid=key-add]') as HTMLElement).click());
        // Discovery found the provider's JWKS: its key is listed.
        const listed = await poll(
          () => options.evaluate(() => (document.querySelector('[data-testid=jwks-key]') as HTMLElement | null)?.innerText),
          'the issuer’s key, found through discovery',
        ).catch(async (e: Error) => {
          const said = await options.evaluate(
            () => (document.querySelector('[data-testid=options-message]') as HTMLElement | null)?.innerText,
          );
          throw new Error(`${e.message}. The options page says: ${said ?? '(nothing)'}`);
        });
        expect(listed).toContain('oidc-app-1');
      } finally {
        await options.close();
      }
      // The panel does not watch the key store: tokens seen before are checked again on Re-verify.
      await poll(() => clickTestId(panel, 'reverify'), 'the Re-verify button');
      await expectVerdict(signedIn.access_token, 'valid');
    });

    it('verifies the ID token and the refreshed access token with the same issuer keys', async () => {
      await expectVerdict(signedIn.id_token!, 'valid');
      await expectVerdict(refreshed.access_token, 'valid');
    });
  });
}
