// Chromium DevTools internals (not a public API) to show the extension's panel: kept in this one file so a
// Chromium update is a one-place fix.
import type { Browser, Frame, Page } from 'puppeteer-core';
import { filterFor as listFilterFor, type PanelHandle, rowTokens as listRowTokens } from './panel-list';
import { poll } from './poll';

export const PANEL_TITLE = 'JWT';

// Code for the DevTools page is passed as text: vitest rewrites import() inside test functions, and the
// frontend's modules resolve only against its own URL.
const IMPORT = (path: string) => `await import(new URL('./${path}', location.href).href)`;
const INSPECTED_URL = `(async () => { const sdk = ${IMPORT('core/sdk/sdk.js')};
  return sdk.TargetManager.TargetManager.instance().primaryPageTarget()?.inspectedURL(); })()`;
const HAS_PANEL = (id: string) => `(async () => { const UI = ${IMPORT('ui/legacy/legacy.js')};
  const view = UI.InspectorView.InspectorView.maybeGetInspectorViewInstance(); return !!view && view.hasPanel(${JSON.stringify(id)}); })()`;
const SHOW_PANEL = (id: string) => `(async () => { const UI = ${IMPORT('ui/legacy/legacy.js')};
  await UI.InspectorView.InspectorView.instance().showPanel(${JSON.stringify(id)}); return true; })()`;

export async function devtoolsFor(browser: Browser, inspectedUrl: string): Promise<Page> {
  return poll(
    async () => {
      for (const target of browser.targets()) {
        if (!target.url().startsWith('devtools://devtools/bundled/devtools_app.html')) continue;
        const page = await target.asPage().catch(() => undefined);
        const url = await page?.evaluate(INSPECTED_URL).catch(() => undefined);
        if (page && url === inspectedUrl) return page;
      }
      return undefined;
    },
    `DevTools for ${inspectedUrl}`,
    30_000,
  );
}

/** Shows one of DevTools' own panels by its id ('network', 'elements', …). */
export async function showPanel(devtools: Page, panelId: string): Promise<void> {
  await poll(() => devtools.evaluate(HAS_PANEL(panelId)) as Promise<boolean>, `the ${panelId} panel to be registered`, 30_000);
  await devtools.evaluate(SHOW_PANEL(panelId));
}

/**
 * Undocks DevTools: headless Chromium docks it right of the page's screencast, where a panel keeps the
 * sidebar's width (554 px) whatever the window's; undocked, the panel takes the DevTools window's width.
 */
export async function undockDevtools(devtools: Page): Promise<void> {
  await devtools.evaluate(`(async () => {
    const UI = await import(new URL('./ui/legacy/legacy.js', location.href).href);
    UI.DockController.DockController.instance().setDockSide('undocked');
  })()`);
}

/** Shows the panel and returns its frame once it says it is ready (capture starts only then). */
export async function showExtensionPanel(devtools: Page, extensionId: string): Promise<Frame> {
  const panelId = `chrome-extension://${extensionId}${PANEL_TITLE}`;
  await poll(() => devtools.evaluate(HAS_PANEL(panelId)) as Promise<boolean>, 'the JWT panel to be registered', 30_000);
  await devtools.evaluate(SHOW_PANEL(panelId));
  const frame = await poll(
    async () => devtools.frames().find((f) => f.url().startsWith(`chrome-extension://${extensionId}/src/devtools/panel.html`)),
    'the panel frame',
    30_000,
  );
  await frame.waitForSelector('[data-testid=panel-ready]', { timeout: 30_000 });
  // A DevTools window behind the page gets no frames or resize observations, so its list never lays out.
  await devtools.bringToFront();
  return frame;
}

/** The panel frame as a PanelHandle, so the helpers of panel-list.ts and the scenarios run on it. */
export function frameRunner(frame: Frame): PanelHandle {
  return {
    run<T, A>(fn: (doc: Document, arg: A) => T, arg?: A): Promise<T> {
      return frame.evaluate(`(${fn.toString()})(document, ${JSON.stringify(arg ?? null)})`) as Promise<T>;
    },
  };
}

/** The tokens of the rows in the DOM, top to bottom (the list is virtualised: only rows in view exist). */
export function rowTokens(panel: Frame): Promise<string[]> {
  return listRowTokens(frameRunner(panel));
}

/** Types into the panel's filter box and waits until the list has followed it (see panel-list.ts). */
export function filterFor(panel: Frame, text: string): Promise<void> {
  return listFilterFor(frameRunner(panel), text);
}

/** The "N token(s)" of the toolbar, or -1. */
export async function panelTokenCount(panel: Frame): Promise<number> {
  const text = await panel.$eval('[data-testid=counts]', (el) => (el as HTMLElement).innerText).catch(() => '');
  return Number(/^(\d+) token/.exec(text)?.[1] ?? -1);
}

/**
 * Screenshots the panel as the DevTools window shows it. On Chromium 150 a screenshot of the DevTools
 * window sometimes waits for a compositor frame that an idle window never draws (seen: one run in two hung
 * until the test timed out, although animation frames still ran); resizing the window draws one, and the
 * waiting screenshot then completes. So while it has not answered, the window is resized by a pixel, every 3 s.
 */
export async function screenshotPanel(devtools: Page, panel: Frame, path: `${string}.png`): Promise<void> {
  const frameElement = await panel.frameElement();
  if (!frameElement) throw new Error('The panel frame has no element in the DevTools window.');
  let answered = false;
  const shot = frameElement.screenshot({ path }).finally(() => (answered = true));
  const viewport = devtools.viewport() ?? { width: 1400, height: 900 };
  for (let nudge = 1; nudge <= 20 && !answered; nudge++) {
    await Promise.race([shot, new Promise((r) => setTimeout(r, 3000))]);
    if (!answered) await devtools.setViewport({ ...viewport, width: viewport.width + (nudge % 2) });
  }
  await shot;
  await devtools.setViewport(viewport);
}
