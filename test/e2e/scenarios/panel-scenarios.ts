// The DevTools panel's behaviour, written once and run in every browser through a PanelDriver
// (test/e2e/chromium/panel-scenarios.test.ts, test/e2e/firefox/panel-scenarios.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { decodeJwt } from 'jose';
import { poll } from '../harness/poll';
import { startCaptureApp, type CaptureApp } from '../apps/capture-app';
import {
  clickTestId,
  counts,
  detailFindings,
  filterFor,
  hasRow,
  openToken,
  rowTokens,
  rowView,
  detailSeenCount,
  setControl,
  settledCounts,
  sightingWheres,
  timelineKinds,
  verdict,
  type DriverFactory,
  type PanelDriver,
  type PanelHandle,
  type RowView,
} from './panel-driver';

type TokenName = keyof CaptureApp['tokens'];

// Titles and order as README.md documents them ("Findings"); written out, not imported, so a change in the
// product shows here.
const TITLE = {
  'alg-none': 'Unsigned token (alg "none")',
  'weak-hmac-secret': 'HMAC secret is guessable',
  'web-storage': 'Token kept in web storage (local or session)',
  'token-in-url': 'Token in a URL',
  'cookie-not-httponly': 'Token cookie is readable by page scripts',
  'refresh-token-not-rotated': 'Refresh token is not rotated',
  'long-lifetime': 'Long lifetime',
} as const;
// Minted with 10 min and 1 h to live; a slow run reads them minutes later, so any minute count up to those.
const TEN_MINUTES = /^expires in ([1-9]|10) min$/;
const AN_HOUR = /^expires in ([1-5]?\d|60) min$|^expires in 1 h$/;
const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export function panelScenarios(browserName: string, makeDriver: DriverFactory): void {
  describe(`the JWT panel in ${browserName}`, () => {
    let driver: PanelDriver;
    let app: CaptureApp;

    beforeAll(async () => {
      app = await startCaptureApp();
      driver = await makeDriver();
    });
    afterAll(async () => {
      await driver?.close();
      await app?.close();
    });

    /** Sends `token` from the page in a request header to a 204 endpoint (a request-only sighting). */
    const sendFromPage = (page: Page, token: string, path = '/echo') =>
      page.evaluate(async (t, p) => (await fetch(p, { headers: { Authorization: `Bearer ${t}` } })).status, token, path);

    describe('on the capture app', () => {
      let page: Page;
      let panel: PanelHandle;

      beforeAll(async () => {
        page = await driver.openPage(`${app.blankUrl}?tab=capture`);
        await driver.openDevtools(page);
        // DevTools is open, the JWT panel not yet shown: what happens now must still reach the panel.
        await page.goto(app.url, { waitUntil: 'load' });
        await poll(() => page.evaluate(() => (window as unknown as { phase1Done?: boolean }).phase1Done === true), 'phase 1 of the app');
        panel = await driver.showPanel(page);
        await page.evaluate(() => (window as unknown as { phase2(): Promise<boolean> }).phase2());
      });

      async function expectFindings(name: TokenName, present: string[], absent: string[] = []) {
        await openToken(panel, app.tokens[name]);
        const judged = await poll(
          async () => {
            const f = await detailFindings(panel);
            return present.every((p) => f.ids.includes(p)) && f.ids.length === f.heading ? f : undefined;
          },
          `findings ${present.join(',')} on ${name}: got ${(await detailFindings(panel)).ids.join(',')}`,
        ).catch(async (e) => {
          throw new Error(`${(e as Error).message}; shown: ${JSON.stringify(await detailFindings(panel))}`);
        });
        // A "no finding X" is only worth something where the detail lists findings at all.
        if (absent.length) expect(judged.ids.length, `${name} shows findings`).toBeGreaterThan(0);
        for (const a of absent) expect(judged.ids, `${name} without ${a}`).not.toContain(a);
      }

      it("shows the extension's own panel page, ready", async () => {
        const seen = await panel.run((doc) => (doc.querySelector('[data-testid=panel-ready]') ? doc.location.href : null));
        expect(seen).toBe(driver.panelUrl);
      });

      it('lists every token, those from before the panel was shown included (backfill on opening)', async () => {
        const missing = async () => {
          const out: string[] = [];
          for (const [name, token] of Object.entries(app.tokens)) if (!(await hasRow(panel, token))) out.push(name);
          return out;
        };
        await poll(async () => (await missing()).length === 0, 'every token row', 30_000).catch(async (e) => {
          throw new Error(`${(e as Error).message}; missing: ${(await missing()).join(', ')}`);
        });
        // The id token and the HttpOnly cookie travelled only in phase 1, before the panel existed.
        await openToken(panel, app.tokens.id);
        expect(await sightingWheres(panel)).toContain('response-body');
        await openToken(panel, app.tokens.cookieSafe);
        expect(await sightingWheres(panel)).toContain('set-cookie');
        await filterFor(panel, '');
        const rows = await rowTokens(panel);
        expect(rows.length).toBeGreaterThanOrEqual(Object.keys(app.tokens).length);
        expect(new Set(rows).size, 'one row per distinct token').toBe(rows.length);
      });

      it('records every place each token was seen', async () => {
        const cases: [TokenName, string[]][] = [
          ['access', ['authorization-header', 'local-storage', 'response-body']],
          ['id', ['response-body', 'session-storage']],
          ['custom', ['request-header', 'response-body']],
          ['refresh', ['request-body', 'response-body']],
          ['cookieSafe', ['set-cookie']],
          ['cookieLoose', ['cookie', 'document-cookie', 'set-cookie']],
          ['inQuery', ['response-body', 'url']],
          ['inFragment', ['url']],
          ['debug', ['response-header']],
          ['newAccess', ['response-body']],
          // Sent to a no-store endpoint whose answer the page never reads: only the HAR poll sees it.
          ['unread', ['authorization-header']],
        ];
        const problems: string[] = [];
        for (const [name, where] of cases) {
          await openToken(panel, app.tokens[name]);
          const seen = await poll(async () => {
            const got = await sightingWheres(panel);
            return where.every((w) => got.includes(w)) ? got : undefined;
          }, `sightings of ${name}`).catch(async () => sightingWheres(panel));
          for (const w of where) if (!seen.includes(w)) problems.push(`${name} not seen in ${w} (seen: ${seen.join(', ')})`);
        }
        expect(problems).toEqual([]);
      });

      it('judges each token by what it is and where it was', async () => {
        await expectFindings('access', ['web-storage']);
        await expectFindings('id', ['web-storage']);
        await expectFindings('cookieLoose', ['cookie-not-httponly']);
        await expectFindings('cookieSafe', ['long-lifetime'], ['cookie-not-httponly', 'cookie-samesite-none', 'cookie-not-secure']);
        await expectFindings('inQuery', ['token-in-url']);
        await expectFindings('inFragment', ['token-in-url']);
        await expectFindings('debug', ['alg-none']);
        await expectFindings('custom', ['weak-hmac-secret']);
        await expectFindings('refresh', ['refresh-while-access-valid', 'refresh-token-not-rotated']);
      });

      it('shows in each row its role, alg, issuer and subject, expiry, verdict, worst finding and sighting count', async () => {
        const iss = 'http://127.0.0.1/app';
        const expected: Record<string, Omit<RowView, 'seen' | 'worstSeverity' | 'expiry'> & { expiry: RegExp; minSeen: number }> = {
          access: {
            role: 'access',
            alg: 'RS256',
            who: `${iss} · alice`,
            verdict: 'unverified',
            expiry: TEN_MINUTES,
            worst: TITLE['web-storage'],
            minSeen: 3,
          },
          id: {
            role: 'id',
            alg: 'RS256',
            who: `${iss} · alice`,
            verdict: 'unverified',
            expiry: TEN_MINUTES,
            worst: TITLE['web-storage'],
            minSeen: 2,
          },
          refresh: {
            role: 'refresh',
            alg: 'RS256',
            who: `${iss} · alice`,
            verdict: 'unverified',
            expiry: /^expires in 7 d$/,
            worst: TITLE['refresh-token-not-rotated'],
            minSeen: 3,
          },
          custom: {
            role: 'access',
            alg: 'HS256',
            who: '(no iss) · alice',
            verdict: 'unverified',
            expiry: TEN_MINUTES,
            worst: TITLE['weak-hmac-secret'],
            minSeen: 2,
          },
          cookieSafe: {
            role: 'access',
            alg: 'RS256',
            who: `${iss} · alice`,
            verdict: 'unverified',
            expiry: /^expires in 3 d$/,
            worst: TITLE['long-lifetime'],
            minSeen: 1,
          },
          cookieLoose: {
            role: 'access',
            alg: 'RS256',
            who: `${iss} · alice`,
            verdict: 'unverified',
            expiry: AN_HOUR,
            worst: TITLE['cookie-not-httponly'],
            minSeen: 3,
          },
          inQuery: {
            role: 'access',
            alg: 'RS256',
            who: `${iss} · alice`,
            verdict: 'unverified',
            expiry: TEN_MINUTES,
            worst: TITLE['token-in-url'],
            minSeen: 2,
          },
          // No scope, no token_use: nothing says what it is for. With no key stored, alg "none" is unverified too.
          debug: {
            role: 'unknown',
            alg: 'none',
            who: '(no iss) · alice',
            verdict: 'unverified',
            expiry: TEN_MINUTES,
            worst: TITLE['alg-none'],
            minSeen: 1,
          },
        };
        const problems: string[] = [];
        for (const [name, want] of Object.entries(expected)) {
          const token = app.tokens[name as TokenName];
          await openToken(panel, token);
          // The worst finding of an HS256 token arrives with its weak-secret check, after the verdict.
          const view = await poll(async () => {
            const v = await rowView(panel, token);
            return v && v.verdict === want.verdict && v.worst === want.worst ? v : undefined;
          }, `the row of ${name}`).catch(() => rowView(panel, token));
          const detailSeen = await detailSeenCount(panel);
          const got = view ?? ({} as Partial<RowView>);
          const check = (what: string, ok: boolean) => ok || problems.push(`${name}: ${what} (row: ${JSON.stringify(got)})`);
          check(`role ${want.role}`, got.role === want.role);
          check(`alg ${want.alg}`, got.alg === want.alg);
          check(`who ${want.who}`, got.who === want.who);
          check(`verdict ${want.verdict}`, got.verdict === want.verdict);
          check(`expiry ${want.expiry}`, want.expiry.test(got.expiry ?? ''));
          check(`worst ${want.worst}`, got.worst === want.worst);
          check(
            `"${detailSeen} seen" as the detail counts, at least ${want.minSeen}`,
            got.seen === `${detailSeen} seen` && detailSeen >= want.minSeen,
          );
        }
        expect(problems).toEqual([]);
      });

      it('shows the verdict, and a key added in the panel verifies the token', async () => {
        await openToken(panel, app.tokens.custom);
        const before = await poll(async () => ((await verdict(panel)) !== 'pending' ? verdict(panel) : undefined), 'a verdict');
        expect(before).toBe('no-matching-key');
        expect(await clickTestId(panel, 'add-key')).toBe(true);
        await poll(() => setControl(panel, 'add-key-value', 'secret', 'input'), 'the add-key form');
        expect(await clickTestId(panel, 'add-key-submit')).toBe(true);
        await poll(async () => (await verdict(panel)) === 'valid', `the verdict to become valid (is ${await verdict(panel)})`);
      });

      it('Re-verify checks again with a key added on the options page', async () => {
        await openToken(panel, app.tokens.access);
        expect(await poll(async () => ((await verdict(panel)) !== 'pending' ? verdict(panel) : undefined), 'a verdict')).toBe(
          'no-matching-key',
        );
        const options = await driver.extensionPage('src/options/index.html');
        try {
          await poll(() => options.evaluate(() => !!document.querySelector('[data-testid=options-ready]')), 'the options page');
          await options.evaluate((jwk) => {
            const area = document.querySelector('[data-testid=key-value]') as HTMLTextAreaElement;
            area.value = jwk;
            area.dispatchEvent(new Event('input', { bubbles: true }));
          }, app.publicJwk);
          await options.evaluate(() => (document.querySelector('[data-testid=key-add]') as HTMLElement).click());
          await poll(
            () => options.evaluate(() => document.querySelectorAll('[data-testid=key-row]').length > 0),
            'the key in the options list',
          );
        } finally {
          await options.close();
        }
        expect(await clickTestId(panel, 'reverify')).toBe(true);
        await poll(async () => (await verdict(panel)) === 'valid', `the verdict after Re-verify (is ${await verdict(panel)})`);
      });

      it('Read storage picks up a value written after the panel opened', async () => {
        const late = await app.mint({ sub: 'late', scope: 'storage', exp: Math.floor(Date.now() / 1000) + 600 });
        await page.evaluate((t) => sessionStorage.setItem('late_token', t), late);
        expect(await clickTestId(panel, 'read-storage')).toBe(true);
        await openToken(panel, late);
        expect(await sightingWheres(panel)).toEqual(['session-storage']);
      });

      it('filters by raw text, claim value and finding id', async () => {
        const byText = app.tokens.inFragment.slice(-30, -10);
        await filterFor(panel, byText);
        expect(await rowTokens(panel)).toEqual([app.tokens.inFragment]);
        // "legacy" is the custom token's scope claim and appears in no other token.
        await filterFor(panel, 'legacy');
        expect(await rowTokens(panel)).toEqual([app.tokens.custom]);
        await filterFor(panel, 'alg-none');
        expect(await rowTokens(panel)).toEqual([app.tokens.debug]);
        await filterFor(panel, '');
        expect((await rowTokens(panel)).length).toBeGreaterThan(3);
      });

      it('draws the timeline: issued, used and refreshed', async () => {
        expect(await clickTestId(panel, 'tab-timeline')).toBe(true);
        const kinds = await poll(async () => {
          const k = await timelineKinds(panel);
          return ['issued', 'used', 'refreshed'].every((w) => k.includes(w)) ? k : undefined;
        }, 'timeline events').catch(() => timelineKinds(panel));
        for (const kind of ['issued', 'used', 'refreshed']) expect(kinds, `timeline has ${kind}`).toContain(kind);
        expect(await clickTestId(panel, 'tab-details')).toBe(true);
      });

      it('Sort orders the rows by expiry and by worst finding, as its labels say', async () => {
        await filterFor(panel, '');
        const firstSeen = await rowTokens(panel);
        expect(firstSeen.length).toBeGreaterThan(4);
        const expOf = (t: string) => {
          try {
            const exp = decodeJwt(t).exp;
            return typeof exp === 'number' ? exp : Infinity;
          } catch {
            return Infinity;
          }
        };
        const label = await panel.run((doc) =>
          [...(doc.querySelector('[data-testid=sort]') as HTMLSelectElement).options].map((o) => `${o.value}=${o.textContent}`),
        );
        expect(label).toEqual(['first-seen=first seen', 'severity=worst finding', 'expiry=expiry']);

        expect(await setControl(panel, 'sort', 'expiry', 'change')).toBe(true);
        const byExpiry = await poll(async () => {
          const rows = await rowTokens(panel);
          return rows.join() !== firstSeen.join() ? rows : undefined;
        }, 'the order to change');
        const exps = byExpiry.map(expOf);
        expect(
          exps.every((e, i) => i === 0 || exps[i - 1]! <= e),
          `ascending expiry: ${exps.join(', ')}`,
        ).toBe(true);

        expect(await setControl(panel, 'sort', 'severity', 'change')).toBe(true);
        const bySeverity = await poll(async () => {
          const rows = await rowTokens(panel);
          return rows.join() !== byExpiry.join() ? rows : undefined;
        }, 'the order to change again');
        const ranks: number[] = [];
        for (const t of bySeverity) ranks.push(SEVERITY_RANK[(await rowView(panel, t))?.worstSeverity ?? ''] ?? 99);
        expect(
          ranks.every((r, i) => i === 0 || ranks[i - 1]! <= r),
          `worst first: ${ranks.join(', ')}`,
        ).toBe(true);
        expect(ranks[0]).toBe(SEVERITY_RANK.critical);

        expect(await setControl(panel, 'sort', 'first-seen', 'change')).toBe(true);
        await poll(async () => (await rowTokens(panel)).join() === firstSeen.join(), 'first-seen order back');
      });

      it('Export, then Import through the panel, round-trips the tokens', async () => {
        const before = await settledCounts(panel);
        expect(before.tokens).toBeGreaterThan(5);
        const exported = await driver.exportThroughPanel(panel);
        const file = JSON.parse(exported) as { tokens: { token: string }[] };
        const inFile = new Set(file.tokens.map((t) => t.token));
        for (const [name, token] of Object.entries(app.tokens)) expect(inFile.has(token), `${name} exported`).toBe(true);
        expect(file.tokens.length).toBe(before.tokens);

        expect(await clickTestId(panel, 'clear')).toBe(true);
        await poll(async () => (await counts(panel)).tokens === 0, 'an empty list after Clear');
        await driver.importThroughPanel(panel, exported);
        await poll(async () => (await counts(panel)).tokens === before.tokens, `${before.tokens} tokens after Import`);
        for (const token of Object.values(app.tokens)) expect(await hasRow(panel, token)).toBe(true);
        await openToken(panel, app.tokens.access);
        expect(await sightingWheres(panel)).toEqual(expect.arrayContaining(['authorization-header', 'local-storage', 'response-body']));
      });

      it('counts an expiry down live', async () => {
        const soon = await app.mint({ sub: 'soon', exp: Math.floor(Date.now() / 1000) + 50 });
        expect(await sendFromPage(page, soon)).toBe(204);
        await poll(() => hasRow(panel, soon), 'the short-lived token');
        const first = (await rowView(panel, soon))!.expiry;
        expect(first).toMatch(/^expires in \d+ s$/);
        const next = await poll(async () => {
          const now = (await rowView(panel, soon))?.expiry;
          return now && now !== first ? now : undefined;
        }, `the expiry text to move on from "${first}"`);
        expect(next).toMatch(/^expires in \d+ s$|^expires just now$|^expired/);
      });

      it('reads storage again after each navigation', async () => {
        const stored = await app.mint({ sub: 'navigator', exp: Math.floor(Date.now() / 1000) + 600 });
        await page.evaluate((t) => localStorage.setItem('after_nav', t), stored);
        await page.goto(app.pageUrl('nav=1'), { waitUntil: 'load' });
        await poll(() => hasRow(panel, stored), 'the stored token after the navigation');
        await openToken(panel, stored);
        expect(await sightingWheres(panel)).toEqual(['local-storage']);
      });

      it('Preserve log on keeps the tokens across a navigation; off clears them', async () => {
        const requestOnly = await app.mint({ sub: 'request-only', exp: Math.floor(Date.now() / 1000) + 600 });
        expect(await sendFromPage(page, requestOnly)).toBe(204);
        await poll(() => hasRow(panel, requestOnly), 'the request-only token');
        expect(await panel.run((doc) => (doc.querySelector('[data-testid=preserve-log]') as HTMLInputElement).checked)).toBe(true);
        // A request the new page makes shows the panel has heard of the navigation: DevTools reports the
        // navigation before the requests of the document it brings.
        const exp = Math.floor(Date.now() / 1000) + 600;
        const [marker2, marker3] = await Promise.all([app.mint({ sub: 'marker-2', exp }), app.mint({ sub: 'marker-3', exp })]);
        await page.goto(app.pageUrl('nav=2'), { waitUntil: 'load' });
        expect(await sendFromPage(page, marker2)).toBe(204);
        await poll(() => hasRow(panel, marker2), 'the request after the navigation');
        expect(await hasRow(panel, requestOnly), 'kept with Preserve log on').toBe(true);

        expect(await setControl(panel, 'preserve-log', false, 'change')).toBe(true);
        await page.goto(app.pageUrl('nav=3'), { waitUntil: 'load' });
        expect(await sendFromPage(page, marker3)).toBe(204);
        await poll(() => hasRow(panel, marker3), 'the request after the second navigation');
        expect(await hasRow(panel, requestOnly), 'cleared with Preserve log off').toBe(false);
        expect(await hasRow(panel, marker2), 'cleared with Preserve log off').toBe(false);
        expect(await setControl(panel, 'preserve-log', true, 'change')).toBe(true);
      });
    });

    describe('on a page of many tokens', () => {
      it('says how many of the oldest sightings it dropped once past its bound (10,000)', async () => {
        const page = await driver.openPage(app.pageUrl('tab=many'));
        const panel = await driver.showPanel(page);
        // Three bodies of 4,000 distinct tokens each (a body gives at most 4,096 sightings): 12,000 sightings,
        // 2,000 over the bound README.md documents.
        for (const seed of ['a', 'b', 'c']) {
          expect(await page.evaluate(async (s) => (await (await fetch(`/many?n=4000&seed=${s}`)).json()).length, seed)).toBe(4000);
        }
        const c = await poll(
          async () => {
            const now = await counts(panel);
            return /(\d+) oldest dropped \(limit reached\)/.test(now.text) ? now : undefined;
          },
          'the "oldest dropped" note',
          60_000,
        ).catch(async (e) => {
          throw new Error(`${(e as Error).message}; the counts say "${(await counts(panel)).text}"`);
        });
        expect(c.sightings).toBeLessThanOrEqual(10_000);
        const dropped = await poll(
          async () => {
            const n = Number(/(\d+) oldest dropped/.exec((await counts(panel)).text)?.[1] ?? 0);
            return n >= 2000 ? n : undefined;
          },
          'all 2,000 over the bound to be dropped',
          30_000,
        );
        expect(dropped).toBeGreaterThanOrEqual(2000);
        expect((await counts(panel)).sightings).toBe(10_000);
        await page.close();
      });
    });

    describe('when DevTools closes', () => {
      it('stops capturing, and a reopened panel starts empty of what came before', async () => {
        const page = await driver.openPage(app.pageUrl('tab=reopen'));
        const exp = Math.floor(Date.now() / 1000) + 600;
        const [before, whileClosed, afterReopen] = await Promise.all(['before', 'closed', 'reopened'].map((sub) => app.mint({ sub, exp })));
        let panel = await driver.showPanel(page);
        expect(await sendFromPage(page, before!)).toBe(204);
        await poll(() => hasRow(panel, before!), 'the token sent while the panel was open');

        await driver.closeDevtools(page);
        expect(await sendFromPage(page, whileClosed!)).toBe(204);

        panel = await driver.showPanel(page);
        expect(await sendFromPage(page, afterReopen!)).toBe(204);
        await poll(() => hasRow(panel, afterReopen!), 'the token sent after reopening');
        expect(await hasRow(panel, before!), 'the token of the closed session is gone').toBe(false);
        expect(await hasRow(panel, whileClosed!), 'nothing was captured while DevTools was closed').toBe(false);
        await page.close();
      });
    });
  });
}
