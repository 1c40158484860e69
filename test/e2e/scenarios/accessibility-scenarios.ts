// WCAG 2.1 A and AA, as axe-core (npm) checks them, on every surface in light and dark: the popup with a decoded
// token, the options page with keys, and the panel with rows, a token's detail and each detail tab open.
// Written once over the PanelDriver (test/e2e/chromium/accessibility.test.ts runs it); the browser's own
// rendering decides contrast, so it runs in a real browser, never in a DOM emulation.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startCaptureApp, type CaptureApp } from '../apps/capture-app';
import { poll } from '../harness/poll';
import { openToken, type DriverFactory, type PanelDriver, type PanelHandle } from './panel-driver';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const THEMES = ['light', 'dark'] as const;
const TABS = ['details', 'posture', 'timeline', 'flows'] as const;

/** One line per violated rule: its id, how many nodes, and the first few of them. */
type Violations = string[];

/** Runs axe in the document it is given (axe already loaded there); a function of the document only. */
function axeInDocument(doc: Document): Promise<Violations> {
  const axe = (doc.defaultView as unknown as { axe: { run(ctx: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
  return axe
    .run(doc, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })
    .then((r) =>
      r.violations.map(
        (v) =>
          `${v.id}: ${v.nodes.length} node(s): ${v.nodes
            .slice(0, 4)
            .map((n) => `${n.target.join(' ')} ${n.any[0]?.message ?? ''}`)
            .join(' | ')}`,
      ),
    );
}

interface AxeViolation {
  id: string;
  nodes: { target: string[]; any: { message: string }[] }[];
}

/** axeInDocument as one self-contained function: PanelHandle.run sends a function's source, not its scope. */
const inDocument = new Function('doc', `return (${axeInDocument.toString()})(doc);`) as (doc: Document) => Violations;

async function axeOnPage(page: Page): Promise<Violations> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(`(${axeInDocument.toString()})(document)`) as Promise<Violations>;
}

export function accessibilityScenarios(browserName: string, makeDriver: DriverFactory): void {
  describe(`accessibility (WCAG 2.1 A/AA, axe-core) in ${browserName}`, () => {
    let driver: PanelDriver;
    let app: CaptureApp;

    beforeAll(async () => {
      app = await startCaptureApp();
      driver = await makeDriver();
    });
    afterAll(async () => {
      await driver?.close();
      await app?.close();
    });

    describe.each(THEMES)('%s theme', (theme) => {
      it('the popup with a decoded token: no violation', async () => {
        const page = await driver.extensionPage('src/popup/index.html');
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: theme }]);
        await page.evaluate((token) => {
          const input = document.querySelector('[data-testid=token-input]') as HTMLTextAreaElement;
          input.value = token;
          input.dispatchEvent(new Event('input', { bubbles: true }));
        }, app.tokens.debug);
        await poll(
          () =>
            page.evaluate(() => !!document.querySelector('[data-finding-id]') && !!document.querySelector('[data-testid=verification]')),
          'the decoded token with its findings',
          // A hang guard: the popup loads its analysis after first paint, late on a machine running other browsers.
          60_000,
        );
        expect(await axeOnPage(page)).toEqual([]);
        await page.close();
      });

      it('the options page with keys: no violation', async () => {
        const page = await driver.extensionPage('src/options/index.html');
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: theme }]);
        await poll(() => page.evaluate(() => !!document.querySelector('[data-testid=options-ready]')), 'the options page');
        const rows = await page.evaluate(() => document.querySelectorAll('[data-testid=key-row]').length);
        if (rows === 0) {
          for (const key of [app.publicJwk, 'an HMAC secret for the accessibility test']) {
            await page.evaluate((value) => {
              const input = document.querySelector('[data-testid=key-value]') as HTMLTextAreaElement;
              input.value = value;
              input.dispatchEvent(new Event('input', { bubbles: true }));
            }, key);
            const before = await page.evaluate(() => document.querySelectorAll('[data-testid=key-row]').length);
            await page.evaluate(() => (document.querySelector('[data-testid=key-add]') as HTMLButtonElement).click());
            await poll(() => page.evaluate((n) => document.querySelectorAll('[data-testid=key-row]').length > n, before), 'the key row');
          }
        }
        expect(await axeOnPage(page)).toEqual([]);
        await page.close();
      });
    });

    describe('the panel', () => {
      let page: Page;
      let panel: PanelHandle;

      beforeAll(async () => {
        if (!driver.addScript) throw new Error(`${browserName}'s harness cannot load axe-core into the panel`);
        page = await driver.openPage(`${app.blankUrl}?tab=accessibility`);
        await driver.openDevtools(page);
        await page.goto(app.url, { waitUntil: 'load' });
        await poll(() => page.evaluate(() => (window as unknown as { phase1Done?: boolean }).phase1Done === true), 'phase 1 of the app');
        panel = await driver.showPanel(page);
        await driver.addScript(panel, AXE_SOURCE);
        await openToken(panel, app.tokens.custom);
      });

      it('lays the list and the detail side by side when wide, stacked when narrow; the divider moves and is remembered', async () => {
        if (!driver.resizeDevtools) throw new Error(`${browserName}'s driver cannot resize DevTools`);
        const layout = () =>
          panel.run((doc) => {
            const box = (sel: string) => (doc.querySelector(sel) as HTMLElement).getBoundingClientRect();
            const list = box('[data-testid=token-list]');
            const detail = box('.detail-pane');
            return {
              width: doc.documentElement.clientWidth,
              list: { top: list.top, right: list.right, bottom: list.bottom },
              detail: { left: detail.left, top: detail.top },
            };
          });
        await driver.resizeDevtools(panel, 560, 800);
        const narrow = await poll(async () => ((await layout()).width <= 640 ? layout() : undefined), 'a narrow panel');
        expect(narrow.detail.top, 'narrow: the detail below the list').toBeGreaterThanOrEqual(narrow.list.bottom - 1);

        await driver.resizeDevtools(panel, 1280, 800);
        const wide = await poll(async () => ((await layout()).width > 640 ? layout() : undefined), 'a wide panel');
        expect(wide.detail.left, 'wide: the detail right of the list').toBeGreaterThanOrEqual(wide.list.right - 6);
        expect(Math.abs(wide.detail.top - wide.list.top), 'wide: list and detail start at the same height').toBeLessThan(60);

        // The keyboard: Tab reaches the divider like any control; one step right moves it and is stored.
        const moved = await panel.run((doc) => {
          const divider = doc.querySelector('[data-testid=divider]') as HTMLElement;
          const before = Number(divider.getAttribute('aria-valuenow'));
          divider.focus();
          divider.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
          return { before, focused: doc.activeElement === divider };
        });
        expect(moved.focused).toBe(true);
        const afterKey = await poll(
          () =>
            panel.run((doc, before) => {
              const now = Number(doc.querySelector('[data-testid=divider]')?.getAttribute('aria-valuenow'));
              return now > before ? { now, stored: localStorage.getItem('jwt-inspector.list-width') } : undefined;
            }, moved.before),
          'the divider to move right',
        );
        expect(afterKey.stored).toBe(String(afterKey.now));

        // The pointer: drag to a third of the panel's width; the list follows.
        await panel.run((doc) => {
          const divider = doc.querySelector('[data-testid=divider]') as HTMLElement;
          const split = (divider.parentElement as HTMLElement).getBoundingClientRect();
          const at = (x: number) => ({ bubbles: true, pointerId: 1, clientX: x, clientY: split.top + 10 });
          divider.dispatchEvent(new PointerEvent('pointerdown', at(split.left + split.width / 2)));
          divider.dispatchEvent(new PointerEvent('pointermove', at(split.left + split.width / 3)));
          divider.dispatchEvent(new PointerEvent('pointerup', at(split.left + split.width / 3)));
          return true;
        });
        const dragged = await poll(
          () =>
            panel.run((doc) => {
              const divider = doc.querySelector('[data-testid=divider]') as HTMLElement;
              const split = (divider.parentElement as HTMLElement).getBoundingClientRect();
              const list = (doc.querySelector('[data-testid=token-list]') as HTMLElement).getBoundingClientRect();
              const value = Number(divider.getAttribute('aria-valuenow'));
              return value === 33 ? Math.round(((list.right - split.left) / split.width) * 100) : undefined;
            }),
          'the dragged divider',
        );
        expect(dragged).toBeGreaterThanOrEqual(32);
        expect(dragged).toBeLessThanOrEqual(34);
      });

      describe.each(THEMES)('%s theme', (theme) => {
        it.each(TABS)('with rows and the %s tab open: no violation', async (tab) => {
          await panel.run((doc, t) => {
            doc.documentElement.dataset.theme = t;
            return true;
          }, theme);
          await panel.run((doc, t) => {
            (doc.querySelector(`[data-testid=tab-${t}]`) as HTMLElement).click();
            return true;
          }, tab);
          await poll(
            () => panel.run((doc, t) => doc.querySelector(`[data-testid=tab-${t}]`)?.getAttribute('aria-selected') === 'true', tab),
            `the ${tab} tab`,
          );
          if (tab === 'details') {
            await poll(() => panel.run((doc) => !!doc.querySelector('[data-testid=token-detail] [data-finding-id]')), 'the detail');
          }
          expect(await panel.run(inDocument)).toEqual([]);
        });
      });
    });
  });
}
