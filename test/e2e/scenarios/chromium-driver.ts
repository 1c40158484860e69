// The panel scenarios' driver for Chromium, over test/e2e/harness/chromium.ts and devtools-panel.ts.
import type { Frame, Page } from 'puppeteer-core';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { devtoolsFor, frameRunner, showExtensionPanel } from '../harness/devtools-panel';
import { poll } from '../harness/poll';
import type { PanelDriver, PanelHandle } from './panel-driver';

interface ChromiumPanel extends PanelHandle {
  frame: Frame;
}

export async function chromiumDriver(): Promise<PanelDriver> {
  // DevTools opens with every tab (--auto-open-devtools-for-tabs); reopening after a close goes through CDP.
  const session: ChromiumSession = await launchChromium({ devtools: true });
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
      const frame = await showExtensionPanel(devtoolsOf.get(page)!, session.extensionId);
      const panel: ChromiumPanel = { frame, ...frameRunner(frame) };
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
    async close() {
      await browserCdp.detach().catch(() => {});
      await session.close();
      rmSync(downloads, { recursive: true, force: true });
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
