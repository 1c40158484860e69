// Everything Firefox-internal the end-to-end tests rely on lives in this one file: the launch prefs, the
// temporary install over WebDriver BiDi, opening moz-extension:// pages, and driving the DevTools toolbox
// from the browser's privileged (chrome) realm. None of it is a stable API; a Firefox update is fixed here.
// See ARCHITECTURE.md ("Firefox's toolbox in tests") for how each piece was found.
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firefoxPath, reportBrowserVersion } from './browsers';
import { DIST_FIREFOX, requireBuild } from './paths';
import { poll } from './poll';
import type { PanelHandle } from './panel-list';

/**
 * The moz-extension:// host the tests pin for the add-on, so page URLs are known before install and stay the
 * same across a restart (Firefox keys extension storage on it). Any fixed UUID works.
 */
export const FIREFOX_EXTENSION_UUID = '4f1c2e9a-7b3d-4e5f-9a8b-1c2d3e4f5a6b';

/** The add-on id of the build under test, read from the manifest Firefox actually installs. */
export function builtGeckoId(dist = DIST_FIREFOX): string {
  const manifest = JSON.parse(readFileSync(join(requireBuild(dist), 'manifest.json'), 'utf8')) as {
    browser_specific_settings?: { gecko?: { id?: string } };
  };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (!id) throw new Error(`${dist}/manifest.json has no browser_specific_settings.gecko.id`);
  return id;
}

export interface FirefoxLaunchOptions {
  /** Reuse a profile (restart tests); a fresh temporary one, removed on close, otherwise. */
  profileDir?: string;
  extraArgs?: string[];
  /** The browser's requested language (`intl.locale.requested`), e.g. 'ko': the extension then reads _locales/ko. */
  language?: string;
}

export interface FirefoxPanel {
  /** The toolbox's id for the extension panel (webext-devtools-panel-…). */
  toolId: string;
  /**
   * Runs `fn(document)` against the panel page's DOM and returns its JSON-serialisable result. The panel has
   * no BiDi browsing context of its own, so this goes through a frame script on the panel's <browser>.
   */
  evaluate<T>(fn: (document: Document) => T): Promise<T>;
}

/** The panel as a PanelHandle, so the helpers of panel-list.ts and the scenarios run on it. */
export function panelRunner(panel: FirefoxPanel): PanelHandle {
  return {
    run<T, A>(fn: (doc: Document, arg: A) => T, arg?: A): Promise<T> {
      // FirefoxPanel.evaluate sends a function's source: the argument is built into it as JSON.
      const bound = new Function('doc', `return (${fn.toString()})(doc, ${JSON.stringify(arg ?? null)});`) as (doc: Document) => T;
      return panel.evaluate(bound);
    },
  };
}

export interface FirefoxSession {
  browser: Browser;
  /** The gecko id (browser_specific_settings.gecko.id) as returned by the install. */
  extensionId: string;
  /** moz-extension://<uuid> */
  extensionOrigin: string;
  profileDir: string;
  /** Opens an extension page (e.g. `src/popup/index.html`) in a new tab, once its document has loaded. */
  extensionPage(path: string): Promise<Page>;
  /** Calls a function declaration in the privileged browser window (chrome://browser/content/browser.xhtml). */
  chromeEval<T>(functionDeclaration: string, ...args: unknown[]): Promise<T>;
  /** Opens the toolbox for the tab showing `page` (its URL must be unique among tabs) and selects the extension's panel. */
  openExtensionPanel(page: Page): Promise<FirefoxPanel>;
  close(): Promise<void>;
}

