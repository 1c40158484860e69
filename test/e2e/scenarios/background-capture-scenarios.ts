// Background capture (README, "Background capture"), written once and run in every browser through a
// BackgroundDriver (test/e2e/chromium/background-capture.test.ts, test/e2e/firefox/background-capture.test.ts):
// a user watches a site from the popup, signs in with DevTools closed, and finds the sign-in's tokens in the
// popup and, once DevTools opens, in the panel — after the worker was stopped in between. A second site,
// not watched, signs in too and leaves no trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startCaptureApp, type CaptureApp } from '../apps/capture-app';
import { poll } from '../harness/poll';
import type { BackgroundDriver, BackgroundDriverFactory, PopupHandle } from './background-driver';
import { openToken, type PanelHandle } from './panel-driver';

type TokenName = keyof CaptureApp['tokens'];

/** The part of the extension API the scenarios read from an extension page (Chromium 150 has only `chrome`). */
interface ExtensionApi {
  storage: {
    session: { get(keys: null): Promise<Record<string, unknown>> };
    local: { get(key: string): Promise<Record<string, unknown>> };
  };
  tabs: { query(q: { active: boolean; lastFocusedWindow: boolean }): Promise<{ id?: number }[]> };
  permissions: { contains(p: { origins: string[] }): Promise<boolean> };
  action: {
    getBadgeText(d: { tabId: number }): Promise<string>;
    getBadgeBackgroundColor(d: { tabId: number }): Promise<number[]>;
    getTitle(d: { tabId: number }): Promise<string>;
  };
}
type ExtensionGlobals = { browser?: ExtensionApi; chrome?: ExtensionApi };

/**
 * What the worker can see of the capture app's sign-in with DevTools closed: every token a request or a
 * response header carries, and the URLs. Not the response bodies (Chromium gives an extension no way to read
 * them without DevTools; README, "Background capture"): the ID token and the refreshed access token travel
 * only there.
 */
const SEEN: Partial<Record<TokenName, string>> = {
  access: 'authorization-header',
  custom: 'request-header',
  inQuery: 'url',
  inFragment: 'url',
  debug: 'response-header',
  refresh: 'request-body',
  cookieSafe: 'set-cookie',
  cookieLoose: 'set-cookie',
  unread: 'authorization-header',
};
const NOT_SEEN: TokenName[] = ['id', 'newAccess'];

interface ListedToken {
  token: string;
  role: string;
  text: string;
  findings: string[];
}

function listed(popup: PopupHandle): Promise<ListedToken[]> {
  return popup.run((doc) =>
    [...doc.querySelectorAll('[data-testid=tab-token]')].map((el) => ({
      token: el.getAttribute('data-token') ?? '',
      role: el.getAttribute('data-role') ?? '',
      text: (el as HTMLElement).innerText,
      findings: [...el.querySelectorAll('[data-finding-id]')].map((f) => f.getAttribute('data-finding-id') ?? ''),
    })),
  );
}

/** The popup once it has asked the worker about its tab: data-watched says whether the site is watched. */
async function popupState(popup: PopupHandle): Promise<string> {
  return poll(
    () => popup.run((doc) => doc.querySelector('[data-testid=tab-capture]')?.getAttribute('data-watched') ?? null),
    'the popup to show what was seen on its tab',
  );
}

async function signIn(page: Page): Promise<void> {
  await poll(() => page.evaluate(() => (window as unknown as { phase1Done?: boolean }).phase1Done === true), 'the sign-in');
  await page.evaluate(() => (window as unknown as { phase2(): Promise<boolean> }).phase2());
}

/** Everything background capture keeps in storage.session, as the extension's pages read it. */
function sessionStore(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const api = (globalThis as unknown as ExtensionGlobals).browser ?? (globalThis as unknown as ExtensionGlobals).chrome!;
    const all = await api.storage.session.get(null);
    return JSON.stringify(Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith('capture.'))));
  });
}

/** The badge of the page's tab, read as an extension page can (the tab is made the active one to find it). */
async function badgeOf(extension: Page, page: Page): Promise<{ text: string; color: number[]; title: string }> {
  await page.bringToFront();
  return extension.evaluate(async () => {
    const api = (globalThis as unknown as ExtensionGlobals).browser ?? (globalThis as unknown as ExtensionGlobals).chrome!;
    const [tab] = await api.tabs.query({ active: true, lastFocusedWindow: true });
    if (tab?.id === undefined) throw new Error('no active tab');
    return {
      text: await api.action.getBadgeText({ tabId: tab.id }),
      color: [...(await api.action.getBadgeBackgroundColor({ tabId: tab.id }))],
      title: await api.action.getTitle({ tabId: tab.id }),
    };
  });
}

