// Background capture's driver for Firefox, over test/e2e/harness/firefox.ts. Firefox is told to grant
// optional host access without its prompt (the harness sets extensions.webextOptionalPermissionPrompts), so
// "Watch this site" goes through the real permissions.request() path. The toolbar popup is opened and read
// from the browser's privileged window: its browser action's triggerAction() (a toolbar click), then frame scripts on the popup's
// <browser> (it has no BiDi context), with clicks made while windowUtils says user input is being handled,
// since permissions.request() must come from user input. The event page is stopped as about:debugging's
// "Terminate background script" does (extension.terminateBackground()).
import type { Page } from 'puppeteer-core';
import { launchFirefox, panelRunner } from '../harness/firefox';
import { poll } from '../harness/poll';
import type { BackgroundDriver, PopupHandle } from './background-driver';

const POPUP_OF = `const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
  const action = ExtensionParent.apiManager.global.browserActionFor(WebExtensionPolicy.getByID(geckoId).extension);`;

/** Runs `code` (which answers with `answer(value)`) as a frame script in the open popup. */
const IN_POPUP = `async (code) => {
  const b = document.querySelector('.webextension-popup-browser');
  if (!b?.messageManager) return { error: 'no popup is open' };
  const mm = b.messageManager;
  const name = 'jwti-popup-' + Math.random().toString(36).slice(2);
  const reply = new Promise((resolve) => {
    const listener = { receiveMessage(m) { mm.removeMessageListener(name, listener); resolve(m.data); } };
    mm.addMessageListener(name, listener);
  });
  const script = 'const answer = (v) => sendAsyncMessage(' + JSON.stringify(name) + ', { value: JSON.stringify(v) });' +
    ' try { ' + code + ' } catch (e) { sendAsyncMessage(' + JSON.stringify(name) + ', { error: String(e) }); }';
  mm.loadFrameScript('data:,' + encodeURIComponent(script), false);
  return await Promise.race([reply, new Promise((r) => setTimeout(() => r({ error: 'the popup did not answer' }), 1000))]);
}`;

export async function firefoxBackgroundDriver(): Promise<BackgroundDriver> {
  const session = await launchFirefox();

  async function inPopup<T>(code: string): Promise<T> {
    const answer = await session.chromeEval<{ value?: string; error?: string }>(IN_POPUP, code);
    if (answer.error !== undefined) throw new Error(answer.error);
    return (answer.value === undefined ? undefined : JSON.parse(answer.value)) as T;
  }

  return {
    accessGrantedAtInstall: false,
    browserName: 'firefox',
    async openPage(url) {
      const page = await session.browser.newPage();
      await page.goto(url, { waitUntil: 'load' });
      return page;
    },
    async popupFor(page: Page): Promise<PopupHandle> {
      await page.bringToFront();
      // What a click on the toolbar button does: activeTab for this tab, then the popup.
      await session.chromeEval(`async (geckoId) => { ${POPUP_OF} await action.triggerAction(window); return true; }`, session.extensionId);
      await poll(() => inPopup<boolean>(`answer(!!content.document.querySelector('[data-testid=token-input]'))`), 'the popup');
      return {
        run: <T, A>(fn: (doc: Document, arg: A) => T, arg?: A) =>
          inPopup<T>(`answer((${fn.toString()})(content.document, ${JSON.stringify(arg ?? null)}));`),
        async click(selector) {
          // A click inside "handling user input", as Firefox's own extension tests make one
          // (ExtensionCommon.withHandlingUserInput): what permissions.request() checks for.
          const done = await inPopup<boolean>(`
            const el = content.document.querySelector(${JSON.stringify(selector)});
            if (!el) { answer(false); } else {
              const handle = content.windowUtils.setHandlingUserInput(true);
              try { el.click(); } finally { handle.destruct(); }
              answer(true);
            }`);
          if (!done) throw new Error(`the popup has no ${selector}`);
        },
        async close() {
          // window.close() closes an extension popup, as in any browser.
          await inPopup<boolean>('answer(true); content.close();').catch(() => {});
          await poll(
            () => session.chromeEval<boolean>(`async () => !document.querySelector('.webextension-popup-browser')`),
            'the popup to close',
          );
        },
      };
    },
    extensionPage: (path) => session.extensionPage(path),
    async stopWorker() {
      return session.chromeEval<boolean>(
        `async (geckoId) => {
          const extension = WebExtensionPolicy.getByID(geckoId).extension;
          if (typeof extension.terminateBackground !== 'function') return false;
          await extension.terminateBackground({ ignoreDevToolsAttached: true });
          // Stopped, as about:debugging shows it; the next event (the popup's message) starts it again.
          return extension.backgroundState === 'stopped';
        }`,
        session.extensionId,
      );
    },
    async showPanel(page: Page) {
      const handle = panelRunner(await session.openExtensionPanel(page));
      await poll(() => handle.run((doc) => !!doc.querySelector('[data-testid=panel-ready]')), 'the panel to be ready', 30_000);
      return handle;
    },
    close: () => session.close(),
  };
}
