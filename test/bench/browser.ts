// The measures that need Chromium: the built panel page opened as a plain extension tab, where it has no
// inspected page and takes HAR entries from its feed event (src/devtools/panel.tsx). The event exists only in
// the bench's build, dist/chrome-bench (`vite build --mode chrome-bench`, which `npm run bench` runs). The panel
// runs as it does in DevTools otherwise: the same controller, store, view and worker (every new token is
// verified by the real service worker).
import type { CDPSession, Page } from 'puppeteer-core';
import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import { launchChromium, type ChromiumSession } from '../e2e/harness/chromium';
import { requireBuild, ROOT } from '../e2e/harness/paths';
import { poll } from '../e2e/harness/poll';
import type { HarEntry } from '../../src/capture/har-types';
import type { NetworkRequest } from '../../src/devtools/panel/devtools-api';
import { b64url, harEntries, tokenPerEntry, type Kind } from './data';
import { ingestPipeline } from './node-measures';
import { median } from './measure';
import type { Row } from './report';

/** The panel's feed event (src/devtools/panel.tsx; not imported: that module renders on load). */
const FEED_EVENT = 'jwt-inspector:feed-requests';
/** Every token kind but HS*: in the browser each HS* token starts a weak-secret check (about a second of worker time). */
const NO_HMAC: readonly Kind[] = ['RS256', 'RS512', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA', 'none', 'JWE'];
const MB = 1024 * 1024;
const debug = process.env.BENCH_DEBUG
  ? (...a: unknown[]) => console.error(`[bench ${(performance.now() / 1000).toFixed(1)}s]`, ...a)
  : () => {};

export interface BrowserResults {
  rows: Row[];
  /** Info lines printed under the table. */
  notes: string[];
}

async function openPanel(session: ChromiumSession): Promise<Page> {
  const page = await session.browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  // tsx (esbuild) wraps named functions in __name(); the functions handed to evaluate run in the page.
  await page.evaluateOnNewDocument('globalThis.__name = globalThis.__name || ((f) => f);');
  await page.goto(`chrome-extension://${session.extensionId}/src/devtools/panel.html`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=panel-ready]', { timeout: 30_000 });
  return page;
}

/**
 * Feeds entries as one burst of finished requests and returns the milliseconds until the counts say
 * `tokens` and the first row is in the DOM. The JSON is parsed in the page before the clock starts.
 */
async function feed(page: Page, entries: readonly HarEntry[], tokens: number): Promise<number> {
  return page.evaluate(
    (json: string, event: string, expected: number) => {
      const parsed = JSON.parse(json) as unknown[];
      return new Promise<number>((resolve) => {
        requestAnimationFrame(() => {
          const t0 = performance.now();
          window.dispatchEvent(new CustomEvent(event, { detail: parsed }));
          const check = () => {
            const counts = document.querySelector('[data-testid=counts]')?.textContent ?? '';
            if (counts.startsWith(`${expected} token(s)`) && document.querySelector('[data-testid=token-row]'))
              resolve(performance.now() - t0);
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        });
      });
    },
    JSON.stringify(entries),
    FEED_EVENT,
    tokens,
  );
}

/** Waits until the worker has answered for every token: the list is verified in order, so the last row last. */
async function waitVerified(page: Page, rows: number, timeoutMs = 120_000): Promise<void> {
  await poll(
    () =>
      page.evaluate(async (last: number) => {
        const list = document.querySelector('[data-testid=token-list]') as HTMLElement;
        list.scrollTop = list.scrollHeight;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const status = document.getElementById(`row-${last}`)?.querySelector('[data-status]')?.getAttribute('data-status');
        const done = status !== undefined && status !== null && status !== 'pending';
        if (done) {
          list.scrollTop = 0;
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        }
        return done;
      }, rows - 1),
    `verification of ${rows} tokens`,
    timeoutMs,
  );
}

/**
 * One measured update: at the start of a frame, `count` requests carrying new tokens older than every token
 * shown arrive (so they sort to the top of the list); the time until the first of them is a row in the DOM.
 */
async function timedUpdate(page: Page, entries: readonly HarEntry[], firstToken: string): Promise<number> {
  return page.evaluate(
    (json: string, event: string, token: string) => {
      const parsed = JSON.parse(json) as unknown[];
      const selector = `[data-testid=token-row][data-token="${token}"]`;
      return new Promise<number>((resolve) => {
        requestAnimationFrame(() => {
          const observer = new MutationObserver(() => {
            if (document.querySelector(selector)) {
              observer.disconnect();
              resolve(performance.now() - t0);
            }
          });
          observer.observe(document.body, { childList: true, subtree: true, attributes: true });
          const t0 = performance.now();
          window.dispatchEvent(new CustomEvent(event, { detail: parsed }));
        });
      });
    },
    JSON.stringify(entries),
    FEED_EVENT,
    firstToken,
  );
}

function authToken(e: HarEntry): string {
  return e.request.headers.find((h) => h.name === 'authorization')!.value.slice('Bearer '.length);
}

/** Frames to let the panel settle (verification of a few new tokens, the timers). */
async function settle(page: Page, ms = 300): Promise<void> {
  await page.evaluate((wait: number) => new Promise((r) => setTimeout(() => requestAnimationFrame(() => r(undefined)), wait)), ms);
}

/** A panel holding n tokens, verified; with the time of that first fill (info). */
async function filledPanel(session: ChromiumSession, n: number): Promise<{ page: Page; firstFill: number }> {
  const page = await openPanel(session);
  const firstFill = await feed(page, tokenPerEntry(n, 100 + n, 1_000_000), n);
  debug(`${n} tokens shown in ${firstFill.toFixed(0)} ms`);
  await waitVerified(page, n);
  debug(`${n} tokens verified`);
  return { page, firstFill };
}

/** One keystroke in the filter box, at the start of a frame: the input event to the rows changing in the DOM. */
async function keystroke(page: Page, value: string): Promise<number> {
  const ms = await page.evaluate(
    (v: string) =>
      new Promise<number>((resolve) => {
        const input = document.querySelector('[data-testid=filter]') as HTMLInputElement;
        const list = document.querySelector('[data-testid=token-list]') as HTMLElement;
        requestAnimationFrame(() => {
          const observer = new MutationObserver(() => {
            observer.disconnect();
            resolve(performance.now() - t0);
          });
          observer.observe(list, { childList: true, subtree: true, attributes: true, characterData: true });
          const t0 = performance.now();
          input.value = v;
          input.dispatchEvent(new Event('input', { bubbles: true }));
        });
      }),
    value,
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  return ms;
}

/**
 * Runs `measure` on two pages in alternating rounds (the page in front gets animation frames; the other waits
 * in the background), so that a slow spell of a shared machine hits both sides: the medians of each, and
 * the median of the per-round ratios.
 */
async function interleaved(
  a: Page,
  b: Page,
  rounds: number,
  measure: (page: Page, round: number) => Promise<number>,
): Promise<{ a: number; b: number; ratio: number }> {
  const ta: number[] = [];
  const tb: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const order: [Page, number[]][] =
      r % 2 === 0
        ? [
            [a, ta],
            [b, tb],
          ]
        : [
            [b, tb],
            [a, ta],
          ];
    for (const [page, times] of order) {
      await page.bringToFront();
      await settle(page);
      times.push(await measure(page, r));
    }
    ratios.push(ta[r]! / tb[r]!);
  }
  return { a: median(ta), b: median(tb), ratio: median(ratios) };
}

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.enable');
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

/**
 * The weak-secrets list is fetched by the worker on the first check, not before: in a freshly started worker,
 * with fetch counted, a verification fetches nothing, the first weak-secret check fetches the list once (so
 * nothing had loaded it before: the service keeps it once loaded), a second check fetches nothing.
 */
async function secretsFetchedLazily(session: ChromiumSession, page: Page): Promise<{ ok: boolean; why: string }> {
  await session.stopWorker();
  const ask = (message: unknown) =>
    page.evaluate(
      (m: unknown) =>
        (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage(m),
      message,
    );
  await ask({ type: 'ping' });
  const worker = await session.worker();
  // Code as text: it runs in the worker, untouched by the bench's TypeScript transform.
  await worker.evaluate(
    `globalThis.__benchFetches = []; { const original = globalThis.fetch; globalThis.fetch = function (input, init) { globalThis.__benchFetches.push(String(input && input.url ? input.url : input)); return original.call(this, input, init); }; }`,
  );
  const listFetches = async () =>
    ((await worker.evaluate('globalThis.__benchFetches')) as string[]).filter((u) => u.includes('jwt.secrets')).length;
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ sub: 'bench' }));
  const token = `${header}.${payload}.${createHmac('sha256', 'not-a-listed-secret-7f3a9c').update(`${header}.${payload}`).digest('base64url')}`;
  await ask({ type: 'verify', token });
  const afterVerify = await listFetches();
  const first = await ask({ type: 'weak-secret/check', token });
  const afterFirst = await listFetches();
  await ask({ type: 'weak-secret/check', token });
  const afterSecond = await listFetches();
  const ok = afterVerify === 0 && afterFirst === 1 && afterSecond === 1;
  return {
    ok,
    why: `fresh worker: list fetched ${afterVerify}× after a verification, ${afterFirst}× after the first weak-secret check, ${afterSecond}× after the second (${JSON.stringify(first).slice(0, 70)})`,
  };
}