export function backgroundCaptureScenarios(browserName: string, makeDriver: BackgroundDriverFactory): void {
  describe(`background capture in ${browserName}`, () => {
    let driver: BackgroundDriver;
    let watched: CaptureApp;
    let unwatched: CaptureApp;
    let page: Page;
    let other: Page;
    let extension: Page;
    // The apps mint some tokens the same way in the same second (an HS256 token with a fixed secret, an
    // unsigned one): those are the watched site's too, and prove nothing about the unwatched one.
    const onlyUnwatched = () => Object.values(unwatched.tokens).filter((t) => !Object.values(watched.tokens).includes(t));

    beforeAll(async () => {
      // Two sites: the app on 127.0.0.1 is watched; the other, on localhost, is not (a host of its own, so
      // the two do not share cookies, which ignore ports).
      watched = await startCaptureApp();
      unwatched = await startCaptureApp();
      driver = await makeDriver();
      extension = await driver.extensionPage('src/options/index.html');
    });
    afterAll(async () => {
      await driver?.close();
      await watched?.close();
      await unwatched?.close();
    });

    it('watches a site from the popup: Watch this site asks for its host access in the click', async () => {
      page = await driver.openPage(watched.blankUrl);
      const popup = await driver.popupFor(page);
      expect(await popupState(popup)).toBe('false');
      await popup.click('[data-testid=watch-site]');
      await poll(async () => (await popupState(popup)) === 'true', 'the popup to say the site is watched');
      expect(await popup.run((doc) => doc.querySelector('[data-testid=watch-site]'))).toBeNull();
      await popup.close();
      const sites = await extension.evaluate(async () => {
        const api = (globalThis as unknown as ExtensionGlobals).browser ?? (globalThis as unknown as ExtensionGlobals).chrome!;
        return (await api.storage.local.get('capture.watchedSites'))['capture.watchedSites'];
      });
      expect(sites).toEqual([watched.server.origin]);
      // Host access for the site (its host, any port) is granted: the click's request was answered.
      const granted = await extension.evaluate(() => {
        const api = (globalThis as unknown as ExtensionGlobals).browser ?? (globalThis as unknown as ExtensionGlobals).chrome!;
        return api.permissions.contains({ origins: ['http://127.0.0.1/*'] });
      });
      expect(granted).toBe(true);
    });

    it('captures the sign-in with DevTools closed and keeps it in storage.session', async () => {
      await page.goto(watched.url, { waitUntil: 'load' });
      await signIn(page);
      const stored = await poll(async () => {
        const text = await sessionStore(extension);
        return Object.keys(SEEN).every((name) => text.includes(watched.tokens[name as TokenName])) && text;
      }, 'the sign-in tokens in storage.session');
      for (const name of NOT_SEEN) expect(stored.includes(watched.tokens[name]), name).toBe(false);
    });

    it('an unwatched site leaves no trace: nothing kept, no badge, nothing in its popup', async () => {
      other = await driver.openPage(unwatched.url.replace('//127.0.0.1:', '//localhost:'));
      await signIn(other);
      // The watched tab's later requests are a sign the worker has taken everything before them.
      await page.evaluate(() => fetch('/api/me').then(() => true));
      const stored = await sessionStore(extension);
      for (const token of onlyUnwatched()) expect(stored.includes(token), `…${token.slice(-12)} kept`).toBe(false);
      expect((await badgeOf(extension, other)).text).toBe('');
      const popup = await driver.popupFor(other);
      expect(await popupState(popup)).toBe('false');
      expect(await listed(popup)).toEqual([]);
      expect(await popup.run((doc) => !!doc.querySelector('[data-testid=watch-site]'))).toBe(true);
      await popup.close();
    });

    it('stopping the worker loses nothing: the popup lists the tokens with their findings afterwards', async () => {
      const restarted = await driver.stopWorker();
      const popup = await driver.popupFor(page);
      expect(await popupState(popup)).toBe('true');
      const tokens = await poll(async () => {
        const list = await listed(popup);
        return list.length >= Object.keys(SEEN).length && list;
      }, 'the tokens of the sign-in in the popup');
      const byToken = new Map(tokens.map((t) => [t.token, t]));
      for (const name of Object.keys(SEEN) as TokenName[]) expect(byToken.has(watched.tokens[name]), name).toBe(true);
      for (const name of NOT_SEEN) expect(byToken.has(watched.tokens[name]), name).toBe(false);
      for (const token of onlyUnwatched()) expect(byToken.has(token)).toBe(false);
      // Judged by the core, as in the panel.
      expect(byToken.get(watched.tokens.debug)!.findings).toContain('alg-none');
      expect(byToken.get(watched.tokens.cookieLoose)!.findings).toContain('cookie-not-httponly');
      expect(byToken.get(watched.tokens.cookieSafe)!.findings).not.toContain('cookie-not-httponly');
      expect(byToken.get(watched.tokens.inQuery)!.findings).toContain('token-in-url');
      expect(byToken.get(watched.tokens.refresh)!.role).toBe('refresh');
      expect(byToken.get(watched.tokens.access)!.text).toContain('http://127.0.0.1/app');
      expect(byToken.get(watched.tokens.access)!.text).toMatch(/expires in \d+ min/);
      // A click opens the token in the decoder.
      await popup.click(`[data-testid=tab-token][data-token="${watched.tokens.debug}"]`);
      await poll(
        () => popup.run((doc) => doc.querySelector('[data-testid=decoded-payload]')?.textContent?.includes('"debug"') ?? false),
        'the picked token decoded',
      );
      await popup.close();
      // The badge counts the tokens with findings (read once the popup is closed: moving focus closes it).
      const withFindings = tokens.filter((t) => t.findings.length > 0).length;
      expect(withFindings).toBeGreaterThan(0);
      const badge = await badgeOf(extension, page);
      expect(badge.text).toBe(String(withFindings));
      // Its tooltip comes from the worker's message catalogue (src/locales/en/capture.json), not a key left bare;
      // the worst is the unsigned token's alg-none.
      expect(badge.title).toBe(`JWT Inspector — ${withFindings} token(s) with findings on this tab (worst: critical)`);
      expect(restarted, 'the background was stopped').toBe(true);
    });

    it('the panel opened afterwards starts with the sign-in: rows with data-source="background" sightings', async () => {
      const panel: PanelHandle = await driver.showPanel(page);
      for (const [name, where] of Object.entries(SEEN) as [TokenName, string][]) {
        await openToken(panel, watched.tokens[name]);
        const background = await panel.run(
          (doc) =>
            [...doc.querySelectorAll('[data-testid=token-detail] [data-testid=sighting][data-source=background]')].map((e) =>
              e.getAttribute('data-where'),
            ),
          undefined,
        );
        expect(background, name).toContain(where);
      }
      // The page's own address, fragment included, is a url sighting named location.
      await openToken(panel, watched.tokens.inFragment);
      expect(
        await panel.run(
          (doc) =>
            [...doc.querySelectorAll('[data-testid=token-detail] [data-testid=sighting][data-source=background][data-where=url]')].length,
        ),
      ).toBeGreaterThan(0);
    });

    it('Stop watching on the options page deletes what was kept and gives the host access back', async () => {
      const options = await driver.extensionPage('src/options/index.html');
      const row = `[data-testid=watched-site][data-site="${watched.server.origin}"]`;
      await poll(() => options.$(row), 'the watched site listed on the options page');
      expect(await options.$eval(row, (el) => el.getAttribute('data-granted'))).toBe('true');
      await options.click(`${row} [data-testid=unwatch-site]`);
      await poll(async () => !(await options.$(row)), 'the site gone from the list');
      const stored = await poll(async () => {
        const text = await sessionStore(options);
        return !text.includes(watched.tokens.access) && text;
      }, 'what was kept of the site to be deleted');
      for (const name of Object.keys(SEEN) as TokenName[]) expect(stored.includes(watched.tokens[name]), name).toBe(false);
      const access = await options.evaluate(() => {
        const api = (globalThis as unknown as ExtensionGlobals).browser ?? (globalThis as unknown as ExtensionGlobals).chrome!;
        return api.permissions.contains({ origins: ['http://127.0.0.1/*'] });
      });
      // Access granted at install (the Chromium test build) is the browser's to keep.
      expect(access).toBe(driver.accessGrantedAtInstall);
      // The tab's badge goes with what was kept.
      await poll(async () => (await badgeOf(options, page)).text === '', "the watched tab's badge to clear");
      await options.close();
    });
  });
}
