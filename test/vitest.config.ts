import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/** Set for the project that runs on the older Chromium; test/e2e/harness/browsers.ts reads it. */
const OLD_CHROMIUM_ENV = 'JWTI_E2E_CHROMIUM';

const E2E_PROJECTS = ['e2e', 'e2e-chromium-old'];

const E2E = {
  environment: 'node',
  testTimeout: 120_000,
  hookTimeout: 120_000,
  // Each browser is ~450 MiB and these machines have 2 cores: two browsers at a time, after the unit and
  // component tests (group 0). Projects of one group share its workers, so E2eSequencer alternates the files
  // of the two e2e projects: the two running at once are mostly one of each project.
  maxWorkers: 2,
  sequence: { groupOrder: 1 },
} as const;

/** The default order, then the e2e projects' files interleaved (see E2E). */
class E2eSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const queues = E2E_PROJECTS.map((name) => sorted.filter((f) => f.project.name === name));
    const interleaved: TestSpecification[] = [];
    for (let i = 0; queues.some((q) => i < q.length); i++) for (const q of queues) if (i < q.length) interleaved.push(q[i]!);
    return [...sorted.filter((f) => !E2E_PROJECTS.includes(f.project.name)), ...interleaved];
  }
}

// Kept under test/ so the extension build (vite.config.ts, with crxjs) and the test runner stay apart.
export default defineConfig({
  root,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    // Every skipped test is listed; under CI=true a skip fails the run (test/support/no-skips-reporter.ts).
    reporters: ['default', './test/support/no-skips-reporter.ts'],
    sequence: { sequencer: E2eSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // A hang guard, not a speed judge: on a loaded 2-core CI box (browsers running beside these) a
          // full pass over the 104k weak secrets can take several seconds. Speed is npm run bench's.
          testTimeout: 60_000,
          include: [
            'test/core/**/*.test.ts',
            'test/background/**/*.test.ts',
            'test/devtools/**/*.test.ts',
            'test/meta/**/*.test.ts',
            'test/fuzz/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'ui',
          testTimeout: 60_000,
          include: ['test/ui/**/*.test.tsx', 'test/ui/**/*.test.ts'],
          environment: 'happy-dom',
          // The views read their words from the English catalogue (src/locales), as no browser.i18n runs here.
          setupFiles: ['test/support/i18n-setup.ts', 'test/support/wait-for-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          ...E2E,
        },
      },
      {
        extends: true,
        test: {
          // The Chromium files again on the older Chromium Debian serves (README, "Browsers"), the oldest the
          // manifest's minimum_chrome_version claims. It runs beside the project above (see E2E).
          name: 'e2e-chromium-old',
          include: ['test/e2e/chromium/**/*.test.ts'],
          env: { [OLD_CHROMIUM_ENV]: 'old' },
          ...E2E,
        },
      },
    ],
  },
});
