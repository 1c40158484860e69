// A real OpenID client library (oidc-client-ts) signing in against a real OpenID provider (oidc-provider), both
// from npm, inspected in the extension's panel in Firefox's toolbox, opened before the sign-in. The same walk as
// test/e2e/chromium/oidc-client.test.ts. Steps named "[storage watch]" need storage read while the panel is
// open, not only on opening and navigation; "[opaque refresh]" needs the refresh flow tracked with
// oidc-provider's opaque refresh tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchFirefox, type FirefoxPanel, type FirefoxSession } from '../harness/firefox';
import { pasteInto } from '../harness/page-input';
import { poll } from '../harness/poll';
import { startOidcApp, type OidcApp } from '../apps/oidc-app';
import { callApi, refresh, signIn, tokenAnswer, type TokenAnswer } from '../apps/oidc-user';
import { click, detail, openRow } from './panel-queries';

describe.runIf(browserAvailable('firefox'))('oidc-client-ts against oidc-provider, in the Firefox toolbox panel', () => {
  let app: OidcApp;
  let session: FirefoxSession;
  let page: Page;
  let panel: FirefoxPanel;
  let signedIn: TokenAnswer;
  let refreshed: TokenAnswer;

  beforeAll(async () => {
    app = await startOidcApp();
    session = await launchFirefox();
    page = await session.browser.newPage();
    // A unique URL: the harness finds the page's tab in the browser window by it.
    await page.goto(`${app.appUrl}?run=${Date.now()}`);
    panel = await session.openExtensionPanel(page);
    await poll(() => panel.evaluate((doc) => !!doc.querySelector('[data-testid=panel-ready]')), 'the panel to be ready', 30_000);
  });
  afterAll(async () => {
    await session?.close();
    await app?.close();
  });

  const tail = (token: string) => `…${token.slice(-12)}`;
  async function expectDetail(token: string, what: string, holds: (d: Awaited<ReturnType<typeof detail>>) => boolean, timeoutMs = 15_000) {
    await openRow(panel, token);
    await poll(async () => holds(await detail(panel)), `${what} on ${tail(token)}`, timeoutMs).catch(async (e: Error) => {
      throw new Error(`${e.message}; the detail shows ${JSON.stringify(await detail(panel))}`);
    });
  }
  const expectSeen = (token: string, where: string) => expectDetail(token, `a ${where} sighting`, (d) => d.wheres.includes(where));
  const expectFinding = (token: string, id: string) => expectDetail(token, `finding ${id}`, (d) => d.findings.includes(id));

  it('signs in with authorization code + PKCE through the provider’s login and consent pages', async () => {
    await signIn(page, app);
    const body = new URLSearchParams(app.tokenExchanges[0]!.request.body);
    expect(body.get('grant_type')).toBe('authorization_code');
    expect(body.get('code_verifier')).toBeTruthy();
    expect(app.tokenExchanges[0]!.response.headers['cache-control']).toBe('no-store');
    signedIn = tokenAnswer(app, 0);
    expect(signedIn.id_token?.split('.')).toHaveLength(3);
  });

  it('lists a row for the access token and one for the ID token', async () => {
    await openRow(panel, signedIn.access_token);
    await openRow(panel, signedIn.id_token!);
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
    const body = new URLSearchParams(app.tokenExchanges[1]!.request.body);
    expect(body.get('grant_type')).toBe('refresh_token');
    expect(body.get('refresh_token')).toBe(signedIn.refresh_token);
    refreshed = tokenAnswer(app, 1);
    expect(refreshed.refresh_token).not.toBe(signedIn.refresh_token);
    const exp = (JSON.parse(Buffer.from(signedIn.access_token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;
    expect(exp * 1000).toBeGreaterThan(Date.now());
    await expectSeen(refreshed.access_token, 'response-body');
  });

  it('[opaque refresh] flags refresh-while-access-valid on the first access token', async () => {
    await expectFinding(signedIn.access_token, 'refresh-while-access-valid');
  });

  it('verifies the access token through the provider’s issuer (options page, discovery, Re-verify)', async () => {
    // Without the issuer's keys the token cannot be verified: the verdict below is the key store's doing.
    await expectDetail(signedIn.access_token, 'no key yet', (d) => d.verification === 'no-matching-key');
    const options = await session.extensionPage('src/options/index.html');
    await poll(() => options.$('[data-testid=options-ready]'), 'the options page');
    // The harness turns Firefox's host-permission prompt off, which grants the origin the page asks for.
    await pasteInto(options, '[data-testid=key-value]', app.issuer);
    await options.click('[data-testid=key-add]');
    await poll(() => options.$('[data-testid=jwks-key]'), 'the issuer’s key, found through discovery').catch(async (e: Error) => {
      const said = await options.$eval('[data-testid=options-message]', (el) => (el as HTMLElement).innerText).catch(() => '(nothing)');
      throw new Error(`${e.message}. The options page says: ${said}`);
    });
    expect(await options.$eval('[data-testid=jwks-key]', (el) => (el as HTMLElement).innerText)).toContain('oidc-app-1');
    await options.close();
    await page.bringToFront();
    // The panel does not watch the key store: tokens seen before are checked again on Re-verify.
    await poll(() => click(panel, '[data-testid=reverify]'), 'the Re-verify button');
    await expectDetail(signedIn.access_token, 'a valid signature', (d) => d.verification === 'valid');
  });

  it('verifies the ID token and the refreshed access token with the same issuer keys', async () => {
    await expectDetail(signedIn.id_token!, 'a valid signature', (d) => d.verification === 'valid');
    await expectDetail(refreshed.access_token, 'a valid signature', (d) => d.verification === 'valid');
  });
});
