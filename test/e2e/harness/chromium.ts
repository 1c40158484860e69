import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath, reportBrowserVersion } from './browsers';
import { DIST_CHROME, requireBuild } from './paths';

export interface ChromiumSession {
  browser: Browser;
  extensionId: string;
  profileDir: string;
  worker(): Promise<WebWorker>;
  extensionPage(path: string): Promise<Page>;
  /** Stops the extension's service worker the way the browser does when it idles (MV3). */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Open DevTools for every tab (needed for panel tests). */
  devtools?: boolean;
  /** Reuse a profile (restart tests); a fresh temporary one otherwise. */
  profileDir?: string;
  extraArgs?: string[];
  /** Another build of the extension to load (the bench's baseline); dist/chrome otherwise. */
  dist?: string;
  /** The browser's language (`--lang`), e.g. 'ko': the extension then reads _locales/ko. */
  language?: string;
}

// Without the background-networking family Chromium floods this closed network with refused connections.
const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--no-default-browser-check',
];

export async function launchChromium(options: LaunchOptions = {}): Promise<ChromiumSession> {
  const dist = options.dist ?? requireBuild(DIST_CHROME);
  const ownProfile = !options.profileDir;
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'jwti-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: chromiumPath!,
    headless: true,
    devtools: options.devtools ?? false,
    pipe: true,
    enableExtensions: true,
    args: [
      ...QUIET_FLAGS,
      `--disable-extensions-except=${dist}`,
      `--load-extension=${dist}`,
      `--user-data-dir=${profileDir}`,
      ...(options.language ? [`--lang=${options.language}`] : []),
      ...(options.extraArgs ?? []),
    ],
  });
  reportBrowserVersion(await browser.version(), chromiumPath!);
  const swTarget = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), {
    timeout: 30_000,
  });
  const extensionId = new URL(swTarget.url()).host;

  return {
    browser,
    extensionId,
    profileDir,
    async worker() {
      const target = await browser.waitForTarget(
        (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`),
        { timeout: 30_000 },
      );
      return (await target.worker())!;
    },
    async extensionPage(path: string) {
      const page = await browser.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path.replace(/^\//, '')}`, { waitUntil: 'load' });
      return page;
    },
    async stopWorker() {
      const page = await browser.newPage();
      const cdp = await page.createCDPSession();
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await cdp.detach();
      await page.close();
      const deadline = Date.now() + 10_000;
      while (browser.targets().some((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`))) {
        if (Date.now() > deadline) throw new Error('The service worker did not stop.');
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await browser.close().catch(() => {});
      if (ownProfile) rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
