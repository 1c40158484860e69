// Firefox: the JWT panel opens on a long DevTools log while the page keeps sending tokens, and lists every one.
// Firefox's getHAR() loses the requests started while it builds its answer (gethar-loses-requests.test.ts):
// a panel that read the log on opening lost the page's requests of that second, about a second per 1,000
// entries. The panel reads the devtools page's network journal instead (src/devtools/network-journal.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { poll } from '../harness/poll';
import { startCaptureApp, type CaptureApp } from '../apps/capture-app';
import { firefoxDriver } from '../scenarios/firefox-driver';
import { counts, hasRow, type PanelDriver } from '../scenarios/panel-driver';

/** Requests in DevTools' log before the panel opens: a call to read it takes over a second here. */
const LOG_SIZE = 1500;
/** Tokens the page sends after the panel is ready, so the burst spans the whole opening. */
const AFTER_READY = 15;

interface Burst {
  sent: number;
  stop: boolean;
  done: boolean;
}

describe.runIf(browserAvailable('firefox'))('Firefox: the JWT panel opening on a long DevTools log', () => {
  let app: CaptureApp;
  let driver: PanelDriver;

  beforeAll(async () => {
    [app, driver] = await Promise.all([startCaptureApp(), firefoxDriver()]);
  });
  afterAll(async () => {
    await driver?.close();
    await app?.close();
  });

  it('lists every token the page sent while the panel opened', { timeout: 180_000 }, async () => {
    const page = await driver.openPage(app.pageUrl(`opening=${Date.now()}`));
    await driver.openDevtools(page);
    await page.evaluate(async (n) => {
      for (let i = 0; i < n; i += 50)
        await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, j) => fetch(`/echo?fill=${i + j}`)));
    }, LOG_SIZE);
    const exp = Math.floor(Date.now() / 1000) + 600;
    const tokens = await Promise.all(Array.from({ length: 400 }, (_, i) => app.mint({ sub: `opening-${i}`, exp })));
    // One request with its own token every 50 ms, from before the panel exists until the test says stop.
    await page.evaluate((list) => {
      const burst: Burst = { sent: 0, stop: false, done: false };
      (window as unknown as { burst: Burst }).burst = burst;
      void (async () => {
        for (const token of list) {
          if (burst.stop) break;
          await fetch('/echo', { headers: { Authorization: `Bearer ${token}` } });
          burst.sent++;
          await new Promise((ok) => setTimeout(ok, 50));
        }
        burst.done = true;
      })();
    }, tokens);
    const sentSoFar = () => page.evaluate(() => (window as unknown as { burst: Burst }).burst.sent);
    await poll(async () => (await sentSoFar()) >= 5, 'the burst under way');
    const panel = await driver.showPanel(page);
    const atReady = await sentSoFar();
    await poll(
      async () => (await sentSoFar()) >= atReady + AFTER_READY,
      `${AFTER_READY} more tokens sent after the panel was ready`,
      60_000,
    );
    await page.evaluate(() => {
      (window as unknown as { burst: Burst }).burst.stop = true;
    });
    // The request in flight when the loop was told to stop still counts.
    await poll(() => page.evaluate(() => (window as unknown as { burst: Burst }).burst.done), 'the burst stopped');
    const sent = await sentSoFar();
    expect(sent, 'the burst spans the opening').toBeLessThan(tokens.length);

    await poll(async () => (await counts(panel)).tokens >= sent, `${sent} token rows`, 30_000).catch(() => undefined);
    const missing: number[] = [];
    for (let i = 0; i < sent; i++) if (!(await hasRow(panel, tokens[i]!))) missing.push(i);
    expect(missing, `of ${sent} tokens sent (${atReady} before the panel was ready), these have no row`).toEqual([]);
  });
});
