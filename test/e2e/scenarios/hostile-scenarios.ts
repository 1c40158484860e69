// Hostile pages in the DevTools panel, written once and run in every browser through a PanelDriver
// (test/e2e/chromium/hostile-scenarios.test.ts, test/e2e/firefox/hostile-scenarios.test.ts): tokens whose
// claims, header and surroundings are markup, script URLs, bidi overrides and zero-width characters, a 100 KB
// claim, a claim nested 10,000 deep, and a token of more than 1 MiB in a request header. The panel must render
// all of it as text, mark what is invisible, cut what is long, and stay responsive. The popup's part is in
// test/e2e/chromium/hostile-rendering.test.ts.
//
// The panel runs under MV3's CSP (script-src 'self'), so an injected inline handler would be blocked rather
// than run: the `__pwned` flag alone would miss an injection. The panel therefore also records CSP violations
// from before the token content is rendered, and its DOM is searched for any element or attribute that token
// text could have become. Everything goes through PanelHandle.run (a function of the panel's document), the
// one way into Firefox's toolbox: the watcher keeps what it records in a data attribute of the root element,
// where any later run can read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { poll } from '../harness/poll';
import { HOSTILE_NAMES, LONG_CLAIM_CHARS, LONG_END_MARKER, startHostileApp, XSS, type HostileApp } from '../apps/hostile-app';
import { asJson, type Injection, NO_INJECTION, readInjections, showsParts, watchViolations } from './hostile-checks';
import { counts, filterFor, rowTokens, type DriverFactory, type PanelDriver, type PanelHandle } from './panel-driver';

/** What token content could have turned into, in the panel's document. */
function injectionsIn(panel: PanelHandle): Promise<Injection> {
  return panel.run(readInjections);
}

async function expectNoInjection(panel: PanelHandle, where: string) {
  const found = await injectionsIn(panel);
  expect(found, where).toEqual(NO_INJECTION);
}

