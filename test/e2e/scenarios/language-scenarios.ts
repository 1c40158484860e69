// The extension in Korean, written once for every browser (test/e2e/chromium/korean.test.ts,
// test/e2e/firefox/korean.test.ts): the browser started in Korean (Chromium's --lang=ko, Firefox's requested
// locale ko) makes the popup and the panel read _locales/ko, and say so in <html lang>.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startCaptureApp, type CaptureApp } from '../apps/capture-app';
import { poll } from '../harness/poll';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { filterFor, openToken, type DriverOptions, type PanelDriver, type PanelHandle } from './panel-driver';

// Written out, not read from src/locales: a change of wording shows here.
const KO = {
  paste: '붙여넣기',
  tabs: ['상세', '보관 방식', '타임라인', '플로우'],
  algNone: '서명 없는 토큰 (alg "none")',
  webStorage: '토큰이 웹 스토리지(local 또는 session)에 저장됨',
  subMeaning: '주체(Subject)',
  accessRole: '액세스 토큰',
  storageSighting: 'localStorage',
};

export interface KoreanScenarioOptions {
  /** Where to write screenshots of the panel in Korean, light and dark (the driver must take screenshots). */
  screenshotsTo?: string;
}

export function koreanScenarios(
  browserName: string,
  makeDriver: (options: DriverOptions) => Promise<PanelDriver>,
  options: KoreanScenarioOptions = {},
): void {
  describe(`${browserName} started in Korean`, () => {
    let driver: PanelDriver;
    let app: CaptureApp;

    beforeAll(async () => {
      app = await startCaptureApp();
      driver = await makeDriver({ language: 'ko' });
    });
    afterAll(async () => {
      await driver?.close();
      await app?.close();
    });

    it('shows the popup in Korean, with lang="ko", claim explanations and finding titles', async () => {
      const page = await driver.extensionPage('src/popup/index.html');
      await poll(() => page.evaluate(() => !!document.querySelector('[data-testid=token-input]')).catch(() => false), 'the popup');
      await page.evaluate((token) => {
        const input = document.querySelector('[data-testid=token-input]') as HTMLTextAreaElement;
        input.value = token;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }, app.tokens.debug);
      const seen = await poll(
        () =>
          page.evaluate(() => {
            const finding = document.querySelector('[data-finding-id=alg-none] strong')?.textContent;
            return finding ? { lang: document.documentElement.lang, text: document.body.innerText, finding } : undefined;
          }),
        'the decoded token',
      );
      expect(seen.lang).toBe('ko');
      expect(seen.text).toContain(KO.paste);
      expect(seen.finding).toBe(KO.algNone);
      expect(seen.text).toContain(KO.subMeaning);
      await page.close();
    });

    describe('the panel', () => {
      let page: Page;
      let panel: PanelHandle;

      beforeAll(async () => {
        page = await driver.openPage(`${app.blankUrl}?tab=korean`);
        await driver.openDevtools(page);
        await page.goto(app.url, { waitUntil: 'load' });
        await poll(() => page.evaluate(() => (window as unknown as { phase1Done?: boolean }).phase1Done === true), 'phase 1 of the app');
        panel = await driver.showPanel(page);
      });

      it('says lang="ko" and labels its controls and tabs in Korean', async () => {
        const shown = await panel.run((doc) => ({
          lang: doc.documentElement.lang,
          tabs: [...doc.querySelectorAll('[role=tab]')].map((t) => (t as HTMLElement).textContent),
          filter: (doc.querySelector('[data-testid=filter]') as HTMLInputElement).placeholder,
          clear: doc.querySelector('[data-testid=clear]')?.textContent,
        }));
        expect(shown).toEqual({ lang: 'ko', tabs: KO.tabs, filter: '필터: 텍스트, 클레임 값, 호스트, 진단 ID', clear: '지우기' });
      });

      it("names a row and a token's detail in Korean: role, findings, where it was seen", async () => {
        await openToken(panel, app.tokens.access);
        const detail = await poll(
          () =>
            panel.run((doc, token) => {
              const title = doc.querySelector('[data-testid=token-detail] [data-finding-id=web-storage] strong')?.textContent;
              if (!title) return undefined;
              return {
                title,
                role: doc.querySelector('[data-testid=token-detail] .role')?.textContent,
                sightings: [...doc.querySelectorAll('[data-testid=sighting] strong')].map((s) => s.textContent),
                rowLabel: doc.querySelector(`[data-testid=token-row][data-token="${token}"]`)?.getAttribute('title') ?? '',
              };
            }, app.tokens.access),
          'the web-storage finding in the detail',
        );
        expect(detail.title).toBe(KO.webStorage);
        expect(detail.role).toBe(KO.accessRole);
        expect(detail.sightings).toContain(KO.storageSighting);
        expect(detail.rowLabel).toMatch(/^액세스 토큰, 발급자 http:\/\/127\.0\.0\.1\/app, 만료 \d+분 후, /);
      });

      if (options.screenshotsTo) {
        const dir = options.screenshotsTo;
        it('is photographed in Korean, light and dark, with a token open', async () => {
          if (!driver.screenshot) throw new Error(`${browserName}'s driver takes no screenshots`);
          await filterFor(panel, '');
          await openToken(panel, app.tokens.custom);
          await poll(() => panel.run((doc) => !!doc.querySelector('[data-testid=token-detail] [data-finding-id]')), 'the detail');
          // Every row in the picture, the open one marked.
          await filterFor(panel, '');
          mkdirSync(dir, { recursive: true });
          // Wide, as DevTools docked beside a page on a desktop screen: list and detail side by side.
          await driver.resizeDevtools?.(panel, 1280, 720);
          for (const theme of ['light', 'dark'] as const) {
            await panel.run((doc, t) => {
              doc.documentElement.dataset.theme = t;
              return true;
            }, theme);
            const path = join(dir, `panel-ko-${theme}.png`) as `${string}.png`;
            await driver.screenshot(panel, path);
            // A PNG of a panel, not an empty frame: far more than a blank image's few hundred bytes.
            expect(statSync(path).size).toBeGreaterThan(20_000);
          }
        });
      }
    });
  });
}
