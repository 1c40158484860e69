import { describe, expect, it } from 'vitest';
import { decodeToken } from '../../src/core';
import { base64urlEncode } from '../../src/core/base64url';
import type { TokenRecord } from '../../src/devtools/model/token-record';
import { FilterIndex, summarize } from '../../src/devtools/panel/view/record-summary';

const unsecured = (payload: string) => `${base64urlEncode('{"alg":"none"}')}.${base64urlEncode(payload)}.`;

/** Just what summarize reads of a record. */
function recordOf(token: string): TokenRecord {
  return { token, decoded: decodeToken(token), sightings: [], findings: [], role: 'unknown', version: 1 } as unknown as TokenRecord;
}

describe('the filter box finds a token by its claims', () => {
  it('even when its claims cannot be serialised again (nesting past the engine stack, as in Firefox at 10,000)', () => {
    // Node's JSON.stringify gives up deeper than Firefox's: 100,000 levels make it throw here too (an 800 KB token, under the 1 MiB decode limit).
    const depth = 100_000;
    const token = unsecured(`{"sub":"deep-subject","iss":"https:\\/\\/deep.example","n":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`);
    const record = recordOf(token);
    const decoded = record.decoded;
    expect(decoded.ok && decoded.payloadIsJson).toBe(true);
    expect(() => JSON.stringify(decoded.ok ? decoded.payload : null)).toThrow();

    const summary = summarize(record);
    expect(summary.subject).toBe('deep-subject');
    expect(summary.haystack).toContain('deep-subject');
    expect(summary.haystack.length).toBeLessThanOrEqual(16 * 1024 + 64);
    const index = new FilterIndex(summarize);
    expect(index.filter([record], ['deep-subject'], 1)).toEqual([record]);
  });

  it('reads escaped claims as the user types them when the claims serialise', () => {
    const record = recordOf(unsecured('{"iss":"https:\\/\\/php.example","sub":"caf\\u00e9"}'));
    const summary = summarize(record);
    expect(summary.haystack).toContain('https://php.example');
    expect(summary.haystack).toContain('café');
  });
});
