import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyze, numericDate, TIME_FINDING_IDS, timeFindings } from '../../src/core/analyze';
import type { DecodedTokenSuccess, JsonObject } from '../../src/core/types';

const NOW = 1_700_000_000;

function token(payload: JsonObject): DecodedTokenSuccess {
  return { ok: true, kind: 'jws', raw: '', parts: ['', '', 'c2ln'], header: { alg: 'RS256', typ: 'JWT' }, payload, payloadIsJson: true };
}

const clockFindings = (payload: JsonObject, now: number, skew: number) =>
  analyze(token(payload), { now, skewSeconds: skew }).filter((f) => TIME_FINDING_IDS.includes(f.id));

describe('timeFindings: the clock findings without a whole analysis', () => {
  it('names each of them', () => {
    expect(timeFindings({ exp: NOW - 10 }, NOW, 60).map((f) => f.id)).toEqual(['expired']);
    expect(timeFindings({ exp: NOW + 10 }, NOW, 60).map((f) => f.id)).toEqual(['expires-soon']);
    expect(
      timeFindings({ exp: NOW + 3600, nbf: NOW + 120, iat: NOW + 120 }, NOW, 60)
        .map((f) => f.id)
        .sort(),
    ).toEqual(['issued-in-future', 'not-yet-valid']);
    expect(timeFindings({ exp: NOW + 3600, nbf: NOW + 30 }, NOW, 60)).toEqual([]);
    expect(timeFindings({}, NOW, 60)).toEqual([]);
  });

  it('says no more than the clock findings: no no-expiry, no long-lifetime', () => {
    expect(timeFindings({ iat: NOW - 10, exp: NOW + 400 * 86400 }, NOW, 60)).toEqual([]);
    expect(timeFindings({ exp: 'soon' }, NOW, 60)).toEqual([]);
  });

  it('are exactly the clock findings analyze() reports, wording included', () => {
    const date = fc.oneof(
      fc.integer({ min: NOW - 10 * 86400, max: NOW + 10 * 86400 }),
      fc.integer({ min: NOW - 600, max: NOW + 600 }).map(String),
      fc.constantFrom(undefined, null, 'x', Number.NaN),
    );
    fc.assert(
      fc.property(date, date, date, fc.integer({ min: 0, max: 600 }), (exp, nbf, iat, skew) => {
        const payload: JsonObject = { sub: 'a' };
        if (exp !== undefined) payload.exp = exp;
        if (nbf !== undefined) payload.nbf = nbf;
        if (iat !== undefined) payload.iat = iat;
        expect(timeFindings(payload, NOW, skew)).toEqual(clockFindings(payload, NOW, skew));
      }),
    );
  });

  it('reads a bad skew or clock as analyze does, and never throws', () => {
    // 60 s: README "Thresholds", the default skew a bad one falls back to.
    const payload = { nbf: NOW + 65 };
    expect(timeFindings(payload, NOW, -1)).toEqual(clockFindings(payload, NOW, 60));
    expect(timeFindings(payload, NOW, Number.NaN).map((f) => f.id)).toEqual(['not-yet-valid']);
    expect(timeFindings(null as unknown as JsonObject, NOW, 60)).toEqual([]);
    expect(timeFindings(['exp'] as unknown as JsonObject, NOW, 60)).toEqual([]);
  });
});

describe('numericDate: the NumericDate rule analyze applies', () => {
  it.each([
    [1_700_000_000, 1_700_000_000],
    [1.5, 1.5],
    [' 1700000000 ', 1_700_000_000],
    ['1700000000.25', 1_700_000_000.25],
    ['-1', undefined],
    ['1e9', undefined],
    [Number.POSITIVE_INFINITY, undefined],
    [null, undefined],
  ])('%j → %j', (value, seconds) => {
    expect(numericDate(value)).toBe(seconds);
  });
});
