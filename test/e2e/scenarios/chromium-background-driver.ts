// Background capture's driver for Chromium, over test/e2e/harness/chromium.ts and devtools-panel.ts. It loads
// the host-granted copy of dist/chrome (harness/host-granted-build.ts): a headless Chromium cannot answer the
// host-access prompt of "Watch this site", so access to 127.0.0.1 and localhost is granted at install and the
// click's permissions.request() answers true at once. Which sites are captured is then the watched list's say
// alone: the unwatched site (on localhost) is reachable by the listeners and still leaves no trace.
import type { Page, Target } from 'puppeteer-core';
import { launchChromium } from '../harness/chromium';
import { frameRunner, showExtensionPanel } from '../harness/devtools-panel';
import { hostGrantedChromeBuild } from '../harness/host-granted-build';
import { poll } from '../harness/poll';
import type { BackgroundDriver, PopupHandle } from './background-driver';

export async function chromiumBackgroundDriver(): Promise<BackgroundDriver> {
  const build = hostGrantedChromeBuild(['http://127.0.0.1/*', 'http://localhost/*']);
  const session = await launchChromium({ dist: build.dir });
  const popupUrl = `chrome-extension://${session.extensionId}/src/popup/index.html`;
  const seenPopups = new Set<Target>();

  return {
    accessGrantedAtInstall: true,
    browserName: 'chromium',
    async openPage(url) {
      const page = await session.browser.newPage();
      await page.goto(url, { waitUntil: 'load' });
      return page;
    },
    async popupFor(page): Promise<PopupHandle> {
      await page.bringToFront();
      const extension = (await session.browser.extensions()).get(session.extensionId);
      if (!extension) throw new Error('the extension is not loaded');
      // The same as clicking the toolbar icon: the popup opens for this tab, with activeTab for it.
      await page.triggerExtensionAction(extension);
      const target = await poll(
        async () => session.browser.targets().find((t) => t.url().startsWith(popupUrl) && !seenPopups.has(t)),
        'the popup',
      );
      seenPopups.add(target);
      const popup = (await target.asPage())!;
      await popup.waitForSelector('[data-testid=token-input]');
      return {
        run: (fn, arg) => popup.evaluate(`(${fn.toString()})(document, ${JSON.stringify(arg ?? null)})`) as never,
        click: (selector) => popup.click(selector),
        close: () => popup.close().catch(() => {}),
      };
    },
    extensionPage: (path) => session.extensionPage(path),
    async stopWorker() {
      await session.stopWorker();
      return true;
    },
    async showPanel(page: Page) {
      const devtools = await page.openDevTools();
      return frameRunner(await showExtensionPanel(devtools, session.extensionId));
    },
    async close() {
      await session.close();
      build.remove();
    },
  };
}
