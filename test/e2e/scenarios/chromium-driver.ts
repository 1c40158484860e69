// The panel scenarios' driver for Chromium, over test/e2e/harness/chromium.ts and devtools-panel.ts.
import type { CDPSession, Frame, Page } from 'puppeteer-core';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { devtoolsFor, frameRunner, screenshotPanel, showExtensionPanel, undockDevtools } from '../harness/devtools-panel';
import { poll } from '../harness/poll';
import type { DriverOptions, PanelDriver, PanelHandle } from './panel-driver';

interface ChromiumPanel extends PanelHandle {
  frame: Frame;
  devtools: Page;
}

/** A drawn panel's picture measured 98 KB to 158 KB; an undrawn frame compresses to about 4 KB. */
const BLANK_PICTURE_BYTES = 20_000;

export async function chromiumDriver(options: DriverOptions = {}): Promise<PanelDriver> {
  // DevTools opens with every tab (--auto-open-devtools-for-tabs); reopening after a close goes through CDP.
  const session: ChromiumSession = await launchChromium({ devtools: true, ...(options.language ? { language: options.language } : {}) });
  const devtoolsOf = new WeakMap<Page, Page>();
  // Tabs whose DevTools the driver closed: only CDP's Target.openDevTools opens it again.
  const closed = new WeakSet<Page>();
  const downloads = mkdtempSync(join(tmpdir(), 'jwti-downloads-'));
  const scratch = mkdtempSync(join(tmpdir(), 'jwti-import-'));
  const browserCdp = await session.browser.target().createCDPSession();
  await browserCdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });

  async function openDevtools(page: Page): Promise<void> {
    if (devtoolsOf.get(page) && !devtoolsOf.get(page)!.isClosed()) return;
    const devtools = closed.has(page) ? await page.openDevTools() : await devtoolsFor(session.browser, page.url());
    closed.delete(page);
    devtoolsOf.set(page, devtools);
  }

  // The worker's running status as the ServiceWorker domain reports it (running, stopping, stopped, starting).
  let workerWatch: CDPSession | undefined;
  const workerStatus = new Map<string, string>();
  let stopsSeen = 0;
  async function watchWorker(): Promise<CDPSession> {
    if (workerWatch) return workerWatch;
    const page = await session.browser.newPage();
    const cdp = await page.createCDPSession();
    cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
      for (const v of e.versions) {
        if (!v.scriptURL.startsWith(`chrome-extension://${session.extensionId}/`)) continue;
        if (v.runningStatus === 'stopped' && workerStatus.get(v.versionId) !== 'stopped') stopsSeen++;
        workerStatus.set(v.versionId, v.runningStatus);
      }
    });
    await cdp.send('ServiceWorker.enable');
    workerWatch = cdp;
    return cdp;
  }

  return {
    browserName: 'chromium',
    panelUrl: `chrome-extension://${session.extensionId}/src/devtools/panel.html`,
    async openPage(url) {
      const page = await session.browser.newPage();
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(url, { waitUntil: 'load' });
      return page;
    },
    openDevtools,
    async showPanel(page) {
      await openDevtools(page);
      const devtools = devtoolsOf.get(page)!;
      const frame = await showExtensionPanel(devtools, session.extensionId);
      const panel: ChromiumPanel = { frame, devtools, ...frameRunner(frame) };
      return panel;
    },
    async closeDevtools(page) {
      const devtools = devtoolsOf.get(page);
      if (!devtools) throw new Error('DevTools was not opened on this page by the driver');
      devtoolsOf.delete(page);
      closed.add(page);
      await devtools.close();
    },
    async extensionPage(path) {
      return session.extensionPage(path);
    },
    async exportThroughPanel(panel) {
      const before = new Set(readdirSync(downloads));
      await (panel as ChromiumPanel).frame.click('[data-testid=export]');
      const file = await poll(
        async () => readdirSync(downloads).find((f) => !before.has(f) && f.endsWith('.json')),
        'the exported file in the download folder',
      );
      return readFileSync(join(downloads, file), 'utf8');
    },
    async importThroughPanel(panel, text) {
      const path = join(scratch, `import-${Date.now()}.json`);
      writeFileSync(path, text);
      const input = await (panel as ChromiumPanel).frame.$('input[type=file]');
      if (!input) throw new Error('the panel has no file input');
      // CDP's DOM.setFileInputFiles: what the file dialog does, with the same input and change events.
      await (input as import('puppeteer-core').ElementHandle<HTMLInputElement>).uploadFile(path);
    },
    // CDP's ServiceWorker.stopAllWorkers, as the browser does when the worker idles. A worker caught while
    // starting can outlive one stop, so the stop is repeated until it takes.
    async stopWorker() {
      const cdp = await watchWorker();
      const deadline = Date.now() + 10_000;
      for (;;) {
        const before = stopsSeen;
        await cdp.send('ServiceWorker.stopAllWorkers');
        for (const until = Date.now() + 1000; Date.now() < until; ) {
          // Stopped means seen stopping, or a known worker already stopped: an empty status map proves nothing.
          if (stopsSeen > before || (workerStatus.size > 0 && [...workerStatus.values()].every((s) => s === 'stopped'))) return;
          await new Promise((r) => setTimeout(r, 25));
        }
        if (Date.now() > deadline) throw new Error(`The service worker did not stop: ${JSON.stringify([...workerStatus.values()])}`);
      }
    },
    async addScript(panel, source) {
      // CDP's Runtime.evaluate is not page script: the extension page's CSP does not apply to it.
      await (panel as ChromiumPanel).frame.evaluate(source);
    },
    async resizeDevtools(panel, width, height) {
      await undockDevtools((panel as ChromiumPanel).devtools);
      await (panel as ChromiumPanel).devtools.setViewport({ width, height });
    },
    async screenshot(panel, path) {
      const { devtools, frame } = panel as ChromiumPanel;
      // After an undock or a resize, wait for the window and the panel to draw two frames: Chromium 150
      // otherwise returns the window's blank first frame.
      const twoFrames = '(new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))';
      // On a busy machine the undocked window can still hand over a blank frame after that (a fresh-clone CI
      // run got 4 KB pictures, against 100 KB and more drawn): a picture that small is taken again.
      for (let attempt = 1; ; attempt++) {
        await devtools.evaluate(twoFrames);
        await frame.evaluate(twoFrames);
        await screenshotPanel(devtools, frame, path);
        if (statSync(path).size > BLANK_PICTURE_BYTES || attempt === 5) return;
        await new Promise((ok) => setTimeout(ok, 500));
      }
    },
    async workerRunningAgain() {
      await watchWorker();
      await poll(async () => [...workerStatus.values()].includes('running'), 'the worker running again', 10_000);
    },
    async close() {
      await browserCdp.detach().catch(() => {});
      await session.close();
      rmSync(downloads, { recursive: true, force: true });
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
