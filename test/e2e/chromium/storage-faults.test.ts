// Storage faults against Chromium's real storage.local: malformed stored data is listed on the options page,
// which keeps working; a full quota (10 MB in MV3 without unlimitedStorage) gives a clear error when a key is
// added, and nothing half-saved. The unit half is test/background/storage-faults.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { pasteInto, textOf } from '../harness/page-input';
import { poll } from '../harness/poll';

const STATE_KEY = 'jwti:state';
const FILLER_KEY = 'e2e:filler';

describe.runIf(browserAvailable('chromium'))('storage faults in Chromium', () => {
  let session: ChromiumSession;

  beforeAll(async () => {
    session = await launchChromium();
  });
  afterAll(async () => {
    await session?.close();
  });

  /** Runs `code` (an expression, as text so the test runner leaves it alone) in the extension's worker. */
  async function inWorker<T>(code: string): Promise<T> {
    const prefix = `chrome-extension://${session.extensionId}/`;
    if (!session.browser.targets().some((t) => t.type() === 'service_worker' && t.url().startsWith(prefix))) {
      // An idle MV3 worker stops; a message from an extension page (the options page asks on load) wakes it.
      const page = await openOptions();
      await page.close();
    }
    const worker = await session.worker();
    // Right after launch the worker's target can be attached before its extension APIs are bound.
    await poll(
      async () => (await worker.evaluate('typeof chrome === "object" && !!chrome.storage')) === true,
      "the worker's chrome.storage",
    );
    return (await worker.evaluate(code)) as T;
  }

  const keyRows = (page: Page) => page.$$eval('[data-testid=key-row]', (rows) => rows.length);

  async function openOptions(): Promise<Page> {
    const page = await session.extensionPage('src/options/index.html');
    await page.waitForSelector('[data-testid=options-ready]', { timeout: 15_000 });
    return page;
  }

  async function addSecret(page: Page, value: string): Promise<void> {
    await pasteInto(page, '[data-testid=key-value]', value);
    await page.select('[data-testid=key-kind]', 'secret');
    await page.click('[data-testid=key-add]');
  }

  it('lists malformed stored data on the options page, keeps the good key, and still adds keys', async () => {
    await inWorker(`chrome.storage.local.set({ ${JSON.stringify(STATE_KEY)}: {
      version: 1,
      settings: { keepSecrets: 'yes' },
      keys: [
        { id: 'good', label: 'survivor', input: { kind: 'secret', value: 'kept-secret', encoding: 'utf8' }, addedAt: 1 },
        { id: 'bad', label: 'evil', input: { kind: 'script', value: 'alert(1)' } },
        'junk',
      ],
    } })`);
    // The worker reads the store on its first request (none was made yet), as after a browser restart.

    const page = await openOptions();
    const problems = await textOf(page, '[data-testid=store-problems]');
    expect(problems).toMatch(/settings were malformed and were reset/i);
    expect(problems).toMatch(/A stored key \(evil\) was malformed and was dropped/);
    expect(problems).toMatch(/A stored key \(unnamed\) was malformed and was dropped/);
    expect(await keyRows(page)).toBe(1);
    expect(await textOf(page, '[data-testid=key-row-label]')).toBe('survivor');

    await addSecret(page, 'added-after-the-fault');
    await poll(async () => (await keyRows(page)) === 2, 'the added key row');
    expect(await textOf(page, '[data-testid=options-message]')).toBe('Added.');

    // The save wrote the current format, well-formed.
    const stored = await inWorker<{ version: number; settings: { keepSecrets: boolean }; keys: { id: string }[] }>(
      `chrome.storage.local.get(${JSON.stringify(STATE_KEY)}).then((r) => r[${JSON.stringify(STATE_KEY)}])`,
    );
    expect(stored.version).toBe(1);
    expect(stored.settings).toEqual({ keepSecrets: true });
    expect(stored.keys.map((k) => k.id)[0]).toBe('good');
    expect(stored.keys).toHaveLength(2);
    await page.close();
  });

  it('with storage.local full, adding a key says so clearly and saves nothing; after freeing room it works', async () => {
    // Fill storage.local to within a few bytes of its quota, from the worker.
    const filled = await inWorker<{ quota: number; inUse: number }>(`(async () => {
      const area = chrome.storage.local;
      const quota = area.QUOTA_BYTES;
      const inUse = await area.getBytesInUse(null);
      // Chrome counts a key's length plus its value's JSON; leave 16 bytes, less than any key needs.
      const room = quota - inUse - ${JSON.stringify(FILLER_KEY)}.length - 2 - 16;
      await area.set({ ${JSON.stringify(FILLER_KEY)}: 'x'.repeat(room) });
      return { quota, inUse: await area.getBytesInUse(null) };
    })()`);
    expect(filled.quota).toBe(10 * 1024 * 1024);
    expect(filled.quota - filled.inUse).toBeLessThan(64);

    const page = await openOptions();
    const rowsBefore = await keyRows(page);
    const storedBefore = await inWorker<string>(`chrome.storage.local.get(${JSON.stringify(STATE_KEY)}).then((r) => JSON.stringify(r))`);

    await addSecret(page, 'does-not-fit');
    await poll(async () => (await page.$('[data-testid=options-message].error')) !== null, 'an error message');
    const message = await textOf(page, '[data-testid=options-message]');
    // Chromium's own words, passed through: "QUOTA_BYTES quota exceeded" in its docs and older builds,
    // "Resource::kQuotaBytes quota exceeded" in Chromium 156.
    expect(message).toMatch(/(?:QUOTA_BYTES|kQuotaBytes) quota exceeded/);
    expect(message).toMatch(/storage for this extension is full/);
    expect(message).toMatch(/not saved/);
    expect(await keyRows(page)).toBe(rowsBefore);
    // The value typed stays in the box, so nothing the user typed is lost.
    expect(await page.$eval('[data-testid=key-value]', (el) => (el as HTMLTextAreaElement).value)).toBe('does-not-fit');

    // Nothing corrupt: the stored state is byte for byte what it was, and a reload shows the same keys.
    expect(await inWorker<string>(`chrome.storage.local.get(${JSON.stringify(STATE_KEY)}).then((r) => JSON.stringify(r))`)).toBe(
      storedBefore,
    );
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('[data-testid=options-ready]');
    expect(await keyRows(page)).toBe(rowsBefore);

    // Room again: the same key goes in.
    await inWorker(`chrome.storage.local.remove(${JSON.stringify(FILLER_KEY)})`);
    await addSecret(page, 'fits-now');
    await poll(async () => (await keyRows(page)) === rowsBefore + 1, 'the added key row');
    expect(await textOf(page, '[data-testid=options-message]')).toBe('Added.');
    await page.close();
  });
});
