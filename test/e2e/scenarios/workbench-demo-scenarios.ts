// The workbench on the demo app (test/demo), as README's Workbench section walks through it: careless mode's
// guessable secret lets anyone sign as mallory, and the demo accepts it; storage mode's RS256 tokens hold
// against tampering, alg none and a null signature. Run by test/e2e/{chromium,firefox}/workbench-demo.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { poll } from '../harness/poll';
import { startDemo, type Demo } from '../../demo/server';
import { detailFindings, openToken, setControl, type DriverFactory, type PanelDriver, type PanelHandle } from './panel-driver';

interface ResultRow {
  attack: string;
  status: string;
  verdict: string;
  text: string;
}

/** The replay results inside the oldest sighting of `where` whose request URL holds `path`. */
function results(panel: PanelHandle, where: string, path: string): Promise<ResultRow[]> {
  return panel.run(
    (doc, a) => {
      const sighting = [...doc.querySelectorAll('[data-testid=token-detail] [data-testid=sighting]')]
        .filter((s) => s.getAttribute('data-where') === a.where && (s.textContent ?? '').includes(a.path))
        .pop();
      return [...(sighting?.querySelectorAll('[data-testid=replay-result]') ?? [])].map((r) => ({
        attack: r.getAttribute('data-attack') ?? '',
        status: r.getAttribute('data-http-status') ?? '',
        verdict: r.getAttribute('data-verdict') ?? '',
        text: r.textContent ?? '',
      }));
    },
    { where, path },
  );
}

function clickInSighting(panel: PanelHandle, where: string, path: string, testId: string): Promise<boolean> {
  return panel.run(
    (doc, a) => {
      const sighting = [...doc.querySelectorAll('[data-testid=token-detail] [data-testid=sighting]')]
        .filter((s) => s.getAttribute('data-where') === a.where && (s.textContent ?? '').includes(a.path))
        .pop();
      const button = sighting?.querySelector(`[data-testid="${a.testId}"]`) as HTMLButtonElement | null | undefined;
      if (!button || button.disabled) return false;
      button.click();
      return true;
    },
    { where, path, testId },
  );
}

export function workbenchDemoScenarios(browserName: string, makeDriver: DriverFactory): void {
  describe(`the workbench on the demo app in ${browserName}`, () => {
    let demo: Demo;
    let driver: PanelDriver;
    let page: Page;
    let panel: PanelHandle;

    /** Clicks a demo button and waits for the page's answer to match. */
    async function act(testId: string, expected: RegExp): Promise<void> {
      await page.evaluate(() => void (document.querySelector('[data-testid=answer]')!.textContent = ''));
      await page.evaluate((id) => (document.querySelector(`[data-testid=${id}]`) as HTMLElement).click(), testId);
      await poll(
        async () => expected.test(await page.evaluate(() => document.querySelector('[data-testid=answer]')?.textContent ?? '')),
        `the answer to ${testId}`,
      );
    }
    async function signIn(mode: 'storage' | 'careless') {
      await page.evaluate((m) => (document.querySelector(`[data-testid=mode-${m}]`) as HTMLElement).click(), mode);
      await act('sign-in', /POST \/auth\/login\s+→\s+200/);
    }

    beforeAll(async () => {
      demo = await startDemo({ accessTtlSeconds: 600 });
      driver = await makeDriver();
      page = await driver.openPage(demo.url);
      panel = await driver.showPanel(page);
    });
    afterAll(async () => {
      await driver?.close();
      await demo?.close();
    });

    it('careless mode: weak-secret-resign as mallory is accepted by /api/me', async () => {
      await signIn('careless');
      await act('call-api', /→\s+200[\s\S]*access_token URL parameter/);
      const token = await page.evaluate(() => /(?:^|; )access_token=([^;]+)/.exec(document.cookie)?.[1] ?? '');
      expect(token.split('.')).toHaveLength(3);
      await openToken(panel, token);
      // The weak-secret check runs on its own: its finding is what gives the preset its secret.
      await poll(async () => (await detailFindings(panel)).ids.includes('weak-hmac-secret'), 'the weak secret found', 60_000);
      await poll(() => panel.run((doc) => !!doc.querySelector('[data-testid=workbench-payload]')), 'the workbench');
      const payload = await panel.run((doc) => (doc.querySelector('[data-testid=workbench-payload]') as HTMLTextAreaElement).value);
      expect(payload).toContain('"sub": "alice"');
      expect(await setControl(panel, 'workbench-payload', payload.replace('"sub": "alice"', '"sub": "mallory"'), 'input')).toBe(true);
      expect(
        await panel.run((doc) => {
          (doc.querySelector('[data-testid=attack][data-attack=weak-secret-resign]') as HTMLElement).click();
          return true;
        }),
      ).toBe(true);
      await poll(
        () => panel.run((doc) => doc.querySelector('[data-testid=workbench-token]')?.getAttribute('data-label') === 'weak-secret-resign'),
        'the re-signed token',
      );
      await poll(() => clickInSighting(panel, 'url', '/api/me', 'replay'), 'the Replay button of the URL sighting');
      const [row] = await poll(async () => {
        const r = await results(panel, 'url', '/api/me');
        return r.length > 0 && r;
      }, 'the replay answer');
      expect(row).toMatchObject({ attack: 'weak-secret-resign', status: '200', verdict: 'accepted' });
      // The demo accepted the forged token: it answers for the token's sub, mallory.
      expect(row!.text).toMatch(/"sub":\s*"mallory"/);
    });

    it('storage mode: claim-tamper, alg-none and null-signature are rejected', async () => {
      await signIn('storage');
      await act('call-api', /→\s+200/);
      const token = await page.evaluate(() => localStorage.getItem('access_token') ?? '');
      await openToken(panel, token);
      await poll(() => panel.run((doc) => !!doc.querySelector('[data-testid=workbench-payload]')), 'the workbench');
      await poll(() => clickInSighting(panel, 'authorization-header', '/api/me', 'replay-all'), 'the Replay all presets button');
      const rows = await poll(
        async () => {
          const r = await results(panel, 'authorization-header', '/api/me');
          return r.length === 11 && r;
        },
        'a result per preset',
        60_000,
      );
      const byAttack = Object.fromEntries(rows.map((r) => [r.attack, r]));
      for (const attack of ['claim-tamper', 'alg-none', 'null-signature'])
        expect(byAttack[attack], attack).toMatchObject({ status: '401', verdict: 'rejected' });
      expect(rows.filter((r) => r.verdict === 'accepted')).toEqual([]);
    });
  });
}
