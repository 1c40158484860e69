// The workbench scenarios (test/e2e/scenarios/workbench-scenarios.ts) in Chromium; the picture of Replay all
// presets in README's Workbench section is taken here (artifacts/workbench-replay-all.png).
import { describe } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { screenshotPanel } from '../harness/devtools-panel';
import { ARTIFACTS } from '../harness/paths';
import { chromiumDriver } from '../scenarios/chromium-driver';
import { workbenchScenarios } from '../scenarios/workbench-scenarios';

describe.runIf(browserAvailable('chromium'))('Chromium', () =>
  workbenchScenarios('Chromium', chromiumDriver, {
    async screenshot(panel, name) {
      const frame = (panel as unknown as { frame: Frame }).frame;
      // A DevTools window tall enough for the whole table of answers.
      await frame.page().setViewport({ width: 1100, height: 1300 });
      await frame.evaluate(() => document.querySelector('[data-testid=replay-notice]')?.scrollIntoView());
      mkdirSync(ARTIFACTS, { recursive: true });
      await screenshotPanel(frame.page(), frame, resolve(ARTIFACTS, `workbench-${name}.png`) as `${string}.png`);
    },
  }),
);
