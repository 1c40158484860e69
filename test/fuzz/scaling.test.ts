// Hostile scanning input: long runs of "eyJ", of dots, of base64url without dots, 10 MB single lines. Each
// must give the right answer, and the 10 MB input must cost about ten times the 1 MB one (linear), not a
// hundred (quadratic). `npm run fuzz` prints the measured ratios (median of 7 samples); `npm test` measures
// with 3 samples and asserts only a very loose bound, because timing on a shared machine is noisy and
// tests never assert on time strictly.
import { afterAll, describe, expect, it } from 'vitest';
import { decodeToken, MAX_TOKEN_BYTES } from '../../src/core/decode';
import { FULL_PASS } from './config';
import { progress } from './runner';
import { DECODE_CASES, FIND_CASES, fill, formatScaling, MB, measure, type ScalingResult } from './scaling';

/** Loose on purpose: linear is ~10, quadratic ~100. */
const LOOSE_BOUND = 40;
/**
 * Below this the large input's time says nothing about the algorithm: a memchr-speed pass over 10 MB takes
 * well under a millisecond, and 1 MB fits in the CPU cache where 10 MB does not (ratios of 15-30 come from
 * memory bandwidth, not from the scan). A quadratic scan of 10 MB would take minutes.
 */
const TOO_FAST_TO_JUDGE_MS = 5;
const withinBound = (r: ScalingResult) => r.ratio <= LOOSE_BOUND || r.largeMs < TOO_FAST_TO_JUDGE_MS;
const SAMPLES = FULL_PASS ? 7 : 3;
const results: ScalingResult[] = [];

afterAll(() => {
  progress(`\nlinear-time check (median of ${SAMPLES} samples; linear ≈ 10, quadratic ≈ 100):\n${formatScaling(results)}\n`);
});

describe('findTokens on hostile 1 MB and 10 MB single lines', () => {
  it.each(FIND_CASES.map((c) => [c.name, c] as const))('%s: right answer, 10 MB within 40× of 1 MB', (_name, c) => {
    const r = measure(c, MB, 10 * MB, SAMPLES);
    results.push(r);
    expect(r.problem).toBeUndefined();
    expect(withinBound(r), `${c.name}: 1 MB ${r.smallMs.toFixed(2)} ms, 10 MB ${r.largeMs.toFixed(2)} ms, ratio ${r.ratio.toFixed(1)}`).toBe(true);
  }, 120_000);
});

describe('decodeToken on hostile input up to its 1 MiB cap, and past it', () => {
  it.each(DECODE_CASES.map((c) => [c.name, c] as const))('%s: right answer, 1 MB within 40× of 100 KB', (_name, c) => {
    const r = measure(c, MB / 10, MB, SAMPLES);
    results.push(r);
    expect(r.problem).toBeUndefined();
    expect(withinBound(r), `${c.name}: 100 KB ${r.smallMs.toFixed(2)} ms, 1 MB ${r.largeMs.toFixed(2)} ms, ratio ${r.ratio.toFixed(1)}`).toBe(true);
  }, 120_000);

  it('refuses a 10 MB line at once, without reading it', () => {
    const huge = fill('eyJhbGciOiJIUzI1NiJ9.', 10 * MB);
    const d = decodeToken(huge);
    expect(d.ok).toBe(false);
    expect(!d.ok && d.error.code).toBe('too-large');
    const r = measure(
      { name: '10 MB line (refused: over the cap)', fn: 'decodeToken', make: (n) => fill('eyJhbGciOiJIUzI1NiJ9.', n), expect: () => undefined },
      MAX_TOKEN_BYTES,
      10 * MB,
      SAMPLES,
    );
    results.push(r);
    // Past the cap the cost does not grow with the input at all.
    expect(withinBound(r)).toBe(true);
  }, 120_000);
});
