// The background is stopped in the middle of work — Chromium's MV3 service worker, Firefox's event page — while
// the panel's verifications are queued (one of them waiting on a JWKS fetch), with the app still making
// requests, and while the popup waits for a verdict. Pages reconnect and ask again; no capture is lost or
// duplicated, every row gets its real verdict (never stuck at "…", never an 'error' left by the restart), and
// the stored keys survive. Written once, run by test/e2e/chromium/worker-restart.test.ts and
// test/e2e/firefox/worker-restart.test.ts through the PanelDriver's stopWorker (how each browser stops its
// background when it idles).
//
// The JWKS server holds its first answer until the test has stopped the worker: the worker is stopped
// mid-request on purpose, not by luck of timing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Page } from 'puppeteer-core';
import { pasteInto } from '../harness/page-input';
import { poll } from '../harness/poll';
import { startServer, type Handler, type TestServer } from '../harness/server';
import { counts, filterFor, type DriverFactory, type PanelDriver, type PanelHandle } from './panel-driver';

const SECRET = 'worker-restart stored secret: 1f6b2a9c-3d4e, long enough for HS256';
const ISS = 'https://restart.example';
const POPUP_ISS = 'https://restart-popup.example';
const WAVE_1 = 24;
const WAVE_2 = 12;
/** One more token, alone: HS256 with a secret near the end of the 104k-secret list (about a second to find). */
const LATE = WAVE_1 + WAVE_2;
const LATE_SECRET = 'windrain';

/** What each token of the app is and which verdict it must end with. */
function kindOf(i: number): 'weak' | 'late' | 'hs' | 'rs' {
  if (i === 5) return 'weak';
  if (i === LATE) return 'late';
  // Few of these: the weak-secret check runs the whole 104k list on each (the stored secret is not in it).
  return i === 3 || i === 27 ? 'hs' : 'rs';
}
const EXPECTED = { weak: 'invalid', late: 'invalid', hs: 'valid', rs: 'valid' } as const;

/** A JWKS route that holds its first answer until `release()`; later requests are answered at once. */
function heldJwks(jwks: unknown) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let served = 0;
  const handler: Handler = async (_q, res) => {
    if (served++ === 0) await released;
    if (res.destroyed || res.writableEnded) return;
    res
      .writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'max-age=600' })
      .end(JSON.stringify(jwks));
  };
  return { handler, release };
}

const APP = `<!doctype html><meta charset="utf-8"><title>restart app</title><body><pre id="log"></pre><script>
window.wave = async (from, count) => {
  for (let i = from; i < from + count; i++) {
    const { access_token } = await (await fetch('/token/' + i)).json();
    await fetch('/api/use?n=' + i, { headers: { Authorization: 'Bearer ' + access_token } });
  }
  document.getElementById('log').textContent += 'wave ' + from + ' done\\n';
  return true;
};
window.wave1Done = false;
window.wave(0, ${WAVE_1}).then(() => (window.wave1Done = true));
</script>`;

/** The verdicts of the rows in view. */
const rowStatuses = (panel: PanelHandle) =>
  panel.run((doc) => [...doc.querySelectorAll('[data-testid=token-row] [data-status]')].map((e) => e.getAttribute('data-status')));

/** Each row in view as [token, verdict]. */
const rowVerdicts = (panel: PanelHandle) =>
  panel.run((doc) =>
    [...doc.querySelectorAll('[data-testid=token-row]')].map(
      (e) => [e.getAttribute('data-token'), e.querySelector('[data-status]')?.getAttribute('data-status') ?? null] as const,
    ),
  );

const tokenCount = async (panel: PanelHandle) => (await counts(panel)).tokens;

async function expectWeakSecretFound(panel: PanelHandle, token: string) {
  await filterFor(panel, token.slice(-24));
  const clicked = await panel.run((doc, t) => {
    const row = doc.querySelector(`[data-testid=token-row][data-token="${t}"]`) as HTMLElement | null;
    row?.click();
    return !!row;
  }, token);
  expect(clicked, `the row of …${token.slice(-8)}`).toBe(true);
  await poll(
    () =>
      panel.run((doc) =>
        [...doc.querySelectorAll('[data-testid=token-detail] [data-finding-id]')].some(
          (e) => e.getAttribute('data-finding-id') === 'weak-hmac-secret',
        ),
      ),
    `the weak-hmac-secret finding on …${token.slice(-8)}`,
    20_000,
  );
}

