// A real OpenID client library (oidc-client-ts) signing in against a real OpenID provider (oidc-provider), both
// from npm, inspected in the DevTools panel opened before the sign-in: what a developer debugging an OIDC
// single-page app sees. Nothing on either side of the protocol is written here (test/e2e/apps/oidc-app.ts).
// Steps named "[storage watch]" need storage read while the panel is open, not only on opening and navigation;
// "[opaque refresh]" needs the refresh flow tracked with oidc-provider's opaque refresh tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { devtoolsFor, filterFor, rowTokens, showExtensionPanel } from '../harness/devtools-panel';
import { pasteInto } from '../harness/page-input';
import { poll } from '../harness/poll';
import { startOidcApp, type OidcApp } from '../apps/oidc-app';
import { callApi, refresh, signIn, tokenAnswer, type TokenAnswer } from '../apps/oidc-user';

describe.runIf(browserAvailable('chromium'))('oidc-client-ts against oidc-provider, in the Chromium DevTools panel', () => {
  let app: OidcApp;
  let session: ChromiumSession;
  let page: Page;
  let devtools: Page;
  let panel: Frame;
  let signedIn: TokenAnswer;
  let refreshed: TokenAnswer;

  beforeAll(async () => {
    app = await startOidcApp();
    session = await launchChromium({ devtools: true });
    page = await session.browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(app.appUrl, { waitUntil: 'load' });
    devtools = await devtoolsFor(session.browser, app.appUrl);
    // The panel is open before the sign-in starts, as a developer would have it.
    panel = await showExtensionPanel(devtools, session.extensionId);
  });
  afterAll(async () => {
    await session?.close();
    await app?.close();
  });

  const tail = (token: string) => `…${token.slice(-12)}`;
  async function hasRow(token: string) {
    await filterFor(panel, token.slice(-24));
    return (await rowTokens(panel)).includes(token);
  }
  async function open(token: string) {
    await poll(() => hasRow(token), `the row of ${tail(token)}`, 20_000);
    await panel.$eval(`[data-testid=token-row][data-token="${token}"]`, (el) => (el as HTMLElement).click());
    await panel.waitForSelector('[data-testid=token-detail]');
  }
  const wheres = () => panel.$$eval('[data-testid=sighting]', (els) => [...new Set(els.map((e) => e.getAttribute('data-where')))].sort());
  const findingIds = () =>
    panel.$$eval('[data-testid=token-detail] [data-finding-id]', (els) => els.map((e) => e.getAttribute('data-finding-id')));
  const verification = () => panel.$eval('[data-testid=token-detail] [data-testid=verification]', (el) => el.getAttribute('data-status'));

  async function expectSeen(token: string, where: string, timeoutMs = 15_000) {
    await open(token);
    await poll(async () => (await wheres()).includes(where), `a ${where} sighting of ${tail(token)}`, timeoutMs).catch(async (e: Error) => {
      throw new Error(`${e.message}; seen in: ${(await wheres()).join(', ') || 'nothing'}`);
    });
  }
  async function expectVerified(token: string) {
    await open(token);
    await poll(async () => (await verification()) === 'valid', `${tail(token)} verified`).catch(async (e: Error) => {
      throw new Error(`${e.message}; got ${await verification()}`);
    });
  }
  async function expectFinding(token: string, id: string, timeoutMs = 15_000) {
    await open(token);
    await poll(async () => (await findingIds()).includes(id), `finding ${id} on ${tail(token)}`, timeoutMs).catch(async (e: Error) => {
      throw new Error(`${e.message}; findings: ${(await findingIds()).join(', ') || 'none'}`);
    });
  }

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
    for (const token of [signedIn.access_token, signedIn.id_token!]) await poll(() => hasRow(token), `the row of ${tail(token)}`, 20_000);
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
    await open(signedIn.access_token);
    await poll(async () => (await verification()) === 'no-matching-key', 'no key yet').catch(async (e: Error) => {
      throw new Error(`${e.message}; got ${await verification()}`);
    });
    const options = await session.extensionPage('src/options/index.html');
    await options.waitForSelector('[data-testid=options-ready]');
    await pasteInto(options, '[data-testid=key-value]', app.issuer);
    await options.click('[data-testid=key-add]');
    // Discovery found the provider's JWKS: its key is listed.
    await options.waitForSelector('[data-testid=jwks-key]', { timeout: 15_000 });
    expect(await options.$eval('[data-testid=jwks-key]', (el) => (el as HTMLElement).innerText)).toContain('oidc-app-1');
    await options.close();
    await devtools.bringToFront();
    // The panel does not watch the key store: tokens seen before are checked again on Re-verify.
    await panel.waitForSelector('[data-testid=reverify]');
    await panel.$eval('[data-testid=reverify]', (el) => (el as HTMLElement).click());
    await expectVerified(signedIn.access_token);
    expect(await panel.$('[data-testid=token-detail] [data-testid=verification][data-status=valid]')).not.toBeNull();
  });

  it('verifies the ID token and the refreshed access token with the same issuer keys', async () => {
    await expectVerified(signedIn.id_token!);
    await expectVerified(refreshed.access_token);
  });
});
