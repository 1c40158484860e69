// Hostile tokens in the popup: claims and header that are markup, script URLs, bidi overrides and zero-width
// characters, a 100 KB claim, a claim nested 10,000 deep, and a token of more than 1 MiB. The popup must render
// all of it as text, mark what is invisible, cut what is long, and refuse what is too large. The same tokens in
// the DevTools panel, in Chromium and Firefox: test/e2e/scenarios/hostile-scenarios.ts.
//
// Extension pages run under MV3's CSP (script-src 'self'), so an injected inline handler would be blocked
// rather than run: the `__pwned` flag alone would miss an injection. Each page therefore also records CSP
// violations from before the token content is rendered, and its DOM is searched for any element or
// attribute that token text could have become.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { pasteInto, textOf } from '../harness/page-input';
import { poll } from '../harness/poll';
import { LONG_CLAIM_CHARS, LONG_END_MARKER, makeHostileTokens, XSS } from '../apps/hostile-app';
import { asJson, type Injection, NO_INJECTION, readInjections, showsParts, watchViolations } from '../scenarios/hostile-checks';

/** What token content could have turned into, in a page of the extension. */
function injectionsIn(target: Page): Promise<Injection> {
  return target.evaluate(`(${readInjections.toString()})(document)`) as Promise<Injection>;
}

/** Records the page's CSP violations from the moment its document exists (tokens arrive after load). */
const WATCH_VIOLATIONS = `document.addEventListener('DOMContentLoaded', () => (${watchViolations.toString()})(document))`;

async function expectNoInjection(target: Page, where: string) {
  const found = await injectionsIn(target);
  expect(found, where).toEqual(NO_INJECTION);
}

describe.runIf(browserAvailable('chromium'))('hostile token content in Chromium', () => {
  let session: ChromiumSession;
  // The popup is given the hostile tokens by pasting: no page needs to serve them.
  const tokens = makeHostileTokens();

  beforeAll(async () => {
    session = await launchChromium();
  });
  afterAll(async () => {
    await session?.close();
  });

  describe('in the popup', () => {
    let popup: Page;
    beforeAll(async () => {
      popup = await session.browser.newPage();
      await popup.evaluateOnNewDocument(WATCH_VIOLATIONS);
      await popup.goto(`chrome-extension://${session.extensionId}/src/popup/index.html`, { waitUntil: 'load' });
    });
    afterAll(async () => popup?.close());

    async function paste(token: string) {
      await pasteInto(popup, '[data-testid=token-input]', token);
      await poll(
        () =>
          popup
            .$eval('[data-testid=token-parts]', (el) => (el as HTMLElement).innerText)
            .then((t) => showsParts(t, token))
            .catch(() => false),
        `the popup to decode …${token.slice(-12)}`,
      );
    }

    it('renders markup in the header and claims as text', async () => {
      await paste(tokens.xss);
      expect(await textOf(popup, '[data-testid=decoded-header]')).toContain(XSS.script);
      const payload = await textOf(popup, '[data-testid=decoded-payload]');
      for (const text of [XSS.img, XSS.script, XSS.svg, XSS.iframe, XSS.jsUrl]) expect(payload).toContain(asJson(text));
      await poll(() => popup.$eval('[data-testid=verification]', (el) => el.getAttribute('data-status') !== 'pending'), 'a verdict');
      await expectNoInjection(popup, 'the popup showing the markup token');
    });

    it('marks bidi overrides and zero-width characters', async () => {
      await paste(tokens.bidi);
      const marks = await popup.$$eval('[data-testid=decoded-payload] .invisible-char', (els) =>
        els.map((e) => (e as HTMLElement).innerText),
      );
      expect(marks).toContain('U+202E');
      expect(marks).toContain('U+200B');
      expect(await textOf(popup, '[data-testid=decoded-payload]')).not.toMatch(/[\u202E\u200B]/);
    });

    it('cuts a 100 KB claim, and shows all of it on "show more"', async () => {
      await paste(tokens.long);
      const before = await textOf(popup, '[data-testid=decoded-payload]');
      expect(before.length).toBeLessThan(10_000);
      await popup.click('[data-testid=decoded-payload] [data-testid=show-more]');
      await poll(async () => (await textOf(popup, '[data-testid=decoded-payload]')).includes(LONG_END_MARKER), 'the whole claim');
      expect((await textOf(popup, '[data-testid=decoded-payload]')).length).toBeGreaterThan(LONG_CLAIM_CHARS);
      await expectNoInjection(popup, 'the popup with the long claim expanded');
    });

    it('says a 10,000-deep claim is too deep to display', async () => {
      await paste(tokens.deep);
      expect(await textOf(popup, '[data-testid=decoded-payload]')).toContain('too deeply nested to display');
      expect(await popup.$$eval('[data-finding-id]', (els) => els.map((e) => e.getAttribute('data-finding-id')))).toContain('alg-none');
    });

    it('refuses the 1 MiB token with a reason, and keeps answering', async () => {
      await pasteInto(popup, '[data-testid=token-input]', tokens.huge);
      await poll(
        () => popup.$eval('[data-testid=decode-error]', (el) => el.getAttribute('data-code')).catch(() => undefined),
        'the decode error',
      );
      expect(await popup.$eval('[data-testid=decode-error]', (el) => el.getAttribute('data-code'))).toBe('too-large');
      expect(await popup.$('[data-testid=decoded-payload]')).toBeNull();
      await paste(tokens.small);
      expect(await textOf(popup, '[data-testid=decoded-payload]')).toContain('small-subject');
      await expectNoInjection(popup, 'the popup at the end');
    });

    it('(the detector itself sees markup that became elements)', async () => {
      const other = await session.browser.newPage();
      await other.evaluateOnNewDocument(WATCH_VIOLATIONS);
      await other.goto(`chrome-extension://${session.extensionId}/src/popup/index.html`, { waitUntil: 'load' });
      await other.evaluate((html) => document.getElementById('app')!.insertAdjacentHTML('beforeend', html), XSS.img);
      const found = await poll(async () => {
        const f = await injectionsIn(other);
        return f.violations.length > 0 && f;
      }, 'the CSP violation of the injected handler');
      await other.close();
      // MV3's CSP blocks the handler (no flag), and the watcher, the element and the attribute each give it away.
      expect(found.pwned).toBeUndefined();
      expect(found.elements.join()).toContain('<img');
      expect(found.attributes.join()).toContain('img[onerror=');
    });
  });
});
