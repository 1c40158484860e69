// The panel scenarios' driver for Firefox, over test/e2e/harness/firefox.ts. What the harness does not offer
// (the toolbox without the panel, closing it, downloads) is done here through the session's chrome realm.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchFirefox, panelRunner, type FirefoxPanel, type FirefoxSession } from '../harness/firefox';
import { poll } from '../harness/poll';
import type { DriverOptions, PanelDriver } from './panel-driver';

const DEVTOOLS = `const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');`;
const EXTENSION_OF = `const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
  const extension = ExtensionParent.GlobalManager.getExtension(id);
  if (!extension) throw new Error('no extension ' + id);`;
const TAB_OF = `const tabs = gBrowser.tabs.filter((t) => t.linkedBrowser.currentURI.spec === pageUrl);
  if (tabs.length !== 1) throw new Error(tabs.length + ' tabs show ' + pageUrl + ' (need exactly one)');
  const tab = tabs[0];`;

export async function firefoxDriver(options: DriverOptions = {}): Promise<PanelDriver> {
  const session: FirefoxSession = await launchFirefox(options.language ? { language: options.language } : {});
  const downloads = mkdtempSync(join(tmpdir(), 'jwti-downloads-'));
  // Saves downloads to our folder without asking: the headless browser cannot answer a dialog.
  await session.chromeEval(
    `(dir) => {
      Services.prefs.setIntPref('browser.download.folderList', 2);
      Services.prefs.setStringPref('browser.download.dir', dir);
      Services.prefs.setBoolPref('browser.download.useDownloadDir', true);
      Services.prefs.setBoolPref('browser.download.always_ask_before_handling_new_types', false);
      Services.prefs.setBoolPref('browser.download.alwaysOpenPanel', false);
      return true;
    }`,
    downloads,
  );

  async function finishedDownloads(): Promise<string[]> {
    return session.chromeEval<string[]>(`async () => {
      const { Downloads } = ChromeUtils.importESModule('resource://gre/modules/Downloads.sys.mjs');
      const list = await Downloads.getList(Downloads.ALL);
      return (await list.getAll()).filter((d) => d.succeeded).map((d) => d.target.path);
    }`);
  }

  return {
    browserName: 'firefox',
    panelUrl: `${session.extensionOrigin}/src/devtools/panel.html`,
    async openPage(url) {
      const page = await session.browser.newPage();
      await page.goto(url, { waitUntil: 'load' });
      return page;
    },
    async openDevtools(page) {
      await session.chromeEval(
        `async (pageUrl) => { ${DEVTOOLS} ${TAB_OF}
          if (!gDevTools.getToolboxForTab(tab)) await gDevTools.showToolboxForTab(tab, { toolId: 'webconsole' });
          return true; }`,
        page.url(),
      );
    },
    async showPanel(page) {
      const panel: FirefoxPanel = await session.openExtensionPanel(page);
      // The toolbox names the panels that extensions add this way; any other tool would be the wrong one.
      if (!/^webext-devtools-panel-/.test(panel.toolId)) throw new Error(`the toolbox selected ${panel.toolId}, not an extension panel`);
      const handle = panelRunner(panel);
      await poll(
        () => handle.run((doc) => !!doc.querySelector('[data-testid=panel-ready]')),
        'the panel to render [data-testid=panel-ready]',
        30_000,
      );
      return handle;
    },
    async closeDevtools(page) {
      await session.chromeEval(
        `async (pageUrl) => { ${DEVTOOLS} ${TAB_OF}
          await gDevTools.closeToolboxForTab(tab);
          return !gDevTools.getToolboxForTab(tab); }`,
        page.url(),
      );
    },
    extensionPage: (path) => session.extensionPage(path),
    async exportThroughPanel(panel) {
      const before = new Set(await finishedDownloads());
      const clicked = await panel.run((doc) => {
        const button = doc.querySelector('[data-testid=export]') as HTMLElement | null;
        button?.click();
        return !!button;
      });
      if (!clicked) throw new Error('the panel has no Export button');
      const path = await poll(async () => (await finishedDownloads()).find((p) => !before.has(p)), 'the exported file to be downloaded');
      return readFileSync(path, 'utf8');
    },
    async importThroughPanel(panel, text) {
      // The file dialog cannot be answered headless and the panel has no BiDi context for puppeteer's
      // uploadFile: the file goes into the input the way a drop does (DataTransfer), then the change event.
      const ok = await panel.run((doc, t) => {
        const win = doc.defaultView as typeof window;
        const input = doc.querySelector('input[type=file]') as HTMLInputElement | null;
        if (!input) return false;
        const transfer = new win.DataTransfer();
        transfer.items.add(new win.File([t], 'capture.json', { type: 'application/json' }));
        input.files = transfer.files;
        input.dispatchEvent(new win.Event('change', { bubbles: true }));
        return true;
      }, text);
      if (!ok) throw new Error('the panel has no file input');
    },
    // What Firefox does to an event page after a while without events (extensions.background.idle.timeout),
    // and about:debugging's "Terminate background script": Extension.terminateBackground in the parent process.
    async stopWorker() {
      const state = await session.chromeEval<string>(
        `async (id) => { ${EXTENSION_OF}
          await extension.terminateBackground({ disableResetIdleForTest: true });
          return String(extension.backgroundState); }`,
        session.extensionId,
      );
      if (state !== 'stopped') throw new Error(`The event page did not stop: ${state}`);
    },
    async workerRunningAgain() {
      await poll(
        () =>
          session.chromeEval<boolean>(
            `(id) => { ${EXTENSION_OF} return String(extension.backgroundState) === 'running'; }`,
            session.extensionId,
          ),
        'the event page running again',
        10_000,
      );
    },
    async close() {
      await session.close();
      rmSync(downloads, { recursive: true, force: true });
    },
  };
}