/** The Chrome build with the feed hook; the store builds have none (test/meta/worker-surface.test.ts). */
const DIST_CHROME_BENCH = resolve(ROOT, 'dist/chrome-bench');

export async function browserMeasures(): Promise<BrowserResults> {
  const session = await launchChromium({ dist: requireBuild(DIST_CHROME_BENCH) });
  const notes: string[] = [];
  try {
    // Filter: a panel of 10,000 rows against one of 1,000, keystrokes alternating between the two panels
    // (and between two terms that select different rows), after an untimed first keystroke on each.
    const big = await filledPanel(session, 10_000);
    const bigFirst = await keystroke(big.page, 'login-1');
    const thousand = await filledPanel(session, 1000);
    const smallFirst = await keystroke(thousand.page, 'login-1');
    const filter = await interleaved(big.page, thousand.page, 11, (page, r) => keystroke(page, r % 2 === 0 ? 'login-12' : 'login-1'));
    for (const page of [big.page, thousand.page]) {
      await page.bringToFront();
      await keystroke(page, '');
    }
    await thousand.page.close();

    // List render: the 10,000-token panel (filled and verified) against a 100-token one, updates alternating.
    const hundred = await filledPanel(session, 100);
    const render = await interleaved(big.page, hundred.page, 9, (page, r) => {
      // Each batch starts earlier than the one before: it takes the top of the list.
      const batch = tokenPerEntry(20, 7000 + r, 500_000 - r * 10_000);
      return timedUpdate(page, batch, authToken(batch[0]!));
    });
    await big.page.close();
    await hundred.page.close();

    // Memory: a fresh panel after 10,000 HAR entries (half carrying tokens), after GC.
    const memPage = await openPanel(session);
    const memCdp = await memPage.createCDPSession();
    const empty = await heapAfterGc(memCdp);
    const mixed = harEntries(10_000, 0.5, 7, NO_HMAC);
    // What the panel will count: the same pipeline, in Node.
    const distinct = ingestPipeline(mixed as NetworkRequest[]);
    await feed(memPage, mixed, distinct);
    await waitVerified(memPage, distinct);
    const heap = await heapAfterGc(memCdp);
    const lazy = await secretsFetchedLazily(session, memPage);
    await memPage.close();

    const renderRatio = render.ratio;
    const filterRatio = filter.ratio;
    notes.push(
      `list first fill (info): 10,000 tokens in ${big.firstFill.toFixed(0)} ms, 100 in ${hundred.firstFill.toFixed(0)} ms`,
      `filter first keystroke (info, computes every row's summary): 10,000 rows ${bigFirst.toFixed(1)} ms, 1,000 rows ${smallFirst.toFixed(1)} ms`,
      `secrets list: ${lazy.why}`,
    );
    return {
      notes,
      rows: [
        {
          measure: 'list render',
          what: '20 new tokens to rows in the DOM, panel holding 10,000',
          ours: `${render.a.toFixed(1)} ms`,
          baseline: `${render.b.toFixed(1)} ms (holding 100)`,
          ratio: renderRatio,
          budget: 2,
          pass: renderRatio <= 2,
        },
        {
          measure: 'filter',
          what: 'one keystroke, 10,000 rows',
          ours: `${filter.a.toFixed(1)} ms`,
          baseline: `${filter.b.toFixed(1)} ms (1,000 rows)`,
          ratio: filterRatio,
          budget: 3,
          pass: filterRatio <= 3,
        },
        {
          measure: 'memory',
          what: `panel JS heap after 10,000 HAR entries (${distinct} tokens)`,
          ours: `${(heap / MB).toFixed(1)} MB`,
          baseline: `${(empty / MB).toFixed(1)} MB (empty panel)`,
          budget: '≤ 60 MB',
          pass: heap <= 60 * MB,
        },
        {
          measure: 'bundle',
          what: 'secrets list fetched lazily (worker, at run time)',
          ours: lazy.ok ? 'lazy' : 'NOT lazy',
          baseline: '—',
          budget: 'first check only',
          pass: lazy.ok,
        },
      ],
    };
  } finally {
    await session.close();
  }
}