export function workerRestartScenarios(browserName: string, makeDriver: DriverFactory): void {
  describe(`a restarting background (${browserName})`, () => {
    let driver: PanelDriver;
    let app: TestServer;
    let keys: TestServer;
    let appTokens: string[];
    let popupToken: string;
    let popupToken2: string;
    let releaseAppJwks: () => void;
    let releasePopupJwks: () => void;

    beforeAll(async () => {
      const appPair = await generateKeyPair('RS256');
      const popupPair = await generateKeyPair('RS256');
      const jwk = async (pair: { publicKey: CryptoKey }, kid: string) => ({
        ...(await exportJWK(pair.publicKey)),
        kid,
        alg: 'RS256',
        use: 'sig',
      });
      const appJwks = heldJwks({ keys: [await jwk(appPair, 'restart-1')] });
      const popupJwks = heldJwks({ keys: [await jwk(popupPair, 'restart-popup-1')] });
      releaseAppJwks = appJwks.release;
      releasePopupJwks = popupJwks.release;
      keys = await startServer({ '/app-jwks.json': appJwks.handler, '/popup-jwks.json': popupJwks.handler });

      const now = Math.floor(Date.now() / 1000);
      appTokens = await Promise.all(
        Array.from({ length: LATE + 1 }, (_, i) => {
          const jwt = new SignJWT({ iss: ISS, sub: `user-${i}`, n: i, iat: now, exp: now + 3600 });
          const kind = kindOf(i);
          if (kind === 'rs') return jwt.setProtectedHeader({ alg: 'RS256', kid: 'restart-1' }).sign(appPair.privateKey);
          const secret = { weak: 'secret', late: LATE_SECRET, hs: SECRET }[kind];
          return jwt.setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
        }),
      );
      const popupJwt = (sub: string) =>
        new SignJWT({ iss: POPUP_ISS, sub, iat: now, exp: now + 3600 })
          .setProtectedHeader({ alg: 'RS256', kid: 'restart-popup-1' })
          .sign(popupPair.privateKey);
      popupToken = await popupJwt('popup-1');
      popupToken2 = await popupJwt('popup-2');

      const routes: Record<string, Handler> = {
        '/blank': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>blank</title>'),
        '/app': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(APP),
        '/api/use': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
      };
      appTokens.forEach((token, i) => {
        routes[`/token/${i}`] = (_q, r) =>
          void r
            .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
            .end(JSON.stringify({ access_token: token, token_type: 'Bearer' }));
      });
      app = await startServer(routes);
      driver = await makeDriver();
    });
    afterAll(async () => {
      releaseAppJwks?.();
      releasePopupJwks?.();
      await driver?.close();
      await app?.close();
      await keys?.close();
    });

    it('stores keys', async () => {
      const options = await driver.extensionPage('src/options/index.html');
      await options.waitForSelector('[data-testid=options-ready]');
      await pasteInto(options, '[data-testid=key-value]', SECRET);
      await options.select('[data-testid=key-kind]', 'secret');
      await options.click('[data-testid=key-add]');
      await poll(() => options.$$eval('[data-testid=key-row]', (els) => els.length === 1), 'the secret stored');
      // JWKS URLs through the worker's own message (what the options page sends), so the first fetch happens
      // during a verification, where the test holds it.
      for (const [label, url, issuer] of [
        ['app keys', `${keys.origin}/app-jwks.json`, ISS],
        ['popup keys', `${keys.origin}/popup-jwks.json`, POPUP_ISS],
      ]) {
        const answer = await options.evaluate(
          (key) =>
            (
              globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ ok: boolean }> } } }
            ).chrome.runtime.sendMessage({ type: 'keys/add', key }),
          { label, input: { kind: 'jwks-url', value: url }, issuer },
        );
        expect(answer.ok).toBe(true);
      }
      await options.close();
      expect(keys.requests).toEqual([]);
    });

    const jwksRequests = (path: string) => keys.requests.filter((r) => r.url === path).length;

    it('the panel loses no capture and no verdict when the worker stops mid-verification, with the app still busy', async () => {
      const page: Page = await driver.openPage(`${app.origin}/blank`);
      await driver.openDevtools(page);
      await page.goto(`${app.origin}/app`, { waitUntil: 'load' });
      await poll(() => page.evaluate(() => (window as unknown as { wave1Done: boolean }).wave1Done), 'wave 1 of the app');
      const panel = await driver.showPanel(page);

      // The first verification waits on the app's JWKS, held by the server: every other token queues behind it.
      await poll(async () => jwksRequests('/app-jwks.json') === 1, 'the first JWKS request');
      const before = await poll(async () => {
        const s = await rowStatuses(panel);
        return s.length > 0 ? s : undefined;
      }, 'rows of wave 1 to judge');
      expect(before.every((s) => s === 'pending')).toBe(true);
      await driver.stopWorker();
      releaseAppJwks();

      // The app keeps making requests while the worker comes back, and the worker is stopped once more.
      const wave2 = page.evaluate(
        (from, count) => (window as unknown as { wave(f: number, c: number): Promise<boolean> }).wave(from, count),
        WAVE_1,
        WAVE_2,
      );
      await poll(async () => (await tokenCount(panel)) > WAVE_1, 'a first token of wave 2');
      // Stopped again and again while wave 2 is captured and verified (and the weak-secret checks run).
      // Each next stop waits for the worker the pages woke again: stopping a stopped worker proves nothing. Once
      // wave 2 is over nothing may wake it, so its end also ends the wait.
      for (let k = 0; k < 3; k++) {
        await driver.stopWorker();
        await Promise.race([driver.workerRunningAgain(), wave2]);
      }
      await wave2;

      const total = WAVE_1 + WAVE_2;
      await poll(async () => (await tokenCount(panel)) === total, `${total} tokens counted`, 20_000).catch(async (e) => {
        throw new Error(`${(e as Error).message}: ${(await counts(panel)).text}`);
      });

      // Each token: exactly one row, with the verdict its key gives (never '…', never an 'error' of the restart).
      const unsettled = new Map(appTokens.slice(0, total).map((t, i) => [t, i]));
      const report: string[] = [];
      await poll(
        async () => {
          report.length = 0;
          for (const [token, i] of unsettled) {
            await filterFor(panel, token.slice(-24));
            const mine = (await rowVerdicts(panel)).filter(([t]) => t === token);
            const status = mine[0]?.[1];
            if (mine.length === 1 && status === EXPECTED[kindOf(i)]) unsettled.delete(token);
            else report.push(`#${i} ${kindOf(i)}: ${mine.length} row(s), ${status}`);
          }
          return unsettled.size === 0;
        },
        'every row with its verdict',
        25_000,
      ).catch((e) => {
        throw new Error(`${(e as Error).message}: ${report.join('; ')}`);
      });
      await filterFor(panel, '');
      const rows = (await rowVerdicts(panel)).map(([t]) => t);
      expect(new Set(rows).size, 'one row per token').toBe(rows.length);
      // The worker fetched the JWKS again after dying while it was held (more than twice if a later stop fell
      // between a fetch and the cache being saved).
      expect(jwksRequests('/app-jwks.json')).toBeGreaterThanOrEqual(2);

      // The weak-secret check also ran to its end for the HS256 token signed with "secret".
      await expectWeakSecretFound(panel, appTokens[5]!);

      // A weak-secret check cut short by the worker stopping is run again, not dropped: the late token's
      // secret sits near the end of the list, so its check is still running when the worker is stopped.
      const late = appTokens[LATE]!;
      await page.evaluate((from) => (window as unknown as { wave(f: number, c: number): Promise<boolean> }).wave(from, 1), LATE);
      await filterFor(panel, late.slice(-24));
      await poll(async () => (await rowVerdicts(panel)).some(([t, s]) => t === late && s === 'invalid'), 'the verdict of the late token');
      // No wait: the panel asks for the weak-secret check in the task that records the verdict, before it draws
      // it (queueWeakSecret in src/devtools/panel/panel-controller.ts), so the verdict on screen means the check
      // is asked for, and it lasts about a second (the secret is near the list's end). The checks run one at a
      // time: were an earlier HS256 token's still running, the stop would cut that one instead; the panel shows
      // no progress and the worker loads its list once per life, so nothing observable tells the two apart.
      await driver.stopWorker();
      await expectWeakSecretFound(panel, late);
      await driver.closeDevtools(page);
      await page.close();
    });

    it('the popup gets its verdict when the worker stops mid-verification, and again after', async () => {
      const popup = await driver.extensionPage('src/popup/index.html');
      const verdictFor = (token: string) =>
        poll(
          async () => {
            const parts = await popup.$eval('[data-testid=token-parts]', (el) => (el as HTMLElement).innerText).catch(() => '');
            const status = await popup.$eval('[data-testid=verification]', (el) => el.getAttribute('data-status')).catch(() => 'pending');
            return parts.includes(`.${token.split('.')[2]!.slice(0, 40)}`) && status !== 'pending' && status;
          },
          'the popup verdict',
          20_000,
        );

      await pasteInto(popup, '[data-testid=token-input]', popupToken);
      await poll(async () => jwksRequests('/popup-jwks.json') === 1, 'the popup JWKS request');
      expect(await popup.$eval('[data-testid=verification]', (el) => el.getAttribute('data-status'))).toBe('pending');
      await driver.stopWorker();
      releasePopupJwks();
      expect(await verdictFor(popupToken)).toBe('valid');
      expect(jwksRequests('/popup-jwks.json')).toBe(2);

      await driver.stopWorker();
      // Emptied first: the badge keeps the previous token's verdict until the new one's arrives.
      await pasteInto(popup, '[data-testid=token-input]', '');
      await poll(async () => (await popup.$('[data-testid=verification]')) === null, 'the previous verdict gone');
      await pasteInto(popup, '[data-testid=token-input]', popupToken2);
      expect(await verdictFor(popupToken2)).toBe('valid');
      await popup.close();
    });

    it('keeps the stored keys', async () => {
      await driver.stopWorker();
      const options = await driver.extensionPage('src/options/index.html');
      await options.waitForSelector('[data-testid=options-ready]');
      const rows = await options.$$eval('[data-testid=key-row]', (els) =>
        els.map((e) => [e.getAttribute('data-key-kind'), e.querySelector('[data-testid=key-row-label]')?.textContent]),
      );
      expect(rows.map(([kind]) => kind).sort()).toEqual(['jwks-url', 'jwks-url', 'secret']);
      expect(rows.map(([, label]) => label)).toEqual(expect.arrayContaining(['app keys', 'popup keys']));
      await options.close();
    });
  });
}