export async function launchFirefox(options: FirefoxLaunchOptions = {}): Promise<FirefoxSession> {
  const dist = requireBuild(DIST_FIREFOX);
  const geckoId = builtGeckoId(dist);
  const ownProfile = !options.profileDir;
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'jwti-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath!,
    headless: true,
    userDataDir: profileDir,
    // Lets BiDi navigate to moz-extension:// and reach the chrome realm. For tests only: never on a real profile.
    args: ['--remote-allow-system-access', ...(options.extraArgs ?? [])],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: FIREFOX_EXTENSION_UUID }),
      // permissions.request() for optional host permissions then grants without the doorhanger a headless
      // browser cannot answer: this is how a test "clicks Allow".
      'extensions.webextOptionalPermissionPrompts': false,
      ...(options.language ? { 'intl.locale.requested': options.language } : {}),
    },
  });
  let extensionId: string;
  try {
    reportBrowserVersion(await browser.version(), firefoxPath!);
    // BiDi webExtension.install: a temporary add-on, gone at shutdown; its storage stays with the profile.
    extensionId = await browser.installExtension(dist);
  } catch (e) {
    await browser.close().catch(() => {});
    if (ownProfile) rmSync(profileDir, { recursive: true, force: true });
    throw e;
  }
  const extensionOrigin = `moz-extension://${FIREFOX_EXTENSION_UUID}`;

  // puppeteer-core types mark the BiDi connection internal; it is the one way to send raw BiDi commands.
  const bidi = (browser as unknown as { connection: { send(method: string, params: object): Promise<{ result: unknown }> } }).connection;
  let chromeContext: string | undefined;

  async function chromeEval<T>(functionDeclaration: string, ...args: unknown[]): Promise<T> {
    if (!chromeContext) {
      const { result } = (await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' })) as {
        result: { contexts: { context: string; url: string }[] };
      };
      chromeContext = result.contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml')?.context;
      if (!chromeContext) throw new Error(`No chrome://browser window among ${JSON.stringify(result.contexts.map((c) => c.url))}`);
    }
    // Arguments and the result cross as JSON strings: chrome-realm objects do not serialise usefully.
    const { result } = (await bidi.send('script.callFunction', {
      functionDeclaration: `async (...args) => JSON.stringify((await (${functionDeclaration})(...args.map((a) => JSON.parse(a)))) ?? null)`,
      target: { context: chromeContext },
      arguments: args.map((a) => ({ type: 'string', value: JSON.stringify(a ?? null) })),
      awaitPromise: true,
      resultOwnership: 'none',
    })) as { result: { type: 'success'; result: { value: string } } | { type: 'exception'; exceptionDetails: { text: string } } };
    if (result.type === 'exception') throw new Error(`chrome realm: ${result.exceptionDetails.text}`);
    return JSON.parse(result.result.value) as T;
  }

  async function extensionPage(path: string): Promise<Page> {
    const url = `${extensionOrigin}/${path.replace(/^\//, '')}`;
    const page = await browser.newPage();
    // Firefox hides extension pages' load events from BiDi: this goto never resolves. Poll instead.
    page.goto(url, { timeout: 0 }).catch(() => {});
    await poll(() => page.evaluate((u) => location.href === u && document.readyState === 'complete', url), `${url} to load`);
    return page;
  }

  if (options.language) {
    // The requested language alone changes nothing without its language pack (Debian's firefox-esr has only
    // en-US): the locale is made available, as installing the pack does, and the add-on reloaded, since it
    // picks its _locales folder when it starts.
    await chromeEval(
      `async (lang, id) => {
        Services.locale.availableLocales = [...Services.locale.availableLocales, lang];
        Services.locale.requestedLocales = [lang];
        const { AddonManager } = ChromeUtils.importESModule('resource://gre/modules/AddonManager.sys.mjs');
        await (await AddonManager.getAddonByID(id)).reload();
      }`,
      options.language,
      extensionId,
    );
  }

  async function openExtensionPanel(page: Page): Promise<FirefoxPanel> {
    const handle = `jwti-${Math.random().toString(36).slice(2)}`;
    const opened = await chromeEval<{ toolId?: string; error?: string }>(
      `async (pageUrl, geckoId, handle) => {
        const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
        const { gDevTools } = require('devtools/client/framework/devtools');
        const tabs = gBrowser.tabs.filter((t) => t.linkedBrowser.currentURI.spec === pageUrl);
        if (tabs.length !== 1) return { error: tabs.length + ' tabs show ' + pageUrl + ' (need exactly one)' };
        const tab = tabs[0];
        const toolbox = gDevTools.getToolboxForTab(tab) ?? (await gDevTools.showToolboxForTab(tab, { toolId: 'webconsole' }));
        let tool;
        for (let i = 0; i < 150 && !tool; i++) {
          tool = toolbox.getAdditionalTools().find((t) => t.extensionId === geckoId);
          if (!tool) await new Promise((r) => setTimeout(r, 100));
        }
        if (!tool) return { error: 'the toolbox has no panel of ' + geckoId + '; it has ' + JSON.stringify(toolbox.getAdditionalTools().map((t) => t.id)) };
        await toolbox.selectTool(tool.id);
        (window.__jwtiPanels ??= new Map()).set(handle, { toolbox, toolId: tool.id });
        return { toolId: tool.id };
      }`,
      page.url(),
      extensionId,
      handle,
    );
    if (!opened.toolId) throw new Error(`Could not open the extension panel: ${opened.error}`);

    return {
      toolId: opened.toolId,
      async evaluate<T>(fn: (document: Document) => T): Promise<T> {
        const answer = await chromeEval<{ value?: string; error?: string }>(
          `async (handle, fnSource) => {
            const entry = window.__jwtiPanels?.get(handle);
            if (!entry) return { error: 'unknown panel handle' };
            const iframe = entry.toolbox.doc.getElementById('toolbox-panel-iframe-' + entry.toolId);
            const b = iframe?.contentDocument?.querySelector('browser');
            if (!b?.messageManager) return { error: 'the panel has no <browser> yet' };
            const mm = b.messageManager;
            const name = handle + '-' + Math.random().toString(36).slice(2);
            const reply = new Promise((resolve) => {
              const listener = { receiveMessage(m) { mm.removeMessageListener(name, listener); resolve(m.data); } };
              mm.addMessageListener(name, listener);
            });
            const code = 'try { sendAsyncMessage(' + JSON.stringify(name) + ', { value: JSON.stringify((' + fnSource + ')(content.document)) }); }' +
              ' catch (e) { sendAsyncMessage(' + JSON.stringify(name) + ', { error: String(e) }); }';
            mm.loadFrameScript('data:,' + encodeURIComponent(code), false);
            // A frame script loaded before the panel's content exists never answers: report it, the caller polls.
            return await Promise.race([reply, new Promise((r) => setTimeout(() => r({ error: 'the panel did not answer' }), 500))]);
          }`,
          handle,
          fn.toString(),
        );
        if (answer.error !== undefined) throw new Error(answer.error);
        return (answer.value === undefined ? undefined : JSON.parse(answer.value)) as T;
      },
    };
  }

  return {
    browser,
    extensionId,
    extensionOrigin,
    profileDir,
    extensionPage,
    chromeEval,
    openExtensionPanel,
    async close() {
      await browser.close().catch(() => {});
      if (ownProfile) rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
