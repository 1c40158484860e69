// The panel follows DevTools' own theme (devtools.panels.themeName, read by src/devtools/panel.tsx): light
// on a fresh profile, dark when DevTools' "Theme" setting says dark. DevTools keeps that setting in the
// profile's Preferences file (devtools.preferences["ui-theme"], a JSON-encoded string, as Settings > Appearance
// writes it), so the profile is written with it before the browser, and DevTools with its panel, start.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { devtoolsFor, showExtensionPanel } from '../harness/devtools-panel';
import { startServer, type TestServer } from '../harness/server';

describe.runIf(browserAvailable('chromium'))("the panel follows DevTools' theme in Chromium", () => {
  let session: ChromiumSession | undefined;
  let server: TestServer | undefined;
  let profileDir: string | undefined;
  afterEach(async () => {
    await session?.close();
    await server?.close();
    // A profile passed in is the caller's to remove (launchChromium removes only the ones it made).
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    session = server = profileDir = undefined;
  });

  /** DevTools' own theme as it draws itself, and the theme the panel's document took. */
  async function themes(profileDir?: string) {
    server = await startServer({ '/': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<title>theme</title>') });
    session = await launchChromium({ devtools: true, ...(profileDir ? { profileDir } : {}) });
    const page = await session.browser.newPage();
    await page.goto(`${server.origin}/`, { waitUntil: 'load' });
    const devtools = await devtoolsFor(session.browser, `${server.origin}/`);
    const panel = await showExtensionPanel(devtools, session.extensionId);
    return {
      devtoolsDark: await devtools.evaluate(() => document.documentElement.classList.contains('theme-with-dark-background')),
      panel: await panel.evaluate(() => document.documentElement.dataset.theme ?? '(none)'),
    };
  }

  it('is light while DevTools is on its default theme', async () => {
    expect(await themes()).toEqual({ devtoolsDark: false, panel: 'light' });
  });

  it('is dark when DevTools is set to the dark theme', async () => {
    profileDir = mkdtempSync(join(tmpdir(), 'jwti-theme-'));
    mkdirSync(join(profileDir, 'Default'));
    writeFileSync(join(profileDir, 'Default', 'Preferences'), JSON.stringify({ devtools: { preferences: { 'ui-theme': '"dark"' } } }));
    expect(await themes(profileDir)).toEqual({ devtoolsDark: true, panel: 'dark' });
  });
});
