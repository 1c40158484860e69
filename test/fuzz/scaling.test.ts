// Hostile scanning input: long runs of "eyJ", of dots, of base64url without dots, 10 MB single lines. Each
// must give the right answer at both sizes. Whether the 10 MB input costs about ten times the 1 MB one
// (linear), not a hundred (quadratic), is timing: `npm run bench` judges it (the "linear time" row), and
// these tests print the ratios they saw without asserting on them (tests never assert on time).
import { afterAll, describe, expect, it } from 'vitest';
import { decodeToken, MAX_TOKEN_BYTES } from '../../src/core/decode';
import { FULL_PASS } from './config';
import { progress } from './runner';
import { DECODE_CASES, FIND_CASES, fill, formatScaling, MB, measure, type ScalingResult } from './scaling';

const SAMPLES = FULL_PASS ? 7 : 1;
const results: ScalingResult[] = [];

afterAll(() => {
  progress(
    `\nlinear-time check (median of ${SAMPLES} samples; linear ≈ 10, quadratic ≈ 100; judged by npm run bench):\n${formatScaling(results)}\n`,
  );
});

describe('findTokens on hostile 1 MB and 10 MB single lines', () => {
  it.each(FIND_CASES.map((c) => [c.name, c] as const))(
    '%s: the right answer at 1 MB and at 10 MB',
    (_name, c) => {
      const r = measure(c, MB, 10 * MB, SAMPLES);
      results.push(r);
      expect(r.problem).toBeUndefined();
    },
    120_000,
  );
});

describe('decodeToken on hostile input up to its 1 MiB cap, and past it', () => {
  it.each(DECODE_CASES.map((c) => [c.name, c] as const))(
    '%s: the right answer at 100 KB and at 1 MB',
    (_name, c) => {
      const r = measure(c, MB / 10, MB, SAMPLES);
      results.push(r);
      expect(r.problem).toBeUndefined();
    },
    120_000,
  );

  it('refuses a 10 MB line as too large', () => {
    const d = decodeToken(fill('eyJhbGciOiJIUzI1NiJ9.', 10 * MB));
    expect(d.ok).toBe(false);
    expect(!d.ok && d.error.code).toBe('too-large');
    expect(MAX_TOKEN_BYTES).toBeLessThan(10 * MB);
  });
});
