// One way to drive background capture whatever the browser: the scenarios (background-capture-scenarios.ts)
// are written once against this interface; chromium-background-driver.ts and firefox-background-driver.ts map
// it onto each browser. DevTools stays closed until showPanel.
import type { Page } from 'puppeteer-core';
import type { PanelHandle } from '../harness/panel-list';

/** The toolbar popup of one tab, as the user opens it by clicking the extension's icon. */
export interface PopupHandle {
  /** Runs `fn(document, arg)` in the popup (self-contained, synchronous) and returns its JSON result. */
  run<T, A = undefined>(fn: (doc: Document, arg: A) => T, arg?: A): Promise<T>;
  /** Clicks an element as the user does (a real input event: permission prompts need one). */
  click(selector: string): Promise<void>;
  close(): Promise<void>;
}

export interface BackgroundDriver {
  readonly browserName: 'chromium' | 'firefox';
  /** Host access was granted at install (a test build), so giving it back is not the extension's to do. */
  readonly accessGrantedAtInstall: boolean;
  /** A new tab showing `url`, loaded, DevTools closed. The URL must be unique among open tabs. */
  openPage(url: string): Promise<Page>;
  /** Opens the toolbar popup for the page's tab (the tab is made active first). */
  popupFor(page: Page): Promise<PopupHandle>;
  /** An extension page (for storage.session and the badge, read as the extension's own pages can). */
  extensionPage(path: string): Promise<Page>;
  /**
   * Stops the extension's background (service worker or event page) the way the browser does when it idles;
   * the next event starts it again. Resolves false where a test cannot stop it (said in the thin file).
   */
  stopWorker(): Promise<boolean>;
  /** Opens DevTools on the page's tab and shows the JWT panel, ready. */
  showPanel(page: Page): Promise<PanelHandle>;
  close(): Promise<void>;
}

export type BackgroundDriverFactory = () => Promise<BackgroundDriver>;
