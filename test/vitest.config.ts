import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

// Kept under test/ so the extension build (vite.config.ts, with crxjs) and the test runner stay apart.
export default defineConfig({
  root,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    // Every skipped test is listed; under CI=true a skip fails the run (test/support/no-skips-reporter.ts).
    reporters: ['default', './test/support/no-skips-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // A hang guard, not a speed judge: on a loaded 2-core CI box (browsers running beside these) a
          // full pass over the 104k weak secrets can take several seconds. Speed is npm run bench's.
          testTimeout: 60_000,
          include: ['test/core/**/*.test.ts', 'test/background/**/*.test.ts', 'test/devtools/**/*.test.ts', 'test/meta/**/*.test.ts', 'test/fuzz/**/*.test.ts'],
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
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Each browser is ~450 MiB and these machines have 2 cores: one browser at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
