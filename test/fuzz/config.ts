// The fuzz pass's knobs. `npm test` runs the short pass (FUZZ_RUNS unset: 20,000 cases in all, fixed seeds);
// `npm run fuzz` runs test/fuzz/vitest.config.ts, which sets FUZZ_RUNS=1000000 unless it is already set.
//
//   FUZZ_RUNS=200000 npm run fuzz     another total
//   FUZZ_SEED=12345 npm run fuzz      another base seed (each target adds its index); "random" picks one
//
// Every run prints its seeds; a failure prints the target, seed and fast-check path that replays it, and
// then becomes a regression test in regressions.test.ts.

export const SHORT_PASS_RUNS = 20_000;
export const FULL_PASS_RUNS = 1_000_000;

/** The recorded base seed: target i runs with seed BASE_SEED + i. Change it only together with a note. */
export const BASE_SEED = 0x6a77_7469; // "jwti"

/** A case that runs longer than this is a hang: the watchdog prints where and kills the run. */
export const HANG_LIMIT_MS = 60_000;

function readRuns(): number {
  const raw = process.env.FUZZ_RUNS;
  if (raw === undefined || raw === '') return SHORT_PASS_RUNS;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`FUZZ_RUNS must be a positive integer, not ${JSON.stringify(raw)}.`);
  return n;
}

function readSeed(): number {
  const raw = process.env.FUZZ_SEED;
  if (raw === undefined || raw === '') return BASE_SEED;
  if (raw === 'random') return (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`FUZZ_SEED must be an integer or "random", not ${JSON.stringify(raw)}.`);
  return n | 0;
}

export const TOTAL_RUNS = readRuns();
export const SEED = readSeed();
/** The full pass (npm run fuzz) also measures and prints the linear-time ratios in detail. */
export const FULL_PASS = TOTAL_RUNS >= 100_000;
