// What a user does in the oidc-app page (test/e2e/apps/oidc-app.ts), the same in Chromium and Firefox:
// press "Sign in", fill the provider's development login form, consent, come back; call the API; refresh.
import type { Page } from 'puppeteer-core';
import { DEV_LOGIN, type OidcApp } from './oidc-app';
import { poll } from '../harness/poll';

type AppWindow = { appState: string; signIn(): Promise<void>; callApi(): Promise<{ status: number }>; refresh(): Promise<boolean> };

/** The tokens of one token-endpoint answer, as the provider sent them. */
export interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in: number;
}

export function tokenAnswer(app: OidcApp, index: number): TokenAnswer {
  const exchange = app.tokenExchanges[index];
  if (!exchange) throw new Error(`The token endpoint answered ${app.tokenExchanges.length} time(s), not ${index + 1}`);
  return JSON.parse(exchange.response.body) as TokenAnswer;
}

/** Signs in with authorization code + PKCE through the provider's login and consent pages; resolves once the
 * client library has stored the user (after the callback page loaded). */
export async function signIn(page: Page, app: OidcApp): Promise<void> {
  // signinRedirect() navigates away: not awaited, or the evaluation dies with its page.
  await page.evaluate(() => void (window as unknown as AppWindow).signIn());
  await page.waitForSelector('input[name=login]', { timeout: 30_000 });
  await page.type('input[name=login]', DEV_LOGIN.login);
  await page.type('input[name=password]', DEV_LOGIN.password);
  await Promise.all([page.waitForNavigation({ timeout: 30_000 }), page.click('button[type=submit]')]);
  // The consent page: same form, one submit button.
  await page.waitForSelector('button[type=submit]', { timeout: 30_000 });
  await Promise.all([page.waitForNavigation({ timeout: 30_000 }), page.click('button[type=submit]')]);
  const state = await poll(
    () => page.evaluate(() => (window as unknown as Partial<AppWindow>).appState).then((s) => (s && s !== 'signed-out' ? s : undefined)),
    'the callback page to finish signing in',
    30_000,
  );
  if (state !== 'signed-in') throw new Error(`The client library did not sign in: ${state}`);
  if (app.tokenExchanges.length !== 1) throw new Error(`expected one code exchange, saw ${app.tokenExchanges.length}`);
}

export async function callApi(page: Page): Promise<number> {
  return (await page.evaluate(() => (window as unknown as AppWindow).callApi())).status;
}

/** signinSilent() with the stored refresh token: a grant_type=refresh_token request, no page navigation. */
export async function refresh(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as AppWindow).refresh());
}