export function hostileScenarios(browserName: string, makeDriver: DriverFactory): void {
  describe(`hostile token content in the JWT panel in ${browserName}`, () => {
    let driver: PanelDriver;
    let app: HostileApp;
    let page: Page;
    let panel: PanelHandle;

    beforeAll(async () => {
      app = await startHostileApp();
      driver = await makeDriver();
      page = await driver.openPage(`${app.blankUrl}?tab=hostile`);
      await driver.openDevtools(page);
      await page.goto(app.url, { waitUntil: 'load' });
      await poll(
        () => page.evaluate(() => (window as unknown as { phase1Done?: boolean }).phase1Done === true),
        'phase 1 of the hostile app',
      );
      panel = await driver.showPanel(page);
      // Token content is rendered in the detail, which opens only on a click below: the watcher is in place first.
      await panel.run(watchViolations);
      await page.evaluate(() => (window as unknown as { phase2(): Promise<boolean> }).phase2());
    });
    afterAll(async () => {
      await driver?.close();
      await app?.close();
    });

    const text = (selector: string) => panel.run((doc, sel) => (doc.querySelector(sel) as HTMLElement | null)?.innerText ?? null, selector);
    const detailText = async (selector: string) => {
      const found = await text(`[data-testid=token-detail] ${selector}`);
      if (found === null) throw new Error(`no ${selector} in the detail`);
      return found;
    };
    const detailFindingIds = () =>
      panel.run((doc) =>
        [...doc.querySelectorAll('[data-testid=token-detail] [data-finding-id]')].map((e) => e.getAttribute('data-finding-id')),
      );
    const click = (selector: string) =>
      panel.run((doc, sel) => {
        const el = doc.querySelector(sel) as HTMLElement | null;
        el?.click();
        return !!el;
      }, selector);

    // The filter searches the first 4 KiB of a token and its claims: each token is found by its subject.
    const needleOf = (token: string) => {
      const t = app.tokens;
      return {
        [t.xss]: 'evil.example',
        [t.bidi]: 'bidi-subject',
        [t.long]: 'long-subject',
        [t.deep]: 'deep-subject',
        [t.small]: 'small-subject',
      }[token]!;
    };
    async function open(token: string) {
      await poll(
        async () => {
          await filterFor(panel, needleOf(token));
          return (await rowTokens(panel)).includes(token);
        },
        `the row of ${needleOf(token)}`,
      ).catch(async (e) => {
        throw new Error(`${(e as Error).message} (${(await counts(panel)).text || 'no counts'})`);
      });
      expect(await click(`[data-testid=token-row][data-token="${token}"]`)).toBe(true);
      const parts = async () => (await text('[data-testid=token-detail] .parts')) ?? '';
      await poll(async () => showsParts(await parts(), token), 'the detail of the clicked row').catch(async (e) => {
        throw new Error(`${(e as Error).message}: ${JSON.stringify((await parts()).slice(0, 300))}`);
      });
    }

    it('lists the hostile tokens, and the one in the 1 MiB header not at all', async () => {
      const { xss, bidi, long, deep, small, huge } = app.tokens;
      // The small token's header sighting comes from the request that also carried the huge one: once it is
      // there, that request has been read.
      await open(small);
      await poll(
        () =>
          panel.run((doc) =>
            [...doc.querySelectorAll('[data-testid=sighting]')].some(
              (e) => e.getAttribute('data-where') === 'request-header' && (e as HTMLElement).innerText.includes('x-small-token'),
            ),
          ),
        'the x-small-token header sighting',
      );
      await filterFor(panel, '');
      const listed = [xss, bidi, long, deep, small];
      // Phase 2's requests may still be on their way: wait for the five rows,
      // then check that there is nothing else; a row that never comes fails the equality with what was listed.
      const rows = await poll(
        async () => {
          const now = await rowTokens(panel);
          return listed.every((t) => now.includes(t)) ? now : undefined;
        },
        'a row for each hostile token',
        20_000,
      ).catch(() => rowTokens(panel));
      expect(new Set(rows)).toEqual(new Set(listed));
      expect(rows).not.toContain(huge);
      expect((await counts(panel)).tokens).toBe(5);
      // Decision: a header is scanned up to 64 KiB, and decodeToken refuses more than 1 MiB, so a 1.1 MB token
      // in a header is not a token the panel shows — no row, no error, no stall: the request's other headers
      // are still read (above), and the panel keeps answering (below).
      expect(app.requests.find((r) => r.url === '/api/upload')?.headerBytes).toBeGreaterThan(1024 * 1024);
      await expectNoInjection(panel, 'the panel after listing');
    });

    it('renders markup in header, claims, claim names, the found secret and sighting names as text', async () => {
      await open(app.tokens.xss);
      expect(await detailText('[data-testid=decoded-header]')).toContain(asJson(XSS.script));
      const payload = await detailText('[data-testid=decoded-payload]');
      for (const markup of [XSS.img, XSS.script, XSS.svg, XSS.iframe, XSS.jsUrl]) expect(payload).toContain(asJson(markup));
      // The weak-secret check finds the secret among the token's own claims: it is markup, shown on a click.
      const secretButton = '[data-testid=token-detail] [data-testid=weak-secret] button';
      await poll(() => panel.run((doc, sel) => !!doc.querySelector(sel), secretButton), 'the weak secret found', 20_000);
      expect(await click(secretButton)).toBe(true);
      await poll(async () => (await detailText('[data-testid=weak-secret]')).includes('onerror'), 'the secret shown');
      expect(await detailText('[data-testid=weak-secret]')).toContain('<img src=x onerror=');
      expect(await detailText('.sightings')).toContain(HOSTILE_NAMES.storageKey);
      await expectNoInjection(panel, 'the panel showing the markup token');

      await open(app.tokens.long);
      expect(await detailText('.sightings')).toContain(HOSTILE_NAMES.jsonField);
      await expectNoInjection(panel, 'the panel showing the JSON field name');
    });

    it('marks bidi overrides and zero-width characters', async () => {
      await open(app.tokens.bidi);
      const marks = await panel.run((doc) =>
        [...doc.querySelectorAll('[data-testid=token-detail] [data-testid=decoded-payload] .invisible-char')].map(
          (e) => (e as HTMLElement).innerText,
        ),
      );
      expect(marks).toContain('U+202E');
      expect(marks).toContain('U+200B');
      const payload = await detailText('[data-testid=decoded-payload]');
      expect(payload).not.toMatch(/[\u202E\u200B]/);
      expect(payload).toContain('report');
    });

    it('cuts a 100 KB claim, and shows all of it on "show more"', async () => {
      await open(app.tokens.long);
      const before = await detailText('[data-testid=decoded-payload]');
      expect(before.length).toBeLessThan(10_000);
      expect(before).not.toContain(LONG_END_MARKER);
      expect(await click('[data-testid=token-detail] [data-testid=decoded-payload] [data-testid=show-more]')).toBe(true);
      await poll(async () => (await detailText('[data-testid=decoded-payload]')).includes(LONG_END_MARKER), 'the whole claim');
      const after = await detailText('[data-testid=decoded-payload]');
      expect(after.length).toBeGreaterThan(LONG_CLAIM_CHARS);
      expect(after).toContain(asJson(XSS.img));
      await expectNoInjection(panel, 'the panel with the long claim expanded');
    });

    it('says a 10,000-deep claim is too deep to display, and still judges the token', async () => {
      await open(app.tokens.deep);
      const payload = await detailText('[data-testid=decoded-payload]');
      expect(payload).toContain('deep-subject');
      expect(payload).toContain('too deeply nested to display');
      expect(await detailFindingIds()).toContain('alg-none');
    });

    it('stays responsive: the filter answers, and every token gets its verdict', async () => {
      const all = [app.tokens.xss, app.tokens.bidi, app.tokens.long, app.tokens.deep, app.tokens.small];
      for (const [needle, expected] of [
        ['deep-subject', [app.tokens.deep]],
        ['bidi.example', [app.tokens.bidi]],
        ['', all],
      ] as const) {
        // The answer is the assertion; how fast the filter answers is the bench's "filter" row.
        await filterFor(panel, needle);
        await poll(async () => {
          const rows = await rowTokens(panel);
          return rows.length === expected.length && expected.every((t) => rows.includes(t));
        }, `the filter "${needle}"`);
      }
      // The 100 KB HS256 token must not hold the others' verdicts back (the weak-secret list on it takes minutes).
      const statuses = () =>
        panel.run((doc) =>
          [...doc.querySelectorAll('[data-testid=token-row]')].map((r) => [
            r.getAttribute('data-token'),
            r.querySelector('[data-status]')?.getAttribute('data-status') ?? null,
          ]),
        );
      await poll(
        async () => {
          const rows = await statuses();
          // The list shows all five (the filter is empty): "every row" is never a vacuous every over none.
          return rows.length === all.length && rows.every(([, s]) => s && s !== 'pending');
        },
        'a verdict on every row',
        15_000,
      ).catch(async (e) => {
        throw new Error(`${(e as Error).message}: ${JSON.stringify((await statuses()).map(([t, s]) => [t?.slice(-8), s]))}`);
      });
      const bidiIds = async () => {
        await open(app.tokens.bidi);
        return detailFindingIds();
      };
      await poll(async () => (await bidiIds()).includes('weak-hmac-secret'), 'the weak secret of the bidi token', 15_000);
      await expectNoInjection(panel, 'the panel at the end');
    });
  });
}
