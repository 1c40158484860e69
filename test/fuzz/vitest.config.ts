// `npm run fuzz`: the full fuzz pass (a million cases unless FUZZ_RUNS says otherwise), the linear-time
// measurements with 7 samples each, and the regression tests. `npm test` runs the same files in the unit
// project of test/vitest.config.ts with the short pass (config.ts).
import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

export default defineConfig({
  root: resolve(import.meta.dirname, '../..'),
  test: {
    include: ['test/fuzz/**/*.test.ts'],
    environment: 'node',
    env: { FUZZ_RUNS: process.env.FUZZ_RUNS || '1000000' },
    testTimeout: 3_600_000,
    hookTimeout: 60_000,
    // One file at a time: the timings must not share the two cores with the fuzz pass.
    fileParallelism: false,
  },
});
