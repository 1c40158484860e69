// The demo app (test/demo) in the Chromium DevTools panel, as README's tours show it: how its tests open a demo
// page with the panel beside it, and how they take the panel pictures README shows.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import type { Demo } from '../../demo/server';
import type { ChromiumSession } from './chromium';
import { devtoolsFor, screenshotPanel, showExtensionPanel } from './devtools-panel';
import { ARTIFACTS } from './paths';

export interface DemoInPanel {
  page: Page;
  devtools: Page;
  panel: Frame;
}

/** A new tab showing the demo page `url`, with DevTools open on it and the JWT panel shown, ready. */
export async function openDemoInPanel(session: ChromiumSession, demo: Demo, url: string): Promise<DemoInPanel> {
  const page = await session.browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  // DevTools attaches while the tab waits on a blank page of the demo's origin: it then sees the demo page load.
  await page.goto(demo.blankUrl, { waitUntil: 'load' });
  const devtools = await devtoolsFor(session.browser, demo.blankUrl);
  await page.goto(url, { waitUntil: 'load' });
  const panel = await showExtensionPanel(devtools, session.extensionId);
  return { page, devtools, panel };
}

export interface PanelPicture {
  path: string;
  png: Buffer;
  /** The panel frame's size in device pixels: what the picture's must be. */
  width: number;
  height: number;
}

/** Screenshots the panel in the light theme, in a 1400×900 DevTools window, to artifacts/<name>.png. */
export async function screenshotDemoPanel(devtools: Page, panel: Frame, name: string): Promise<PanelPicture> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await devtools.setViewport({ width: 1400, height: 900 });
  await panel.evaluate(() => (document.documentElement.dataset.theme = 'light'));
  const path = join(ARTIFACTS, `${name}.png`) as `${string}.png`;
  await screenshotPanel(devtools, panel, path);
  const box = await (await panel.frameElement())!.boundingBox();
  const scale = await devtools.evaluate(() => window.devicePixelRatio);
  return { path, png: readFileSync(path), width: Math.round(box!.width * scale), height: Math.round(box!.height * scale) };
}
